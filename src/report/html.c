/* html.c — the self-contained HTML report (parley/html.h): a summary a
 * reader can act on first, then the forecasts, Monte Carlo, sensitivity and
 * paths with their charts inline, then the scenario and what produced it. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_internal.h"
#include "parley/alloc.h"
#include "parley/format.h"

void parley_html_report_init(parley_html_report *report)
{
    memset(report, 0, sizeof *report);
}

/* Only the fonts a machine has, and nothing fetched. */
static const char style_sheet[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#222;margin:0 auto;"
    "max-width:1000px;padding:16px 24px;line-height:1.45;font-size:15px}"
    "h1{font-size:26px;margin:8px 0 4px}h2{font-size:21px;border-bottom:2px solid #0072B2;"
    "padding-bottom:3px;margin-top:36px}h3{font-size:17px;margin-top:24px}h4{font-size:15px;"
    "margin:18px 0 4px}"
    ".meta{color:#555}.summary li{margin:6px 0}"
    "table{border-collapse:collapse;margin:8px 0;font-size:14px}"
    "th,td{border:1px solid #ddd;padding:4px 8px;vertical-align:top;text-align:left}"
    "th{background:#f2f2f2}td.num,th.num{text-align:right;white-space:nowrap}"
    ".note{color:#555;font-size:13px;margin:4px 0}.note-label{font-style:italic}"
    "figure{margin:12px 0}svg{max-width:100%;height:auto}figcaption{color:#555;font-size:13px}"
    "code{font-size:13px;color:#555}pre{white-space:pre-wrap;font-size:12px;background:#f7f7f7;"
    "padding:8px}details{margin:6px 0}summary{cursor:pointer;color:#0072B2}"
    ".issue{border-top:1px solid #eee;margin-top:12px}";

static const char *issue_name(const parley_issue *issue)
{
    return issue->name ? issue->name : issue->id;
}

static void figure(parley_buf *b, int rc, parley_chart *chart, const char *caption)
{
    if (rc != PARLEY_OK) {
        if (rc == PARLEY_ENOMEM)
            b->failed = 1;
        return;
    }
    parley_buf_puts(b, "<figure>\n");
    svg_write(b, chart, 0);
    parley_buf_puts(b, "<figcaption>");
    parley_buf_puts(b, caption);
    parley_buf_puts(b, "</figcaption></figure>\n");
    parley_chart_free(chart);
}

/* A forecast with its words: "44.6 (decentralisation: ...)". */
static void in_words(parley_buf *b, const parley_issue *issue, double x)
{
    char number[64];
    parley_buf_printf(b, "<b>%s</b>", ch_number(issue, x, number, sizeof number));
    const char *words = parley_issue_nearest_label(issue, x);
    if (words) {
        parley_buf_puts(b, " (");
        html_esc(b, words);
        parley_buf_puts(b, ")");
    }
}

typedef struct named_value {
    double value;
    const char *model;
} named_value;

static int by_value(const void *a, const void *b)
{
    const named_value *x = a, *y = b;
    return (x->value > y->value) - (x->value < y->value);
}

/* The models that forecast (about) x, "nash, eu". */
static void models_at(parley_buf *b, const named_value *v, size_t n, double x, double tolerance)
{
    int first = 1;
    for (size_t k = 0; k < n; k++)
        if (fabs(v[k].value - x) <= tolerance) {
            parley_buf_printf(b, "%s", first ? "" : ", ");
            html_esc(b, v[k].model);
            first = 0;
        }
}

static void summary_issue(parley_buf *b, const parley_html_report *rep, size_t i,
                          named_value *values)
{
    const parley_issue *issue = &rep->sc->issues[i];
    size_t n = 0;
    for (size_t m = 0; m < rep->n_runs; m++) {
        const parley_report_run *run = &rep->runs[m];
        if (run->status == PARLEY_OK && run->result && !isnan(run->result->forecast[i]))
            values[n++] = (named_value){run->result->forecast[i], run->model->name};
    }
    qsort(values, n, sizeof *values, by_value);
    parley_buf_puts(b, "<li><b>");
    html_esc(b, issue_name(issue));
    parley_buf_puts(b, ":</b> ");
    double tolerance = (issue->high - issue->low) * 0.005;
    if (n == 0) {
        if (rep->n_runs)  /* a stored Monte Carlo run has no single runs */
            parley_buf_puts(b, "no model gives a forecast.");
    } else if (values[n - 1].value - values[0].value <= tolerance) {
        if (n == 1) {
            parley_buf_puts(b, "only ");
            html_esc(b, values[0].model);
            parley_buf_puts(b, " gives a forecast: ");
        } else if (n == 2) {
            parley_buf_puts(b, "both models forecast ");
        } else {
            parley_buf_printf(b, "all %zu models forecast ", n);
        }
        in_words(b, issue, values[0].value);
        parley_buf_puts(b, ".");
    } else {
        parley_buf_printf(b, "the %zu models' forecasts range from ", n);
        in_words(b, issue, values[0].value);
        parley_buf_puts(b, ", by ");
        models_at(b, values, n, values[0].value, tolerance);
        parley_buf_puts(b, ", to ");
        in_words(b, issue, values[n - 1].value);
        parley_buf_puts(b, ", by ");
        models_at(b, values, n, values[n - 1].value, tolerance);
        double median = n % 2 ? values[n / 2].value
                              : (values[n / 2 - 1].value + values[n / 2].value) / 2;
        parley_buf_puts(b, "; their median is ");
        in_words(b, issue, median);
        parley_buf_puts(b, ".");
    }
    if (issue->has_status_quo) {
        parley_buf_puts(b, " Status quo ");
        in_words(b, issue, issue->status_quo.value);
        parley_buf_puts(b, ".");
    }
    if (rep->mc && rep->mc->issues[i].count) {
        char lo[64], hi[64];
        parley_buf_printf(b, " Monte Carlo (");
        html_esc(b, rep->mc_model ? rep->mc_model->name : "");
        parley_buf_printf(b, "): 90%% of %" PRIu64 " forecasts between %s and %s.",
                   rep->mc->issues[i].count,
                   ch_number(issue, parley_mc_quantile(rep->mc, i, 0.05), lo, sizeof lo),
                   ch_number(issue, parley_mc_quantile(rep->mc, i, 0.95), hi, sizeof hi));
    }
    parley_buf_puts(b, "</li>\n");
}

static void forecasts(parley_buf *b, const parley_html_report *rep, const parley_chart_opts *o)
{
    const parley_scenario *sc = rep->sc;
    parley_buf_puts(b, "<section id=\"forecasts\">\n<h2>Forecasts of every model</h2>\n<table>\n"
                "<tr><th>issue</th><th class=\"num\">status quo</th>");
    for (size_t m = 0; m < rep->n_runs; m++) {
        parley_buf_puts(b, "<th class=\"num\">");
        html_esc(b, rep->runs[m].model->name);
        parley_buf_puts(b, "</th>");
    }
    parley_buf_puts(b, "</tr>\n");
    char number[64];
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        parley_buf_puts(b, "<tr><td>");
        html_esc(b, issue_name(issue));
        parley_buf_printf(b, "</td><td class=\"num\">%s</td>",
                   issue->has_status_quo
                       ? ch_number(issue, issue->status_quo.value, number, sizeof number)
                       : "");
        for (size_t m = 0; m < rep->n_runs; m++) {
            const parley_report_run *run = &rep->runs[m];
            double x = run->status == PARLEY_OK && run->result ? run->result->forecast[i] : NAN;
            const char *why = run->status != PARLEY_OK ? run->message
                              : run->result ? run->result->issue_note[i]
                                            : NULL;
            const char *words = isnan(x) ? why : parley_issue_nearest_label(issue, x);
            parley_buf_puts(b, "<td class=\"num\" title=\"");
            html_esc(b, words);
            parley_buf_printf(b, "\">%s</td>", isnan(x) ? "&#8212;"
                                                 : ch_number(issue, x, number, sizeof number));
        }
        parley_buf_puts(b, "</tr>\n");
    }
    parley_buf_puts(b, "</table>\n");
    /* Why a model gave no forecast, or what decided it, as the models say. */
    int any = 0;
    for (size_t m = 0; m < rep->n_runs; m++) {
        const parley_report_run *run = &rep->runs[m];
        if (run->status != PARLEY_OK) {
            parley_buf_printf(b, "%s<li><b>", any++ ? "" : "<ul class=\"note\">");
            html_esc(b, run->model->name);
            parley_buf_puts(b, "</b> did not run: ");
            html_esc(b, run->message);
            parley_buf_puts(b, "</li>\n");
            continue;
        }
        if (run->result && run->model->iterative) {
            parley_buf_printf(b, "%s<li><b>", any++ ? "" : "<ul class=\"note\">");
            html_esc(b, run->model->name);
            parley_buf_printf(b, "</b>: %zu rounds, ", run->result->n_rounds);
            html_esc(b, run->result->stop_reason);
            parley_buf_puts(b, "</li>\n");
        }
    }
    if (any)
        parley_buf_puts(b, "</ul>\n");
    parley_chart *chart = NULL;
    int rc = parley_chart_forecasts(sc, rep->runs, rep->n_runs, o, &chart, NULL);
    figure(b, rc, chart,
           "Each model's forecast on each issue's scale; the dashed line is the status quo. "
           "Hover a mark for the words nearest to it.");
    parley_buf_puts(b, "</section>\n");
}

static void monte_carlo(parley_buf *b, const parley_html_report *rep, const parley_chart_opts *o)
{
    const parley_mc_result *mc = rep->mc;
    const parley_scenario *sc = rep->sc;
    parley_buf_puts(b, "<section id=\"montecarlo\">\n<h2>Monte Carlo</h2>\n<p>");
    parley_buf_printf(b, "%" PRIu64 " scenarios drawn from the stated uncertainty of every "
                  "capability, position, salience and status quo",
               mc->done);
    if (mc->spread > 0)
        parley_buf_printf(b, " (values that state none: a standard deviation of %g of their scale)",
                   mc->spread);
    parley_buf_puts(b, ", each run with <b>");
    html_esc(b, rep->mc_model ? rep->mc_model->name : "?");
    parley_buf_printf(b, "</b>; seed %" PRIu64 ".", mc->seed);
    if (mc->failed)
        parley_buf_printf(b, " %" PRIu64 " samples gave no forecast at all.", mc->failed);
    parley_buf_puts(b, "</p>\n<table>\n<tr><th>issue</th><th class=\"num\">mean</th>"
                "<th class=\"num\">sd</th><th class=\"num\">5%</th><th class=\"num\">25%</th>"
                "<th class=\"num\">median</th><th class=\"num\">75%</th>"
                "<th class=\"num\">95%</th></tr>\n");
    static const double levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    char number[64];
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        parley_buf_puts(b, "<tr><td>");
        html_esc(b, issue_name(issue));
        parley_buf_printf(b, "</td><td class=\"num\">%s</td>",
                   ch_number(issue, mc->issues[i].count ? mc->issues[i].mean : NAN, number,
                             sizeof number));
        parley_buf_printf(b, "<td class=\"num\">%s</td>",
                   ch_number(issue, mc->issues[i].count > 1 ? mc->issues[i].sd : NAN, number,
                             sizeof number));
        for (size_t k = 0; k < 5; k++)
            parley_buf_printf(b, "<td class=\"num\">%s</td>",
                       ch_number(issue, parley_mc_quantile(mc, i, levels[k]), number,
                                 sizeof number));
        parley_buf_puts(b, "</tr>\n");
    }
    parley_buf_puts(b, "</table>\n");
    if (mc->n_events) {
        parley_buf_puts(b, "<h3>Probabilities</h3>\n<table>\n<tr><th>event</th>"
                    "<th class=\"num\">probability</th><th class=\"num\">&#177; standard "
                    "error</th></tr>\n");
        for (size_t e = 0; e < mc->n_events; e++) {
            const char *text = rep->mc_event_texts ? rep->mc_event_texts[e]
                               : rep->mc_opts && rep->mc_opts->events
                                   ? parley_mc_event_text(rep->mc_opts->events[e])
                                   : "";
            parley_buf_puts(b, "<tr><td><code>");
            html_esc(b, text);
            parley_buf_printf(b, "</code></td><td class=\"num\">%.3f</td><td class=\"num\">%.3f</td>"
                          "</tr>\n",
                       mc->events[e].probability, mc->events[e].std_error);
        }
        parley_buf_puts(b, "</table>\n");
    }
    parley_chart *chart = NULL;
    int rc = parley_chart_distribution(sc, mc, rep->mc_model, o, &chart, NULL);
    figure(b, rc, chart,
           "The distribution of the forecast over the Monte Carlo samples.  The box spans the "
           "middle half (25 to 75%), the whiskers 90% (5 to 95%), the thick line is the "
           "median.");
    parley_buf_puts(b, "</section>\n");
}

static void sensitivity(parley_buf *b, const parley_html_report *rep, const parley_chart_opts *o)
{
    parley_buf_puts(b, "<section id=\"sensitivity\">\n<h2>Sensitivity</h2>\n<p>Which inputs move the "
                "forecast of <b>");
    html_esc(b, rep->sens_model ? rep->sens_model->name : "?");
    parley_buf_printf(b, "</b> most: each of the %zu uncertain inputs set alone to the low and the "
                  "high end of its range, every other input at its stated value.</p>\n",
               rep->sens->n_inputs);
    parley_chart *chart = NULL;
    int rc = parley_chart_tornado(rep->sc, rep->sens, rep->sens_model, o, &chart, NULL);
    figure(b, rc, chart, "Inputs ranked by how far they move each issue's forecast.");
    parley_buf_puts(b, "</section>\n");
}

static void paths(parley_buf *b, const parley_html_report *rep, const parley_chart_opts *o)
{
    int opened = 0;
    for (size_t m = 0; m < rep->n_runs; m++) {
        const parley_report_run *run = &rep->runs[m];
        if (run->status != PARLEY_OK || !run->result || !run->model->iterative ||
            run->result->n_states < 2)
            continue;
        if (!opened++)
            parley_buf_puts(b, "<section id=\"paths\">\n<h2>How the iterative models got there</h2>\n");
        parley_buf_puts(b, "<h3>");
        html_esc(b, run->model->name);
        parley_buf_printf(b, "</h3>\n<p>%zu rounds: ", run->result->n_rounds);
        html_esc(b, run->result->stop_reason);
        parley_buf_puts(b, ".  ");
        html_esc(b, run->model->summary);
        parley_buf_puts(b, "</p>\n");
        parley_chart *chart = NULL;
        int rc = parley_chart_paths(rep->sc, run->result, run->model, o, &chart, NULL);
        figure(b, rc, chart,
               "Each actor's position after each round; the dashed line is the forecast.");
    }
    if (opened)
        parley_buf_puts(b, "</section>\n");
}

static void params(parley_buf *b, const parley_model *model, const parley_run_opts *opts)
{
    parley_run_opts defaults;
    if (!opts) {
        parley_run_opts_init(&defaults, model);
        opts = &defaults;
    }
    char value[64];
    size_t n = parley_model_count_params(model);
    for (size_t k = 0; k < n; k++) {
        parley_buf_printf(b, "%s<code>", k ? ", " : "");
        html_esc(b, model->params[k].name);
        parley_buf_puts(b, "=");
        html_esc(b, parley_param_format(&model->params[k], opts->param[k], value, sizeof value));
        parley_buf_puts(b, "</code>");
    }
    parley_buf_printf(b, "%sseed %" PRIu64, n ? "; " : "", opts->seed);
}

static void reproduce(parley_buf *b, const parley_html_report *rep)
{
    parley_buf_puts(b, "<section id=\"reproduce\">\n<h2>How this report was made</h2>\n<p>parley ");
    html_esc(b, rep->version ? rep->version : PARLEY_VERSION);
    if (rep->generated) {
        parley_buf_puts(b, ", ");
        html_esc(b, rep->generated);
    }
    parley_buf_puts(b, ".");
    if (rep->source) {
        parley_buf_puts(b, " Scenario: ");
        html_esc(b, rep->source);
        parley_buf_puts(b, ".");
    }
    parley_buf_puts(b, "</p>\n");
    if (rep->command) {
        parley_buf_puts(b, "<p>To reproduce it: <code>");
        html_esc(b, rep->command);
        parley_buf_puts(b, "</code></p>\n");
    }
    parley_buf_puts(b, "<table>\n<tr><th>model</th><th>reference</th><th>parameters</th></tr>\n");
    for (size_t m = 0; m < rep->n_runs; m++) {
        parley_buf_puts(b, "<tr><td>");
        html_esc(b, rep->runs[m].model->name);
        parley_buf_puts(b, "</td><td>");
        html_esc(b, rep->runs[m].model->reference);
        parley_buf_puts(b, "</td><td>");
        params(b, rep->runs[m].model, rep->runs[m].opts);
        parley_buf_puts(b, "</td></tr>\n");
    }
    parley_buf_puts(b, "</table>\n");
    if (rep->mc && rep->mc_model) {
        parley_buf_printf(b, "<p>Monte Carlo: %" PRIu64 " samples, seed %" PRIu64 ", spread %g; ",
                   rep->mc->samples, rep->mc->seed, rep->mc->spread);
        html_esc(b, rep->mc_model->name);
        parley_buf_puts(b, " with ");
        params(b, rep->mc_model, rep->mc_opts ? rep->mc_opts->run : NULL);
        parley_buf_puts(b, ".</p>\n");
    }
    if (rep->sens && rep->sens_model) {
        parley_buf_printf(b, "<p>Sensitivity: one at a time over %zu inputs, spread %g; ",
                   rep->sens->n_inputs, rep->sens_opts ? rep->sens_opts->spread : 0.0);
        html_esc(b, rep->sens_model->name);
        parley_buf_puts(b, " with ");
        params(b, rep->sens_model, rep->sens_opts ? rep->sens_opts->run : NULL);
        parley_buf_puts(b, ".</p>\n");
    }
    char *json = NULL;
    if (parley_scenario_format(rep->sc, PARLEY_FORMAT_JSON, &json, NULL) == PARLEY_OK) {
        parley_buf_puts(b, "<details><summary>The scenario as parley JSON (save it as a .json file "
                    "to run it again)</summary>\n<pre>");
        html_esc(b, json);
        parley_buf_puts(b, "</pre></details>\n");
        parley_free(json);
    } else {
        b->failed = 1;
    }
    parley_buf_puts(b, "</section>\n");
}

static int check(const parley_html_report *rep, parley_error *err)
{
    const parley_scenario *sc = rep->sc;
    if (!sc || (rep->n_runs && !rep->runs))
        return parley_error_set(err, PARLEY_EINVAL, "HTML report: no scenario");
    for (size_t m = 0; m < rep->n_runs; m++) {
        const parley_report_run *run = &rep->runs[m];
        if (!run->model || (run->status == PARLEY_OK && run->result &&
                            (run->result->n_issues != sc->n_issues ||
                             run->result->n_actors != sc->n_actors)))
            return parley_error_set(err, PARLEY_EINVAL,
                                    "HTML report: run %zu is not of this scenario", m);
    }
    if ((rep->mc && rep->mc->n_issues != sc->n_issues) ||
        (rep->sens && rep->sens->n_issues != sc->n_issues))
        return parley_error_set(err, PARLEY_EINVAL,
                                "HTML report: a summary is not of this scenario");
    return PARLEY_OK;
}

int parley_report_html(const parley_html_report *rep, char **html, parley_error *err)
{
    if (!html || !rep)
        return parley_error_set(err, PARLEY_EINVAL, "parley_report_html: NULL argument");
    *html = NULL;
    int rc = check(rep, err);
    if (rc)
        return rc;
    const parley_scenario *sc = rep->sc;
    parley_chart_opts o;
    parley_chart_opts_init(&o);
    if (rep->chart)
        o = *rep->chart;
    named_value *values = parley_calloc(rep->n_runs + 1, sizeof *values);
    if (!values)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    parley_buf b = {0};
    const char *title = sc->name ? sc->name : sc->id ? sc->id : "scenario";
    parley_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                 "<title>");
    html_esc(&b, title);
    parley_buf_printf(&b, " &#8212; parley report</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
               style_sheet);
    html_esc(&b, title);
    parley_buf_puts(&b, "</h1>\n<p class=\"meta\">");
    if (sc->date) {
        html_esc(&b, sc->date);
        parley_buf_puts(&b, " &#183; ");
    }
    parley_buf_printf(&b, "%zu actors &#183; %zu issues &#183; %zu model%s", sc->n_actors,
               sc->n_issues, rep->n_runs, rep->n_runs == 1 ? "" : "s");
    if (rep->mc)
        parley_buf_printf(&b, " &#183; Monte Carlo, %" PRIu64 " samples", rep->mc->done);
    parley_buf_puts(&b, "</p>\n<section id=\"summary\">\n<h2>Summary</h2>\n<ul class=\"summary\">\n");
    for (size_t i = 0; i < sc->n_issues; i++)
        summary_issue(&b, rep, i, values);
    parley_buf_puts(&b, "</ul>\n<p class=\"note\">Numbers are on each issue's own scale; the words in "
                 "brackets are the scale's label nearest to them.</p>\n</section>\n");
    if (rep->n_runs)
        forecasts(&b, rep, &o);
    if (rep->mc)
        monte_carlo(&b, rep, &o);
    if (rep->sens)
        sensitivity(&b, rep, &o);
    paths(&b, rep, &o);
    html_scenario(&b, sc);
    reproduce(&b, rep);
    parley_buf_puts(&b, "</body>\n</html>\n");
    parley_free(values);
    return parley_buf_finish(&b, html, err);
}
