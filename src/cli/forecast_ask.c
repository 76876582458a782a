/* forecast_ask.c — `parley forecast ask`, `add` and `resolve`: what goes
 * into the ledger (a question, a forecast by a person or from a stored Monte
 * Carlo run, an outcome). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/forecast.h"
#include "cli/store_opts.h"
#include "parley/ledger.h"

/* ---- ask -------------------------------------------------------------------- */

int forecast_ask(int argc, char **argv)
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
                                    forecast_ledger_details};
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
    rc = forecast_set_field(command, "TEXT", q.text, sizeof q.text, argv[first]);
    if (rc == CLI_CONTINUE)
        rc = forecast_set_field(command, "--criteria", q.criteria, sizeof q.criteria, criteria);
    if (rc == CLI_CONTINUE)
        rc = forecast_set_field(command, "--close", q.close, sizeof q.close, close);
    if (rc == CLI_CONTINUE && slug)
        rc = forecast_set_field(command, "--id", q.slug, sizeof q.slug, slug);
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
        return forecast_fail(command, store, &err);
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

int forecast_add(int argc, char **argv)
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
                                    forecast_ledger_details};
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
        rc = forecast_set_field(command, "--by", f.by, sizeof f.by, by);
    if (rc == CLI_CONTINUE && note)
        rc = forecast_set_field(command, "--note", f.rationale, sizeof f.rationale, note);
    if (rc == CLI_CONTINUE && dist)
        rc = forecast_set_field(command, "--dist", f.distribution, sizeof f.distribution, dist);
    if (rc == CLI_CONTINUE && p)
        rc = forecast_parse_number(command, "-p", p, &f.probability);
    if (rc == CLI_CONTINUE)
        rc = forecast_take_date(command, date, f.date, sizeof f.date);
    parley_store *store = NULL;
    if (rc == CLI_CONTINUE)
        rc = cli_store_open(command, db, 0, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_error err;
    parley_error_clear(&err);
    parley_question q;
    if (parley_ledger_question(store, argv[first], &q, &err) != PARLEY_OK)
        return forecast_fail(command, store, &err);
    f.question = q.id;
    int from_histogram = 0;
    if (run && (rc = from_run(command, store, run, event, &f, &from_histogram)) != CLI_CONTINUE) {
        parley_store_close(store);
        return rc;
    }
    int64_t id = 0;
    if (parley_ledger_add(store, &f, &id, &err) != PARLEY_OK)
        return forecast_fail(command, store, &err);
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

int forecast_resolve(int argc, char **argv)
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
                                    forecast_ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = forecast_begin(&usage, options, argc, argv, 2, 2, &db, 0, &first, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    char day[16];
    double outcome = 0;
    const char *said = argv[first + 1];
    if (strcmp(said, "yes") == 0)
        outcome = 1;
    else if (strcmp(said, "no") != 0)
        rc = forecast_parse_number(command, "the outcome", said, &outcome);
    if (rc == CLI_CONTINUE && !source)
        rc = cli_usage_error(command, "--source TEXT is required (where the outcome is "
                                      "recorded)");
    if (rc == CLI_CONTINUE)
        rc = forecast_take_date(command, date, day, sizeof day);
    if (rc != CLI_CONTINUE) {
        parley_store_close(store);
        return rc;
    }
    parley_error err;
    parley_error_clear(&err);
    parley_question q;
    if (parley_ledger_question(store, argv[first], &q, &err) != PARLEY_OK ||
        parley_ledger_resolve(store, q.id, outcome, day, source, &err) != PARLEY_OK)
        return forecast_fail(command, store, &err);
    parley_store_close(store);
    parley_buf b = {0};
    if (json)
        parley_buf_printf(&b, "{\"question\": %lld, \"outcome\": %.17g, \"date\": \"%s\"}\n",
                   (long long)q.id, outcome, day);
    else
        parley_buf_printf(&b, "question %lld resolved %s on %s\n", (long long)q.id, said, day);
    return cli_write_buf(command, &b, NULL);
}
