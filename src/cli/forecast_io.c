/* forecast_io.c — `parley forecast import` and `export`: the ledger as CSV. */
#include <stdio.h>
#include <string.h>

#include "cli/forecast.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"
#include "parley/format.h"
#include "parley/ledger.h"

/* ---- import and export ------------------------------------------------------ */

int forecast_import(int argc, char **argv)
{
    static const char command[] = "forecast import";
    const char *db = NULL;
    int json = 0;
    const cli_option options[] = {JSON_OPTION(json), DB_OPTION(db), END_OPTIONS};
    static const cli_usage usage = {command, "FILE.csv",
                                    "Imports questions, forecasts and resolutions from CSV, "
                                    "all or nothing.",
                                    forecast_ledger_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error(command, "expected one FILE.csv");
    size_t len = 0;
    char *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    /* The library's reader: one that fails on running out of memory rather
     * than importing what it had read so far. */
    int code = parley_read_file(argv[first], &text, &len, &err);
    if (code != PARLEY_OK) {
        cli_report_error(command, &err);
        return code == PARLEY_ENOMEM ? CLI_FAILURE : CLI_USAGE;
    }
    parley_store *store = NULL;
    if ((rc = cli_store_open(command, db, PARLEY_STORE_CREATE, &store)) != CLI_CONTINUE) {
        parley_free(text);
        return rc;
    }
    parley_ledger_counts counts;
    code = parley_ledger_import_csv(store, text, len, argv[first], &counts, &err);
    parley_free(text);
    if (code != PARLEY_OK) {
        forecast_fail(command, store, &err);
        fprintf(stderr, "parley %s: nothing was imported\n", command);
        return cli_exit_code(code);
    }
    parley_store_close(store);
    parley_buf b = {0};
    if (json)
        parley_buf_printf(&b, "{\"questions\": %zu, \"forecasts\": %zu, \"resolutions\": %zu}\n",
                   counts.questions, counts.forecasts, counts.resolutions);
    else
        parley_buf_printf(&b, "imported %zu questions, %zu forecasts, %zu resolutions from %s\n",
                   counts.questions, counts.forecasts, counts.resolutions, argv[first]);
    return cli_write_buf(command, &b, NULL);
}

int forecast_export(int argc, char **argv)
{
    static const char command[] = "forecast export";
    const char *db = NULL;
    int json = 0;
    const cli_option options[] = {JSON_OPTION(json), DB_OPTION(db), END_OPTIONS};
    static const cli_usage usage = {command, "[FILE.csv]",
                                    "Writes the whole ledger as CSV (to FILE, else standard "
                                    "output); --json writes what `list --json` does.",
                                    forecast_ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = forecast_begin(&usage, options, argc, argv, 0, 1, &db, 0, &first, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    if (json) {
        parley_store_close(store);
        char *list_argv[] = {"list", "--json", "--db", (char *)cli_store_path(db), NULL};
        return forecast_list(4, list_argv);
    }
    char *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (parley_ledger_export_csv(store, &text, &err) != PARLEY_OK)
        return forecast_fail(command, store, &err);
    parley_store_close(store);
    rc = cli_write_output(command, first < argc ? argv[first] : NULL, text);
    parley_free(text);
    return rc == CLI_CONTINUE ? cli_finish(command) : rc;
}
