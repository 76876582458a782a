/* report_internal.h — what the report writers share (private to src/report).
 * Only the *_json.c files include <jansson.h>. */
#ifndef PARLEY_REPORT_INTERNAL_H
#define PARLEY_REPORT_INTERNAL_H

#include <stddef.h>

#include "parley/error.h"
#include "parley/scenario.h"

/* A growing string through parley_malloc, so fault-injection tests reach it. */
typedef struct rep_buf {
    char *data;  /* NUL-terminated while !failed */
    size_t len, cap;
    int failed;  /* an allocation failed: data is unusable */
} rep_buf;

void rep_puts(rep_buf *b, const char *text);
void rep_printf(rep_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends text cut to at most width columns (UTF-8 aware, "..." when cut). */
void rep_put_cut(rep_buf *b, const char *text, size_t width);
/* Appends text word-wrapped to width columns; lines after the first start
 * with indent spaces. */
void rep_put_wrapped(rep_buf *b, const char *text, size_t indent, size_t width);
/* Hands the text to *out (caller frees) or fails with PARLEY_ENOMEM. */
int rep_finish(rep_buf *b, char **out, parley_error *err);

/* Columns text takes on a terminal (UTF-8 code points). */
size_t rep_width(const char *text);

/* Decimals that show a number on this issue's scale sensibly: 1 for a
 * scale of 10 or more, 2 from 1, else 3. */
int rep_decimals(const parley_issue *issue);

#endif
