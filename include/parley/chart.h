/* parley/chart.h — charts of runs, Monte Carlo and sensitivity: SVG and PNG.
 *
 * A chart is laid out once into a parley_chart (a list of lines, boxes,
 * marks and text in pixel coordinates) and then rendered: as hand-written
 * SVG, whose text stays text (searchable, testable, usable inline in HTML
 * and by the web UI), or as PNG through cairo.  Both renderings come from
 * the same layout, so they show the same thing.
 *
 * The charts:
 *   - paths: for an iterative model, each actor's position per round, one
 *     panel per issue, each line labelled with the actor's name at its end,
 *     the forecast marked by a dashed line;
 *   - forecasts: every model's forecast side by side, one panel per issue,
 *     on the issue's scale with the words at its two ends and the status quo;
 *   - distribution: per issue, the Monte Carlo histogram of the forecast
 *     with its 5, 25, 50, 75 and 95 % quantiles;
 *   - tornado: per issue, the inputs whose one-at-a-time swing moves the
 *     forecast most, largest first.
 *
 * Geometry (for tests and for a front end that adds interaction): each panel
 * draws its plot area as <rect class="plot" x y width height>.  In the paths
 * chart, round t of n_states - 1 maps to x = plot.x + plot.width * t /
 * (n_states - 1) and a position p on [low, high] to y = plot.y + plot.height
 * * (high - p) / (high - low).  In the forecasts and distribution charts a
 * point p of the scale maps to x = plot.x + plot.width * (p - low) / (high -
 * low).  Elements carry classes: "path" (an actor's polyline, data-actor =
 * its id), "forecast", "actor-label", "model-mark" (data-model), "bar",
 * "quantile", "swing-low", "swing-high", "axis-label", "issue-title".
 *
 * Colours come from the Okabe-Ito palette (safe for the common forms of
 * colour blindness); lines beyond its seven colours also change dash.
 *
 * Every function returns PARLEY_OK or fills err: PARLEY_EINVAL for NULL or
 * mismatched inputs (a result of another size than the scenario), PARLEY_EUNDEF
 * when there is nothing to draw (a result without states for paths),
 * PARLEY_ENOMEM.  Thread-safety: reentrant; inputs are only read. */
#ifndef PARLEY_CHART_H
#define PARLEY_CHART_H

#include <stddef.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/montecarlo.h"
#include "parley/report.h"
#include "parley/result.h"
#include "parley/scenario.h"
#include "parley/sensitivity.h"
#include "parley/sweep.h"

typedef struct parley_chart_opts {
    double width;      /* pixels; default 960 */
    double font_size;  /* pixels; default 13 */
    long issue;        /* -1 (default): every issue, one panel each; else
                        * only this issue */
    size_t top;        /* tornado: inputs shown per issue; default 8 */
    size_t bins;       /* distribution: histogram bars; should divide
                        * PARLEY_MC_BINS; default 50 */
} parley_chart_opts;

/* Fills opts with the defaults above. */
void parley_chart_opts_init(parley_chart_opts *opts);

/* A laid-out chart; opaque. */
typedef struct parley_chart parley_chart;

/* Lays out a chart.  opts may be NULL (defaults).  On success *out is the
 * chart (caller frees with parley_chart_free); on failure *out is NULL.
 *
 * paths: result must hold states (n_states >= 2, the history kept for the
 * whole path); model names the chart (may be NULL).
 * forecasts: runs as in parley_report_table; runs that failed are listed
 * without a mark.
 * distribution: mc is the summary of parley_mc_run for sc; model may be NULL.
 * tornado: s from parley_sensitivity_run for sc; model may be NULL. */
int parley_chart_paths(const parley_scenario *sc, const parley_result *result,
                       const parley_model *model, const parley_chart_opts *opts,
                       parley_chart **out, parley_error *err);
int parley_chart_forecasts(const parley_scenario *sc, const parley_report_run *runs,
                           size_t n_runs, const parley_chart_opts *opts,
                           parley_chart **out, parley_error *err);
int parley_chart_distribution(const parley_scenario *sc, const parley_mc_result *mc,
                              const parley_model *model, const parley_chart_opts *opts,
                              parley_chart **out, parley_error *err);
int parley_chart_tornado(const parley_scenario *sc, const parley_sensitivity *s,
                         const parley_model *model, const parley_chart_opts *opts,
                         parley_chart **out, parley_error *err);

/* sweep: small multiples, one panel per issue (each on its own scale) of
 * the forecast, or with samples the Monte Carlo mean and its 5-95 % band,
 * against the first axis's values, one line per value of the second axis
 * (axes after it held at their first value, as the note under the legend
 * says).  Cases not done or without a forecast leave a gap.  Elements:
 * "plot" per panel, "sweep-line" (data-series = the second axis's value),
 * "sweep-point" (tooltip: the case and its forecast), "sweep-band",
 * "legend".  PARLEY_EUNDEF for a sweep without axes. */
int parley_chart_sweep(const parley_sweep *s, const parley_sweep_result *r,
                       const parley_chart_opts *opts, parley_chart **out, parley_error *err);
int parley_chart_sweep_svg(const parley_sweep *s, const parley_sweep_result *r,
                           const parley_chart_opts *opts, char **svg, parley_error *err);

void parley_chart_free(parley_chart *chart);  /* NULL does nothing */

/* The chart's size in pixels. */
double parley_chart_width(const parley_chart *chart);
double parley_chart_height(const parley_chart *chart);

/* The chart as a standalone SVG document (an <svg> element with xmlns,
 * width, height and viewBox; no XML declaration, so it can be inlined in
 * HTML as it is).  Every text from the scenario is escaped.  *svg is
 * NUL-terminated; caller frees with parley_free.  PARLEY_ENOMEM. */
int parley_chart_to_svg(const parley_chart *chart, char **svg, parley_error *err);

/* The chart as a PNG image drawn by cairo, scale times its size in pixels
 * (scale > 0; 1 for 100 %, 2 for high-density screens).  *png holds *len
 * bytes; caller frees with parley_free.  PARLEY_EINTERNAL when libparley
 * was built without cairo (see parley_chart_png_available), PARLEY_EINVAL
 * for a bad scale, PARLEY_ENOMEM. */
int parley_chart_to_png(const parley_chart *chart, double scale, unsigned char **png,
                        size_t *len, parley_error *err);

/* 1 if this libparley draws PNG (it was built with cairo), else 0. */
int parley_chart_png_available(void);

/* Shorthands: lay out and render as SVG in one call (for the web UI). */
int parley_chart_paths_svg(const parley_scenario *sc, const parley_result *result,
                           const parley_model *model, const parley_chart_opts *opts,
                           char **svg, parley_error *err);
int parley_chart_forecasts_svg(const parley_scenario *sc, const parley_report_run *runs,
                               size_t n_runs, const parley_chart_opts *opts, char **svg,
                               parley_error *err);
int parley_chart_distribution_svg(const parley_scenario *sc, const parley_mc_result *mc,
                                  const parley_model *model, const parley_chart_opts *opts,
                                  char **svg, parley_error *err);
int parley_chart_tornado_svg(const parley_scenario *sc, const parley_sensitivity *s,
                             const parley_model *model, const parley_chart_opts *opts,
                             char **svg, parley_error *err);

#endif
