/* report_text.c — text laid out for a terminal: widths, cutting and wrapping
 * in UTF-8 code points, and the decimals a scale deserves. */
#include <string.h>

#include "report_internal.h"

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

void rep_put_cut(parley_buf *b, const char *text, size_t width)
{
    if (rep_width(text) <= width) {
        parley_buf_puts(b, text);
        return;
    }
    if (width < 4) {
        parley_buf_append(b, text, bytes_for(text, width));
        return;
    }
    parley_buf_append(b, text, bytes_for(text, width - 3));
    parley_buf_puts(b, "...");
}

void rep_put_wrapped(parley_buf *b, const char *text, size_t indent, size_t width)
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
            parley_buf_printf(b, "\n%*s", (int)indent, "");
            column = indent;
        } else if (!first_word) {
            parley_buf_puts(b, " ");
            column++;
        }
        parley_buf_append(b, text, len);
        column += word_columns;
        first_word = 0;
        text += len;
    }
}

int rep_decimals(const parley_issue *issue)
{
    double range = issue->high - issue->low;
    return range >= 10 ? 1 : range >= 1 ? 2 : 3;
}
