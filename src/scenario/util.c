/* util.c — helpers the scenario readers and writers share: located errors,
 * exact number text, growing strings, ids made from free text. */
#include "format_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"

int fmt_fail(parley_error *err, int code, const char *file, int line, int column,
             const char *path, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    parley_error_at(err, file, line, column, path ? path : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

int fmt_parse_number(const char *text, double *out)
{
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    /* strtod also takes "inf", "nan" and hex floats: none is a number here. */
    const char *q = p;
    if (*q == '+' || *q == '-')
        q++;
    if (!(isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1]))))
        return -1;
    for (const char *r = q; *r && *r != ' ' && *r != '\t'; r++)
        if (!(isdigit((unsigned char)*r) || *r == '.' || *r == 'e' || *r == 'E' ||
              *r == '+' || *r == '-'))
            return -1;
    char *end;
    errno = 0;
    double x = strtod(p, &end);
    if (end == p || !isfinite(x))
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return -1;
    *out = x;
    return 0;
}

char *fmt_number(double x, char *buf, size_t n)
{
    snprintf(buf, n, "%.15g", x);
    if (strtod(buf, NULL) == x)
        return buf;
    snprintf(buf, n, "%.16g", x);
    if (strtod(buf, NULL) == x)
        return buf;
    snprintf(buf, n, "%.17g", x);
    return buf;
}

void fmt_buf_number(parley_buf *b, double x)
{
    char text[40];
    parley_buf_puts(b, fmt_number(x, text, sizeof text));
}

void fmt_buf_csv_field(parley_buf *b, const char *text)
{
    if (!text)
        return;
    /* Blanks at either end would be trimmed on reading, so they are quoted too. */
    int quote = text[0] == ' ' || text[0] == '\t' ||
                strpbrk(text, ",\"\r\n") != NULL;
    size_t len = strlen(text);
    if (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        quote = 1;
    if (!quote) {
        parley_buf_append(b, text, len);
        return;
    }
    parley_buf_append(b, "\"", 1);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            parley_buf_append(b, "\"", 1);
        parley_buf_append(b, p, 1);
    }
    parley_buf_append(b, "\"", 1);
}

char *fmt_make_id(const char *text)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    char *id = parley_malloc(len ? len + 1 : 2);
    if (!id)
        return NULL;
    if (!len) {
        strcpy(id, "x");
        return id;
    }
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)text[k];
        id[k] = (isalnum(c) || c == '-' || c == '_' || c == '.' || c >= 0x80) ? (char)c : '-';
    }
    id[len] = '\0';
    return id;
}

typedef long (*find_fn)(const parley_scenario *, const char *);

static int make_unique(const parley_scenario *sc, char **id, find_fn find)
{
    if (find(sc, *id) < 0)
        return PARLEY_OK;
    size_t len = strlen(*id);
    char *candidate = parley_malloc(len + 24);
    if (!candidate)
        return PARLEY_ENOMEM;
    for (unsigned long n = 2;; n++) {
        snprintf(candidate, len + 24, "%s-%lu", *id, n);
        if (find(sc, candidate) < 0)
            break;
    }
    parley_free(*id);
    *id = candidate;
    return PARLEY_OK;
}

int fmt_unique_actor_id(const parley_scenario *sc, char **id)
{
    return make_unique(sc, id, parley_scenario_find_actor);
}

int fmt_unique_issue_id(const parley_scenario *sc, char **id)
{
    return make_unique(sc, id, parley_scenario_find_issue);
}

int fmt_set_text(char **field, const char *text)
{
    char *copy = parley_strdup(text);
    if (text && !copy)
        return 0;
    parley_free(*field);
    *field = copy;
    return 1;
}

int fmt_finish_scenario(parley_scenario *sc, const char *name, parley_error *err)
{
    int rc = parley_scenario_validate(sc, err);
    if (rc != PARLEY_OK) {
        if (err) {
            snprintf(err->file, sizeof err->file, "%s", name);
            err->line = err->column = 0;
        }
        parley_scenario_free(sc);
    }
    return rc;
}

int fmt_single(parley_scenario *sc, parley_scenario ***out, size_t *count,
               parley_error *err)
{
    parley_scenario **array = parley_malloc(sizeof *array);
    if (!array) {
        parley_scenario_free(sc);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    array[0] = sc;
    *out = array;
    *count = 1;
    return PARLEY_OK;
}
