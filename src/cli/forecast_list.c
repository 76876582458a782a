/* forecast_list.c — `parley forecast list` and `score`: the questions with
 * their forecasts, and the scores, leaderboard and calibration table. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/forecast.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"
#include "parley/ledger.h"
#include "report/report_internal.h"

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

int forecast_list(int argc, char **argv)
{
    static const char command[] = "forecast list";
    const char *db = NULL;
    int json = 0;
    const cli_option options[] = {JSON_OPTION(json), DB_OPTION(db), END_OPTIONS};
    static const cli_usage usage = {command, "[QUESTION]",
                                    "Lists the questions (with one, its criteria, "
                                    "resolution and every forecast).",
                                    forecast_ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = forecast_begin(&usage, options, argc, argv, 0, 1, &db, 0, &first, &store);
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

int forecast_score(int argc, char **argv)
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
                                    forecast_ledger_details};
    int first = 0;
    parley_store *store = NULL;
    int rc = forecast_begin(&usage, options, argc, argv, 0, 0, &db, 0, &first, &store);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_ledger_scores scores;
    parley_error err;
    parley_error_clear(&err);
    if (parley_ledger_score(store, by, &scores, &err) != PARLEY_OK)
        return forecast_fail(command, store, &err);
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
