/* csv_table.c — the libcsv adapter: CSV text (RFC 4180, with the quirks of
 * the files parley reads: blanks around fields, trailing commas, CRLF) into
 * rows of trimmed fields, each row knowing the line it starts on. */
#include "format_internal.h"

#include <csv.h>
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

typedef struct csv_context {
    fmt_csv_table *table;
    fmt_csv_row row;     /* the row being read */
    size_t cap_fields;
    int line;            /* line of the text being fed to libcsv */
    int failed;          /* out of memory */
    int null_empty;      /* store unquoted empty fields as NULL */
} csv_context;

static void row_free(fmt_csv_row *row)
{
    for (size_t k = 0; k < row->n_fields; k++)
        parley_free(row->fields[k]);
    parley_free(row->fields);
    memset(row, 0, sizeof *row);
}

static void on_field(void *text, size_t len, void *data)
{
    csv_context *ctx = data;
    if (ctx->failed)
        return;
    if (ctx->row.n_fields == 0)
        ctx->row.line = ctx->line;
    if (ctx->row.n_fields == ctx->cap_fields) {
        size_t cap = ctx->cap_fields ? 2 * ctx->cap_fields : 16;
        char **fields = parley_reallocarray(ctx->row.fields, cap, sizeof *fields);
        if (!fields) {
            ctx->failed = 1;
            return;
        }
        ctx->row.fields = fields;
        ctx->cap_fields = cap;
    }
    if (!text && ctx->null_empty) {
        /* CSV_EMPTY_IS_NULL: an unquoted empty field, told apart from "". */
        ctx->row.fields[ctx->row.n_fields++] = NULL;
        return;
    }
    char *copy = parley_malloc(len + 1);
    if (!copy) {
        ctx->failed = 1;
        return;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    ctx->row.fields[ctx->row.n_fields++] = copy;
}

static void on_row_end(int terminator, void *data)
{
    (void)terminator;
    csv_context *ctx = data;
    if (ctx->failed)
        return;
    fmt_csv_table *t = ctx->table;
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? 2 * t->cap_rows : 64;
        fmt_csv_row *rows = parley_reallocarray(t->rows, cap, sizeof *rows);
        if (!rows) {
            ctx->failed = 1;
            return;
        }
        t->rows = rows;
        t->cap_rows = cap;
    }
    t->rows[t->n_rows++] = ctx->row;
    memset(&ctx->row, 0, sizeof ctx->row);
    ctx->cap_fields = 0;
}

static void *csv_realloc(void *ptr, size_t size)
{
    return parley_reallocarray(ptr, size, 1);
}

void fmt_csv_free(fmt_csv_table *table)
{
    for (size_t r = 0; r < table->n_rows; r++)
        row_free(&table->rows[r]);
    parley_free(table->rows);
    memset(table, 0, sizeof *table);
}

int fmt_csv_parse_ex(const char *buf, size_t len, const char *name, int null_empty,
                     fmt_csv_table *table, parley_error *err)
{
    memset(table, 0, sizeof *table);
    struct csv_parser parser;
    unsigned char options = CSV_STRICT | CSV_STRICT_FINI | (null_empty ? CSV_EMPTY_IS_NULL : 0);
    if (csv_init(&parser, options) != 0)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    csv_set_realloc_func(&parser, csv_realloc);
    csv_set_free_func(&parser, parley_free);
    csv_context ctx = {.table = table, .line = 1, .null_empty = null_empty};
    int rc = PARLEY_OK;
    /* Fed one line at a time so that each row learns its line number. */
    size_t start = 0;
    while (start < len && !ctx.failed) {
        const char *newline = memchr(buf + start, '\n', len - start);
        size_t end = newline ? (size_t)(newline - buf) + 1 : len;
        if (csv_parse(&parser, buf + start, end - start, on_field, on_row_end, &ctx) !=
            end - start) {
            if (csv_error(&parser) == CSV_ENOMEM)
                ctx.failed = 1;
            else
                rc = fmt_fail(err, PARLEY_EPARSE, name, ctx.line, 0, NULL,
                              "malformed CSV: %s", csv_strerror(csv_error(&parser)));
            break;
        }
        start = end;
        if (newline)
            ctx.line++;
    }
    if (rc == PARLEY_OK && !ctx.failed &&
        csv_fini(&parser, on_field, on_row_end, &ctx) != 0)
        rc = fmt_fail(err, PARLEY_EPARSE, name, ctx.row.line ? ctx.row.line : ctx.line, 0,
                      NULL, "malformed CSV: a quoted field is not closed");
    csv_free(&parser);
    if (ctx.failed && rc == PARLEY_OK)
        rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    row_free(&ctx.row);
    if (rc != PARLEY_OK)
        fmt_csv_free(table);
    return rc;
}

int fmt_csv_parse(const char *buf, size_t len, const char *name, fmt_csv_table *table,
                  parley_error *err)
{
    return fmt_csv_parse_ex(buf, len, name, 0, table, err);
}

const char *fmt_csv_field(const fmt_csv_row *row, size_t k)
{
    return k < row->n_fields && row->fields[k] ? row->fields[k] : "";
}

/* "a number in [0, 100]", "a number > 0", or just "a number". */
static void describe_range(double low, double high, char *buf, size_t n)
{
    if (low <= -DBL_MAX && high >= DBL_MAX)
        snprintf(buf, n, "a number");
    else if (high >= DBL_MAX)
        snprintf(buf, n, "a number >= %g", low);
    else
        snprintf(buf, n, "a number in [%g, %g]", low, high);
}

int fmt_csv_number(const fmt_csv_row *row, size_t k, const char *what, double low,
                   double high, const char *name, double *out, parley_error *err)
{
    const char *text = fmt_csv_field(row, k);
    char expected[80];
    double x;
    describe_range(low, high, expected, sizeof expected);
    if (!*text)
        return fmt_fail(err, PARLEY_EPARSE, name, row->line, 0, what,
                        "expected %s, found an empty field", expected);
    if (fmt_parse_number(text, &x) != 0)
        return fmt_fail(err, PARLEY_EPARSE, name, row->line, 0, what,
                        "expected %s, got \"%.40s\"", expected, text);
    if (!(x >= low && x <= high))
        return fmt_fail(err, PARLEY_ERANGE, name, row->line, 0, what, "expected %s, got %s",
                        expected, text);
    *out = x;
    return PARLEY_OK;
}
