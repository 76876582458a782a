/* ledger_report.c — scoring the ledger: each forecaster's time-averaged
 * score per resolved question, the leaderboard, the calibration table and
 * its reliability diagram (parley/ledger.h; docs/scoring.md). */
#include "ledger_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "report/report_internal.h"

void parley_ledger_scores_free(parley_ledger_scores *scores)
{
    if (!scores)
        return;
    parley_free(scores->questions);
    parley_free(scores->forecasters);
    scores->questions = NULL;
    scores->forecasters = NULL;
    scores->n_questions = scores->n_forecasters = 0;
}

static const parley_question *question_by_id(const parley_question *questions, size_t n,
                                             int64_t id)
{
    for (size_t k = 0; k < n; k++)
        if (questions[k].id == id)
            return &questions[k];
    return NULL;
}

/* The day a question's scoring ends: its close, or its resolution if that
 * came first. */
static long end_day(const parley_question *q)
{
    long close = 0, resolved = 0;
    parley_date_parse(q->close, &close, NULL);
    if (parley_date_parse(q->resolved_on, &resolved, NULL) == PARLEY_OK && resolved < close)
        return resolved;
    return close;
}

/* Scores forecasts[0..n) (one forecaster on question q, oldest first) into
 * *score; days and each score go into the scratch arrays. */
static int score_group(const parley_question *q, const parley_ledger_forecast *forecasts,
                       size_t n, long *days, double *brier, double *log_score, double *crps,
                       parley_question_score *score, parley_error *err)
{
    int binary = q->kind == PARLEY_QUESTION_BINARY;
    int happened = q->outcome == 1;
    for (size_t k = 0; k < n; k++) {
        days[k] = 0;
        parley_date_parse(forecasts[k].date, &days[k], NULL);
        if (binary) {
            brier[k] = parley_score_brier(forecasts[k].probability, happened);
            log_score[k] = parley_score_log(forecasts[k].probability, happened);
        } else {
            parley_dist dist;
            if (parley_dist_parse(forecasts[k].distribution, q->low, q->high, &dist, err) !=
                PARLEY_OK) {
                parley_error_at(err, NULL, 0, 0, "distribution");
                return PARLEY_EINVAL;
            }
            crps[k] = parley_score_crps(&dist, q->outcome);
        }
    }
    long end = end_day(q);
    memset(score, 0, sizeof *score);
    score->question = q->id;
    snprintf(score->slug, sizeof score->slug, "%s", q->slug);
    snprintf(score->by, sizeof score->by, "%s", forecasts[0].by);
    score->n_forecasts = n;
    score->outcome = q->outcome;
    score->last = binary ? forecasts[n - 1].probability : (double)NAN;
    score->brier = binary ? parley_score_time_average(days, brier, n, end) : (double)NAN;
    score->log_score = binary ? parley_score_time_average(days, log_score, n, end) : (double)NAN;
    score->crps = binary ? (double)NAN : parley_score_time_average(days, crps, n, end);
    score->crps_scaled = binary ? (double)NAN : score->crps / (q->high - q->low);
    return PARLEY_OK;
}

static int by_forecaster_then_question(const void *a, const void *b)
{
    const parley_question_score *x = a, *y = b;
    int c = strcmp(x->by, y->by);
    return c ? c : (x->question > y->question) - (x->question < y->question);
}

/* Lower first, NaN last. */
static int compare_scores(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

static int best_first(const void *a, const void *b)
{
    const parley_forecaster_score *x = a, *y = b;
    int c = compare_scores(x->brier, y->brier);
    if (!c)
        c = compare_scores(x->crps_scaled, y->crps_scaled);
    return c ? c : strcmp(x->by, y->by);
}

/* Sums each forecaster's question scores into the leaderboard. */
static int leaderboard(parley_ledger_scores *s, const parley_ledger_forecast *forecasts,
                       size_t n_forecasts, parley_error *err)
{
    s->forecasters = parley_calloc(s->n_questions ? s->n_questions : 1,
                                   sizeof *s->forecasters);
    if (!s->forecasters)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    for (size_t k = 0; k < s->n_questions; k++) {
        const parley_question_score *q = &s->questions[k];
        parley_forecaster_score *f = NULL;
        if (s->n_forecasters && strcmp(s->forecasters[s->n_forecasters - 1].by, q->by) == 0)
            f = &s->forecasters[s->n_forecasters - 1];
        if (!f) {
            f = &s->forecasters[s->n_forecasters++];
            snprintf(f->by, sizeof f->by, "%s", q->by);
            for (size_t j = 0; j < n_forecasts && !f->is_model; j++)
                f->is_model = strcmp(forecasts[j].by, q->by) == 0 && forecasts[j].model[0];
        }
        f->n_questions++;
        f->n_forecasts += q->n_forecasts;
        if (!isnan(q->brier)) {
            f->n_binary++;
            f->brier += q->brier;
            f->log_score += q->log_score;
        }
        if (!isnan(q->crps_scaled)) {
            f->n_numeric++;
            f->crps_scaled += q->crps_scaled;
        }
    }
    for (size_t k = 0; k < s->n_forecasters; k++) {
        parley_forecaster_score *f = &s->forecasters[k];
        f->brier = f->n_binary ? f->brier / (double)f->n_binary : (double)NAN;
        f->log_score = f->n_binary ? f->log_score / (double)f->n_binary : (double)NAN;
        f->crps_scaled = f->n_numeric ? f->crps_scaled / (double)f->n_numeric : (double)NAN;
    }
    qsort(s->forecasters, s->n_forecasters, sizeof *s->forecasters, best_first);
    return PARLEY_OK;
}

int parley_ledger_score(parley_store *store, const char *by, parley_ledger_scores *out,
                        parley_error *err)
{
    memset(out, 0, sizeof *out);
    parley_question *questions = NULL;
    parley_ledger_forecast *forecasts = NULL;
    size_t n_questions = 0, n_forecasts = 0;
    long *days = NULL;
    double *scratch = NULL, *calibration_p = NULL;
    int *calibration_hit = NULL;
    size_t n_calibration = 0;
    int rc = parley_ledger_questions(store, &questions, &n_questions, err);
    if (rc == PARLEY_OK)
        rc = parley_ledger_forecasts(store, 0, by, &forecasts, &n_forecasts, err);
    if (rc != PARLEY_OK)
        goto done;
    size_t slots = n_forecasts ? n_forecasts : 1;
    days = parley_malloc(slots * sizeof *days);
    scratch = parley_malloc(3 * slots * sizeof *scratch);
    calibration_p = parley_malloc(slots * sizeof *calibration_p);
    calibration_hit = parley_malloc(slots * sizeof *calibration_hit);
    out->questions = parley_calloc(slots, sizeof *out->questions);
    if (!days || !scratch || !calibration_p || !calibration_hit || !out->questions) {
        rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < n_questions; k++)
        out->n_unresolved += !questions[k].resolved;
    /* Forecasts come ordered by question, forecaster and date: each run of
     * one (question, forecaster) is one score. */
    for (size_t first = 0; rc == PARLEY_OK && first < n_forecasts;) {
        size_t last = first + 1;
        while (last < n_forecasts && forecasts[last].question == forecasts[first].question &&
               strcmp(forecasts[last].by, forecasts[first].by) == 0)
            last++;
        const parley_question *q = question_by_id(questions, n_questions,
                                                  forecasts[first].question);
        if (q && q->resolved) {
            rc = score_group(q, forecasts + first, last - first, days, scratch,
                             scratch + slots, scratch + 2 * slots,
                             &out->questions[out->n_questions++], err);
            for (size_t k = first; q->kind == PARLEY_QUESTION_BINARY && k < last; k++) {
                calibration_p[n_calibration] = forecasts[k].probability;
                calibration_hit[n_calibration++] = q->outcome == 1;
            }
        }
        first = last;
    }
    if (rc != PARLEY_OK)
        goto done;
    parley_calibration(calibration_p, calibration_hit, n_calibration, out->calibration);
    qsort(out->questions, out->n_questions, sizeof *out->questions,
          by_forecaster_then_question);
    rc = leaderboard(out, forecasts, n_forecasts, err);
done:
    if (rc != PARLEY_OK)
        parley_ledger_scores_free(out);
    parley_free(questions);
    parley_free(forecasts);
    parley_free(days);
    parley_free(scratch);
    parley_free(calibration_p);
    parley_free(calibration_hit);
    return rc;
}

/* ---- the reliability diagram ------------------------------------------------ */

static void put_escaped(parley_buf *b, const char *text)
{
    for (; *text; text++) {
        if (*text == '<')
            parley_buf_puts(b, "&lt;");
        else if (*text == '>')
            parley_buf_puts(b, "&gt;");
        else if (*text == '&')
            parley_buf_puts(b, "&amp;");
        else
            parley_buf_printf(b, "%c", *text);
    }
}

int parley_ledger_reliability_svg(const parley_calibration_bin *bins, size_t n_bins,
                                  const char *title, char **out, parley_error *err)
{
    /* A square plot of side `side` with its origin at (left, top + side). */
    const double left = 70, top = 50, side = 400;
    parley_buf b = {0};
    parley_buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" height=\"530\" "
               "viewBox=\"0 0 520 530\" font-family=\"sans-serif\" font-size=\"12\">\n"
               "<rect width=\"520\" height=\"530\" fill=\"white\"/>\n"
               "<text x=\"260\" y=\"28\" text-anchor=\"middle\" font-size=\"15\">");
    put_escaped(&b, title ? title : "Reliability diagram");
    parley_buf_puts(&b, "</text>\n");
    for (int tick = 0; tick <= 10; tick++) {
        double at = (double)tick / 10;
        double x = left + at * side, y = top + side - at * side;
        parley_buf_printf(&b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n"
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.1f</text>\n"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n",
                   x, top, x, top + side, left, y, left + side, y, x, top + side + 18, at,
                   left - 8, y + 4, at);
    }
    parley_buf_printf(&b,
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
               "stroke=\"black\"/>\n"
               "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" "
               "stroke-dasharray=\"6 4\"/>\n"
               "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">mean forecast "
               "probability</text>\n"
               "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 "
               "%.1f)\">observed frequency</text>\n",
               left, top, side, side, left, top + side, left + side, top, left + side / 2,
               top + side + 42, top + side / 2, top + side / 2);
    parley_buf_puts(&b, "<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\"");
    for (size_t k = 0; k < n_bins; k++)
        if (bins[k].count)
            parley_buf_printf(&b, "%.1f,%.1f ", left + bins[k].mean_forecast * side,
                       top + side - bins[k].observed * side);
    parley_buf_puts(&b, "\"/>\n");
    for (size_t k = 0; k < n_bins; k++) {
        if (!bins[k].count)
            continue;
        double x = left + bins[k].mean_forecast * side;
        double y = top + side - bins[k].observed * side;
        parley_buf_printf(&b,
                   "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#1f5fa8\" "
                   "fill-opacity=\"0.7\"><title>forecasts %.1f-%.1f: %zu, mean %.3f, "
                   "observed %.3f</title></circle>\n"
                   "<text x=\"%.1f\" y=\"%.1f\">n=%zu</text>\n",
                   x, y, 3 + 2 * sqrt((double)bins[k].count), bins[k].low, bins[k].high,
                   bins[k].count, bins[k].mean_forecast, bins[k].observed, x + 8, y - 8,
                   bins[k].count);
    }
    parley_buf_puts(&b, "</svg>\n");
    return parley_buf_finish(&b, out, err);
}
