/* cmd_sweep.c — `parley sweep`: the cross product of varied inputs and
 * parameters, each case run once or by Monte Carlo, as a table of cases x
 * issue forecasts.  The library does the work (parley/sweep.h); under mpirun
 * the cases are split across ranks (dist.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/dist.h"
#include "parley/alloc.h"
#include "parley/sweep.h"

typedef struct sweep_args {
    cli_list params, varies;
    int json, csv;
    const char *model, *samples, *seed, *threads, *spread, *format;
} sweep_args;

static const cli_usage usage = {
    "sweep", "[SCENARIO] --vary TARGET=VALUES ...",
    "Runs a model on every combination of the varied inputs and parameters and prints\n"
    "a table of cases x issue forecasts.",
    "TARGET is ACTOR.capability, ISSUE.ACTOR.position, ISSUE.ACTOR.salience,\n"
    "ISSUE.status_quo or MODEL.PARAM (actors and issues by id or name, models and\n"
    "parameters by name, all case-insensitive).  VALUES is a:b:step (inclusive; the\n"
    "step must divide b - a), a list v1,v2,... or +-P% (the stated value -P%, as\n"
    "stated, +P%, clamped to the valid range).  Explicit values outside the valid range\n"
    "are refused.  Cases are numbered with the first --vary outermost.\n"
    "Without --model, a MODEL.PARAM target picks the model.  With --samples N each case\n"
    "is a Monte Carlo of N samples (every case with the same seed) and the table shows\n"
    "the mean; --json and --csv add sd and the 5%, 50% and 95% quantiles.\n"
    "Example: parley sweep --vary 'RU.capability=0.5:1.5:0.25' --vary 'eu.Q=0.5,1'",
};

static int parse_count(const char *option, const char *text, uint64_t min, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (!*text || *end || errno || !(value >= (double)min) || value > 9e18 ||
        value != floor(value))
        return cli_usage_error("sweep", "%s: expected a whole number >= %" PRIu64 ", got \"%s\"",
                               option, min, text);
    *out = (uint64_t)value;
    return CLI_CONTINUE;
}

/* --model, else the model a MODEL.PARAM --vary names, else the first. */
static int pick_model(const sweep_args *args, const parley_model **out)
{
    if (args->model) {
        *out = parley_model_find(args->model);
        if (!*out)
            return cli_usage_error("sweep", "unknown model \"%s\" (see `parley models`)",
                                   args->model);
        return CLI_CONTINUE;
    }
    *out = parley_models()[0];
    for (size_t k = 0; k < args->varies.n; k++) {
        const parley_model *named = parley_sweep_model_of(args->varies.items[k]);
        if (named) {
            *out = named;
            break;
        }
    }
    return CLI_CONTINUE;
}

static int parse_opts(const sweep_args *args, parley_sweep_opts *opts)
{
    int rc = CLI_CONTINUE;
    uint64_t value;
    if (args->samples && (rc = parse_count("--samples", args->samples, 1, &opts->samples)) !=
                             CLI_CONTINUE)
        return rc;
    if (args->seed && (rc = parse_count("--seed", args->seed, 0, &opts->seed)) != CLI_CONTINUE)
        return rc;
    if (args->threads) {
        if ((rc = parse_count("--threads", args->threads, 1, &value)) != CLI_CONTINUE)
            return rc;
        if (value > 4096)
            return cli_usage_error("sweep", "--threads: at most 4096");
        opts->threads = (int)value;
    }
    if (args->spread) {
        char *end = NULL;
        errno = 0;
        opts->spread = strtod(args->spread, &end);
        if (!*args->spread || *end || errno || !(opts->spread >= 0) || !isfinite(opts->spread))
            return cli_usage_error("sweep", "--spread: expected a number >= 0, got \"%s\"",
                                   args->spread);
    }
    if (args->json && args->csv)
        return cli_usage_error("sweep", "--json and --csv: choose one");
    return CLI_CONTINUE;
}

/* An axis value as people write it: a choice by name, a number briefly. */
static void format_value(const parley_sweep *s, const parley_model *m, size_t axis,
                         double value, char *buf, size_t n)
{
    const parley_sweep_axis *a = parley_sweep_axis_at(s, axis);
    if (a->kind == PARLEY_SWEEP_PARAM)
        parley_param_format(&m->params[a->param], value, buf, n);
    else
        snprintf(buf, n, "%.6g", value);
}

static void json_string(const char *text)
{
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)text; c && *c; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            putchar(*c);
    }
    putchar('"');
}

static void json_number(double x)
{
    if (isfinite(x))
        printf("%.17g", x);
    else
        fputs("null", stdout);
}

static void print_json(const parley_scenario *sc, const parley_model *m, const parley_sweep *s,
                       const parley_sweep_opts *opts, const parley_sweep_result *r)
{
    size_t n_axes = parley_sweep_count_axes(s);
    printf("{\"scenario\": ");
    json_string(sc->id);
    printf(", \"model\": ");
    json_string(m->name);
    printf(", \"samples\": %" PRIu64 ", \"seed\": %" PRIu64 ", \"spread\": ", opts->samples,
           opts->seed);
    json_number(opts->spread);
    printf(",\n \"axes\": [");
    for (size_t k = 0; k < n_axes; k++) {
        const parley_sweep_axis *a = parley_sweep_axis_at(s, k);
        printf("%s\n  {\"target\": ", k ? "," : "");
        json_string(a->label);
        printf(", \"vary\": ");
        json_string(a->text);
        printf(", \"values\": [");
        for (size_t v = 0; v < a->n_values; v++) {
            printf("%s", v ? ", " : "");
            json_number(a->values[v]);
        }
        printf("]}");
    }
    printf("],\n \"issues\": [");
    for (size_t i = 0; i < sc->n_issues; i++) {
        printf("%s", i ? ", " : "");
        json_string(sc->issues[i].id);
    }
    printf("],\n \"cases\": [");
    double values[CLI_LIST_MAX];
    int n_stats = opts->samples ? PARLEY_SWEEP_N_STATS : 1;
    for (uint64_t c = 0; c < r->n_cases; c++) {
        parley_sweep_case_values(s, c, values);
        printf("%s\n  {\"case\": %" PRIu64 ", \"values\": [", c ? "," : "", c);
        for (size_t k = 0; k < n_axes; k++) {
            printf("%s", k ? ", " : "");
            json_number(values[k]);
        }
        printf("], \"status\": \"%s\"",
               r->status[c] == PARLEY_OK ? "ok" : "no forecast");
        for (int stat = 0; stat < n_stats; stat++) {
            printf(", \"%s\": [", stat == 0 && !opts->samples
                                      ? "forecast"
                                      : parley_sweep_stat_name((parley_sweep_stat)stat));
            for (size_t i = 0; i < r->n_issues; i++) {
                printf("%s", i ? ", " : "");
                json_number(*parley_sweep_result_at(r, c, (parley_sweep_stat)stat, i));
            }
            printf("]");
        }
        printf("}");
    }
    printf("]}\n");
}

static void print_csv(const parley_scenario *sc, const parley_model *m, const parley_sweep *s,
                      const parley_sweep_opts *opts, const parley_sweep_result *r)
{
    size_t n_axes = parley_sweep_count_axes(s);
    int n_stats = opts->samples ? PARLEY_SWEEP_N_STATS : 1;
    printf("case");
    for (size_t k = 0; k < n_axes; k++)
        printf(",%s", parley_sweep_axis_at(s, k)->label);
    printf(",status");
    for (size_t i = 0; i < sc->n_issues; i++)
        for (int stat = 0; stat < n_stats; stat++)
            printf(opts->samples ? ",%s.%s" : ",%s", sc->issues[i].id,
                   parley_sweep_stat_name((parley_sweep_stat)stat));
    printf("\n");
    double values[CLI_LIST_MAX];
    char text[64];
    for (uint64_t c = 0; c < r->n_cases; c++) {
        parley_sweep_case_values(s, c, values);
        printf("%" PRIu64, c);
        for (size_t k = 0; k < n_axes; k++) {
            format_value(s, m, k, values[k], text, sizeof text);
            printf(",%s", text);
        }
        printf(",%s", r->status[c] == PARLEY_OK ? "ok" : "no forecast");
        for (size_t i = 0; i < r->n_issues; i++)
            for (int stat = 0; stat < n_stats; stat++) {
                double x = *parley_sweep_result_at(r, c, (parley_sweep_stat)stat, i);
                if (isnan(x))
                    printf(",");
                else
                    printf(",%.17g", x);
            }
        printf("\n");
    }
}

static void print_text(const parley_scenario *sc, const parley_model *m, const parley_sweep *s,
                       const parley_sweep_opts *opts, const parley_sweep_result *r)
{
    size_t n_axes = parley_sweep_count_axes(s);
    printf("Sweep: %s, model %s, %" PRIu64 " case%s", sc->id, m->name, r->n_cases,
           r->n_cases == 1 ? "" : "s");
    if (opts->samples)
        printf(", %" PRIu64 " samples each (seed %" PRIu64 "): mean forecasts", opts->samples,
               opts->seed);
    printf("\n\n%5s", "case");
    int widths[CLI_LIST_MAX];
    for (size_t k = 0; k < n_axes; k++) {
        const char *label = parley_sweep_axis_at(s, k)->label;
        widths[k] = (int)strlen(label) > 8 ? (int)strlen(label) : 8;
        printf("  %*s", widths[k], label);
    }
    printf("  |");
    for (size_t i = 0; i < sc->n_issues; i++)
        printf(" %14.14s", sc->issues[i].id);
    printf("\n");
    double values[CLI_LIST_MAX];
    char text[64];
    for (uint64_t c = 0; c < r->n_cases; c++) {
        parley_sweep_case_values(s, c, values);
        printf("%5" PRIu64, c);
        for (size_t k = 0; k < n_axes; k++) {
            format_value(s, m, k, values[k], text, sizeof text);
            printf("  %*s", widths[k], text);
        }
        printf("  |");
        for (size_t i = 0; i < r->n_issues; i++) {
            double x = *parley_sweep_result_at(r, c, PARLEY_SWEEP_MEAN, i);
            if (isnan(x))
                printf(" %14s", "-");
            else
                printf(" %14.4g", x);
        }
        printf("\n");
    }
    printf("\n");
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        printf("%s: %s (%g) .. %s (%g)\n", issue->id,
               issue->n_labels ? issue->labels[0].text : "low", issue->low,
               issue->n_labels ? issue->labels[issue->n_labels - 1].text : "high", issue->high);
    }
}

static int sweep_main(int argc, char **argv)
{
    sweep_args args = {0};
    const cli_option options[] = {
        {"vary", 'v', "TARGET=VALUES", "vary an input or parameter (repeatable)", CLI_LIST,
         &args.varies},
        {"model", 'm', "M", "the model to run (default: as a MODEL.PARAM --vary names, else "
                            "the first in `parley models`)", CLI_STRING, &args.model},
        {"param", 'p', "NAME=VALUE", "set a model parameter (repeatable)", CLI_LIST,
         &args.params},
        {"samples", 'n', "N", "Monte Carlo of N samples per case (default: one run)",
         CLI_STRING, &args.samples},
        {"seed", 's', "S", "random seed (default 0)", CLI_STRING, &args.seed},
        {"threads", 't', "T", "worker threads across cases (default: one per core)", CLI_STRING,
         &args.threads},
        {"spread", 0, "F", "with --samples: sd as a fraction of each scale for values stating "
                           "none (default 0.1 if the scenario states no spread)",
         CLI_STRING, &args.spread},
        {"json", 'j', NULL, "print JSON", CLI_FLAG, &args.json},
        {"csv", 0, NULL, "print CSV", CLI_FLAG, &args.csv},
        {"format", 'f', "F", "input format (default auto)", CLI_STRING, &args.format},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first > 1)
        return cli_usage_error("sweep", "expected at most one SCENARIO");
    if (args.varies.n == 0)
        return cli_usage_error("sweep", "nothing to vary: give --vary TARGET=VALUES");
    parley_sweep_opts opts;
    parley_sweep_opts_init(&opts);
    const parley_model *model = NULL;
    parley_format fmt;
    if ((rc = pick_model(&args, &model)) != CLI_CONTINUE ||
        (rc = parse_opts(&args, &opts)) != CLI_CONTINUE ||
        (rc = cli_parse_format("sweep", args.format, &fmt)) != CLI_CONTINUE)
        return rc;
    parley_run_opts run_opts;
    parley_run_opts_init(&run_opts, model);
    for (size_t k = 0; k < args.params.n; k++) {
        parley_error err;
        parley_error_clear(&err);
        if (parley_run_opts_set(&run_opts, model, args.params.items[k], &err))
            return cli_usage_error("sweep", "--param: %s", err.message);
    }
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    rc = cli_load_scenarios("sweep", first < argc ? argv[first] : NULL, fmt, &scenarios, &count);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_scenario *sc = scenarios[0];
    parley_sweep *sweep = NULL;
    parley_sweep_result *result = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (count != 1) {
        rc = cli_usage_error("sweep", "%s holds %zu scenarios; sweep takes one",
                             first < argc ? argv[first] : "the input", count);
        goto done;
    }
    if (opts.samples && !args.spread && !parley_scenario_has_spread(sc))
        opts.spread = PARLEY_MC_DEFAULT_SPREAD;
    sweep = parley_sweep_new(sc, model, &run_opts);
    if (!sweep) {
        rc = cli_report_error("sweep", &(parley_error){.code = PARLEY_ENOMEM,
                                                       .message = "out of memory"});
        goto done;
    }
    for (size_t k = 0; k < args.varies.n; k++)
        if (parley_sweep_add(sweep, args.varies.items[k], &err)) {
            rc = err.code == PARLEY_ENOMEM ? cli_report_error("sweep", &err)
                                           : cli_usage_error("sweep", "--vary %s: %s",
                                                             args.varies.items[k], err.message);
            goto done;
        }
    result = parley_sweep_result_new(sweep);
    if (!result) {
        fprintf(stderr, "parley sweep: out of memory for %" PRIu64 " cases\n",
                parley_sweep_count_cases(sweep));
        rc = CLI_FAILURE;
        goto done;
    }
    int code = cli_dist_sweep_run(sweep, &opts, result, &err);
    if (code != PARLEY_OK) {
        rc = cli_report_error("sweep", &err);
        goto done;
    }
    if (cli_dist_rank() != 0) {
        rc = CLI_OK;
        goto done;
    }
    if (args.json)
        print_json(sc, model, sweep, &opts, result);
    else if (args.csv)
        print_csv(sc, model, sweep, &opts, result);
    else
        print_text(sc, model, sweep, &opts, result);
    rc = cli_finish("sweep");
done:
    parley_sweep_result_free(result);
    parley_sweep_free(sweep);
    parley_scenarios_free(scenarios, count);
    return rc;
}

/* Under mpirun every rank runs this; only rank 0 prints. */
int cmd_sweep(int argc, char **argv)
{
    cli_dist_begin(&argc, &argv);
    return cli_dist_end(sweep_main(argc, argv));
}
