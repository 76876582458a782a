/* forecast.h — what the `parley forecast` subcommands share (private to
 * src/cli).  cmd_forecast.c dispatches; forecast_ask.c adds questions,
 * forecasts and resolutions, forecast_list.c lists and scores,
 * forecast_io.c imports and exports CSV. */
#ifndef PARLEY_CLI_FORECAST_H
#define PARLEY_CLI_FORECAST_H

#include <stddef.h>

#include "cli/cli.h"
#include "parley/store.h"

/* The paragraph every forecast subcommand's --help ends with. */
extern const char forecast_ledger_details[];

#define DB_OPTION(db) \
    {"db", 0, "PATH", "the run store (default $PARLEY_DB or parley.db)", CLI_STRING, &(db)}
#define JSON_OPTION(json) {"json", 'j', NULL, "print JSON", CLI_FLAG, &(json)}
#define END_OPTIONS {NULL, 0, NULL, NULL, CLI_FLAG, NULL}

/* Copies value into the fixed field dst of n bytes.  CLI_CONTINUE, or
 * CLI_USAGE (after the diagnostic naming option) when it does not fit. */
int forecast_set_field(const char *command, const char *option, char *dst, size_t n,
                       const char *value);

/* Parses a finite number.  CLI_CONTINUE, or CLI_USAGE after the diagnostic. */
int forecast_parse_number(const char *command, const char *option, const char *text,
                          double *out);

/* The --date option into dst (n bytes): given, checked as YYYY-MM-DD, or
 * today's UTC date when given is NULL.  CLI_CONTINUE or CLI_USAGE. */
int forecast_take_date(const char *command, const char *given, char *dst, size_t n);

/* Parses options, insists on min..max operands, opens the store (*db is
 * read after parsing, since --db sets it; flags as cli_store_open).
 * CLI_CONTINUE with *first and *store (caller closes), else an exit code. */
int forecast_begin(const cli_usage *usage, const cli_option *options, int argc, char **argv,
                   int min_operands, int max_operands, const char *const *db, unsigned flags,
                   int *first, parley_store **store);

/* Closes store and reports err; returns the exit code for it. */
int forecast_fail(const char *command, parley_store *store, const parley_error *err);

/* The subcommands: argv[0] is the subcommand's name; each returns an exit code. */
int forecast_ask(int argc, char **argv);
int forecast_add(int argc, char **argv);
int forecast_resolve(int argc, char **argv);
int forecast_list(int argc, char **argv);
int forecast_score(int argc, char **argv);
int forecast_import(int argc, char **argv);
int forecast_export(int argc, char **argv);

#endif
