/* cmd_forecast.c — `parley forecast`: the forecast ledger (parley/ledger.h):
 * ask questions, add forecasts by people or from Monte Carlo runs, resolve,
 * list, score, import and export CSV.  Conventions in docs/scoring.md. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"
#include "parley/format.h"
#include "parley/ledger.h"
#include "report/report_internal.h"

static const char ledger_details[] =
    "The ledger lives in the run store: --db PATH, else $PARLEY_DB, else parley.db.\n"
    "QUESTION is a question's number or the id given at `ask --id`.  Dates are\n"
    "YYYY-MM-DD.  Scores and the CSV columns are described in docs/scoring.md.";

/* ---- shared helpers --------------------------------------------------------- */

/* Copies value into a fixed field, refusing what does not fit. */
static int set_field(const char *command, const char *option, char *dst, size_t n,
                     const char *value)
{
    if (strlen(value) >= n)
        return cli_usage_error(command, "%s is longer than %zu characters", option, n - 1);
    memcpy(dst, value, strlen(value) + 1);
    return CLI_CONTINUE;
}

static int parse_number(const char *command, const char *option, const char *text,
                        double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    if (!*text || errno || *end || !isfinite(*out))
        return cli_usage_error(command, "%s \"%s\": expected a number", option, text);
    return CLI_CONTINUE;
}

/* Today's UTC date, YYYY-MM-DD. */
static void today(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm utc;
    if (!gmtime_r(&now, &utc))
        snprintf(buf, n, "1970-01-01");
    else
        strftime(buf, n, "%Y-%m-%d", &utc);
}

/* The date option (default today), checked. */
static int take_date(const char *command, const char *given, char *dst, size_t n)
{
    if (!given) {
        today(dst, n);
        return CLI_CONTINUE;
    }
    long day;
    parley_error err;
    parley_error_clear(&err);
    if (parley_date_parse(given, &day, &err) != PARLEY_OK)
        return cli_usage_error(command, "--date: %s", err.message);
    return set_field(command, "--date", dst, n, given);
}

/* Parses options, insists on min..max operands, opens the store (*db is
 * read after parsing, since --db sets it). */
static int begin(const cli_usage *usage, const cli_option *options, int argc, char **argv,
                 int min_operands, int max_operands, const char *const *db, unsigned flags,
                 int *first, parley_store **store)
{
    int rc = cli_parse(usage, options, argc, argv, first);
    if (rc != CLI_CONTINUE)
        return rc;
    int operands = argc - *first;
    if (operands < min_operands)
        return cli_usage_error(usage->command, "expected %s (see parley %s --help)",
                               usage->operands, usage->command);
    if (operands > max_operands)
        return cli_usage_error(usage->command, "unexpected operand \"%s\"",
                               argv[*first + max_operands]);
    return cli_store_open(usage->command, *db, flags, store);
}

static int fail(const char *command, parley_store *store, const parley_error *err)
{
    parley_store_close(store);
    return cli_report_error(command, err);
}

#define DB_OPTION(db) \
    {"db", 0, "PATH", "the run store (default $PARLEY_DB or parley.db)", CLI_STRING, &(db)}
#define JSON_OPTION(json) {"json", 'j', NULL, "print JSON", CLI_FLAG, &(json)}
#define END_OPTIONS {NULL, 0, NULL, NULL, CLI_FLAG, NULL}

/* ---- ask -------------------------------------------------------------------- */

static int forecast_ask(int argc, char **argv)
{
    static const char command[] = "forecast ask";
    const char *db = NULL, *slug = NULL, *criteria = NULL, *close = NULL, *scale = NULL;
    int json = 0;
    const cli_option options[] = {
        {"id", 0, "SLUG", "a short id to name the question by (a letter, then letters, "
                          "digits, - or _)", CLI_STRING, &slug},
        {"criteria", 'c', "TEXT", "how it will be resolved (required)", CLI_STRING, &criteria},
        {"close", 0, "DATE", "the close date: no forecast after it (required)", CLI_STRING,
         &close},
        {"numeric", 0, "LOW:HIGH", "a numeric question on the scale LOW..HIGH (default: "
                                   "yes/no)", CLI_STRING, &scale},
        JSON_OPTION(json), DB_OPTION(db), END_OPTIONS,
    };
    static const cli_usage usage = {command, "TEXT", "Adds a question to the ledger.",
                                    ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error(command, "expected the question's TEXT as one operand");
    if (!criteria || !close)
        return cli_usage_error(command, "--criteria and --close are required");
    parley_question q;
    parley_question_init(&q);
    rc = set_field(command, "TEXT", q.text, sizeof q.text, argv[first]);
    if (rc == CLI_CONTINUE)
        rc = set_field(command, "--criteria", q.criteria, sizeof q.criteria, criteria);
    if (rc == CLI_CONTINUE)
        rc = set_field(command, "--close", q.close, sizeof q.close, close);
    if (rc == CLI_CONTINUE && slug)
        rc = set_field(command, "--id", q.slug, sizeof q.slug, slug);
    if (rc == CLI_CONTINUE && scale) {
        char *end = NULL;
        q.kind = PARLEY_QUESTION_NUMERIC;
        q.low = strtod(scale, &end);
        if (end == scale || *end != ':' || (q.high = strtod(end + 1, &end), *end))
            rc = cli_usage_error(command, "--numeric %s: expected LOW:HIGH, e.g. 0:100", scale);
    }
    if (rc == CLI_CONTINUE)
        rc = cli_store_open(command, db, PARLEY_STORE_CREATE, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    int64_t id = 0;
    if (parley_ledger_ask(store, &q, &id, &err) != PARLEY_OK)
        return fail(command, store, &err);
    parley_store_close(store);
    parley_buf b = {0};
    if (json) {
        parley_buf_printf(&b, "{\"id\": %lld, \"slug\": ", (long long)id);
        cli_put_json_string(&b, q.slug);
        parley_buf_puts(&b, "}\n");
    } else {
        parley_buf_printf(&b, "question %lld%s%s%s added (closes %s)\n", (long long)id,
                   q.slug[0] ? " (" : "", q.slug, q.slug[0] ? ")" : "", q.close);
    }
    return cli_write_buf(command, &b, NULL);
}

/* ---- add -------------------------------------------------------------------- */

/* Fills f with the probability a stored Monte Carlo run gives event. */
static int from_run(const char *command, parley_store *store, const char *run_text,
                    const char *event, parley_ledger_forecast *f, int *from_histogram)
{
    char *end = NULL;
    long long id = strtoll(run_text, &end, 10);
    if (end == run_text || *end || id <= 0)
        return cli_usage_error(command, "--from-run %s: expected a run id (parley runs list)",
                               run_text);
    parley_stored_run *run = NULL;
    parley_error err;
    parley_error_clear(&err);
    int code = parley_store_load(store, id, &run, &err);
    if (code == PARLEY_OK)
        code = parley_ledger_run_probability(run, event, &f->probability, from_histogram, &err);
    if (code != PARLEY_OK) {
        parley_stored_run_free(run);
        return cli_report_error(command, &err);
    }
    snprintf(f->model, sizeof f->model, "%s", run->info.model);
    snprintf(f->scenario_sha256, sizeof f->scenario_sha256, "%s", run->info.sha256);
    f->run = id;
    if (!f->by[0])
        snprintf(f->by, sizeof f->by, "model:%s", run->info.model);
    if (!f->rationale[0])
        snprintf(f->rationale, sizeof f->rationale,
                 "P(%s) in Monte Carlo run %lld of %s (%s, %llu samples, seed %llu)%s", event,
                 id, run->info.scenario_id, run->info.model,
                 (unsigned long long)run->mc->done, (unsigned long long)run->info.seed,
                 *from_histogram ? ", summed from the stored histogram" : "");
    parley_stored_run_free(run);
    return CLI_CONTINUE;
}

static int forecast_add(int argc, char **argv)
{
    static const char command[] = "forecast add";
    const char *db = NULL, *by = NULL, *p = NULL, *dist = NULL, *note = NULL, *date = NULL,
               *run = NULL, *event = NULL;
    int json = 0;
    const cli_option options[] = {
        {"by", 0, "NAME", "who forecasts (default for --from-run: model:MODEL)", CLI_STRING,
         &by},
        {"probability", 'p', "P", "the probability of yes, 0..1 (yes/no questions)",
         CLI_STRING, &p},
        {"dist", 0, "DIST", "a distribution (numeric questions): q:0.1=20;0.5=40;0.9=70 "
                            "(quantiles) or h:1,3,5,1 (bin weights over the scale)",
         CLI_STRING, &dist},
        {"from-run", 0, "RUN", "the model's forecast: a stored Monte Carlo run's event "
                               "probability (with --event)", CLI_STRING, &run},
        {"event", 0, "EXPR", "the event of --from-run, e.g. 'federalisation >= 60'",
         CLI_STRING, &event},
        {"note", 0, "TEXT", "the rationale", CLI_STRING, &note},
        {"date", 0, "DATE", "when it was made (default today; to import history)",
         CLI_STRING, &date},
        JSON_OPTION(json), DB_OPTION(db), END_OPTIONS,
    };
    static const cli_usage usage = {command, "QUESTION",
                                    "Adds a forecast: a person's (--by, -p or --dist) or a "
                                    "model's (--from-run, --event).",
                                    ledger_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error(command, "expected one QUESTION");
    if (!!run != !!event)
        return cli_usage_error(command, "--from-run and --event go together");
    if ((run != NULL) + (p != NULL) + (dist != NULL) != 1)
        return cli_usage_error(command, "give one of -p, --dist or --from-run");
    if (!run && !by)
        return cli_usage_error(command, "--by NAME is required (who made the forecast)");
    parley_ledger_forecast f;
    parley_ledger_forecast_init(&f);
    if (by)
        rc = set_field(command, "--by", f.by, sizeof f.by, by);
    if (rc == CLI_CONTINUE && note)
        rc = set_field(command, "--note", f.rationale, sizeof f.rationale, note);
    if (rc == CLI_CONTINUE && dist)
        rc = set_field(command, "--dist", f.distribution, sizeof f.distribution, dist);
    if (rc == CLI_CONTINUE && p)
        rc = parse_number(command, "-p", p, &f.probability);
    if (rc == CLI_CONTINUE)
        rc = take_date(command, date, f.date, sizeof f.date);
    parley_store *store = NULL;
    if (rc == CLI_CONTINUE)
        rc = cli_store_open(command, db, 0, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    parley_question q;
    if (parley_ledger_question(store, argv[first], &q, &err) != PARLEY_OK)
        return fail(command, store, &err);
    f.question = q.id;
    int from_histogram = 0;
    if (run && (rc = from_run(command, store, run, event, &f, &from_histogram)) != CLI_CONTINUE) {
        parley_store_close(store);
        return rc;
    }
    int64_t id = 0;
    if (parley_ledger_add(store, &f, &id, &err) != PARLEY_OK)
        return fail(command, store, &err);
    parley_store_close(store);
    parley_buf b = {0};
    if (json) {
        parley_buf_printf(&b, "{\"id\": %lld, \"question\": %lld, \"by\": ", (long long)id,
                   (long long)q.id);
        cli_put_json_string(&b, f.by);
        parley_buf_puts(&b, ", \"date\": ");
        cli_put_json_string(&b, f.date);
        parley_buf_puts(&b, ", \"probability\": ");
        cli_put_json_number(&b, f.probability);
        parley_buf_puts(&b, ", \"distribution\": ");
        cli_put_json_string(&b, f.distribution);
        parley_buf_printf(&b, ", \"run\": %lld, \"from_histogram\": %s}\n", (long long)f.run,
                   from_histogram ? "true" : "false");
    } else if (isnan(f.probability)) {
        parley_buf_printf(&b, "forecast %lld on question %lld by %s: %s\n", (long long)id,
                   (long long)q.id, f.by, f.distribution);
    } else {
        parley_buf_printf(&b, "forecast %lld on question %lld by %s: p = %.4g%s\n", (long long)id,
                   (long long)q.id, f.by, f.probability,
                   from_histogram ? " (from the run's stored histogram)" : "");
    }
    return cli_write_buf(command, &b, NULL);
}

/* ---- resolve ---------------------------------------------------------------- */

static int forecast_resolve(int argc, char **argv)
{
    static const char command[] = "forecast resolve";
    const char *db = NULL, *source = NULL, *date = NULL;
    int json = 0;
    const cli_option options[] = {
        {"source", 's', "TEXT", "where the outcome is recorded (required)", CLI_STRING,
         &source},
        {"date", 0, "DATE", "when it was resolved (default today)", CLI_STRING, &date},
        JSON_OPTION(json), DB_OPTION(db), END_OPTIONS,
    };
    static const cli_usage usage = {command, "QUESTION yes|no|VALUE",
                                    "Records a question's outcome (once: a resolution is "
                                    "final).",
                                    ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = begin(&usage, options, argc, argv, 2, 2, &db, 0, &first, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    char day[16];
    double outcome = 0;
    const char *said = argv[first + 1];
    if (strcmp(said, "yes") == 0)
        outcome = 1;
    else if (strcmp(said, "no") != 0)
        rc = parse_number(command, "the outcome", said, &outcome);
    if (rc == CLI_CONTINUE && !source)
        rc = cli_usage_error(command, "--source TEXT is required (where the outcome is "
                                      "recorded)");
    if (rc == CLI_CONTINUE)
        rc = take_date(command, date, day, sizeof day);
    if (rc != CLI_CONTINUE) {
        parley_store_close(store);
        return rc;
    }
    parley_error err;
    parley_error_clear(&err);
    parley_question q;
    if (parley_ledger_question(store, argv[first], &q, &err) != PARLEY_OK ||
        parley_ledger_resolve(store, q.id, outcome, day, source, &err) != PARLEY_OK)
        return fail(command, store, &err);
    parley_store_close(store);
    parley_buf b = {0};
    if (json)
        parley_buf_printf(&b, "{\"question\": %lld, \"outcome\": %.17g, \"date\": \"%s\"}\n",
                   (long long)q.id, outcome, day);
    else
        parley_buf_printf(&b, "question %lld resolved %s on %s\n", (long long)q.id, said, day);
    return cli_write_buf(command, &b, NULL);
}

/* ---- list ------------------------------------------------------------------- */

static void list_json(parley_buf *b, const parley_question *questions, size_t n,
                      const parley_ledger_forecast *forecasts, size_t n_forecasts)
{
    parley_buf_puts(b, "[");
    for (size_t k = 0; k < n; k++) {
        const parley_question *q = &questions[k];
        parley_buf_printf(b, "%s\n  {\"id\": %lld, \"slug\": ", k ? "," : "", (long long)q->id);
        cli_put_json_string(b, q->slug);
        parley_buf_printf(b, ", \"kind\": \"%s\", \"low\": ", parley_question_kind_name(q->kind));
        cli_put_json_number(b, q->kind == PARLEY_QUESTION_NUMERIC ? q->low : (double)NAN);
        parley_buf_puts(b, ", \"high\": ");
        cli_put_json_number(b, q->kind == PARLEY_QUESTION_NUMERIC ? q->high : (double)NAN);
        parley_buf_printf(b, ", \"close\": \"%s\", \"text\": ", q->close);
        cli_put_json_string(b, q->text);
        parley_buf_puts(b, ", \"criteria\": ");
        cli_put_json_string(b, q->criteria);
        if (q->resolved) {
            parley_buf_puts(b, ", \"resolution\": {\"outcome\": ");
            cli_put_json_number(b, q->outcome);
            parley_buf_printf(b, ", \"date\": \"%s\", \"source\": ", q->resolved_on);
            cli_put_json_string(b, q->source);
            parley_buf_puts(b, "}");
        } else {
            parley_buf_puts(b, ", \"resolution\": null");
        }
        parley_buf_puts(b, ", \"forecasts\": [");
        int any = 0;
        for (size_t j = 0; j < n_forecasts; j++) {
            const parley_ledger_forecast *f = &forecasts[j];
            if (f->question != q->id)
                continue;
            parley_buf_printf(b, "%s\n    {\"id\": %lld, \"by\": ", any++ ? "," : "", (long long)f->id);
            cli_put_json_string(b, f->by);
            parley_buf_printf(b, ", \"date\": \"%s\", \"probability\": ", f->date);
            cli_put_json_number(b, f->probability);
            parley_buf_puts(b, ", \"distribution\": ");
            cli_put_json_string(b, f->distribution);
            parley_buf_puts(b, ", \"model\": ");
            cli_put_json_string(b, f->model);
            parley_buf_printf(b, ", \"run\": %lld, \"rationale\": ", (long long)f->run);
            cli_put_json_string(b, f->rationale);
            parley_buf_puts(b, "}");
        }
        parley_buf_printf(b, "%s]}", any ? "\n  " : "");
    }
    parley_buf_printf(b, "%s]\n", n ? "\n" : "");
}

static void list_text(parley_buf *b, const parley_question *questions, size_t n,
                      const parley_ledger_forecast *forecasts, size_t n_forecasts, int detail)
{
    if (!n) {
        parley_buf_puts(b, "the ledger has no questions\n");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        const parley_question *q = &questions[k];
        size_t count = 0;
        for (size_t j = 0; j < n_forecasts; j++)
            count += forecasts[j].question == q->id;
        char status[48];
        if (!q->resolved)
            snprintf(status, sizeof status, "open");
        else if (q->kind == PARLEY_QUESTION_BINARY)
            snprintf(status, sizeof status, "%s %s", q->outcome == 1 ? "yes" : "no",
                     q->resolved_on);
        else
            snprintf(status, sizeof status, "%g %s", q->outcome, q->resolved_on);
        parley_buf_printf(b, "%3lld %-24s %-7s closes %s  %-15s %2zu forecast%s\n    ",
                   (long long)q->id, q->slug, parley_question_kind_name(q->kind), q->close,
                   status, count, count == 1 ? "" : "s");
        rep_put_wrapped(b, q->text, 4, 78);
        parley_buf_puts(b, "\n");
        if (!detail)
            continue;
        parley_buf_puts(b, "    criteria: ");
        rep_put_wrapped(b, q->criteria, 4, 78);
        parley_buf_puts(b, "\n");
        if (q->resolved) {
            parley_buf_puts(b, "    source: ");
            rep_put_wrapped(b, q->source, 4, 78);
            parley_buf_puts(b, "\n");
        }
        for (size_t j = 0; j < n_forecasts; j++) {
            const parley_ledger_forecast *f = &forecasts[j];
            if (f->question != q->id)
                continue;
            if (isnan(f->probability))
                parley_buf_printf(b, "    %s  %-20s %s\n", f->date, f->by, f->distribution);
            else
                parley_buf_printf(b, "    %s  %-20s p = %.3g\n", f->date, f->by, f->probability);
            if (f->rationale[0]) {
                parley_buf_puts(b, "        ");
                rep_put_wrapped(b, f->rationale, 8, 78);
                parley_buf_puts(b, "\n");
            }
        }
    }
}

static int forecast_list(int argc, char **argv)
{
    static const char command[] = "forecast list";
    const char *db = NULL;
    int json = 0;
    const cli_option options[] = {JSON_OPTION(json), DB_OPTION(db), END_OPTIONS};
    static const cli_usage usage = {command, "[QUESTION]",
                                    "Lists the questions (with one, its criteria, "
                                    "resolution and every forecast).",
                                    ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = begin(&usage, options, argc, argv, 0, 1, &db, 0, &first, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    parley_question *questions = NULL, one;
    parley_ledger_forecast *forecasts = NULL;
    size_t n = 0, n_forecasts = 0;
    int code;
    if (first < argc) {
        code = parley_ledger_question(store, argv[first], &one, &err);
        if (code == PARLEY_OK)
            code = parley_ledger_forecasts(store, one.id, NULL, &forecasts, &n_forecasts, &err);
        n = 1;
    } else {
        code = parley_ledger_questions(store, &questions, &n, &err);
        if (code == PARLEY_OK)
            code = parley_ledger_forecasts(store, 0, NULL, &forecasts, &n_forecasts, &err);
    }
    parley_store_close(store);
    if (code != PARLEY_OK) {
        parley_free(questions);
        return cli_report_error(command, &err);
    }
    parley_buf b = {0};
    const parley_question *shown = questions ? questions : &one;
    if (json)
        list_json(&b, shown, n, forecasts, n_forecasts);
    else
        list_text(&b, shown, n, forecasts, n_forecasts, first < argc);
    parley_free(questions);
    parley_free(forecasts);
    return cli_write_buf(command, &b, NULL);
}

/* ---- score ------------------------------------------------------------------ */

static void put_score(parley_buf *b, double x)
{
    if (isnan(x))
        parley_buf_printf(b, "  %7s", "-");
    else
        parley_buf_printf(b, "  %7.4f", x);
}

static void score_text(parley_buf *b, const parley_ledger_scores *s, const char *by)
{
    if (by) {
        parley_buf_printf(b, "%s on each resolved question (time-averaged over updates):\n", by);
        parley_buf_printf(b, "%-28s %9s %4s %7s  %7s  %7s  %7s\n", "QUESTION", "FORECASTS", "LAST",
                   "OUTCOME", "BRIER", "LOG", "CRPS");
        for (size_t k = 0; k < s->n_questions; k++) {
            const parley_question_score *q = &s->questions[k];
            char name[32];
            snprintf(name, sizeof name, "%lld %s", (long long)q->question, q->slug);
            parley_buf_printf(b, "%-28.28s %9zu %4.2f %7g", name, q->n_forecasts, q->last, q->outcome);
            put_score(b, q->brier);
            put_score(b, q->log_score);
            put_score(b, q->crps);
            parley_buf_puts(b, "\n");
        }
        parley_buf_puts(b, "\n");
    }
    size_t scored = 0;
    for (size_t k = 0; k < s->n_forecasters; k++)
        scored += s->forecasters[k].n_questions;
    parley_buf_printf(b, "Leaderboard (%zu scores; %zu question%s unresolved, not scored; lower is "
                  "better)\n",
               scored, s->n_unresolved, s->n_unresolved == 1 ? "" : "s");
    parley_buf_printf(b, "%-4s %-26s %-6s %9s %9s  %7s  %7s  %10s\n", "RANK", "FORECASTER", "KIND",
               "QUESTIONS", "FORECASTS", "BRIER", "LOG", "CRPS/SCALE");
    for (size_t k = 0; k < s->n_forecasters; k++) {
        const parley_forecaster_score *f = &s->forecasters[k];
        parley_buf_printf(b, "%-4zu %-26.26s %-6s %9zu %9zu", k + 1, f->by,
                   f->is_model ? "model" : "person", f->n_questions, f->n_forecasts);
        put_score(b, f->brier);
        put_score(b, f->log_score);
        parley_buf_puts(b, "   ");
        put_score(b, f->crps_scaled);
        parley_buf_puts(b, "\n");
    }
    parley_buf_puts(b, "\nCalibration (every forecast on a resolved yes/no question)\n");
    parley_buf_printf(b, "%-11s %5s  %13s  %8s\n", "FORECAST", "COUNT", "MEAN FORECAST", "OBSERVED");
    for (size_t k = 0; k < PARLEY_CALIBRATION_BINS; k++) {
        const parley_calibration_bin *bin = &s->calibration[k];
        parley_buf_printf(b, "[%.1f, %.1f%s %5zu", bin->low, bin->high,
                   k + 1 == PARLEY_CALIBRATION_BINS ? "]" : ")", bin->count);
        if (bin->count)
            parley_buf_printf(b, "  %13.3f  %8.3f\n", bin->mean_forecast, bin->observed);
        else
            parley_buf_printf(b, "  %13s  %8s\n", "-", "-");
    }
}

static void score_json(parley_buf *b, const parley_ledger_scores *s)
{
    parley_buf_printf(b, "{\"unresolved\": %zu, \"leaderboard\": [", s->n_unresolved);
    for (size_t k = 0; k < s->n_forecasters; k++) {
        const parley_forecaster_score *f = &s->forecasters[k];
        parley_buf_printf(b, "%s\n  {\"rank\": %zu, \"by\": ", k ? "," : "", k + 1);
        cli_put_json_string(b, f->by);
        parley_buf_printf(b, ", \"kind\": \"%s\", \"questions\": %zu, \"binary\": %zu, "
                      "\"numeric\": %zu, \"forecasts\": %zu, \"brier\": ",
                   f->is_model ? "model" : "person", f->n_questions, f->n_binary, f->n_numeric,
                   f->n_forecasts);
        cli_put_json_number(b, f->brier);
        parley_buf_puts(b, ", \"log\": ");
        cli_put_json_number(b, f->log_score);
        parley_buf_puts(b, ", \"crps_scaled\": ");
        cli_put_json_number(b, f->crps_scaled);
        parley_buf_puts(b, "}");
    }
    parley_buf_puts(b, "],\n \"scores\": [");
    for (size_t k = 0; k < s->n_questions; k++) {
        const parley_question_score *q = &s->questions[k];
        parley_buf_printf(b, "%s\n  {\"question\": %lld, \"slug\": ", k ? "," : "",
                   (long long)q->question);
        cli_put_json_string(b, q->slug);
        parley_buf_puts(b, ", \"by\": ");
        cli_put_json_string(b, q->by);
        parley_buf_printf(b, ", \"forecasts\": %zu, \"last\": ", q->n_forecasts);
        cli_put_json_number(b, q->last);
        parley_buf_puts(b, ", \"outcome\": ");
        cli_put_json_number(b, q->outcome);
        parley_buf_puts(b, ", \"brier\": ");
        cli_put_json_number(b, q->brier);
        parley_buf_puts(b, ", \"log\": ");
        cli_put_json_number(b, q->log_score);
        parley_buf_puts(b, ", \"crps\": ");
        cli_put_json_number(b, q->crps);
        parley_buf_puts(b, "}");
    }
    parley_buf_puts(b, "],\n \"calibration\": [");
    for (size_t k = 0; k < PARLEY_CALIBRATION_BINS; k++) {
        const parley_calibration_bin *bin = &s->calibration[k];
        parley_buf_printf(b, "%s\n  {\"low\": %.1f, \"high\": %.1f, \"count\": %zu, \"mean_forecast\": ",
                   k ? "," : "", bin->low, bin->high, bin->count);
        cli_put_json_number(b, bin->mean_forecast);
        parley_buf_puts(b, ", \"observed\": ");
        cli_put_json_number(b, bin->observed);
        parley_buf_puts(b, "}");
    }
    parley_buf_puts(b, "]}\n");
}

static int forecast_score(int argc, char **argv)
{
    static const char command[] = "forecast score";
    const char *db = NULL, *by = NULL, *svg = NULL;
    int json = 0;
    const cli_option options[] = {
        {"by", 0, "NAME", "one forecaster: their score on each question", CLI_STRING, &by},
        {"svg", 0, "FILE", "write the reliability diagram as SVG", CLI_STRING, &svg},
        JSON_OPTION(json), DB_OPTION(db), END_OPTIONS,
    };
    static const cli_usage usage = {command, "",
                                    "Scores the forecasts on resolved questions: Brier and "
                                    "log scores, CRPS, a leaderboard and a calibration "
                                    "table.",
                                    ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = begin(&usage, options, argc, argv, 0, 0, &db, 0, &first, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_ledger_scores scores;
    parley_error err;
    parley_error_clear(&err);
    if (parley_ledger_score(store, by, &scores, &err) != PARLEY_OK)
        return fail(command, store, &err);
    parley_store_close(store);
    if (by && scores.n_forecasters == 0)
        fprintf(stderr, "parley %s: no scored forecasts by \"%s\"\n", command, by);
    if (svg) {
        char *text = NULL, title[192];
        snprintf(title, sizeof title, "Reliability: %s", by ? by : "every forecaster");
        rc = parley_ledger_reliability_svg(scores.calibration, PARLEY_CALIBRATION_BINS, title,
                                           &text, &err) == PARLEY_OK
                 ? cli_write_output(command, svg, text)
                 : cli_report_error(command, &err);
        parley_free(text);
        if (rc != CLI_CONTINUE) {
            parley_ledger_scores_free(&scores);
            return rc;
        }
    }
    parley_buf b = {0};
    if (json)
        score_json(&b, &scores);
    else
        score_text(&b, &scores, by);
    parley_ledger_scores_free(&scores);
    return cli_write_buf(command, &b, NULL);
}

/* ---- import and export ------------------------------------------------------ */

static int forecast_import(int argc, char **argv)
{
    static const char command[] = "forecast import";
    const char *db = NULL;
    int json = 0;
    const cli_option options[] = {JSON_OPTION(json), DB_OPTION(db), END_OPTIONS};
    static const cli_usage usage = {command, "FILE.csv",
                                    "Imports questions, forecasts and resolutions from CSV, "
                                    "all or nothing.",
                                    ledger_details};
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error(command, "expected one FILE.csv");
    size_t len = 0;
    FILE *file = fopen(argv[first], "rb");
    char *text = NULL;
    int readable = file != NULL;
    if (file) {
        size_t cap = 0;
        for (;;) {
            if (len + 4096 > cap) {
                char *grown = parley_reallocarray(text, cap = 2 * (len + 4096), 1);
                if (!grown)
                    break;
                text = grown;
            }
            size_t got = fread(text + len, 1, cap - len, file);
            len += got;
            if (got == 0)
                break;
        }
        readable = !ferror(file) && text;
        fclose(file);
    }
    if (!readable) {
        parley_free(text);
        return cli_usage_error(command, "%s: cannot read: %s", argv[first], strerror(errno));
    }
    parley_store *store = NULL;
    if ((rc = cli_store_open(command, db, PARLEY_STORE_CREATE, &store)) != CLI_CONTINUE) {
        parley_free(text);
        return rc;
    }
    parley_ledger_counts counts;
    parley_error err;
    parley_error_clear(&err);
    int code = parley_ledger_import_csv(store, text, len, argv[first], &counts, &err);
    parley_free(text);
    if (code != PARLEY_OK) {
        fail(command, store, &err);
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

static int forecast_export(int argc, char **argv)
{
    static const char command[] = "forecast export";
    const char *db = NULL;
    int json = 0;
    const cli_option options[] = {JSON_OPTION(json), DB_OPTION(db), END_OPTIONS};
    static const cli_usage usage = {command, "[FILE.csv]",
                                    "Writes the whole ledger as CSV (to FILE, else standard "
                                    "output); --json writes what `list --json` does.",
                                    ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = begin(&usage, options, argc, argv, 0, 1, &db, 0, &first, &store);
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
        return fail(command, store, &err);
    parley_store_close(store);
    rc = cli_write_output(command, first < argc ? argv[first] : NULL, text);
    parley_free(text);
    return rc == CLI_CONTINUE ? cli_finish(command) : rc;
}

/* ---- dispatch --------------------------------------------------------------- */

static const cli_command forecast_commands[] = {
    {"ask", forecast_ask, "add a question: text, resolution criteria, close date, kind"},
    {"add", forecast_add, "add a forecast by a person (-p, --dist) or a Monte Carlo run"},
    {"resolve", forecast_resolve, "record a question's outcome with its source"},
    {"list", forecast_list, "list questions, or one question's forecasts"},
    {"score", forecast_score, "Brier, log, CRPS; leaderboard; calibration table (--svg)"},
    {"import", forecast_import, "load questions, forecasts and resolutions from CSV"},
    {"export", forecast_export, "write the ledger as CSV"},
    {NULL, NULL, NULL},
};

int cmd_forecast(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *out = argc < 2 ? stderr : stdout;
        fprintf(out, "usage: parley forecast COMMAND [OPTIONS]\n\n"
                     "The forecast ledger: questions, forecasts by people and models, "
                     "resolutions, scores.\n\ncommands:\n");
        for (const cli_command *c = forecast_commands; c->name; c++)
            fprintf(out, "  %-8s %s\n", c->name, c->summary);
        fprintf(out, "\n%s\n`parley forecast COMMAND --help` describes one; --json on "
                     "each prints JSON; --help shows this help and exits.\n",
                ledger_details);
        return argc < 2 ? CLI_USAGE : cli_finish("forecast");
    }
    for (const cli_command *c = forecast_commands; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0)
            return c->run(argc - 1, argv + 1);
    return cli_usage_error("forecast", "unknown command \"%s\" (expected ask, add, resolve, "
                                       "list, score, import or export)",
                           argv[1]);
}
