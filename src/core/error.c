/* error.c — result codes and error records (parley/error.h). */
#include "parley/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *parley_strerror(int code)
{
    switch (code) {
#define PARLEY_X_CASE(name, value, text) \
    case name:                           \
        return text;
        PARLEY_ERROR_CODES(PARLEY_X_CASE)
#undef PARLEY_X_CASE
    }
    return "unknown error";
}

void parley_error_clear(parley_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int parley_error_set(parley_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void parley_error_at(parley_error *err, const char *file, int line, int column,
                     const char *path)
{
    if (!err)
        return;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    err->column = column;
    if (path)
        snprintf(err->path, sizeof err->path, "%s", path);
}

char *parley_error_format(const parley_error *err, char *buf, size_t n)
{
    char where[300] = "", line[32] = "", column[32] = "";
    if (n == 0)
        return buf;
    if (err->line > 0)
        snprintf(line, sizeof line, "%d:", err->line);
    if (err->line > 0 && err->column > 0)
        snprintf(column, sizeof column, "%d:", err->column);
    if (err->file[0])
        snprintf(where, sizeof where, "%.255s:%s%s ", err->file, line, column);
    snprintf(buf, n, "%s%s%s%s", where, err->path, err->path[0] ? ": " : "",
             err->message[0] ? err->message : parley_strerror(err->code));
    return buf;
}
