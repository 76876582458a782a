/* cmd_sweep.c — `parley sweep`: the cross product of varied inputs and
 * parameters, each case run once or by Monte Carlo, as a table of cases x
 * issue forecasts.  The library does the work (parley/sweep.h); under mpirun
 * the cases are split across ranks (dist.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/dist.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"
#include "parley/sweep.h"

typedef struct sweep_args {
    cli_list params, varies;
    int json, csv, no_store;
    const char *model, *samples, *seed, *threads, *spread, *format, *db, *resume;
} sweep_args;

static const cli_usage usage = {
    "sweep", "[SCENARIO] --vary TARGET=VALUES ... | --resume ID",
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
    "The sweep is stored (--db PATH, $PARLEY_DB or parley.db; --no-store: not), each case\n"
    "as it finishes: `parley sweep --resume ID` runs only the cases a sweep that stopped\n"
    "lacks and prints the whole table, the same bytes as an unbroken run; `parley runs\n"
    "list` shows the sweeps and `parley report --sweep ID` charts one.\n"
    "Example: parley sweep --vary 'russia.capability=80:120:20' --vary 'eu.Q=0.5,1'",
};

/* --model, else the model a MODEL.PARAM --vary names, else the first. */
static int pick_model(const sweep_args *args, const parley_model **out)
{
    if (args->model)
        return cli_find_model("sweep", args->model, out);
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
    if (args->samples && (rc = cli_parse_count("sweep", "--samples", args->samples, 1,
                                                &opts->samples)) != CLI_CONTINUE)
        return rc;
    if (args->seed &&
        (rc = cli_parse_count("sweep", "--seed", args->seed, 0, &opts->seed)) != CLI_CONTINUE)
        return rc;
    if (args->threads &&
        (rc = cli_parse_threads("sweep", args->threads, &opts->threads)) != CLI_CONTINUE)
        return rc;
    if (args->spread &&
        (rc = cli_parse_spread("sweep", args->spread, &opts->spread)) != CLI_CONTINUE)
        return rc;
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

static void print_json(const parley_scenario *sc, const parley_model *m, const parley_sweep *s,
                       const parley_sweep_opts *opts, const parley_sweep_result *r)
{
    size_t n_axes = parley_sweep_count_axes(s);
    printf("{\"scenario\": ");
    cli_print_json_string(stdout, sc->id);
    printf(", \"model\": ");
    cli_print_json_string(stdout, m->name);
    printf(", \"samples\": %" PRIu64 ", \"seed\": %" PRIu64 ", \"spread\": ", opts->samples,
           opts->seed);
    cli_print_json_number(stdout, opts->spread);
    printf(",\n \"axes\": [");
    for (size_t k = 0; k < n_axes; k++) {
        const parley_sweep_axis *a = parley_sweep_axis_at(s, k);
        printf("%s\n  {\"target\": ", k ? "," : "");
        cli_print_json_string(stdout, a->label);
        printf(", \"vary\": ");
        cli_print_json_string(stdout, a->text);
        printf(", \"values\": [");
        for (size_t v = 0; v < a->n_values; v++) {
            printf("%s", v ? ", " : "");
            cli_print_json_number(stdout, a->values[v]);
        }
        printf("]}");
    }
    printf("],\n \"issues\": [");
    for (size_t i = 0; i < sc->n_issues; i++) {
        printf("%s", i ? ", " : "");
        cli_print_json_string(stdout, sc->issues[i].id);
    }
    printf("],\n \"cases\": [");
    double values[CLI_LIST_MAX];
    int n_stats = opts->samples ? PARLEY_SWEEP_N_STATS : 1;
    for (uint64_t c = 0; c < r->n_cases; c++) {
        parley_sweep_case_values(s, c, values);
        printf("%s\n  {\"case\": %" PRIu64 ", \"values\": [", c ? "," : "", c);
        for (size_t k = 0; k < n_axes; k++) {
            printf("%s", k ? ", " : "");
            cli_print_json_number(stdout, values[k]);
        }
        printf("], \"status\": \"%s\"",
               r->status[c] == PARLEY_OK ? "ok" : "no forecast");
        for (int stat = 0; stat < n_stats; stat++) {
            printf(", \"%s\": [", stat == 0 && !opts->samples
                                      ? "forecast"
                                      : parley_sweep_stat_name((parley_sweep_stat)stat));
            for (size_t i = 0; i < r->n_issues; i++) {
                printf("%s", i ? ", " : "");
                cli_print_json_number(
                    stdout, *parley_sweep_result_at(r, c, (parley_sweep_stat)stat, i));
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

/* What one sweep command works on: a new sweep from the command line, or
 * a stored one (--resume), and where its cases go. */
typedef struct sweep_job {
    parley_scenario **scenarios;
    size_t n_scenarios;
    parley_stored_sweep *stored;    /* --resume: owns what follows */
    parley_sweep *sweep;
    parley_sweep_result *result;
    const parley_scenario *sc;
    const parley_model *model;
    parley_sweep_opts opts;
    parley_store *store;            /* rank 0, unless --no-store */
    int64_t id;
    uint64_t kill_after, n_stored;  /* test hook: PARLEY_TEST_KILL_AFTER_CASES */
} sweep_job;

/* Commits each case as it finishes, so a sweep that dies keeps it. */
static int store_case(const parley_sweep_result *r, uint64_t c, void *userdata,
                      parley_error *err)
{
    sweep_job *job = userdata;
    if (!job->store)
        return PARLEY_OK;
    int rc = parley_store_sweep_save_case(job->store, job->id, job->sweep, r, c, err);
    /* The test hook dies as a killed job would: abruptly, mid-sweep. */
    if (rc == PARLEY_OK && ++job->n_stored == job->kill_after)
        raise(SIGKILL);
    return rc;
}

static int define_sweep(const sweep_args *args, int argc, char **argv, int first,
                        sweep_job *job)
{
    parley_format fmt;
    int rc;
    if (argc - first > 1)
        return cli_usage_error("sweep", "expected at most one SCENARIO");
    if (args->varies.n == 0)
        return cli_usage_error("sweep", "nothing to vary: give --vary TARGET=VALUES");
    if ((rc = pick_model(args, &job->model)) != CLI_CONTINUE ||
        (rc = parse_opts(args, &job->opts)) != CLI_CONTINUE ||
        (rc = cli_parse_format("sweep", args->format, &fmt)) != CLI_CONTINUE)
        return rc;
    parley_run_opts run_opts;
    parley_run_opts_init(&run_opts, job->model);
    parley_error err;
    parley_error_clear(&err);
    for (size_t k = 0; k < args->params.n; k++)
        if (parley_run_opts_set(&run_opts, job->model, args->params.items[k], &err))
            return cli_usage_error("sweep", "--param: %s", err.message);
    const char *path = first < argc ? argv[first] : NULL;
    rc = cli_load_scenarios("sweep", path, fmt, &job->scenarios, &job->n_scenarios);
    if (rc != CLI_CONTINUE)
        return rc;
    if (job->n_scenarios != 1)
        return cli_usage_error("sweep", "%s holds %zu scenarios; sweep takes one",
                               path ? path : "the input", job->n_scenarios);
    job->sc = job->scenarios[0];
    if (job->opts.samples && !args->spread && !parley_scenario_has_spread(job->sc))
        job->opts.spread = PARLEY_MC_DEFAULT_SPREAD;
    job->sweep = parley_sweep_new(job->sc, job->model, &run_opts);
    if (!job->sweep)
        return cli_report_error("sweep", &(parley_error){.code = PARLEY_ENOMEM,
                                                         .message = "out of memory"});
    for (size_t k = 0; k < args->varies.n; k++)
        if (parley_sweep_add(job->sweep, args->varies.items[k], &err))
            return err.code == PARLEY_ENOMEM ? cli_report_error("sweep", &err)
                                             : cli_usage_error("sweep", "--vary %s: %s",
                                                               args->varies.items[k],
                                                               err.message);
    job->result = parley_sweep_result_new(job->sweep);
    if (!job->result) {
        fprintf(stderr, "parley sweep: out of memory for %" PRIu64 " cases\n",
                parley_sweep_count_cases(job->sweep));
        return CLI_FAILURE;
    }
    if (cli_dist_rank() != 0 || args->no_store)
        return CLI_CONTINUE;
    if ((rc = cli_store_open("sweep", args->db, PARLEY_STORE_CREATE, &job->store)) !=
        CLI_CONTINUE)
        return rc;
    if (parley_store_sweep_begin(job->store, job->sweep, &job->opts, NULL, &job->id, &err))
        return cli_report_error("sweep", &err);
    fprintf(stderr, "parley sweep: sweep %" PRId64 " in %s (if it stops, `parley sweep "
                    "--resume %" PRId64 "` runs the rest)\n",
            job->id, cli_store_path(args->db), job->id);
    return CLI_CONTINUE;
}

/* --resume ID: the sweep as stored, with the cases stored so far. */
static int load_sweep(const sweep_args *args, int argc, int first, sweep_job *job)
{
    if (argc - first > 0 || args->varies.n || args->params.n || args->model || args->samples ||
        args->seed || args->spread || args->format)
        return cli_usage_error("sweep", "--resume runs a stored sweep as it was defined: give "
                                        "no SCENARIO, --vary, --model, --param, --samples, "
                                        "--seed, --spread or --format");
    if (args->no_store)
        return cli_usage_error("sweep", "--resume stores into the sweep; --no-store cannot go "
                                        "with it");
    char *end = NULL;
    errno = 0;
    long long id = strtoll(args->resume, &end, 10);
    if (errno || end == args->resume || *end || id <= 0)
        return cli_usage_error("sweep", "--resume %s: expected a sweep id (see `parley runs "
                                        "list`)", args->resume);
    /* Ranks other than 0 only read the definition (a store on a shared
     * file system); rank 0 writes the cases. */
    int rc = cli_store_open("sweep", args->db, cli_dist_rank() ? PARLEY_STORE_READONLY : 0,
                            &job->store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_sweep_load(job->store, id, &job->stored, &err) != PARLEY_OK)
        return cli_report_error("sweep", &err);
    if (cli_dist_rank() != 0) {
        parley_store_close(job->store);
        job->store = NULL;
    }
    job->id = id;
    job->sc = job->stored->scenario;
    job->model = job->stored->model;
    job->sweep = job->stored->sweep;
    job->result = job->stored->result;
    job->opts = job->stored->opts;
    if (args->threads && (rc = parse_opts(args, &job->opts)) != CLI_CONTINUE)
        return rc;
    fprintf(stderr, "parley sweep: resuming sweep %lld: %" PRIu64 " of %" PRIu64
                    " cases stored, running the rest\n",
            id, job->stored->info.n_stored, job->stored->info.n_cases);
    return CLI_CONTINUE;
}

/* Stores what other ranks ran (one process stored every case as it
 * finished) and marks the sweep finished when every case is in. */
static int finish_store(sweep_job *job, int complete, parley_error *err)
{
    if (!job->store)
        return PARLEY_OK;
    for (uint64_t c = 0; cli_dist_size() > 1 && c < job->result->n_cases; c++)
        if (job->result->done[c] &&
            parley_store_sweep_save_case(job->store, job->id, job->sweep, job->result, c, err))
            return err->code;
    return complete ? parley_store_sweep_finish(job->store, job->id, NULL, err) : PARLEY_OK;
}

static void job_free(sweep_job *job)
{
    parley_store_close(job->store);
    if (job->stored) {
        parley_stored_sweep_free(job->stored);
    } else {
        parley_sweep_result_free(job->result);
        parley_sweep_free(job->sweep);
    }
    parley_scenarios_free(job->scenarios, job->n_scenarios);
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
        {"db", 0, "PATH", "store the sweep in PATH (default $PARLEY_DB, else parley.db)",
         CLI_STRING, &args.db},
        {"no-store", 0, NULL, "do not store the sweep", CLI_FLAG, &args.no_store},
        {"resume", 'r', "ID", "run the cases stored sweep ID lacks, then print it whole",
         CLI_STRING, &args.resume},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    sweep_job job = {0};
    parley_sweep_opts_init(&job.opts);
    rc = args.resume ? load_sweep(&args, argc, first, &job)
                     : define_sweep(&args, argc, argv, first, &job);
    if (rc != CLI_CONTINUE)
        goto done;
    const char *kill_after = getenv("PARLEY_TEST_KILL_AFTER_CASES");
    job.kill_after = kill_after ? strtoull(kill_after, NULL, 10) : 0;
    job.opts.on_case = store_case;
    job.opts.userdata = &job;
    parley_error err;
    parley_error_clear(&err);
    int code = cli_dist_sweep_run(job.sweep, &job.opts, job.result, &err);
    if (cli_dist_rank() == 0) {
        parley_error store_err;
        parley_error_clear(&store_err);
        int stored = finish_store(&job, code == PARLEY_OK, &store_err);
        if (stored != PARLEY_OK && code == PARLEY_OK) {
            code = stored;
            err = store_err;
        }
    }
    if (code != PARLEY_OK) {
        rc = cli_report_error("sweep", &err);
        if (job.store)
            fprintf(stderr, "parley sweep: the finished cases are stored; `parley sweep "
                            "--resume %" PRId64 "` runs the rest\n", job.id);
        goto done;
    }
    if (cli_dist_rank() != 0) {
        rc = CLI_OK;
        goto done;
    }
    if (args.json)
        print_json(job.sc, job.model, job.sweep, &job.opts, job.result);
    else if (args.csv)
        print_csv(job.sc, job.model, job.sweep, &job.opts, job.result);
    else
        print_text(job.sc, job.model, job.sweep, &job.opts, job.result);
    rc = cli_finish("sweep");
done:
    job_free(&job);
    return rc;
}

/* Under mpirun every rank runs this; only rank 0 prints. */
int cmd_sweep(int argc, char **argv)
{
    cli_dist_begin(&argc, &argv);
    return cli_dist_end(sweep_main(argc, argv));
}
