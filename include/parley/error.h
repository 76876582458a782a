/* parley/error.h — result codes and the caller-supplied error record.
 *
 * The library never prints and never aborts: every function that can fail
 * returns one of the codes below and, when the caller passes a non-NULL
 * parley_error, fills it with where and why.  There is no global last error.
 * Thread-safety: a parley_error belongs to one caller; the functions here are
 * reentrant. */
#ifndef PARLEY_ERROR_H
#define PARLEY_ERROR_H

#include <stddef.h>

/* X-macro: code, value, text. */
#define PARLEY_ERROR_CODES(X)                                              \
    X(PARLEY_OK, 0, "success")                                             \
    X(PARLEY_ENOMEM, 1, "out of memory")                                   \
    X(PARLEY_EINVAL, 2, "invalid argument")                                \
    X(PARLEY_EPARSE, 3, "malformed input")                                 \
    X(PARLEY_ESCHEMA, 4, "input does not match the scenario schema")       \
    X(PARLEY_ERANGE, 5, "value out of range")                              \
    X(PARLEY_EIO, 6, "input/output error")                                 \
    X(PARLEY_EUNDEF, 7, "model not defined for this scenario")             \
    X(PARLEY_ENOTFOUND, 8, "not found")                                    \
    X(PARLEY_ECANCEL, 9, "cancelled")                                      \
    X(PARLEY_EINTERNAL, 10, "internal error")

typedef enum parley_code {
#define PARLEY_X_ENUM(name, value, text) name = value,
    PARLEY_ERROR_CODES(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_code;

/* Where and why something failed.  Unknown parts stay empty / zero:
 * file[0] == '\0' when there is no file, line == 0 when no line is known,
 * path[0] == '\0' when there is no JSON path or field name. */
typedef struct parley_error {
    int code;           /* a parley_code */
    char file[256];     /* input file, as the caller named it */
    int line;           /* 1-based line, 0 if unknown */
    int column;         /* 1-based column, 0 if unknown */
    char path[256];     /* JSON path ("actors[3].capability") or CSV field */
    char message[512];  /* what was expected, in words */
} parley_error;

/* The fixed text of a code ("out of memory"); never NULL. */
const char *parley_strerror(int code);

/* Clears err (code PARLEY_OK, all parts empty).  err may be NULL. */
void parley_error_clear(parley_error *err);

/* Sets err->code and err->message (printf-style) and returns code, so that
 * `return parley_error_set(err, PARLEY_EINVAL, "...")` reads naturally.
 * Leaves file, line, column and path as they were.  err may be NULL. */
int parley_error_set(parley_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records the location parts; any of file and path may be NULL (left as is). */
void parley_error_at(parley_error *err, const char *file, int line, int column,
                     const char *path);

/* Writes one diagnostic line "file:line:column: path: message" (parts that are
 * unknown are left out) into buf of size n; returns buf. */
char *parley_error_format(const parley_error *err, char *buf, size_t n);

#endif
