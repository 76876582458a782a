/* chart_distribution.c — Monte Carlo: each issue's forecast distribution as
 * a histogram on the issue's scale, with its quantiles as a box (25-75 %),
 * whiskers (5-95 %) and the median, and the same numbers written out. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "parley/alloc.h"

static double panel(parley_chart *c, const parley_scenario *sc, const parley_mc_result *mc,
                    size_t issue_index, const parley_chart_opts *o, uint64_t *counts,
                    double top)
{
    const parley_issue *issue = &sc->issues[issue_index];
    const parley_mc_issue *summary = &mc->issues[issue_index];
    ch_font font = {o->font_size, 0, 0, CH_START, CH_INK};
    double left = 16, plot_x = left + 8, plot_w = o->width - plot_x - 40;
    double y = ch_issue_title(c, issue, left, top, &font);
    char q[5][64], text[512];
    static const double levels[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    double at[5];
    for (size_t k = 0; k < 5; k++) {
        at[k] = parley_mc_quantile(mc, issue_index, levels[k]);
        ch_number(issue, at[k], q[k], sizeof q[k]);
    }
    ch_font note = font;
    note.colour = CH_INK;
    if (summary->count == 0) {
        ch_text(c, plot_x, y + font.size, "no sample gave a forecast on this issue", &note,
                "no-forecast");
        return y + font.size * 3;
    }
    snprintf(text, sizeof text,
             "median %s; half of the %" PRIu64 " forecasts between %s and %s, "
             "90%% between %s and %s",
             q[2], summary->count, q[1], q[3], q[0], q[4]);
    if (summary->undefined)
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "; no forecast in %" PRIu64 " samples", summary->undefined);
    ch_text(c, plot_x, y + font.size, text, &note, "quantile-summary");
    y += font.size * 1.8;

    double plot_y = y, hist_h = 110, box_h = font.size * 1.2;
    double plot_h = hist_h + 8 + box_h + 6;
    ch_style frame = {CH_NONE, 0xF7F7F7, 1, CH_SOLID, 0};
    ch_rect(c, plot_x, plot_y, plot_w, plot_h, &frame, "plot");
    double span = issue->high - issue->low;
#define PX(p) (plot_x + plot_w * ((p) - issue->low) / span)
    parley_mc_histogram(mc, issue_index, o->bins, counts);
    uint64_t most = 1;
    for (size_t b = 0; b < o->bins; b++)
        if (counts[b] > most)
            most = counts[b];
    double bar_w = plot_w / (double)o->bins;
    ch_style bar = {0xFFFFFF, ch_palette[0], 0.5, CH_SOLID, 0.85};
    for (size_t b = 0; b < o->bins; b++) {
        if (!counts[b])
            continue;
        double h = hist_h * (double)counts[b] / (double)most;
        ch_prim *p = ch_rect(c, plot_x + bar_w * (double)b, plot_y + hist_h - h, bar_w, h, &bar,
                             "bar");
        char from[64], to[64];
        double width = span / (double)o->bins;
        snprintf(text, sizeof text, "%s to %s: %.1f%% of forecasts",
                 ch_number(issue, issue->low + width * (double)b, from, sizeof from),
                 ch_number(issue, issue->low + width * (double)(b + 1), to, sizeof to),
                 100.0 * (double)counts[b] / (double)summary->count);
        ch_set_title(c, p, text);
    }
    double box_y = plot_y + hist_h + 8, mid = box_y + box_h / 2;
    ch_style whisker = {CH_INK, CH_NONE, 1.5, CH_SOLID, 0};
    ch_line(c, PX(at[0]), mid, PX(at[4]), mid, &whisker, "quantile");
    ch_line(c, PX(at[0]), box_y, PX(at[0]), box_y + box_h, &whisker, "quantile");
    ch_line(c, PX(at[4]), box_y, PX(at[4]), box_y + box_h, &whisker, "quantile");
    ch_style box = {CH_INK, ch_palette[4], 1.5, CH_SOLID, 0};
    ch_prim *p = ch_rect(c, PX(at[1]), box_y, fmax(PX(at[3]) - PX(at[1]), 1), box_h, &box,
                         "quantile");
    snprintf(text, sizeof text, "25%%: %s, 75%%: %s", q[1], q[3]);
    ch_set_title(c, p, text);
    ch_style median = {CH_INK, CH_NONE, 3, CH_SOLID, 0};
    p = ch_line(c, PX(at[2]), box_y - 2, PX(at[2]), box_y + box_h + 2, &median, "quantile");
    snprintf(text, sizeof text, "median: %s", q[2]);
    ch_set_title(c, p, text);
#undef PX
    return ch_scale_axis(c, issue, plot_x, plot_x + plot_w, plot_y + plot_h, &font) + 18;
}

int parley_chart_distribution(const parley_scenario *sc, const parley_mc_result *mc,
                              const parley_model *model, const parley_chart_opts *opts,
                              parley_chart **out, parley_error *err)
{
    if (!out)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_distribution: NULL argument");
    *out = NULL;
    if (!sc || !mc)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_distribution: NULL argument");
    if (mc->n_issues != sc->n_issues)
        return parley_error_set(err, PARLEY_EINVAL,
                                "chart: the Monte Carlo summary has %zu issues, the scenario "
                                "%zu", mc->n_issues, sc->n_issues);
    parley_chart_opts o = ch_opts(opts);
    size_t from, to;
    int rc = ch_issue_range(sc, &o, &from, &to, err);
    if (rc)
        return rc;
    char title[256];
    snprintf(title, sizeof title, "Monte Carlo forecast distributions%s%s, %" PRIu64 " samples",
             model ? ": " : "", model ? model->name : "", mc->done);
    parley_chart *c = ch_new(o.width, title);
    uint64_t *counts = parley_calloc(o.bins, sizeof *counts);
    if (!c || !counts) {
        parley_free(counts);
        parley_chart_free(c);
        return parley_error_set(err, PARLEY_ENOMEM, "chart: out of memory");
    }
    double y = 8;
    for (size_t i = from; i < to; i++)
        y = panel(c, sc, mc, i, &o, counts, y);
    c->height = y;
    parley_free(counts);
    return ch_finish(c, out, err);
}

int parley_chart_distribution_svg(const parley_scenario *sc, const parley_mc_result *mc,
                                  const parley_model *model, const parley_chart_opts *opts,
                                  char **svg, parley_error *err)
{
    parley_chart *chart = NULL;
    int rc = parley_chart_distribution(sc, mc, model, opts, &chart, err);
    return ch_svg_of(rc, chart, svg, err);
}
