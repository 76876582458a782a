/* chart_forecasts.c — every model's forecast side by side, one panel per
 * issue, on the issue's own scale with the words at its ends.  Each model
 * has its own row, so marks never hide each other and the names need no
 * colour to be read. */
#include <math.h>
#include <stdio.h>

#include "chart_internal.h"

static double panel(parley_chart *c, const parley_scenario *sc, const parley_report_run *runs,
                    size_t n_runs, size_t issue_index, const parley_chart_opts *o,
                    double name_width, double top)
{
    const parley_issue *issue = &sc->issues[issue_index];
    ch_font font = {o->font_size, 0, 0, CH_START, CH_INK};
    double left = 16, plot_x = left + name_width + 12, plot_w = o->width - plot_x - 40;
    double y = ch_issue_title(c, issue, left, top, &font);
    double row = font.size * 1.9;
    double marks_top = font.size * 1.3 * (double)(!!issue->has_status_quo + !!issue->has_outcome);
    double plot_y = y + marks_top, plot_h = row * (double)n_runs + 6;
    ch_style frame = {CH_NONE, 0xF7F7F7, 1, CH_SOLID, 0};
    ch_rect(c, plot_x, plot_y, plot_w, plot_h, &frame, "plot");
    double span = issue->high - issue->low;
#define PX(p) (plot_x + plot_w * ((p) - issue->low) / span)
    ch_style grid = {CH_LIGHT, CH_NONE, 1, CH_SOLID, 0};
    for (size_t k = 0; k < issue->n_labels; k++) {
        ch_prim *g = ch_line(c, PX(issue->labels[k].at), plot_y, PX(issue->labels[k].at),
                             plot_y + plot_h, &grid, "grid");
        ch_set_title(c, g, issue->labels[k].text);
    }
    ch_font small = font;
    small.size = font.size * 0.85;
    small.colour = CH_GREY;
    char number[64], text[512];
    /* Reference lines: where things stand and, in backtests, what happened. */
    struct { int has; double at; const char *name; uint32_t colour; ch_dash dash; } refs[] = {
        {issue->has_status_quo, issue->status_quo.value, "status quo", CH_GREY, CH_DASHED},
        {issue->has_outcome, issue->outcome, "outcome", 0x009E73, CH_SOLID},
    };
    for (size_t k = 0; k < 2; k++) {
        if (!refs[k].has)
            continue;
        ch_style ref = {refs[k].colour, CH_NONE, 1.5, refs[k].dash, 0};
        double x = PX(refs[k].at);
        ch_line(c, x, plot_y - 2, x, plot_y + plot_h, &ref,
                k ? "outcome" : "status-quo");
        small.colour = refs[k].colour;
        /* Status quo and outcome each get a line of their own above the rows,
         * so they never cover each other. */
        small.anchor = x > plot_x + plot_w * 0.8 ? CH_END : x < plot_x + plot_w * 0.2 ? CH_START
                                                                                     : CH_MIDDLE;
        snprintf(text, sizeof text, "%s %s", refs[k].name,
                 ch_number(issue, refs[k].at, number, sizeof number));
        ch_text(c, x, plot_y - 5 - (k && refs[0].has ? font.size * 1.3 : 0), text, &small,
                k ? "outcome-label" : "status-quo-label");
    }
    small.colour = CH_GREY;
    for (size_t m = 0; m < n_runs; m++) {
        const parley_report_run *run = &runs[m];
        double ry = plot_y + 3 + row * ((double)m + 0.5);
        ch_font name_font = font;
        name_font.anchor = CH_END;
        ch_text(c, plot_x - 10, ry + font.size * 0.35, run->model->name, &name_font,
                "model-name");
        double forecast = run->status == PARLEY_OK && run->result
                              ? run->result->forecast[issue_index]
                              : NAN;
        if (isnan(forecast)) {
            ch_font note = small;
            note.italic = 1;
            note.anchor = CH_START;
            ch_prim *p = ch_text(c, plot_x + 8, ry + small.size * 0.35, "no forecast", &note,
                                 "no-forecast");
            const char *why = run->status != PARLEY_OK ? run->message
                              : run->result ? run->result->issue_note[issue_index]
                                            : NULL;
            ch_set_title(c, p, why);
            continue;
        }
        ch_style track = {CH_LIGHT, CH_NONE, 1, CH_SOLID, 0};
        ch_line(c, plot_x, ry, plot_x + plot_w, ry, &track, "track");
        double x = PX(forecast);
        ch_style mark = {0xFFFFFF, ch_palette[m % CH_PALETTE_SIZE], 1.5, CH_SOLID, 0};
        ch_prim *p = ch_circle(c, x, ry, font.size * 0.45, &mark, "model-mark");
        ch_set_data(c, p, "model", run->model->name);
        const char *words = parley_issue_nearest_label(issue, forecast);
        snprintf(text, sizeof text, "%s: %s (%s)", run->model->name,
                 ch_number(issue, forecast, number, sizeof number), words ? words : "");
        ch_set_title(c, p, text);
        ch_font value = font;
        value.bold = 1;
        value.colour = CH_INK;
        value.anchor = x > plot_x + plot_w - 60 ? CH_END : CH_START;
        double dx = value.anchor == CH_END ? -font.size : font.size;
        /* A backing in the panel's colour keeps the number readable where a
         * reference line crosses it. */
        double text_w = ch_text_width(number, &value);
        ch_style backing = {CH_NONE, 0xF7F7F7, 1, CH_SOLID, 0.85};
        ch_rect(c, value.anchor == CH_END ? x + dx - text_w - 2 : x + dx - 2,
                ry - font.size * 0.6, text_w + 4, font.size * 1.2, &backing, NULL);
        ch_text(c, x + dx, ry + font.size * 0.35, number, &value, "forecast-value");
    }
#undef PX
    return ch_scale_axis(c, issue, plot_x, plot_x + plot_w, plot_y + plot_h, &font) + 18;
}

int parley_chart_forecasts(const parley_scenario *sc, const parley_report_run *runs,
                           size_t n_runs, const parley_chart_opts *opts, parley_chart **out,
                           parley_error *err)
{
    if (!out)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_forecasts: NULL argument");
    *out = NULL;
    if (!sc || (!runs && n_runs))
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_forecasts: NULL argument");
    if (n_runs == 0)
        return parley_error_set(err, PARLEY_EUNDEF, "chart: no runs to show");
    for (size_t m = 0; m < n_runs; m++) {
        const parley_result *r = runs[m].result;
        if (!runs[m].model)
            return parley_error_set(err, PARLEY_EINVAL, "chart: run %zu has no model", m);
        if (runs[m].status == PARLEY_OK && r &&
            (r->n_issues != sc->n_issues || r->n_actors != sc->n_actors))
            return parley_error_set(err, PARLEY_EINVAL,
                                    "chart: the result of %s is not for this scenario",
                                    runs[m].model->name);
    }
    parley_chart_opts o = ch_opts(opts);
    size_t from, to;
    int rc = ch_issue_range(sc, &o, &from, &to, err);
    if (rc)
        return rc;
    parley_chart *c = ch_new(o.width, "Forecasts of every model per issue");
    if (!c)
        return parley_error_set(err, PARLEY_ENOMEM, "chart: out of memory");
    ch_font font = {o.font_size, 0, 0, CH_START, CH_INK};
    double name_width = 40;
    for (size_t m = 0; m < n_runs; m++) {
        double w = ch_text_width(runs[m].model->name, &font);
        if (w > name_width)
            name_width = w;
    }
    double y = 8;
    for (size_t i = from; i < to; i++)
        y = panel(c, sc, runs, n_runs, i, &o, name_width, y);
    c->height = y;
    return ch_finish(c, out, err);
}

int parley_chart_forecasts_svg(const parley_scenario *sc, const parley_report_run *runs,
                               size_t n_runs, const parley_chart_opts *opts, char **svg,
                               parley_error *err)
{
    parley_chart *chart = NULL;
    int rc = parley_chart_forecasts(sc, runs, n_runs, opts, &chart, err);
    return ch_svg_of(rc, chart, svg, err);
}
