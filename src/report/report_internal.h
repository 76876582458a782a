/* report_internal.h — what the report writers share (private to src/report).
 * Only the *_json.c files include <jansson.h>. */
#ifndef PARLEY_REPORT_INTERNAL_H
#define PARLEY_REPORT_INTERNAL_H

#include <stddef.h>

#include "core/buf.h"
#include "parley/error.h"
#include "parley/scenario.h"

/* Appends text cut to at most width columns (UTF-8 aware, "..." when cut). */
void rep_put_cut(parley_buf *b, const char *text, size_t width);
/* Appends text word-wrapped to width columns; lines after the first start
 * with indent spaces. */
void rep_put_wrapped(parley_buf *b, const char *text, size_t indent, size_t width);
/* Columns text takes on a terminal (UTF-8 code points). */
size_t rep_width(const char *text);

/* Decimals that show a number on this issue's scale sensibly: 1 for a
 * scale of 10 or more, 2 from 1, else 3. */
int rep_decimals(const parley_issue *issue);

#endif
