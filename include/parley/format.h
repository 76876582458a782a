/* parley/format.h — reading and writing scenarios.
 *
 * JSON is the native format (docs/scenario-format.md).  Importers read the
 * BDM table (Actor,Capability,Position,Salience: one issue), KTAB's CSV
 * scenarios and the DEU III data set (one scenario per issue, with its
 * outcome).  PARLEY_FORMAT_AUTO recognises the format by content.
 *
 * Errors name the file, the line and column (or CSV line and field) or the
 * JSON path, and what was expected. */
#ifndef PARLEY_FORMAT_H
#define PARLEY_FORMAT_H

#include <stddef.h>

#include "parley/error.h"
#include "parley/scenario.h"

#define PARLEY_FORMATS(X)                                     \
    X(PARLEY_FORMAT_AUTO, "auto", "recognise by content")     \
    X(PARLEY_FORMAT_JSON, "json", "parley's native JSON")     \
    X(PARLEY_FORMAT_CSV, "csv", "parley's lossless long CSV") \
    X(PARLEY_FORMAT_BDM, "bdm", "Actor,Capability,Position,Salience table") \
    X(PARLEY_FORMAT_KTAB, "ktab", "KTAB's CSV scenario")      \
    X(PARLEY_FORMAT_DEU, "deu", "DEU III data set, one scenario per issue")

typedef enum parley_format {
#define PARLEY_X_ENUM(name, text, summary) name,
    PARLEY_FORMATS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_format;

const char *parley_format_name(parley_format f);
/* -1 for an unknown name. */
int parley_format_parse(const char *name);

/* Guesses the format of a buffer; PARLEY_FORMAT_AUTO if none fits. */
parley_format parley_format_detect(const char *buf, size_t len);

/* Parses a buffer holding one or more scenarios (DEU holds many; the others
 * one).  name is used in error messages (a file name, or "<stdin>").
 * On success *out is an array of *count scenarios: caller frees each with
 * parley_scenario_free and the array with parley_free.  On failure *out is
 * NULL and nothing leaks.  Every scenario returned has passed
 * parley_scenario_validate. */
int parley_scenarios_parse(const char *buf, size_t len, const char *name,
                           parley_format fmt, parley_scenario ***out,
                           size_t *count, parley_error *err);

/* Reads a file (or "-" for stdin) with parley_scenarios_parse. */
int parley_scenarios_load(const char *path, parley_format fmt,
                          parley_scenario ***out, size_t *count,
                          parley_error *err);

/* Like parley_scenarios_load, but the file must hold exactly one scenario
 * (PARLEY_EINVAL otherwise).  Caller frees *out with parley_scenario_free. */
int parley_scenario_load(const char *path, parley_format fmt,
                         parley_scenario **out, parley_error *err);

/* Frees an array of scenarios returned by the functions above. */
void parley_scenarios_free(parley_scenario **scenarios, size_t count);

/* Serialises a scenario: JSON (canonical: fixed key order, numbers with
 * %.17g round-trip precision, 2-space indent), CSV (parley's long form), BDM
 * or KTAB (PARLEY_EINVAL if the scenario does not fit that table).  *out is a
 * NUL-terminated string the caller frees with parley_free. */
int parley_scenario_format(const parley_scenario *sc, parley_format fmt,
                           char **out, parley_error *err);

/* Writes a scenario to path through a temporary file in the same directory
 * and rename(2), so a reader never sees a half-written file. */
int parley_scenario_save(const parley_scenario *sc, parley_format fmt,
                         const char *path, parley_error *err);

/* Writes len bytes to path atomically (temporary file, fsync, rename);
 * path "-" writes to stdout.  PARLEY_EIO with err naming the file. */
int parley_write_file_atomic(const char *path, const char *data, size_t len,
                             parley_error *err);

/* Reads a whole file ("-": stdin) into a NUL-terminated buffer the caller
 * frees with parley_free; *len excludes the NUL. Refuses files over 256 MiB. */
int parley_read_file(const char *path, char **out, size_t *len, parley_error *err);

#endif
