/* buf.c — the growing string of buf.h. */
#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

/* Makes room for extra more bytes and the NUL; 0 (and failed) when it
 * cannot, including when the size would not fit in a size_t. */
static int reserve(parley_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (extra > SIZE_MAX - 1 - b->len) {
        b->failed = 1;
        return 0;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = parley_reallocarray(b->data, cap, 1);
    if (!data) {
        b->failed = 1;
        return 0;
    }
    b->data = data;
    b->cap = cap;
    return 1;
}

void parley_buf_append(parley_buf *b, const char *text, size_t len)
{
    if (!reserve(b, len))
        return;
    if (len)
        memcpy(b->data + b->len, text, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void parley_buf_puts(parley_buf *b, const char *text)
{
    parley_buf_append(b, text, strlen(text));
}

void parley_buf_printf(parley_buf *b, const char *fmt, ...)
{
    /* Measure first, then format in place: no second allocation. */
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) {
        b->failed = 1;
        return;
    }
    if (!reserve(b, (size_t)need))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)need + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

int parley_buf_finish(parley_buf *b, char **out, parley_error *err)
{
    *out = NULL;
    if (!b->failed && !b->data)
        parley_buf_append(b, "", 0); /* an empty text is still a string */
    if (b->failed) {
        parley_buf_free(b);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    *out = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return PARLEY_OK;
}

void parley_buf_free(parley_buf *b)
{
    parley_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
