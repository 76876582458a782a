/* cmd_runs.c — `parley runs`: list, show, diff, export and remove the runs
 * that `parley run` and `parley mc` stored (parley/store.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_opts.h"
#include "core/buf.h"
#include "parley/alloc.h"
#include "parley/report.h"
#include "parley/store.h"

static const char runs_details[] =
    "The store is --db PATH, else $PARLEY_DB, else parley.db in the working directory.";

/* ---- small output helpers ------------------------------------------------ */

/* A CSV field, quoted when it must be. */
static void put_csv(parley_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        parley_buf_printf(b, "%s", s);
        return;
    }
    parley_buf_printf(b, "\"");
    for (; *s; s++)
        parley_buf_printf(b, *s == '"' ? "\"\"" : "%c", *s);
    parley_buf_printf(b, "\"");
}

static int parse_id(const char *command, const char *text, int64_t *id)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno || end == text || *end || value <= 0)
        return cli_usage_error(command, "\"%s\" is not a run id (a whole number from `parley "
                                        "runs list`)",
                               text);
    *id = value;
    return CLI_CONTINUE;
}

/* Opens the store and loads run `text`. */
static int load_run(const char *command, const char *db, const char *text,
                    parley_store **store, parley_stored_run **run)
{
    int64_t id = 0;
    int rc = parse_id(command, text, &id);
    if (rc == CLI_CONTINUE && !*store)
        rc = cli_store_open(command, db, 0, store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_load(*store, id, run, &err) != PARLEY_OK)
        return cli_report_error(command, &err);
    return CLI_CONTINUE;
}

/* ---- list ---------------------------------------------------------------- */

static int runs_list(int argc, char **argv)
{
    const char *db = NULL, *scenario = NULL, *model = NULL, *since = NULL, *until = NULL,
               *kind = NULL, *limit = NULL;
    int json = 0;
    const cli_option options[] = {
        {"db", 0, "PATH", "the run store (default $PARLEY_DB or parley.db)", CLI_STRING, &db},
        {"scenario", 's', "S", "only runs of scenario S (its id or a SHA-256 prefix)",
         CLI_STRING, &scenario},
        {"model", 'm', "M", "only runs of model M", CLI_STRING, &model},
        {"since", 0, "DATE", "only runs started on or after DATE (UTC, 2024-05-01)", CLI_STRING,
         &since},
        {"until", 0, "DATE", "only runs started up to DATE (inclusive for a date)", CLI_STRING,
         &until},
        {"kind", 'k', "K", "only runs of kind K: run or mc", CLI_STRING, &kind},
        {"limit", 'n', "N", "only the newest N runs", CLI_STRING, &limit},
        {"json", 'j', NULL, "print the list as JSON", CLI_FLAG, &json},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    static const cli_usage usage = {"runs list", "", "Lists the stored runs, oldest first.",
                                    runs_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (first < argc)
        return cli_usage_error("runs list", "unexpected operand \"%s\"", argv[first]);
    parley_run_filter filter;
    parley_run_filter_init(&filter);
    filter.scenario = scenario;
    filter.model = model;
    filter.since = since;
    filter.until = until;
    if (kind && (filter.kind = parley_run_kind_parse(kind)) < 0)
        return cli_usage_error("runs list", "--kind %s: expected run or mc", kind);
    if (limit) {
        char *end = NULL;
        long value = strtol(limit, &end, 10);
        if (end == limit || *end || value <= 0)
            return cli_usage_error("runs list", "--limit %s: expected a whole number > 0",
                                   limit);
        filter.limit = (size_t)value;
    }
    parley_store *store = NULL;
    if ((rc = cli_store_open("runs list", db, 0, &store)) != CLI_CONTINUE)
        return rc;
    parley_run_info *infos = NULL;
    size_t n = 0;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_list(store, &filter, &infos, &n, &err) != PARLEY_OK) {
        parley_store_close(store);
        return cli_report_error("runs list", &err);
    }
    char *sweeps = NULL;  /* text only, and only when no --kind picks runs */
    if (!json && !kind &&
        (rc = cli_store_sweeps_text("runs list", store, &sweeps)) != CLI_CONTINUE) {
        parley_free(infos);
        parley_store_close(store);
        return rc;
    }
    parley_store_close(store);
    parley_buf b = {0};
    if (json)
        parley_buf_printf(&b, "[");
    else if (n)
        parley_buf_printf(&b, "%5s  %-19s  %-4s  %-11s  %-20s  %-8s  %8s  %8s\n", "ID", "STARTED (UTC)",
            "KIND", "MODEL", "SCENARIO", "SHA-256", "SEED", "ROUNDS");
    for (size_t k = 0; k < n; k++) {
        const parley_run_info *r = &infos[k];
        if (json) {
            parley_buf_printf(&b, "%s\n  {\"id\": %" PRId64 ", \"kind\": \"%s\", \"model\": ", k ? "," : "",
                r->id, parley_run_kind_name(r->kind));
            cli_put_json_string(&b, r->model);
            parley_buf_printf(&b, ", \"scenario\": ");
            cli_put_json_string(&b, r->scenario_id);
            parley_buf_printf(&b, ", \"sha256\": \"%s\", \"seed\": %" PRIu64 ", \"n_rounds\": %zu, "
                    "\"samples\": %" PRIu64 ", \"started\": \"%s\", \"finished\": \"%s\", "
                    "\"version\": ",
                r->sha256, r->seed, r->n_rounds, r->samples, r->started, r->finished);
            cli_put_json_string(&b, r->version);
            parley_buf_printf(&b, "}");
            continue;
        }
        char rounds[32];
        if (r->kind == PARLEY_RUN_KIND_MC)
            snprintf(rounds, sizeof rounds, "%" PRIu64 "x", r->samples);
        else
            snprintf(rounds, sizeof rounds, "%zu", r->n_rounds);
        parley_buf_printf(&b, "%5" PRId64 "  %-19.19s  %-4s  %-11s  %-20.20s  %-8.8s  %8" PRIu64 "  %8s\n",
            r->id, r->started, parley_run_kind_name(r->kind), r->model, r->scenario_id,
            r->sha256, r->seed, rounds);
    }
    if (json)
        parley_buf_printf(&b, "%s]\n", n ? "\n" : "");
    else if (!n)
        parley_buf_printf(&b, "no stored runs%s\n",
            scenario || model || since || until || kind ? " match" : "");
    parley_buf_puts(&b, sweeps ? sweeps : "");
    parley_free(sweeps);
    parley_free(infos);
    return cli_write_buf("runs list", &b, NULL);
}

/* ---- show ---------------------------------------------------------------- */

static void put_header(parley_buf *b, const parley_stored_run *run)
{
    const parley_run_info *r = &run->info;
    parley_buf_printf(b, "run %" PRId64 ": %s of %s (%.12s) by parley %s\n", r->id,
        r->kind == PARLEY_RUN_KIND_MC ? "Monte Carlo" : r->model, r->scenario_id, r->sha256,
        r->version);
    parley_buf_printf(b, "model %s, seed %" PRIu64, r->model, r->seed);
    if (run->model)
        for (size_t k = 0; run->model->params[k].name && k < PARLEY_MAX_PARAMS; k++) {
            char value[64];
            parley_param_format(&run->model->params[k], run->opts.param[k], value,
                                sizeof value);
            parley_buf_printf(b, ", %s=%s", run->model->params[k].name, value);
        }
    parley_buf_printf(b, "\nstarted %s, finished %s (%.3f s)\n\n", r->started, r->finished, r->seconds);
}

static void put_mc(parley_buf *b, const parley_stored_run *run)
{
    const parley_mc_result *mc = run->mc;
    parley_buf_printf(b, "%" PRIu64 " samples of %" PRIu64 " (spread %g)%s, %" PRIu64 " failed\n\n", mc->done,
        mc->samples, mc->spread, mc->cancelled ? ", cancelled" : "", mc->failed);
    parley_buf_printf(b, "%-24s %8s %9s %9s %9s %9s %9s\n", "issue", "n", "mean", "sd", "5%", "median",
        "95%");
    for (size_t i = 0; i < mc->n_issues && i < run->scenario->n_issues; i++) {
        const parley_mc_issue *s = &mc->issues[i];
        parley_buf_printf(b, "%-24.24s %8" PRIu64 " %9.4g %9.4g %9.4g %9.4g %9.4g\n",
            run->scenario->issues[i].id, s->count, s->mean, s->sd,
            parley_mc_quantile(mc, i, 0.05), parley_mc_quantile(mc, i, 0.5),
            parley_mc_quantile(mc, i, 0.95));
    }
    for (size_t k = 0; k < mc->n_events; k++)
        parley_buf_printf(b, "%sP(%s) = %.4f +/- %.4f\n", k ? "" : "\n", run->mc_event_texts[k],
            mc->events[k].probability, mc->events[k].std_error);
}

static int runs_show(int argc, char **argv)
{
    const char *db = NULL;
    int trace = 0;
    const cli_option options[] = {
        {"db", 0, "PATH", "the run store (default $PARLEY_DB or parley.db)", CLI_STRING, &db},
        {"trace", 't', NULL, "also show the rounds, events and positions", CLI_FLAG, &trace},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    static const cli_usage usage = {"runs show", "ID",
                                    "Prints a stored run as `parley run` printed it: the "
                                    "forecast table, from the store.",
                                    runs_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("runs show", "expected one run ID");
    parley_store *store = NULL;
    parley_stored_run *run = NULL;
    rc = load_run("runs show", db, argv[first], &store, &run);
    parley_store_close(store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_buf b = {0};
    put_header(&b, run);
    if (run->mc) {
        put_mc(&b, run);
    } else if (!run->model) {
        parley_buf_printf(&b, "(this parley has no model \"%s\": forecasts only)\n", run->info.model);
        for (size_t i = 0; i < run->scenario->n_issues; i++)
            parley_buf_printf(&b, "%-24s %.6g\n", run->scenario->issues[i].id, run->result->forecast[i]);
    } else {
        parley_report_run report = {run->model, &run->opts, run->result, PARLEY_OK, NULL};
        parley_error err;
        parley_error_clear(&err);
        char *table = NULL, *more = NULL;
        if (parley_report_table(run->scenario, &report, 1, &table, &err) != PARLEY_OK)
            b.failed = 1;
        else
            parley_buf_printf(&b, "%s", table);
        if (trace && !b.failed) {
            if (parley_report_trace(run->scenario, &report, &more, &err) != PARLEY_OK)
                b.failed = 1;
            else
                parley_buf_printf(&b, "\n%s", more);
        } else if (run->model->iterative && !b.failed) {
            /* What `parley run` printed for this one model. */
            if (parley_report_rounds(run->scenario, &report, 1, &more, &err) != PARLEY_OK)
                b.failed = 1;
            else
                parley_buf_printf(&b, "\n%s", more);
        }
        parley_free(table);
        parley_free(more);
    }
    parley_stored_run_free(run);
    return cli_write_buf("runs show", &b, NULL);
}

/* ---- diff ---------------------------------------------------------------- */

static int runs_diff(int argc, char **argv)
{
    const char *db = NULL;
    const cli_option options[] = {
        {"db", 0, "PATH", "the run store (default $PARLEY_DB or parley.db)", CLI_STRING, &db},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    static const cli_usage usage = {
        "runs diff", "A B",
        "Compares two stored runs: settings (model, parameters, seed), the inputs that\n"
        "changed between their scenarios (matched by actor and issue id), and how each\n"
        "forecast moved (for Monte Carlo runs, the mean).",
        runs_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 2)
        return cli_usage_error("runs diff", "expected two run IDs");
    parley_store *store = NULL;
    parley_stored_run *a = NULL, *b_run = NULL;
    rc = load_run("runs diff", db, argv[first], &store, &a);
    if (rc == CLI_CONTINUE)
        rc = load_run("runs diff", db, argv[first + 1], &store, &b_run);
    parley_store_close(store);
    parley_run_change *changes = NULL;
    size_t n = 0;
    parley_error err;
    parley_error_clear(&err);
    if (rc == CLI_CONTINUE && parley_runs_diff(a, b_run, &changes, &n, &err) != PARLEY_OK)
        rc = cli_report_error("runs diff", &err);
    parley_buf b = {0};
    if (rc == CLI_CONTINUE) {
        parley_buf_printf(&b, "A: run %" PRId64 ", %s on %s (%.12s)\nB: run %" PRId64 ", %s on %s (%.12s)\n",
            a->info.id, a->info.model, a->info.scenario_id, a->info.sha256, b_run->info.id,
            b_run->info.model, b_run->info.scenario_id, b_run->info.sha256);
        if (strcmp(a->info.sha256, b_run->info.sha256) == 0)
            parley_buf_printf(&b, "same scenario: no input changed\n");
        int section = -1;
        for (size_t k = 0; k < n; k++) {
            const parley_run_change *c = &changes[k];
            if ((int)c->section != section) {
                section = (int)c->section;
                parley_buf_printf(&b, "\n%ss:\n", parley_change_section_name(c->section));
            }
            parley_buf_printf(&b, "  %-40s %12s -> %-12s", c->what, c->before[0] ? c->before : "(none)",
                c->after[0] ? c->after : "(none)");
            if (!isnan(c->delta))
                parley_buf_printf(&b, " %+.6g", c->delta);
            parley_buf_printf(&b, "\n");
        }
    }
    parley_free(changes);
    parley_stored_run_free(a);
    parley_stored_run_free(b_run);
    if (rc != CLI_CONTINUE) {
        parley_buf_free(&b);
        return rc;
    }
    return cli_write_buf("runs diff", &b, NULL);
}

/* ---- export -------------------------------------------------------------- */

static void put_run_csv(parley_buf *b, const parley_stored_run *run)
{
    const parley_scenario *sc = run->scenario;
    const parley_result *r = run->result;
    parley_buf_printf(b, "record,round,actor,issue,value\n");
    for (size_t i = 0; i < sc->n_issues; i++) {
        parley_buf_printf(b, "forecast,,,");
        put_csv(b, sc->issues[i].id);
        parley_buf_printf(b, ",");
        if (!isnan(r->forecast[i]))
            parley_buf_printf(b, "%.17g", r->forecast[i]);
        parley_buf_printf(b, "\n");
    }
    for (size_t t = 0; t < r->n_states; t++) {
        size_t round = r->n_states == r->n_rounds + 1 ? t : (t ? r->n_rounds : 0);
        for (size_t a = 0; a < sc->n_actors; a++)
            for (size_t i = 0; i < sc->n_issues; i++) {
                double x = parley_result_position(r, t, a, i);
                if (isnan(x))
                    continue;
                parley_buf_printf(b, "position,%zu,", round);
                put_csv(b, sc->actors[a].id);
                parley_buf_printf(b, ",");
                put_csv(b, sc->issues[i].id);
                parley_buf_printf(b, ",%.17g\n", x);
            }
    }
}

static void put_mc_csv(parley_buf *b, const parley_stored_run *run)
{
    const parley_mc_result *mc = run->mc;
    parley_buf_printf(b, "issue,count,undefined,mean,sd,min,max,p05,p50,p95\n");
    for (size_t i = 0; i < mc->n_issues; i++) {
        const parley_mc_issue *s = &mc->issues[i];
        double values[] = {s->mean, s->sd, s->min, s->max, parley_mc_quantile(mc, i, 0.05),
                           parley_mc_quantile(mc, i, 0.5), parley_mc_quantile(mc, i, 0.95)};
        put_csv(b, run->scenario->issues[i].id);
        parley_buf_printf(b, ",%" PRIu64 ",%" PRIu64, s->count, s->undefined);
        for (size_t k = 0; k < sizeof values / sizeof values[0]; k++)
            if (isnan(values[k]))
                parley_buf_printf(b, ",");
            else
                parley_buf_printf(b, ",%.17g", values[k]);
        parley_buf_printf(b, "\n");
    }
}

static void put_mc_json(parley_buf *b, const parley_stored_run *run)
{
    const parley_mc_result *mc = run->mc;
    parley_buf_printf(b, "{\n  \"id\": %" PRId64 ",\n  \"kind\": \"mc\",\n  \"scenario\": ", run->info.id);
    cli_put_json_string(b, run->info.scenario_id);
    parley_buf_printf(b, ",\n  \"sha256\": \"%s\",\n  \"model\": ", run->info.sha256);
    cli_put_json_string(b, run->info.model);
    parley_buf_printf(b, ",\n  \"seed\": %" PRIu64 ",\n  \"samples\": %" PRIu64 ",\n  \"done\": %" PRIu64
           ",\n  \"spread\": ",
        mc->seed, mc->samples, mc->done);
    cli_put_json_number(b, mc->spread);
    parley_buf_printf(b, ",\n  \"issues\": [");
    for (size_t i = 0; i < mc->n_issues; i++) {
        const parley_mc_issue *s = &mc->issues[i];
        parley_buf_printf(b, "%s\n    {\"issue\": ", i ? "," : "");
        cli_put_json_string(b, run->scenario->issues[i].id);
        parley_buf_printf(b, ", \"count\": %" PRIu64 ", \"undefined\": %" PRIu64, s->count, s->undefined);
        const char *names[] = {"mean", "sd", "min", "max", "p05", "p50", "p95"};
        double values[] = {s->mean, s->sd, s->min, s->max, parley_mc_quantile(mc, i, 0.05),
                           parley_mc_quantile(mc, i, 0.5), parley_mc_quantile(mc, i, 0.95)};
        for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
            parley_buf_printf(b, ", \"%s\": ", names[k]);
            cli_put_json_number(b, values[k]);
        }
        parley_buf_printf(b, "}");
    }
    parley_buf_printf(b, "\n  ],\n  \"events\": [");
    for (size_t k = 0; k < mc->n_events; k++) {
        parley_buf_printf(b, "%s\n    {\"event\": ", k ? "," : "");
        cli_put_json_string(b, run->mc_event_texts[k]);
        parley_buf_printf(b, ", \"count\": %" PRIu64 ", \"probability\": ", mc->events[k].count);
        cli_put_json_number(b, mc->events[k].probability);
        parley_buf_printf(b, ", \"std_error\": ");
        cli_put_json_number(b, mc->events[k].std_error);
        parley_buf_printf(b, "}");
    }
    parley_buf_printf(b, "%s]\n}\n", mc->n_events ? "\n  " : "");
}

static int runs_export(int argc, char **argv)
{
    const char *db = NULL, *output = NULL;
    int json = 0, csv = 0;
    const cli_option options[] = {
        {"db", 0, "PATH", "the run store (default $PARLEY_DB or parley.db)", CLI_STRING, &db},
        {"json", 'j', NULL, "write the run as JSON (as `parley run --json` does)", CLI_FLAG,
         &json},
        {"csv", 'c', NULL, "write forecasts and positions (MC: summaries) as CSV", CLI_FLAG,
         &csv},
        {"output", 'o', "FILE", "write to FILE (atomically) instead of standard output",
         CLI_STRING, &output},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    static const cli_usage usage = {
        "runs export", "ID",
        "Writes a stored run as JSON or CSV.  The CSV of a run has one line per forecast\n"
        "(record \"forecast\") and per actor, issue and round (record \"position\").",
        runs_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("runs export", "expected one run ID");
    if (json == csv)
        return cli_usage_error("runs export", "give one of --json and --csv");
    parley_store *store = NULL;
    parley_stored_run *run = NULL;
    rc = load_run("runs export", db, argv[first], &store, &run);
    parley_store_close(store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_buf b = {0};
    if (run->mc) {
        if (json)
            put_mc_json(&b, run);
        else
            put_mc_csv(&b, run);
    } else if (csv) {
        put_run_csv(&b, run);
    } else if (!run->model) {
        fprintf(stderr, "parley runs export: this parley has no model \"%s\"; use --csv\n",
                run->info.model);
        parley_stored_run_free(run);
        return CLI_FAILURE;
    } else {
        char *text = NULL;
        parley_error err;
        parley_error_clear(&err);
        if (parley_result_to_json(run->scenario, run->model, &run->opts, run->result, &text,
                                  &err) != PARLEY_OK)
            b.failed = 1;
        else
            parley_buf_printf(&b, "%s%s", text, text[0] && text[strlen(text) - 1] == '\n' ? "" : "\n");
        parley_free(text);
    }
    parley_stored_run_free(run);
    return cli_write_buf("runs export", &b, output);
}

/* ---- rm ------------------------------------------------------------------ */

static int runs_rm(int argc, char **argv)
{
    const char *db = NULL;
    const cli_option options[] = {
        {"db", 0, "PATH", "the run store (default $PARLEY_DB or parley.db)", CLI_STRING, &db},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    static const cli_usage usage = {"runs rm", "ID...",
                                    "Deletes stored runs (each in one transaction).",
                                    runs_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (first == argc)
        return cli_usage_error("runs rm", "expected at least one run ID");
    int64_t ids[256];
    if (argc - first > 256)
        return cli_usage_error("runs rm", "at most 256 IDs at a time");
    for (int k = first; k < argc; k++)
        if ((rc = parse_id("runs rm", argv[k], &ids[k - first])) != CLI_CONTINUE)
            return rc;
    parley_store *store = NULL;
    if ((rc = cli_store_open("runs rm", db, 0, &store)) != CLI_CONTINUE)
        return rc;
    for (int k = first; k < argc && rc == CLI_CONTINUE; k++) {
        parley_error err;
        parley_error_clear(&err);
        if (parley_store_delete(store, ids[k - first], &err) != PARLEY_OK)
            rc = cli_report_error("runs rm", &err);
    }
    parley_store_close(store);
    return rc == CLI_CONTINUE ? CLI_OK : rc;
}

/* ---- dispatch ------------------------------------------------------------ */

static const cli_command subcommands[] = {
    {"list", runs_list, "list stored runs (filter by scenario, model, date, kind)"},
    {"show", runs_show, "print a stored run as `parley run` printed it"},
    {"diff", runs_diff, "compare two runs: changed inputs and settings, moved forecasts"},
    {"export", runs_export, "write a stored run as JSON or CSV"},
    {"rm", runs_rm, "delete stored runs"},
    {NULL, NULL, NULL},
};

static void runs_usage(FILE *out)
{
    fprintf(out, "usage: parley runs COMMAND [OPTIONS]\n\n"
                 "The runs `parley run` and `parley mc` stored.  %s\n\ncommands:\n",
            runs_details);
    for (const cli_command *c = subcommands; c->name; c++)
        fprintf(out, "  %-8s %s\n", c->name, c->summary);
    fprintf(out, "\n`parley runs COMMAND --help` describes a command.\n");
}

int cmd_runs(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("runs", "expected a command: list, show, diff, export or rm "
                                       "(see parley runs --help)");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        runs_usage(stdout);
        return cli_finish("runs");
    }
    for (const cli_command *c = subcommands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->run(argc - 1, argv + 1);
    return cli_usage_error("runs", "unknown command \"%s\": expected list, show, diff, "
                                   "export or rm",
                           argv[1]);
}
