/* report_buf.c — growing strings for the text reports. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "report_internal.h"

static int reserve(rep_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *data = parley_reallocarray(b->data, cap, 1);
    if (!data) {
        b->failed = 1;
        return 0;
    }
    b->data = data;
    b->cap = cap;
    return 1;
}

static void put_bytes(rep_buf *b, const char *text, size_t len)
{
    if (!reserve(b, len))
        return;
    memcpy(b->data + b->len, text, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void rep_puts(rep_buf *b, const char *text)
{
    put_bytes(b, text, strlen(text));
}

void rep_printf(rep_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0 || !reserve(b, (size_t)need))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)need + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

static int is_continuation(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

size_t rep_width(const char *text)
{
    size_t width = 0;
    for (; *text; text++)
        if (!is_continuation(*text))
            width++;
    return width;
}

/* Bytes of the first `columns` code points of text. */
static size_t bytes_for(const char *text, size_t columns)
{
    size_t k = 0;
    for (size_t seen = 0; text[k]; k++) {
        if (!is_continuation(text[k])) {
            if (seen == columns)
                break;
            seen++;
        }
    }
    return k;
}

void rep_put_cut(rep_buf *b, const char *text, size_t width)
{
    if (rep_width(text) <= width) {
        rep_puts(b, text);
        return;
    }
    if (width < 4) {
        put_bytes(b, text, bytes_for(text, width));
        return;
    }
    put_bytes(b, text, bytes_for(text, width - 3));
    rep_puts(b, "...");
}

void rep_put_wrapped(rep_buf *b, const char *text, size_t indent, size_t width)
{
    size_t column = indent; /* the caller has written the first line's indent */
    int first_word = 1;
    while (*text) {
        while (*text == ' ' || *text == '\n')
            text++;
        if (!*text)
            break;
        size_t len = strcspn(text, " \n");
        size_t word_columns = 0;
        for (size_t k = 0; k < len; k++)
            if (!is_continuation(text[k]))
                word_columns++;
        if (!first_word && column + 1 + word_columns > width) {
            rep_printf(b, "\n%*s", (int)indent, "");
            column = indent;
        } else if (!first_word) {
            rep_puts(b, " ");
            column++;
        }
        put_bytes(b, text, len);
        column += word_columns;
        first_word = 0;
        text += len;
    }
}

int rep_finish(rep_buf *b, char **out, parley_error *err)
{
    *out = NULL;
    if (!b->failed && !b->data)
        reserve(b, 0);
    if (b->failed) {
        parley_free(b->data);
        b->data = NULL;
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    b->data[b->len] = '\0';
    *out = b->data;
    b->data = NULL;
    return PARLEY_OK;
}

int rep_decimals(const parley_issue *issue)
{
    double range = issue->high - issue->low;
    return range >= 10 ? 1 : range >= 1 ? 2 : 3;
}
