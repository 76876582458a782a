/* cmd_backtest.c — `parley backtest`: models against known outcomes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "parley/alloc.h"
#include "parley/backtest.h"
#include "parley/format.h"
#include "parley/report.h"

static const cli_usage usage = {
    "backtest", "FILE",
    "Runs models on every scenario of FILE (e.g. the DEU III data set) and prints, per\n"
    "model, the mean absolute error |forecast - outcome| and the number of issues scored.",
    "Every actor's capability is 1 unless --capability gives a CSV table \"actor,capability\"\n"
    "(then every actor must be in it).  An issue is scored when it has an outcome and at\n"
    "least three actors with a position and a salience.  A model without a forecast on a\n"
    "scored issue is counted apart; its error is over the issues it forecast.",
};

static int load_capabilities(const char *path, parley_capability_table **table)
{
    char *buf = NULL;
    size_t len = 0;
    parley_error err;
    parley_error_clear(&err);
    int rc = parley_read_file(path, &buf, &len, &err);
    if (rc == PARLEY_OK)
        rc = parley_capability_table_parse(buf, len, path, table, &err);
    parley_free(buf);
    if (rc == PARLEY_OK)
        return CLI_CONTINUE;
    if (err.file[0] == '\0')
        parley_error_at(&err, path, 0, 0, NULL);
    cli_report_error("backtest --capability", &err);
    return rc == PARLEY_ENOMEM ? CLI_FAILURE : CLI_USAGE;
}

static void print_text(const char *path, const parley_backtest *bt, int table)
{
    printf("backtest of %s: %zu scenarios, %zu issues, %zu scored", path, bt->n_scenarios,
           bt->n_issues, bt->n_scored);
    if (bt->n_no_outcome || bt->n_too_few)
        printf(" (%zu without an outcome, %zu with fewer than 3 actors with a stake)",
               bt->n_no_outcome, bt->n_too_few);
    printf("\ncapabilities: %s\n\n", table ? "from the --capability table" : "1 for every actor");
    printf("%-14s %8s %8s %12s\n", "model", "MAE", "issues", "no forecast");
    for (size_t m = 0; m < bt->n_models; m++) {
        const parley_backtest_model *bm = &bt->models[m];
        if (isnan(bm->mae))
            printf("%-14s %8s %8zu %12zu\n", bm->model->name, "-", bm->n_scored,
                   bm->n_no_forecast);
        else
            printf("%-14s %8.2f %8zu %12zu\n", bm->model->name, bm->mae, bm->n_scored,
                   bm->n_no_forecast);
    }
    int footnote = 0;
    for (size_t m = 0; m < bt->n_models; m++) {
        const parley_backtest_model *bm = &bt->models[m];
        if (!bm->n_no_forecast)
            continue;
        if (!footnote++)
            printf("\n");
        printf("%s gave no forecast on %zu of the %zu scored issues; its MAE is over the "
               "other %zu\nand does not compare directly with the others'.\n",
               bm->model->name, bm->n_no_forecast, bt->n_scored, bm->n_scored);
    }
}

int cmd_backtest(int argc, char **argv)
{
    cli_list model_names = {0};
    const char *capability = NULL, *format = NULL, *output = NULL;
    int json = 0;
    const cli_option options[] = {
        {"model", 'm', "M", "score model M (repeatable; default: every model)", CLI_LIST,
         &model_names},
        {"capability", 'c', "FILE", "capabilities by actor from a CSV \"actor,capability\"",
         CLI_STRING, &capability},
        {"format", 'f', "F", "input format (default auto)", CLI_STRING, &format},
        {"json", 'j', NULL, "print the result with every scored issue as JSON", CLI_FLAG,
         &json},
        {"output", 'o', "FILE", "write the JSON to FILE (atomically)", CLI_STRING, &output},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("backtest", "expected one FILE (see parley backtest --help)");
    if (output && !json)
        return cli_usage_error("backtest", "-o writes the JSON: add --json");
    parley_format fmt;
    if ((rc = cli_parse_format("backtest", format, &fmt)) != CLI_CONTINUE)
        return rc;
    const parley_model *models[64];
    size_t n_models = 0;
    if (model_names.n == 0) {
        for (const parley_model *const *m = parley_models(); *m && n_models < 64; m++)
            models[n_models++] = *m;
    }
    for (size_t k = 0; k < model_names.n; k++) {
        models[n_models] = parley_model_find(model_names.items[k]);
        if (!models[n_models])
            return cli_usage_error("backtest", "unknown model \"%s\" (see parley models)",
                                   model_names.items[k]);
        n_models++;
    }
    parley_backtest_opts opts;
    parley_backtest_opts_init(&opts);
    parley_capability_table *table = NULL;
    if (capability && (rc = load_capabilities(capability, &table)) != CLI_CONTINUE)
        return rc;
    opts.table = table;
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    if ((rc = cli_load_scenarios("backtest", argv[first], fmt, &scenarios, &count)) !=
        CLI_CONTINUE) {
        parley_capability_table_free(table);
        return rc;
    }
    parley_backtest *bt = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (parley_backtest_run(scenarios, count, models, n_models, &opts, &bt, &err)) {
        rc = cli_report_error("backtest", &err);
    } else if (json) {
        char *text = NULL;
        if (parley_backtest_to_json(bt, scenarios, &text, &err))
            rc = cli_report_error("backtest", &err);
        else {
            size_t len = strlen(text);
            char *with_newline = parley_malloc(len + 2);
            if (with_newline) {
                memcpy(with_newline, text, len);
                memcpy(with_newline + len, "\n", 2);
                rc = cli_write_output("backtest", output, with_newline);
            } else {
                rc = CLI_FAILURE;
            }
            parley_free(with_newline);
        }
        parley_free(text);
    } else {
        print_text(argv[first], bt, table != NULL);
    }
    parley_backtest_free(bt);
    parley_scenarios_free(scenarios, count);
    parley_capability_table_free(table);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_finish("backtest");
}
