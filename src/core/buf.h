/* buf.h — a growing string, private to libparley and its command line.
 *
 * The scenario writers, the text reports, the ledger and the `parley`
 * subcommands all build text a piece at a time; this is the one buffer they
 * share.  It allocates through parley_reallocarray, so fault-injection tests
 * reach it, and it records a failed allocation instead of reporting each one:
 * callers append without checking and learn the outcome once, from
 * parley_buf_finish.  The names carry the parley_ prefix because the shared
 * library exports them. */
#ifndef PARLEY_CORE_BUF_H
#define PARLEY_CORE_BUF_H

#include <stddef.h>

#include "parley/error.h"

/* Start from {0}: an empty buffer owns nothing. */
typedef struct parley_buf {
    char *data;  /* NUL-terminated while !failed; NULL until the first append */
    size_t len;  /* bytes in data, without the NUL */
    size_t cap;  /* bytes allocated */
    int failed;  /* an allocation failed: appends are ignored, data is unusable */
} parley_buf;

/* Appends len bytes of text (which need not be NUL-terminated). */
void parley_buf_append(parley_buf *b, const char *text, size_t len);

/* Appends a NUL-terminated string. */
void parley_buf_puts(parley_buf *b, const char *text);

/* Appends printf-formatted text.  A format error marks the buffer failed,
 * as an allocation failure does, so that no text is silently dropped. */
void parley_buf_printf(parley_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Hands the text to *out (caller frees with parley_free; "" for an empty
 * buffer) and leaves b empty.  Returns PARLEY_OK, or PARLEY_ENOMEM with
 * *out = NULL and b's memory freed when any append failed. */
int parley_buf_finish(parley_buf *b, char **out, parley_error *err);

/* Frees what b holds without handing it over (the error paths). */
void parley_buf_free(parley_buf *b);

#endif
