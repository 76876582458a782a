/* format_internal.h — what the scenario readers and writers share (private to
 * src/scenario).  Only csv_table.c includes <csv.h> and only json_read.c
 * includes <jansson.h>, so the adapters stay behind this header. */
#ifndef PARLEY_FORMAT_INTERNAL_H
#define PARLEY_FORMAT_INTERNAL_H

#include <stddef.h>

#include "core/buf.h"
#include "parley/error.h"
#include "parley/format.h"
#include "parley/scenario.h"

/* ---- errors ------------------------------------------------------------- */

/* Sets err's code and message and the location (file name, line, column,
 * path; path may be NULL) in one call; returns code. */
int fmt_fail(parley_error *err, int code, const char *file, int line, int column,
             const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* ---- numbers ------------------------------------------------------------ */

/* Parses a whole decimal number (leading and trailing blanks allowed; no
 * hex, inf or nan).  Returns 0 and *out, or -1 if text is not a finite
 * number. */
int fmt_parse_number(const char *text, double *out);

/* Writes the shortest of %.15g/%.16g/%.17g that reads back as x into buf
 * (at least 32 bytes); returns buf. */
char *fmt_number(double x, char *buf, size_t n);

/* ---- growing strings ---------------------------------------------------- */

void fmt_buf_number(parley_buf *b, double x);

/* Appends text as one CSV field, quoted when it needs to be; NULL appends
 * nothing (an empty field). */
void fmt_buf_csv_field(parley_buf *b, const char *text);

/* ---- CSV tables (libcsv) ------------------------------------------------ */

typedef struct fmt_csv_row {
    int line;        /* 1-based line where the row starts */
    size_t n_fields;
    char **fields;   /* NUL-terminated, unquoted, leading/trailing blanks trimmed */
} fmt_csv_row;

typedef struct fmt_csv_table {
    size_t n_rows;   /* blank lines are not rows */
    fmt_csv_row *rows;
    size_t cap_rows;
} fmt_csv_table;

/* Parses CSV text into rows.  PARLEY_EPARSE (unterminated quote) or
 * PARLEY_ENOMEM; on failure the table is empty.  Free with fmt_csv_free. */
int fmt_csv_parse(const char *buf, size_t len, const char *name, fmt_csv_table *table,
                  parley_error *err);
/* Like fmt_csv_parse; with null_empty, an unquoted empty field is stored as
 * a NULL pointer, a quoted one ("") as "", so that writers can tell a
 * missing text from an empty one. */
int fmt_csv_parse_ex(const char *buf, size_t len, const char *name, int null_empty,
                     fmt_csv_table *table, parley_error *err);
void fmt_csv_free(fmt_csv_table *table);

/* Field k of a row, or "" when the row is shorter or the field NULL. */
const char *fmt_csv_field(const fmt_csv_row *row, size_t k);

/* Number in field k (0-based) of row, in [low, high]; "what" names the column
 * in errors ("field 3 (Capability)").  PARLEY_EPARSE if it is not a number,
 * PARLEY_ERANGE if it is outside. */
int fmt_csv_number(const fmt_csv_row *row, size_t k, const char *what, double low,
                   double high, const char *name, double *out, parley_error *err);

/* A copy of text made into an id: blanks and characters other than letters,
 * digits, '-', '_' and '.' become '-', lower case kept as is; "x" if nothing
 * is left.  NULL when out of memory. */
char *fmt_make_id(const char *text);

/* Makes *id unique among the first n actors (or issues) of sc by appending
 * "-2", "-3", ...; returns PARLEY_OK or PARLEY_ENOMEM. */
int fmt_unique_actor_id(const parley_scenario *sc, char **id);
int fmt_unique_issue_id(const parley_scenario *sc, char **id);

/* Replaces *field (owned) by a copy of text; 0 when out of memory. */
int fmt_set_text(char **field, const char *text);

/* Final step of every importer: validates sc and prefixes err's location with
 * name.  On failure frees sc. */
int fmt_finish_scenario(parley_scenario *sc, const char *name, parley_error *err);

/* ---- the formats -------------------------------------------------------- */

/* Each reader returns an array of scenarios (for all but DEU, exactly one)
 * with the contract of parley_scenarios_parse. */
int fmt_json_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                  size_t *count, parley_error *err);
int fmt_bdm_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                 size_t *count, parley_error *err);
int fmt_ktab_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                  size_t *count, parley_error *err);
int fmt_deu_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                 size_t *count, parley_error *err);
int fmt_long_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                  size_t *count, parley_error *err);

/* Wraps one scenario into a one-element array for the readers above. */
int fmt_single(parley_scenario *sc, parley_scenario ***out, size_t *count,
               parley_error *err);

int fmt_json_write(const parley_scenario *sc, char **out, parley_error *err);
int fmt_long_write(const parley_scenario *sc, char **out, parley_error *err);
int fmt_bdm_write(const parley_scenario *sc, char **out, parley_error *err);
int fmt_ktab_write(const parley_scenario *sc, char **out, parley_error *err);

/* The first line of parley's long CSV, by which it is recognised. */
#define FMT_LONG_MAGIC "parley-csv"

#endif
