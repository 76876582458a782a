/* cmd_mc.c — `parley mc`: Monte Carlo over a scenario's stated uncertainty.
 * The library does the work (parley/montecarlo.h); this file parses the
 * options, draws the progress bar, turns Ctrl-C into a clean stop and
 * prints the summary. */
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/dist.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"
#include "parley/montecarlo.h"


typedef struct mc_args {
    cli_list params, events;
    int json, no_store;
    const char *model, *samples, *seed, *threads, *spread, *keep, *bins, *format, *db;
} mc_args;

static const cli_usage usage = {
    "mc", "[SCENARIO]",
    "Draws scenarios from the stated uncertainty of every capability, position and\n"
    "salience, runs a model on each, and reports each issue's forecast distribution.",
    "A value with an sd is drawn from a normal truncated to its allowed range (positions:\n"
    "the issue's scale; saliences: [0, 1]; capabilities: above 1e-6 of the value); a value\n"
    "with a range uniformly from it.  --spread F gives every value that states no spread\n"
    "an sd of F times its scale (capabilities: F times the value); when the scenario\n"
    "states no spread at all it defaults to 0.1, otherwise to 0.\n"
    "Quantiles are read from a histogram of 10000 bins over each issue's scale: they are\n"
    "exact to 1/10000 of the scale.  Results are bit-identical for any --threads.\n"
    "--event EXPR reports the probability of ISSUE OP NUMBER comparisons (OP: < <= > >=\n"
    "== !=) joined by and/or, e.g. --event 'federalisation >= 60 and language > 50'.\n"
    "Ctrl-C stops and reports the samples finished so far (exit code 1).",
};

/* Set by SIGINT, read by the progress callback. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct progress_bar {
    int tty;
    struct timespec start, last;
} progress_bar;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

static int on_progress(uint64_t done, uint64_t total, void *userdata)
{
    progress_bar *bar = userdata;
    if (bar->tty) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (seconds_between(&bar->last, &now) >= 0.1 || done == total) {
            bar->last = now;
            double elapsed = seconds_between(&bar->start, &now);
            double rate = elapsed > 0 ? (double)done / elapsed : 0;
            double left = rate > 0 ? (double)(total - done) / rate : 0;
            int width = 30, filled = (int)((double)width * (double)done / (double)total);
            char bars[32];
            for (int k = 0; k < width; k++)
                bars[k] = k < filled ? '#' : '.';
            bars[width] = '\0';
            fprintf(stderr, "\r[%s] %3.0f%%  %.3g samples/s  %d:%02d left ", bars,
                    100.0 * (double)done / (double)total, rate, (int)(left / 60),
                    (int)fmod(left, 60));
            fflush(stderr);
        }
    }
    return interrupted;
}

static const double quantiles[] = {0.05, 0.25, 0.5, 0.75, 0.95};

static void print_json(const parley_scenario *sc, const parley_model *m,
                       const parley_mc_opts *opts, const parley_mc_result *r,
                       uint64_t *bins, size_t n_bins)
{
    printf("{\"scenario\": ");
    cli_print_json_string(stdout, sc->id);
    printf(", \"model\": ");
    cli_print_json_string(stdout, m->name);
    printf(", \"samples\": %" PRIu64 ", \"done\": %" PRIu64 ", \"failed\": %" PRIu64
           ", \"seed\": %" PRIu64 ", \"spread\": ",
           r->samples, r->done, r->failed, r->seed);
    cli_print_json_number(stdout, r->spread);
    printf(", \"cancelled\": %s, \"quantile_resolution\": %d,\n \"issues\": [",
           r->cancelled ? "true" : "false", PARLEY_MC_BINS);
    for (size_t i = 0; i < r->n_issues; i++) {
        const parley_mc_issue *is = &r->issues[i];
        printf("%s\n  {\"id\": ", i ? "," : "");
        cli_print_json_string(stdout, sc->issues[i].id);
        printf(", \"count\": %" PRIu64 ", \"undefined\": %" PRIu64 ", \"mean\": ", is->count,
               is->undefined);
        cli_print_json_number(stdout, is->mean);
        printf(", \"sd\": ");
        cli_print_json_number(stdout, is->sd);
        printf(", \"min\": ");
        cli_print_json_number(stdout, is->min);
        printf(", \"max\": ");
        cli_print_json_number(stdout, is->max);
        printf(", \"quantiles\": {");
        for (size_t q = 0; q < 5; q++) {
            printf("%s\"%g\": ", q ? ", " : "", quantiles[q]);
            cli_print_json_number(stdout, parley_mc_quantile(r, i, quantiles[q]));
        }
        printf("}, \"histogram\": {\"low\": %.17g, \"high\": %.17g, \"counts\": [", is->low,
               is->high);
        parley_mc_histogram(r, i, n_bins, bins);
        for (size_t b = 0; b < n_bins; b++)
            printf("%s%" PRIu64, b ? ", " : "", bins[b]);
        printf("]}}");
    }
    printf("],\n \"events\": [");
    for (size_t e = 0; e < r->n_events; e++) {
        printf("%s\n  {\"event\": ", e ? "," : "");
        cli_print_json_string(stdout, parley_mc_event_text(opts->events[e]));
        printf(", \"count\": %" PRIu64 ", \"probability\": ", r->events[e].count);
        cli_print_json_number(stdout, r->events[e].probability);
        printf(", \"std_error\": ");
        cli_print_json_number(stdout, r->events[e].std_error);
        printf("}");
    }
    printf("]}\n");
}

static void print_text(const parley_scenario *sc, const parley_model *m,
                       const parley_mc_opts *opts, const parley_mc_result *r,
                       uint64_t *bins, size_t n_bins, int spread_defaulted)
{
    printf("Monte Carlo: %s, model %s, %" PRIu64 " samples, seed %" PRIu64, sc->id, m->name,
           r->done, r->seed);
    if (r->spread > 0)
        printf(", spread %g of each scale for unstated values%s", r->spread,
               spread_defaulted ? " (the scenario states none)" : "");
    printf("\n");
    if (r->failed)
        printf("%" PRIu64 " samples gave no forecast at all\n", r->failed);
    printf("\n%-24s %10s %10s %10s %10s %10s %10s %10s\n", "issue", "mean", "sd", "5%", "25%",
           "50%", "75%", "95%");
    for (size_t i = 0; i < r->n_issues; i++) {
        const parley_mc_issue *is = &r->issues[i];
        printf("%-24.24s %10.4g %10.4g", sc->issues[i].id, is->mean, is->sd);
        for (size_t q = 0; q < 5; q++)
            printf(" %10.4g", parley_mc_quantile(r, i, quantiles[q]));
        printf("\n");
        if (is->undefined)
            printf("%-24s (no forecast in %" PRIu64 " samples)\n", "", is->undefined);
    }
    printf("\nQuantiles are exact to 1/%d of each issue's scale.\n", PARLEY_MC_BINS);
    for (size_t i = 0; i < r->n_issues; i++) {
        const parley_mc_issue *is = &r->issues[i];
        const parley_issue *issue = &sc->issues[i];
        printf("\n%s: %s (%g) .. %s (%g)\n", issue->id,
               issue->n_labels ? issue->labels[0].text : "low", issue->low,
               issue->n_labels ? issue->labels[issue->n_labels - 1].text : "high", issue->high);
        parley_mc_histogram(r, i, n_bins, bins);
        uint64_t most = 1;
        for (size_t b = 0; b < n_bins; b++)
            if (bins[b] > most)
                most = bins[b];
        double width = (is->high - is->low) / (double)n_bins;
        /* Empty bins at either end say nothing: leave them out. */
        size_t from = 0, to = n_bins;
        while (from + 1 < to && bins[from] == 0)
            from++;
        while (to > from + 1 && bins[to - 1] == 0)
            to--;
        for (size_t b = from; b < to; b++) {
            int len = (int)(50.0 * (double)bins[b] / (double)most + 0.5);
            printf("  %9.4g %-50.*s %5.1f%%\n", is->low + (double)b * width, len,
                   "##################################################",
                   is->count ? 100.0 * (double)bins[b] / (double)is->count : 0.0);
        }
    }
    if (r->n_events)
        printf("\n");
    for (size_t e = 0; e < r->n_events; e++)
        printf("P(%s) = %.4f +- %.4f (Monte Carlo standard error)\n",
               parley_mc_event_text(opts->events[e]), r->events[e].probability,
               r->events[e].std_error);
}

/* Every forecast, one row per sample, as CSV. */
static int write_kept(const char *path, const parley_scenario *sc, const parley_mc_result *r)
{
    size_t per_row = 24 * (sc->n_issues + 1), cap = per_row * (size_t)(r->samples + 1) + 1;
    char *text = parley_malloc(cap);
    if (!text)
    {
        fprintf(stderr, "parley mc: --keep: out of memory\n");
        return CLI_FAILURE;
    }
    size_t used = (size_t)snprintf(text, cap, "sample");
    for (size_t i = 0; i < sc->n_issues; i++)
        used += (size_t)snprintf(text + used, cap - used, ",%s", sc->issues[i].id);
    used += (size_t)snprintf(text + used, cap - used, "\n");
    for (uint64_t k = 0; k < r->samples; k++) {
        used += (size_t)snprintf(text + used, cap - used, "%" PRIu64, k);
        for (size_t i = 0; i < sc->n_issues; i++) {
            double x = r->kept[k * sc->n_issues + i];
            if (isnan(x))
                used += (size_t)snprintf(text + used, cap - used, ",");
            else
                used += (size_t)snprintf(text + used, cap - used, ",%.17g", x);
        }
        used += (size_t)snprintf(text + used, cap - used, "\n");
    }
    int rc = cli_write_output("mc", path, text);
    parley_free(text);
    return rc;
}

static int parse_args(mc_args *args, parley_mc_opts *opts, const parley_model **model,
                      size_t *n_bins)
{
    int rc = cli_find_model("mc", args->model, model);
    if (rc != CLI_CONTINUE)
        return rc;
    uint64_t value = 0;
    if (args->samples && (rc = cli_parse_count("mc", "--samples", args->samples, 1,
                                                &opts->samples)) != CLI_CONTINUE)
        return rc;
    if (args->seed &&
        (rc = cli_parse_count("mc", "--seed", args->seed, 0, &opts->seed)) != CLI_CONTINUE)
        return rc;
    if (args->threads &&
        (rc = cli_parse_threads("mc", args->threads, &opts->threads)) != CLI_CONTINUE)
        return rc;
    if (args->bins) {
        if ((rc = cli_parse_count("mc", "--bins", args->bins, 1, &value)) != CLI_CONTINUE)
            return rc;
        if (value > PARLEY_MC_BINS || PARLEY_MC_BINS % value)
            return cli_usage_error("mc", "--bins: expected a divisor of %d", PARLEY_MC_BINS);
        *n_bins = (size_t)value;
    }
    if (args->spread && (rc = cli_parse_spread("mc", args->spread, &opts->spread)) != CLI_CONTINUE)
        return rc;
    return CLI_CONTINUE;
}

static int mc_main(int argc, char **argv)
{
    mc_args args = {0};
    const cli_option options[] = {
        {"model", 'm', "M", "the model to run (default: the first in `parley models`)",
         CLI_STRING, &args.model},
        {"param", 'p', "NAME=VALUE", "set a model parameter (repeatable)", CLI_LIST,
         &args.params},
        {"samples", 'n', "N", "number of samples (default 10000)", CLI_STRING, &args.samples},
        {"seed", 's', "S", "random seed (default 0)", CLI_STRING, &args.seed},
        {"threads", 't', "T", "worker threads (default: one per core)", CLI_STRING,
         &args.threads},
        {"spread", 0, "F", "sd as a fraction of each scale for values stating none",
         CLI_STRING, &args.spread},
        {"event", 'e', "EXPR", "report the probability of an event (repeatable)", CLI_LIST,
         &args.events},
        {"bins", 0, "K", "histogram bins to print (default 20)", CLI_STRING, &args.bins},
        {"keep", 0, "FILE", "write every sample's forecasts to FILE as CSV", CLI_STRING,
         &args.keep},
        {"json", 'j', NULL, "print JSON", CLI_FLAG, &args.json},
        {"format", 'f', "F", "input format (default auto)", CLI_STRING, &args.format},
        {"db", 0, "PATH", "store the run in PATH (default $PARLEY_DB, else parley.db)",
         CLI_STRING, &args.db},
        {"no-store", 0, NULL, "do not store the run", CLI_FLAG, &args.no_store},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first > 1)
        return cli_usage_error("mc", "expected at most one SCENARIO");
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = 10000;
    const parley_model *model = NULL;
    size_t n_bins = 20;
    parley_format fmt;
    if ((rc = parse_args(&args, &opts, &model, &n_bins)) != CLI_CONTINUE ||
        (rc = cli_parse_format("mc", args.format, &fmt)) != CLI_CONTINUE)
        return rc;
    parley_run_opts run_opts;
    parley_run_opts_init(&run_opts, model);
    for (size_t k = 0; k < args.params.n; k++) {
        parley_error err;
        parley_error_clear(&err);
        if (parley_run_opts_set(&run_opts, model, args.params.items[k], &err))
            return cli_usage_error("mc", "--param: %s", err.message);
    }
    opts.run = &run_opts;

    parley_scenario **scenarios = NULL;
    size_t count = 0;
    rc = cli_load_scenarios("mc", first < argc ? argv[first] : NULL, fmt, &scenarios, &count);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_scenario *sc = scenarios[0];
    parley_mc_event *events[CLI_LIST_MAX] = {NULL};
    parley_mc_result *result = NULL;
    uint64_t *bins = NULL;
    if (count != 1) {
        rc = cli_usage_error("mc", "%s holds %zu scenarios; mc takes one",
                             first < argc ? argv[first] : "the input", count);
        goto done;
    }
    int spread_defaulted = !args.spread && !parley_scenario_has_spread(sc);
    if (spread_defaulted)
        opts.spread = PARLEY_MC_DEFAULT_SPREAD;
    for (size_t e = 0; e < args.events.n; e++) {
        parley_error err;
        parley_error_clear(&err);
        if (parley_mc_event_parse(args.events.items[e], sc, &events[e], &err)) {
            rc = cli_usage_error("mc", "--event: %s", err.message);
            goto done;
        }
    }
    opts.events = (const parley_mc_event *const *)events;
    opts.n_events = args.events.n;
    opts.keep = args.keep != NULL;

    progress_bar bar = {.tty = isatty(STDERR_FILENO)};
    clock_gettime(CLOCK_MONOTONIC, &bar.start);
    bar.last = bar.start;
    opts.progress = on_progress;
    opts.userdata = &bar;
    struct sigaction action = {0}, previous;
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &action, &previous);
    parley_error err;
    parley_error_clear(&err);
    struct timespec started, finished;
    timespec_get(&started, TIME_UTC);
    int code = cli_dist_mc_run(model, sc, &opts, &result, &err);
    timespec_get(&finished, TIME_UTC);
    sigaction(SIGINT, &previous, NULL);
    if (bar.tty)
        fprintf(stderr, "\r%70s\r", "");
    if (code != PARLEY_OK && code != PARLEY_ECANCEL) {
        rc = cli_report_error("mc", &err);
        goto done;
    }
    if (!result) {   /* an MPI rank other than 0: rank 0 reports */
        rc = code == PARLEY_OK ? CLI_OK : CLI_FAILURE;
        goto done;
    }
    bins = parley_calloc(n_bins, sizeof *bins);
    if (!bins) {
        fprintf(stderr, "parley mc: out of memory\n");
        rc = CLI_FAILURE;
        goto done;
    }
    if (args.json)
        print_json(sc, model, &opts, result, bins, n_bins);
    else
        print_text(sc, model, &opts, result, bins, n_bins, spread_defaulted);
    if (args.keep && (rc = write_kept(args.keep, sc, result)) != CLI_CONTINUE)
        goto done;
    if (code == PARLEY_ECANCEL) {
        fprintf(stderr, "parley mc: interrupted: %" PRIu64 " of %" PRIu64
                        " samples summarised\n", result->done, result->samples);
        rc = CLI_FAILURE;
        goto done;
    }
    const char *event_texts[CLI_LIST_MAX];
    for (size_t e = 0; e < args.events.n; e++)
        event_texts[e] = parley_mc_event_text(events[e]);
    rc = cli_store_mc("mc", args.db, args.no_store, sc, model, &opts, result, event_texts,
                      &started, &finished, NULL);
    if (rc == CLI_CONTINUE)
        rc = cli_finish("mc");
done:
    for (size_t e = 0; e < args.events.n; e++)
        parley_mc_event_free(events[e]);
    parley_free(bins);
    parley_mc_result_free(result);
    parley_scenarios_free(scenarios, count);
    return rc;
}

/* Under mpirun every rank runs this; only rank 0 prints and stores. */
int cmd_mc(int argc, char **argv)
{
    cli_dist_begin(&argc, &argv);
    return cli_dist_end(mc_main(argc, argv));
}
