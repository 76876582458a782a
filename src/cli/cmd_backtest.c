/* cmd_backtest.c — `parley backtest`: models against known outcomes. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "parley/alloc.h"
#include "parley/backtest.h"
#include "parley/format.h"
#include "parley/institutions.h"
#include "parley/report.h"

static const cli_usage usage = {
    "backtest", "FILE",
    "Runs models on every scenario of FILE (e.g. the DEU III data set) and prints, per\n"
    "model, the mean absolute error |forecast - outcome| and the number of issues scored,\n"
    "then the mean and median absolute error and the share within 10 points, each with a\n"
    "bootstrap interval (resampling proposals), overall, by procedure and by decision rule,\n"
    "and each model's paired difference from the baseline model.",
    "Every actor's capability is 1 unless --capability gives a CSV table \"actor,capability\"\n"
    "(then every actor must be in it).  An issue is scored when it has an outcome and at\n"
    "least three actors with a position and a salience.  A model without a forecast on a\n"
    "scored issue is counted apart; its error is over the issues it forecast.\n"
    "--model takes parameters: --model eu --model 'eu:rounds=4' --model 'nash:loss=quadratic'.\n"
    "--institutions applies the EU's Council votes, rules and procedures to DEU data\n"
    "(docs/deu-institutions.md).  The baseline is --baseline NAME (default compromise; no\n"
    "comparison when it is not among the models).",
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

static void print_text(const char *path, const parley_backtest *bt, int table,
                       int institutions)
{
    printf("backtest of %s: %zu scenarios, %zu issues, %zu scored", path, bt->n_scenarios,
           bt->n_issues, bt->n_scored);
    if (bt->n_no_outcome || bt->n_too_few)
        printf(" (%zu without an outcome, %zu with fewer than 3 actors with a stake)",
               bt->n_no_outcome, bt->n_too_few);
    printf("\ncapabilities: %s\n\n", institutions ? "Council votes (--institutions)"
                                   : table         ? "from the --capability table"
                                                   : "1 for every actor");
    printf("%-26s %8s %8s %12s\n", "model", "MAE", "issues", "no forecast");
    for (size_t m = 0; m < bt->n_models; m++) {
        const parley_backtest_model *bm = &bt->models[m];
        if (isnan(bm->mae))
            printf("%-26s %8s %8zu %12zu\n", bm->label, "-", bm->n_scored, bm->n_no_forecast);
        else
            printf("%-26s %8.2f %8zu %12zu\n", bm->label, bm->mae, bm->n_scored,
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
               bm->label, bm->n_no_forecast, bt->n_scored, bm->n_scored);
    }
}

static int parse_whole(const char *option, const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (!*text || *end || errno || !(value >= 0) || value > 9e15 || value != floor(value))
        return cli_usage_error("backtest", "%s: expected a whole number >= 0, got \"%s\"",
                               option, text);
    *out = (uint64_t)value;
    return CLI_CONTINUE;
}

static int apply_institutions(parley_scenario **scenarios, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        parley_error err;
        parley_error_clear(&err);
        if (parley_deu_apply_institutions(scenarios[k], &err))
            return cli_report_error("backtest --institutions", &err);
    }
    return CLI_CONTINUE;
}

/* {"summary": <the backtest>, "statistics": <its intervals>} */
static int write_json(const parley_backtest *bt, const parley_backtest_stats *stats,
                      parley_scenario *const *scenarios, const char *output)
{
    char *summary = NULL, *statistics = NULL, *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    int rc = CLI_CONTINUE;
    if (parley_backtest_to_json(bt, scenarios, &summary, &err) ||
        parley_backtest_stats_json(stats, bt, &statistics, &err)) {
        rc = cli_report_error("backtest", &err);
    } else {
        size_t len = strlen(summary) + strlen(statistics) + 64;
        if (!(text = parley_malloc(len)))
            rc = CLI_FAILURE;
        else {
            snprintf(text, len, "{\"summary\": %s,\n\"statistics\": %s\n}\n", summary,
                     statistics);
            rc = cli_write_output("backtest", output, text);
        }
    }
    parley_free(summary);
    parley_free(statistics);
    parley_free(text);
    return rc;
}

static int write_html(const parley_backtest *bt, const parley_backtest_stats *stats,
                      const char *input, const char *path)
{
    char *svg = NULL, *table = NULL, *html = NULL;
    parley_error err;
    parley_error_clear(&err);
    int rc = CLI_CONTINUE;
    if (parley_backtest_stats_svg(stats, bt, input, &svg, &err) ||
        parley_backtest_stats_text(stats, bt, &table, &err)) {
        rc = cli_report_error("backtest", &err);
    } else {
        size_t len = strlen(svg) + 2 * strlen(table) + 512;
        if (!(html = parley_malloc(len))) {
            rc = CLI_FAILURE;
        } else {
            size_t at = (size_t)snprintf(html, len,
                                         "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                                         "<title>parley backtest</title></head><body>\n%s<pre>",
                                         svg);
            for (const char *c = table; *c && at + 8 < len; c++)
                at += (size_t)snprintf(html + at, len - at, "%s",
                                       *c == '<' ? "&lt;" : *c == '&' ? "&amp;"
                                                          : (char[2]){*c, 0});
            snprintf(html + at, len - at, "</pre></body></html>\n");
            rc = cli_write_output("backtest", path, html);
        }
    }
    parley_free(svg);
    parley_free(table);
    parley_free(html);
    return rc;
}

int cmd_backtest(int argc, char **argv)
{
    cli_list model_names = {0};
    const char *capability = NULL, *format = NULL, *output = NULL, *html = NULL;
    const char *seed_text = NULL, *resamples_text = NULL, *baseline = NULL;
    int json = 0, institutions = 0;
    const cli_option options[] = {
        {"model", 'm', "M", "score model M, e.g. eu or 'eu:rounds=4' (repeatable; default: "
                            "every model)", CLI_LIST, &model_names},
        {"capability", 'c', "FILE", "capabilities by actor from a CSV \"actor,capability\"",
         CLI_STRING, &capability},
        {"institutions", 'i', NULL, "DEU data: Council votes, rules and procedures of the time",
         CLI_FLAG, &institutions},
        {"baseline", 'b', "NAME", "compare every model with NAME (default compromise)",
         CLI_STRING, &baseline},
        {"seed", 's', "N", "bootstrap seed (default 1)", CLI_STRING, &seed_text},
        {"resamples", 'r', "N", "bootstrap resamples (default 2000; 0: no intervals)",
         CLI_STRING, &resamples_text},
        {"format", 'f', "F", "input format (default auto)", CLI_STRING, &format},
        {"json", 'j', NULL, "print the result with every scored issue as JSON", CLI_FLAG,
         &json},
        {"output", 'o', "FILE", "write the JSON to FILE (atomically)", CLI_STRING, &output},
        {"html", 'H', "FILE", "write an HTML page with the chart and the tables to FILE",
         CLI_STRING, &html},
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
    if (institutions && capability)
        return cli_usage_error("backtest", "--institutions sets capabilities: drop --capability");
    parley_format fmt;
    if ((rc = cli_parse_format("backtest", format, &fmt)) != CLI_CONTINUE)
        return rc;
    parley_backtest_stats_opts stats_opts;
    parley_backtest_stats_opts_init(&stats_opts);
    uint64_t number = 0;
    if (seed_text) {
        if ((rc = parse_whole("--seed", seed_text, &number)) != CLI_CONTINUE)
            return rc;
        stats_opts.seed = number;
    }
    if (resamples_text) {
        if ((rc = parse_whole("--resamples", resamples_text, &number)) != CLI_CONTINUE)
            return rc;
        stats_opts.resamples = (size_t)number;
    }
    static parley_backtest_spec specs[CLI_LIST_MAX];
    size_t n_models = 0;
    if (model_names.n == 0) {
        for (const parley_model *const *m = parley_models(); *m && n_models < CLI_LIST_MAX; m++)
            if (parley_backtest_spec_parse((*m)->name, &specs[n_models], NULL) == PARLEY_OK)
                n_models++;
    }
    for (size_t k = 0; k < model_names.n; k++) {
        parley_error err;
        parley_error_clear(&err);
        if (parley_backtest_spec_parse(model_names.items[k], &specs[n_models], &err))
            return cli_usage_error("backtest", "--model %s: %s (see parley models)",
                                   model_names.items[k], err.message);
        n_models++;
    }
    /* The baseline defaults to the compromise model by name, as data: when
     * it is not among the models there is simply no comparison. */
    const char *default_baseline = "compromise";
    stats_opts.baseline = baseline ? baseline : default_baseline;
    int found = 0;
    for (size_t m = 0; m < n_models; m++)
        found |= strcmp(specs[m].label, stats_opts.baseline) == 0;
    if (!found && baseline)
        return cli_usage_error("backtest", "--baseline %s is not among the models", baseline);
    if (!found)
        stats_opts.baseline = NULL;
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
    opts.keep_capabilities = institutions;
    if (institutions && (rc = apply_institutions(scenarios, count)) != CLI_CONTINUE) {
        parley_scenarios_free(scenarios, count);
        return rc;
    }
    parley_backtest *bt = NULL;
    parley_backtest_stats *stats = NULL;
    parley_error err;
    parley_error_clear(&err);
    char *text = NULL;
    if (parley_backtest_run_specs(scenarios, count, specs, n_models, &opts, &bt, &err) ||
        parley_backtest_stats_compute(bt, scenarios, &stats_opts, &stats, &err)) {
        rc = cli_report_error("backtest", &err);
    } else if (json) {
        rc = write_json(bt, stats, scenarios, output);
    } else if (parley_backtest_stats_text(stats, bt, &text, &err)) {
        rc = cli_report_error("backtest", &err);
    } else {
        print_text(argv[first], bt, table != NULL, institutions);
        printf("\n%s", text);
    }
    if (rc == CLI_CONTINUE && html)
        rc = write_html(bt, stats, argv[first], html);
    parley_free(text);
    parley_backtest_stats_free(stats);
    parley_backtest_free(bt);
    parley_scenarios_free(scenarios, count);
    parley_capability_table_free(table);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_finish("backtest");
}
