/* store_opts.h — how `run`, `mc` and `runs` find and write the run store
 * (private to src/cli).  Owned by the store; cmd_run.c and cmd_mc.c call
 * these with their --db and --no-store options. */
#ifndef PARLEY_CLI_STORE_OPTS_H
#define PARLEY_CLI_STORE_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "parley/montecarlo.h"
#include "parley/report.h"
#include "parley/store.h"

/* The store's path: db_option (--db PATH) if given, else $PARLEY_DB if set
 * and not empty, else "parley.db" in the working directory.  Borrowed. */
const char *cli_store_path(const char *db_option);

/* Stores every run of runs[] whose status is PARLEY_OK (one transaction
 * each) in the store cli_store_path(db_option) names, creating it if
 * needed.  With no_store it does nothing.  started and finished may be
 * NULL (now).  The id of the first run stored goes into *first_id (may be
 * NULL; 0 if none).  Returns CLI_CONTINUE, or an exit code after one line
 * on stderr ("parley COMMAND: parley.db: not a parley store ...; use --db
 * PATH or --no-store"). */
int cli_store_runs(const char *command, const char *db_option, int no_store,
                   const parley_scenario *sc, const parley_report_run *runs, size_t n_runs,
                   const struct timespec *started, const struct timespec *finished,
                   int64_t *first_id);

/* The same for one Monte Carlo run; event_texts as parley_store_save_mc. */
int cli_store_mc(const char *command, const char *db_option, int no_store,
                 const parley_scenario *sc, const parley_model *model,
                 const parley_mc_opts *opts, const parley_mc_result *result,
                 const char *const *event_texts, const struct timespec *started,
                 const struct timespec *finished, int64_t *run_id);

/* Opens the store for `runs` (never creating it).  Returns CLI_CONTINUE and
 * *out, or an exit code after the diagnostic. */
int cli_store_open(const char *command, const char *db_option, unsigned flags,
                   parley_store **out);

/* The stored sweeps as `runs list` prints them after the runs (a blank
 * line, a header, one line each; "" when there are none) into *text
 * (caller frees with parley_free).  Returns CLI_CONTINUE, or an exit code
 * after the diagnostic (runs_sweeps.c). */
int cli_store_sweeps_text(const char *command, parley_store *store, char **text);


#endif
