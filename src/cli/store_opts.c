/* store_opts.c — finding and writing the run store for the commands that
 * store what they compute (store_opts.h). */
#include "cli/store_opts.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

const char *cli_store_path(const char *db_option)
{
    if (db_option && *db_option)
        return db_option;
    const char *env = getenv(PARLEY_STORE_ENV);
    if (env && *env)
        return env;
    return PARLEY_STORE_DEFAULT_PATH;
}

/* The diagnostic, with a hint when the file is not ours to write. */
static int report(const char *command, const parley_error *err, int storing)
{
    int rc = cli_report_error(command, err);
    if (storing && err->code == PARLEY_ESCHEMA)
        fprintf(stderr, "parley %s: choose another store with --db PATH (or %s), or skip "
                        "storing with --no-store\n",
                command, PARLEY_STORE_ENV);
    return rc;
}

int cli_store_open(const char *command, const char *db_option, unsigned flags,
                   parley_store **out)
{
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_open(cli_store_path(db_option), flags, out, &err) != PARLEY_OK)
        return report(command, &err, (flags & PARLEY_STORE_CREATE) != 0);
    return CLI_CONTINUE;
}

int cli_store_runs(const char *command, const char *db_option, int no_store,
                   const parley_scenario *sc, const parley_report_run *runs, size_t n_runs,
                   const struct timespec *started, const struct timespec *finished,
                   int64_t *first_id)
{
    if (first_id)
        *first_id = 0;
    if (no_store)
        return CLI_CONTINUE;
    parley_store *store = NULL;
    int rc = cli_store_open(command, db_option, PARLEY_STORE_CREATE, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    for (size_t k = 0; k < n_runs && rc == CLI_CONTINUE; k++) {
        if (runs[k].status != PARLEY_OK)
            continue;
        int64_t id = 0;
        if (parley_store_save_run(store, sc, runs[k].model, runs[k].opts, runs[k].result,
                                  started, finished, &id, &err) != PARLEY_OK)
            rc = report(command, &err, 1);
        else if (first_id && !*first_id)
            *first_id = id;
    }
    parley_store_close(store);
    return rc;
}

int cli_store_mc(const char *command, const char *db_option, int no_store,
                 const parley_scenario *sc, const parley_model *model,
                 const parley_mc_opts *opts, const parley_mc_result *result,
                 const char *const *event_texts, const struct timespec *started,
                 const struct timespec *finished, int64_t *run_id)
{
    if (run_id)
        *run_id = 0;
    if (no_store)
        return CLI_CONTINUE;
    parley_store *store = NULL;
    int rc = cli_store_open(command, db_option, PARLEY_STORE_CREATE, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_save_mc(store, sc, model, opts, result, event_texts, started, finished,
                             run_id, &err) != PARLEY_OK)
        rc = report(command, &err, 1);
    parley_store_close(store);
    return rc;
}
