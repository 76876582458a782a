/* cmd_report.c — `parley report`: one self-contained HTML file with the
 * forecasts of every model, Monte Carlo, the sensitivity tornado and the
 * paths as inline charts (parley/html.h), from a scenario or a stored run;
 * --png DIR also writes each chart as a PNG. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"
#include "parley/chart.h"
#include "parley/html.h"

#define REPORT_MAX_MODELS 64

static const cli_usage usage = {
    "report", "[SCENARIO | RUN]",
    "Writes one self-contained HTML report (charts inline, nothing fetched from the\n"
    "network): a summary, every model's forecast, Monte Carlo distributions, the\n"
    "sensitivity tornado, each iterative model's path, the scenario with its notes and\n"
    "what is needed to reproduce it.",
    "Given a SCENARIO (default: the built-in one) it runs every model, a Monte Carlo of\n"
    "--model with --samples N (0 skips it) and a one-at-a-time sensitivity of --model.\n"
    "Given a RUN (a number: the id of a run in the store, see `parley runs`) it shows that\n"
    "run as stored, read from --db PATH, $PARLEY_DB or parley.db.\n"
    "--png DIR also writes each chart to DIR as a PNG (forecasts.png, paths-MODEL.png,\n"
    "distribution.png, tornado.png).\n"
    "--sweep ID reports a stored sweep (`parley sweep`, `parley runs list`) instead: per\n"
    "issue a small chart of the forecast against the first varied input, one line per\n"
    "value of the second, and every case as a table (--png DIR: sweep.png).",
};

typedef struct report_args {
    const char *output, *model, *samples, *seed, *spread, *threads, *png, *db, *format, *sweep;
    cli_list events;
    int no_sensitivity;
} report_args;

/* Everything the report borrows, freed in one place. */
typedef struct report_state {
    parley_scenario **scenarios;
    size_t n_scenarios;
    parley_stored_run *stored;
    parley_report_run runs[REPORT_MAX_MODELS];
    parley_run_opts opts[REPORT_MAX_MODELS];
    parley_result *results[REPORT_MAX_MODELS];
    parley_error errors[REPORT_MAX_MODELS];
    size_t n_runs;
    parley_run_opts mc_run;
    parley_mc_opts mc_opts;
    parley_mc_result *mc;
    parley_mc_event *events[CLI_LIST_MAX];
    size_t n_events;
    parley_sensitivity_opts sens_opts;
    parley_sensitivity *sens;
    parley_html_report html;
    char source[512], command[2048], generated[64];
} report_state;

static int parse_u64(const char *option, const char *text, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (!*text || *end || errno || !(value >= 0) || value > 9e18 || value != floor(value))
        return cli_usage_error("report", "%s: expected a whole number >= 0, got \"%s\"", option,
                               text);
    *out = (uint64_t)value;
    return CLI_CONTINUE;
}

/* A run id: digits only, and no file of that name. */
static int is_run_id(const char *operand)
{
    if (!operand || !*operand || strspn(operand, "0123456789") != strlen(operand))
        return 0;
    struct stat st;
    return stat(operand, &st) != 0;
}

/* argv as one shell line, quoting what the shell would split. */
static void command_line(char *buf, size_t n, int argc, char **argv)
{
    size_t used = (size_t)snprintf(buf, n, "parley");
    for (int k = 0; k < argc && used < n; k++) {
        const char *arg = argv[k];
        int plain = *arg && strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_=./,:+@") == strlen(arg);
        used += (size_t)snprintf(buf + used, n - used, plain ? " %s" : " '%s'", arg);
    }
}

static int run_models(report_state *st, const parley_scenario *sc)
{
    const parley_model *const *models = parley_models();
    for (size_t k = 0; models[k] && st->n_runs < REPORT_MAX_MODELS; k++) {
        size_t m = st->n_runs++;
        parley_run_opts_init(&st->opts[m], models[k]);
        parley_error_clear(&st->errors[m]);
        st->results[m] = parley_result_new();
        if (!st->results[m]) {
            fprintf(stderr, "parley report: out of memory\n");
            return CLI_FAILURE;
        }
        int status = parley_model_run(models[k], sc, &st->opts[m], st->results[m],
                                      &st->errors[m]);
        st->runs[m] = (parley_report_run){models[k], &st->opts[m], st->results[m], status,
                                          st->errors[m].message};
        if (status != PARLEY_OK && status != PARLEY_EUNDEF) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "report: %s", models[k]->name);
            return cli_report_error(prefix, &st->errors[m]);
        }
    }
    return CLI_CONTINUE;
}

static int from_scenario(report_state *st, const report_args *args, const char *path)
{
    parley_format fmt;
    int rc = cli_parse_format("report", args->format, &fmt);
    if (rc != CLI_CONTINUE)
        return rc;
    const parley_model *model = NULL;
    if ((rc = cli_find_model("report", args->model, &model)) != CLI_CONTINUE)
        return rc;
    parley_mc_opts_init(&st->mc_opts);
    st->mc_opts.samples = 2000;
    parley_sensitivity_opts_init(&st->sens_opts);
    uint64_t value = 0;
    if (args->samples && (rc = parse_u64("--samples", args->samples, &st->mc_opts.samples)) !=
                             CLI_CONTINUE)
        return rc;
    if (args->seed && (rc = parse_u64("--seed", args->seed, &st->mc_opts.seed)) != CLI_CONTINUE)
        return rc;
    if (args->threads) {
        if ((rc = parse_u64("--threads", args->threads, &value)) != CLI_CONTINUE)
            return rc;
        st->mc_opts.threads = st->sens_opts.threads = value > 4096 ? 4096 : (int)value;
    }
    int spread_given = args->spread != NULL;
    if (spread_given) {
        char *end = NULL;
        double spread = strtod(args->spread, &end);
        if (!*args->spread || *end || !(spread >= 0) || !isfinite(spread))
            return cli_usage_error("report", "--spread: expected a number >= 0, got \"%s\"",
                                   args->spread);
        st->mc_opts.spread = st->sens_opts.spread = spread;
    }
    if ((rc = cli_load_scenarios("report", path, fmt, &st->scenarios, &st->n_scenarios)) !=
        CLI_CONTINUE)
        return rc;
    if (st->n_scenarios != 1)
        return cli_usage_error("report", "%s holds %zu scenarios; report takes one",
                               path ? path : "the input", st->n_scenarios);
    const parley_scenario *sc = st->scenarios[0];
    snprintf(st->source, sizeof st->source, "%s", path ? path : "the built-in scenario");
    if ((rc = run_models(st, sc)) != CLI_CONTINUE)
        return rc;
    if (!spread_given && !parley_scenario_has_spread(sc))
        st->mc_opts.spread = st->sens_opts.spread = PARLEY_MC_DEFAULT_SPREAD;
    parley_run_opts_init(&st->mc_run, model);
    st->mc_opts.run = st->sens_opts.run = &st->mc_run;
    st->sens_opts.seed = st->mc_opts.seed;
    parley_error err;
    parley_error_clear(&err);
    for (size_t e = 0; e < args->events.n; e++) {
        if (parley_mc_event_parse(args->events.items[e], sc, &st->events[e], &err))
            return cli_usage_error("report", "--event: %s", err.message);
        st->n_events++;
    }
    st->mc_opts.events = (const parley_mc_event *const *)st->events;
    st->mc_opts.n_events = st->n_events;
    if (st->mc_opts.samples) {
        int code = parley_mc_run(model, sc, &st->mc_opts, &st->mc, &err);
        if (code != PARLEY_OK)
            return cli_report_error("report: Monte Carlo", &err);
        st->html.mc_model = model;
        st->html.mc_opts = &st->mc_opts;
        st->html.mc = st->mc;
    }
    if (!args->no_sensitivity) {
        if (parley_sensitivity_run(model, sc, &st->sens_opts, &st->sens, &err) != PARLEY_OK)
            return cli_report_error("report: sensitivity", &err);
        st->html.sens_model = model;
        st->html.sens_opts = &st->sens_opts;
        st->html.sens = st->sens;
    }
    st->html.sc = sc;
    st->html.runs = st->runs;
    st->html.n_runs = st->n_runs;
    return CLI_CONTINUE;
}

static int from_store(report_state *st, const report_args *args, const char *id_text)
{
    parley_store *store = NULL;
    int rc = cli_store_open("report", args->db, PARLEY_STORE_READONLY, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    int64_t id = strtoll(id_text, NULL, 10);
    int code = parley_store_load(store, id, &st->stored, &err);
    parley_store_close(store);
    if (code != PARLEY_OK)
        return cli_report_error("report", &err);
    parley_stored_run *run = st->stored;
    if (!run->model)
        return cli_usage_error("report", "run %" PRId64 " was made with model \"%s\", which "
                                         "this parley does not have", id, run->info.model);
    snprintf(st->source, sizeof st->source, "run %" PRId64 " of %s", id,
             cli_store_path(args->db));
    st->html.sc = run->scenario;
    st->html.version = run->info.version;
    if (run->result) {
        st->runs[0] = (parley_report_run){run->model, &run->opts, run->result, PARLEY_OK, NULL};
        st->n_runs = 1;
        st->html.runs = st->runs;
        st->html.n_runs = 1;
    }
    if (run->mc) {
        parley_mc_opts_init(&st->mc_opts);
        st->mc_opts.samples = run->mc->samples;
        st->mc_opts.seed = run->mc->seed;
        st->mc_opts.spread = run->mc->spread;
        st->mc_opts.run = &run->opts;
        st->html.mc_model = run->model;
        st->html.mc_opts = &st->mc_opts;
        st->html.mc = run->mc;
        st->html.mc_event_texts = (const char *const *)run->mc_event_texts;
    }
    return CLI_CONTINUE;
}

static int write_png(const char *dir, const char *name, int rc, parley_chart *chart,
                     parley_error *err)
{
    if (rc == PARLEY_EUNDEF)  /* nothing to draw: no file */
        return PARLEY_OK;
    unsigned char *png = NULL;
    size_t len = 0;
    if (rc == PARLEY_OK)
        rc = parley_chart_to_png(chart, 1, &png, &len, err);
    parley_chart_free(chart);
    if (rc == PARLEY_OK) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.png", dir, name);
        rc = parley_write_file_atomic(path, (const char *)png, len, err);
    }
    parley_free(png);
    return rc;
}

static int write_pngs(const report_state *st, const char *dir)
{
    if (!parley_chart_png_available())
        return cli_usage_error("report", "--png: this parley was built without cairo");
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "parley report: %s: %s\n", dir, strerror(errno));
        return CLI_FAILURE;
    }
    const parley_html_report *h = &st->html;
    parley_error err;
    parley_error_clear(&err);
    parley_chart *chart = NULL;
    int rc = PARLEY_OK;
    if (h->n_runs) {
        rc = parley_chart_forecasts(h->sc, h->runs, h->n_runs, NULL, &chart, &err);
        rc = write_png(dir, "forecasts", rc, chart, &err);
    }
    for (size_t m = 0; m < h->n_runs && rc == PARLEY_OK; m++) {
        const parley_report_run *run = &h->runs[m];
        if (run->status != PARLEY_OK || !run->model->iterative)
            continue;
        char name[128];
        snprintf(name, sizeof name, "paths-%s", run->model->name);
        chart = NULL;
        rc = parley_chart_paths(h->sc, run->result, run->model, NULL, &chart, &err);
        rc = write_png(dir, name, rc, chart, &err);
    }
    if (h->mc && rc == PARLEY_OK) {
        chart = NULL;
        rc = parley_chart_distribution(h->sc, h->mc, h->mc_model, NULL, &chart, &err);
        rc = write_png(dir, "distribution", rc, chart, &err);
    }
    if (h->sens && rc == PARLEY_OK) {
        chart = NULL;
        rc = parley_chart_tornado(h->sc, h->sens, h->sens_model, NULL, &chart, &err);
        rc = write_png(dir, "tornado", rc, chart, &err);
    }
    return rc == PARLEY_OK ? CLI_CONTINUE : cli_report_error("report: --png", &err);
}

/* The `parley sweep` line that runs the sweep again from scratch. */
static void sweep_command(char *buf, size_t n, const parley_stored_sweep *w)
{
    size_t used = (size_t)snprintf(buf, n, "parley sweep --model %s", w->model->name);
    for (size_t k = 0; k < parley_sweep_count_axes(w->sweep) && used < n; k++)
        used += (size_t)snprintf(buf + used, n - used, " --vary '%s'",
                                 parley_sweep_axis_at(w->sweep, k)->text);
    const parley_run_opts *run = parley_sweep_run_opts(w->sweep);
    for (size_t k = 0; k < PARLEY_MAX_PARAMS && w->model->params[k].name && used < n; k++) {
        char value[64];
        parley_param_format(&w->model->params[k], run->param[k], value, sizeof value);
        used += (size_t)snprintf(buf + used, n - used, " --param %s=%s",
                                 w->model->params[k].name, value);
    }
    if (w->opts.samples && used < n)
        snprintf(buf + used, n - used, " --samples %" PRIu64 " --seed %" PRIu64 " --spread %g",
                 w->opts.samples, w->opts.seed, w->opts.spread);
}

/* --sweep ID: a stored sweep's small multiples and cases. */
static int sweep_report(const report_args *args, int operands)
{
    if (operands)
        return cli_usage_error("report", "--sweep ID takes no SCENARIO or RUN");
    char *end = NULL;
    errno = 0;
    long long id = strtoll(args->sweep, &end, 10);
    if (errno || end == args->sweep || *end || id <= 0)
        return cli_usage_error("report", "--sweep %s: expected a sweep id (see `parley runs "
                                         "list`)", args->sweep);
    parley_store *store = NULL;
    int rc = cli_store_open("report", args->db, PARLEY_STORE_READONLY, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    parley_stored_sweep *w = NULL;
    int code = parley_store_sweep_load(store, id, &w, &err);
    parley_store_close(store);
    if (code != PARLEY_OK)
        return cli_report_error("report", &err);
    char title[64], source[600], command[4096], generated[64];
    snprintf(title, sizeof title, "Sweep %lld", id);
    snprintf(source, sizeof source, "sweep %lld of %s, started %s%s%s", id,
             cli_store_path(args->db), w->info.started,
             w->info.finished[0] ? ", finished " : " (unfinished: `parley sweep --resume` "
                                                   "runs the rest)",
             w->info.finished);
    sweep_command(command, sizeof command, w);
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(generated, sizeof generated, "%Y-%m-%d %H:%M UTC", &utc);
    parley_html_sweep rep = {w->sweep, w->result, &w->opts, title, source, command,
                             w->info.version, generated, NULL};
    char *html = NULL;
    if (parley_report_sweep_html(&rep, &html, &err) != PARLEY_OK)
        rc = cli_report_error("report", &err);
    if (rc == CLI_CONTINUE)
        rc = cli_write_output("report", args->output, html);
    parley_free(html);
    if (rc == CLI_CONTINUE && args->png) {
        if (!parley_chart_png_available()) {
            rc = cli_usage_error("report", "--png: this parley was built without cairo");
        } else if (mkdir(args->png, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "parley report: %s: %s\n", args->png, strerror(errno));
            rc = CLI_FAILURE;
        } else {
            parley_chart *chart = NULL;
            code = parley_chart_sweep(w->sweep, w->result, NULL, &chart, &err);
            if (write_png(args->png, "sweep", code, chart, &err) != PARLEY_OK)
                rc = cli_report_error("report: --png", &err);
        }
    }
    parley_stored_sweep_free(w);
    return rc == CLI_CONTINUE ? cli_finish("report") : rc;
}

static void state_free(report_state *st)
{
    for (size_t m = 0; m < REPORT_MAX_MODELS; m++)
        parley_result_free(st->results[m]);
    for (size_t e = 0; e < st->n_events; e++)
        parley_mc_event_free(st->events[e]);
    parley_mc_result_free(st->mc);
    parley_sensitivity_free(st->sens);
    parley_stored_run_free(st->stored);
    parley_scenarios_free(st->scenarios, st->n_scenarios);
    parley_free(st);
}

int cmd_report(int argc, char **argv)
{
    report_args args = {0};
    const cli_option options[] = {
        {"output", 'o', "FILE", "write the HTML to FILE (default: standard output)",
         CLI_STRING, &args.output},
        {"model", 'm', "M", "model for Monte Carlo and sensitivity (default: the first)",
         CLI_STRING, &args.model},
        {"samples", 'n', "N", "Monte Carlo samples (default 2000; 0: none)", CLI_STRING,
         &args.samples},
        {"seed", 's', "S", "random seed (default 0)", CLI_STRING, &args.seed},
        {"spread", 0, "F", "sd as a fraction of each scale for values stating none",
         CLI_STRING, &args.spread},
        {"threads", 't', "T", "worker threads (default: one per core)", CLI_STRING,
         &args.threads},
        {"event", 'e', "EXPR", "report the probability of an event (repeatable)", CLI_LIST,
         &args.events},
        {"no-sensitivity", 0, NULL, "leave the sensitivity tornado out", CLI_FLAG,
         &args.no_sensitivity},
        {"png", 0, "DIR", "also write each chart to DIR as PNG", CLI_STRING, &args.png},
        {"db", 0, "PATH", "the run store for RUN (default $PARLEY_DB or parley.db)",
         CLI_STRING, &args.db},
        {"format", 'f', "F", "input format (default auto)", CLI_STRING, &args.format},
        {"sweep", 0, "ID", "report stored sweep ID (small multiples per issue)", CLI_STRING,
         &args.sweep},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (args.sweep)
        return sweep_report(&args, argc - first);
    if (argc - first > 1)
        return cli_usage_error("report", "expected at most one SCENARIO or RUN");
    const char *operand = first < argc ? argv[first] : NULL;
    report_state *st = parley_calloc(1, sizeof *st);
    if (!st) {
        fprintf(stderr, "parley report: out of memory\n");
        return CLI_FAILURE;
    }
    parley_html_report_init(&st->html);
    rc = is_run_id(operand) ? from_store(st, &args, operand)
                            : from_scenario(st, &args, operand);
    char *html = NULL;
    if (rc == CLI_CONTINUE) {
        command_line(st->command, sizeof st->command, argc, argv);
        time_t now = time(NULL);
        struct tm utc;
        gmtime_r(&now, &utc);
        strftime(st->generated, sizeof st->generated, "%Y-%m-%d %H:%M UTC", &utc);
        st->html.source = st->source;
        st->html.command = st->command;
        st->html.generated = st->generated;
        parley_error err;
        parley_error_clear(&err);
        if (parley_report_html(&st->html, &html, &err) != PARLEY_OK)
            rc = cli_report_error("report", &err);
    }
    if (rc == CLI_CONTINUE)
        rc = cli_write_output("report", args.output, html);
    if (rc == CLI_CONTINUE && args.png)
        rc = write_pngs(st, args.png);
    parley_free(html);
    state_free(st);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_finish("report");
}
