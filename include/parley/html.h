/* parley/html.h — the self-contained HTML report.
 *
 * One HTML file that a reader can open anywhere, offline, and forward: no
 * script, no stylesheet, font or image fetched from anywhere (every chart
 * is inline SVG, the style sheet is in the file), and every piece of text
 * from the scenario escaped.  It holds, in order: a summary (per issue, the
 * range of the models' forecasts in words and, with Monte Carlo, where 90 %
 * of its forecasts fall); the forecasts of every model as a table and a
 * chart; the Monte Carlo distributions and event probabilities; the
 * sensitivity tornado; each iterative model's path; the scenario's actors,
 * issues and positions with their notes; and what produced the report (the
 * parley version, every model's parameters and seed, the Monte Carlo and
 * sensitivity options, the command line) with the scenario's canonical
 * JSON, so that a reader can reproduce every number.
 *
 * Thread-safety: reentrant; the inputs are only read. */
#ifndef PARLEY_HTML_H
#define PARLEY_HTML_H

#include <stddef.h>

#include "parley/chart.h"
#include "parley/error.h"
#include "parley/montecarlo.h"
#include "parley/report.h"
#include "parley/scenario.h"
#include "parley/sensitivity.h"
#include "parley/sweep.h"

/* What goes into a report.  Everything is borrowed for the call; parts left
 * NULL (or 0) are left out of the report. */
typedef struct parley_html_report {
    const parley_scenario *sc;          /* required */
    const char *source;                 /* where the scenario came from, in words
                                         * ("scenarios/x.json", "run 12 of parley.db") */
    const char *command;                /* the command line that reproduces it */
    const char *version;                /* the parley that computed the runs;
                                         * NULL: this one */
    const char *generated;              /* when, as text (e.g. ISO 8601 UTC) */
    const parley_report_run *runs;      /* every model's run */
    size_t n_runs;
    const parley_model *mc_model;       /* Monte Carlo: the model, */
    const parley_mc_opts *mc_opts;      /* its options (samples, seed, spread, run), */
    const parley_mc_result *mc;         /* and its summary */
    const char *const *mc_event_texts;  /* mc->n_events texts; NULL: taken from
                                         * mc_opts->events */
    const parley_model *sens_model;     /* sensitivity: the model, */
    const parley_sensitivity_opts *sens_opts;
    const parley_sensitivity *sens;     /* and its result */
    const parley_chart_opts *chart;     /* NULL: parley_chart_opts_init's */
} parley_html_report;

/* Sets every field to NULL / 0. */
void parley_html_report_init(parley_html_report *report);

/* Writes the report as one HTML document into *html (NUL-terminated; caller
 * frees with parley_free).  PARLEY_EINVAL without a scenario or with runs
 * or summaries of another size than it, PARLEY_ENOMEM. */
int parley_report_html(const parley_html_report *report, char **html, parley_error *err);

/* ---- a sweep's report (parley/sweep.h) --------------------------------- */

/* What goes into a sweep's report; borrowed for the call. */
typedef struct parley_html_sweep {
    const parley_sweep *sweep;          /* required: its scenario and model */
    const parley_sweep_result *result;  /* required: cases not done show as gaps */
    const parley_sweep_opts *opts;      /* samples, seed, spread; NULL: one run
                                         * per case, seed 0 */
    const char *title;                  /* "Sweep 3"; NULL: "Sweep" */
    const char *source;                 /* where it came from, in words */
    const char *command;                /* the command line that reproduces it */
    const char *version;                /* the parley that ran it; NULL: this one */
    const char *generated;
    const parley_chart_opts *chart;     /* NULL: parley_chart_opts_init's */
} parley_html_sweep;

/* One self-contained HTML document for a sweep: what was varied, the small
 * multiples of parley_chart_sweep (inline SVG), every case's forecast as a
 * table (with samples: mean and 5-95 %), the scenario's canonical JSON.
 * *html: caller frees with parley_free.  PARLEY_EINVAL without a sweep or
 * result, or with a result of another sweep; PARLEY_ENOMEM. */
int parley_report_sweep_html(const parley_html_sweep *rep, char **html, parley_error *err);

#endif
