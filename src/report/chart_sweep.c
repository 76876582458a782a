/* chart_sweep.c — a sweep as small multiples: one small panel per issue,
 * the forecast (or Monte Carlo mean, with its 5-95 % band) against the
 * first varied input, one line per value of the second.  Panels share the
 * x axis and each keeps its issue's own scale, so the eye compares shapes
 * across issues without reading numbers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "parley/alloc.h"

#define PANEL_MIN_WIDTH 300.0
#define MAX_TICKS 8

typedef struct sweep_layout {
    const parley_sweep *s;
    const parley_sweep_result *r;
    const parley_scenario *sc;
    size_t n_axes, n_x, n_lines;
    uint64_t stride_x, stride_line;  /* case-index steps of axes 0 and 1 */
    double x_low, x_high;
    int banded;                      /* Monte Carlo: draw q05..q95 */
} sweep_layout;

/* An axis value as people write it: a choice by name, a number briefly. */
static void axis_value_text(const parley_sweep *s, size_t axis, double value, char *buf,
                            size_t n)
{
    const parley_sweep_axis *a = parley_sweep_axis_at(s, axis);
    if (a->kind == PARLEY_SWEEP_PARAM)
        parley_param_format(&parley_sweep_model(s)->params[a->param], value, buf, n);
    else
        snprintf(buf, n, "%.6g", value);
}

static uint64_t stride_of(const parley_sweep *s, size_t axis)
{
    uint64_t inner = 1;
    for (size_t k = axis + 1; k < parley_sweep_count_axes(s); k++)
        inner *= parley_sweep_axis_at(s, k)->n_values;
    return inner;
}

static double stat_at(const sweep_layout *L, size_t xi, size_t line, parley_sweep_stat stat,
                      size_t issue)
{
    uint64_t c = (uint64_t)xi * L->stride_x + (uint64_t)line * L->stride_line;
    if (!L->r->done[c] || L->r->status[c] != PARLEY_OK)
        return NAN;
    return *parley_sweep_result_at(L->r, c, stat, issue);
}

/* One line (and its band) in a panel, split where a case has no value. */
static void draw_line(parley_chart *c, const sweep_layout *L, size_t issue_index, size_t line,
                      double px, double py, double pw, double ph, const ch_font *font)
{
    const parley_issue *issue = &L->sc->issues[issue_index];
    const parley_sweep_axis *ax = parley_sweep_axis_at(L->s, 0);
    double x_span = L->x_high - L->x_low, y_span = issue->high - issue->low;
#define X(v) (px + pw * ((v) - L->x_low) / x_span)
#define Y(v) (py + ph * (issue->high - (v)) / y_span)
    uint32_t colour = ch_palette[line % CH_PALETTE_SIZE];
    ch_dash dash = (ch_dash)((line / CH_PALETTE_SIZE) % 4);
    double *points = parley_malloc(4 * L->n_x * sizeof *points + sizeof *points);
    if (!points) {
        c->failed = 1;
        return;
    }
    char series[96], value[64], tip[512], number[64];
    if (L->n_axes > 1)
        axis_value_text(L->s, 1, parley_sweep_axis_at(L->s, 1)->values[line], series,
                        sizeof series);
    else
        snprintf(series, sizeof series, "all");
    for (size_t from = 0; from < L->n_x;) {
        size_t to = from;
        while (to < L->n_x && !isnan(stat_at(L, to, line, PARLEY_SWEEP_MEAN, issue_index)))
            to++;
        size_t n = to - from;
        int band = L->banded;
        for (size_t k = 0; k < n && band; k++)
            band = !isnan(stat_at(L, from + k, line, PARLEY_SWEEP_Q05, issue_index)) &&
                   !isnan(stat_at(L, from + k, line, PARLEY_SWEEP_Q95, issue_index));
        if (band && n > 1) {
            for (size_t k = 0; k < n; k++) {
                double x = X(ax->values[from + k]);
                points[2 * k] = points[2 * (2 * n - 1 - k)] = x;
                points[2 * k + 1] = Y(stat_at(L, from + k, line, PARLEY_SWEEP_Q95, issue_index));
                points[2 * (2 * n - 1 - k) + 1] =
                    Y(stat_at(L, from + k, line, PARLEY_SWEEP_Q05, issue_index));
            }
            ch_style fill = {CH_NONE, colour, 0, CH_SOLID, 0.15};
            ch_poly(c, CH_POLYGON, points, 2 * n, &fill, "sweep-band");
        }
        for (size_t k = 0; k < n; k++) {
            points[2 * k] = X(ax->values[from + k]);
            points[2 * k + 1] = Y(stat_at(L, from + k, line, PARLEY_SWEEP_MEAN, issue_index));
        }
        if (n > 1) {
            ch_style stroke = {colour, CH_NONE, 1.8, dash, 0};
            ch_prim *p = ch_poly(c, CH_POLYLINE, points, n, &stroke, "sweep-line");
            ch_set_data(c, p, "series", series);
        }
        for (size_t k = 0; k < n; k++) {
            ch_style mark = {0xFFFFFF, colour, 1, CH_SOLID, 0};
            ch_prim *p = ch_circle(c, points[2 * k], points[2 * k + 1], font->size * 0.22, &mark,
                                   "sweep-point");
            axis_value_text(L->s, 0, ax->values[from + k], value, sizeof value);
            ch_number(issue, stat_at(L, from + k, line, PARLEY_SWEEP_MEAN, issue_index),
                      number, sizeof number);
            if (L->n_axes > 1)
                snprintf(tip, sizeof tip, "%s = %s, %s = %s: %s", ax->label, value,
                         parley_sweep_axis_at(L->s, 1)->label, series, number);
            else
                snprintf(tip, sizeof tip, "%s = %s: %s", ax->label, value, number);
            ch_set_title(c, p, tip);
        }
        from = to + (to == from);
    }
#undef X
#undef Y
    parley_free(points);
}

static void panel(parley_chart *c, const sweep_layout *L, size_t issue_index, double left,
                  double top, double width, double plot_h, const ch_font *font)
{
    const parley_issue *issue = &L->sc->issues[issue_index];
    char text[256], number[64];
    ch_font title = *font;
    title.bold = 1;
    ch_prim *t = ch_text(c, left, top + font->size,
                         ch_cut(issue->name ? issue->name : issue->id, width - 8, &title, text,
                                sizeof text),
                         &title, "issue-title");
    ch_set_title(c, t, issue->description);
    ch_font small = *font;
    small.size = font->size * 0.8;
    small.colour = CH_GREY;
    double label_w = 0;
    double ends[2] = {issue->low, issue->high};
    for (int k = 0; k < 2; k++) {
        double w = ch_text_width(ch_number(issue, ends[k], number, sizeof number), &small);
        label_w = w > label_w ? w : label_w;
    }
    double px = left + label_w + 8, py = top + font->size * 1.6, pw = width - (px - left) - 12;
    ch_style frame = {CH_NONE, 0xF7F7F7, 1, CH_SOLID, 0};
    ch_rect(c, px, py, pw, plot_h, &frame, "plot");
    small.anchor = CH_END;
    ch_style grid = {CH_LIGHT, CH_NONE, 1, CH_SOLID, 0};
    for (int k = 0; k < 3; k++) {
        double v = issue->low + (issue->high - issue->low) * k / 2.0;
        double y = py + plot_h * (issue->high - v) / (issue->high - issue->low);
        ch_line(c, px, y, px + pw, y, &grid, "grid");
        ch_text(c, px - 4, y + small.size * 0.35, ch_number(issue, v, number, sizeof number),
                &small, "tick-label");
    }
    if (issue->has_status_quo) {
        double y = py + plot_h * (issue->high - issue->status_quo.value) /
                            (issue->high - issue->low);
        ch_style sq = {CH_GREY, CH_NONE, 1, CH_DASHED, 0};
        ch_prim *p = ch_line(c, px, y, px + pw, y, &sq, "status-quo");
        snprintf(text, sizeof text, "status quo %s",
                 ch_number(issue, issue->status_quo.value, number, sizeof number));
        ch_set_title(c, p, text);
    }
    const parley_sweep_axis *ax = parley_sweep_axis_at(L->s, 0);
    size_t every = (L->n_x + MAX_TICKS - 1) / MAX_TICKS;
    small.anchor = CH_MIDDLE;
    ch_style tick = {CH_GREY, CH_NONE, 1, CH_SOLID, 0};
    ch_line(c, px, py + plot_h, px + pw, py + plot_h, &tick, "axis");
    for (size_t k = 0; k < L->n_x; k += every) {
        double x = px + pw * (ax->values[k] - L->x_low) / (L->x_high - L->x_low);
        ch_line(c, x, py + plot_h, x, py + plot_h + 4, &tick, "tick");
        axis_value_text(L->s, 0, ax->values[k], text, sizeof text);
        ch_text(c, x, py + plot_h + 5 + small.size, text, &small, "tick-label");
    }
    for (size_t line = 0; line < L->n_lines; line++)
        draw_line(c, L, issue_index, line, px, py, pw, plot_h, font);
}

/* The legend: what each line is, and what the axes after the second are
 * held at.  Returns the y below it. */
static double legend(parley_chart *c, const sweep_layout *L, double y, const ch_font *font)
{
    char text[512], value[64];
    ch_font ink = *font;
    double x = 16;
    if (L->n_axes > 1) {
        const parley_sweep_axis *a1 = parley_sweep_axis_at(L->s, 1);
        for (size_t line = 0; line < L->n_lines; line++) {
            axis_value_text(L->s, 1, a1->values[line], value, sizeof value);
            snprintf(text, sizeof text, "%s = %s", a1->label, value);
            double w = ch_text_width(text, &ink) + 34;
            if (x + w > c->width - 8 && x > 16) {
                x = 16;
                y += font->size * 1.5;
            }
            ch_style stroke = {ch_palette[line % CH_PALETTE_SIZE], CH_NONE, 2,
                               (ch_dash)((line / CH_PALETTE_SIZE) % 4), 0};
            ch_line(c, x, y - font->size * 0.35, x + 22, y - font->size * 0.35, &stroke,
                    "legend-line");
            ch_text(c, x + 26, y, text, &ink, "legend");
            x += w + 12;
        }
        y += font->size * 1.5;
    }
    ch_font note = *font;
    note.size = font->size * 0.85;
    note.colour = CH_GREY;
    note.italic = 1;
    size_t used = (size_t)snprintf(text, sizeof text, "x: %s; y: %s on each issue's scale",
                                   parley_sweep_axis_at(L->s, 0)->label,
                                   L->banded ? "Monte Carlo mean, band 5-95 %" : "forecast");
    for (size_t k = 2; k < L->n_axes && used < sizeof text; k++) {
        const parley_sweep_axis *a = parley_sweep_axis_at(L->s, k);
        axis_value_text(L->s, k, a->values[0], value, sizeof value);
        used += (size_t)snprintf(text + used, sizeof text - used, "%s %s held at %s",
                                 k == 2 ? "; " : ",", a->label, value);
    }
    ch_text(c, 16, y, text, &note, "sweep-note");
    return y + font->size;
}

int parley_chart_sweep(const parley_sweep *s, const parley_sweep_result *r,
                       const parley_chart_opts *opts, parley_chart **out, parley_error *err)
{
    if (!out)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_sweep: NULL argument");
    *out = NULL;
    if (!s || !r)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_sweep: NULL argument");
    sweep_layout L = {.s = s, .r = r, .sc = parley_sweep_scenario(s)};
    L.n_axes = parley_sweep_count_axes(s);
    if (r->n_cases != parley_sweep_count_cases(s) || r->n_issues != L.sc->n_issues)
        return parley_error_set(err, PARLEY_EINVAL, "chart: the result is not of this sweep");
    if (L.n_axes == 0)
        return parley_error_set(err, PARLEY_EUNDEF, "chart: a sweep without axes");
    const parley_sweep_axis *ax = parley_sweep_axis_at(s, 0);
    L.n_x = ax->n_values;
    L.n_lines = L.n_axes > 1 ? parley_sweep_axis_at(s, 1)->n_values : 1;
    L.stride_x = stride_of(s, 0);
    L.stride_line = L.n_axes > 1 ? stride_of(s, 1) : 0;
    L.x_low = L.x_high = ax->values[0];
    for (size_t k = 1; k < L.n_x; k++) {
        L.x_low = fmin(L.x_low, ax->values[k]);
        L.x_high = fmax(L.x_high, ax->values[k]);
    }
    if (L.x_high == L.x_low) {
        L.x_low -= 0.5;
        L.x_high += 0.5;
    }
    for (uint64_t c = 0; c < r->n_cases && !L.banded; c++)
        L.banded = r->done[c] && r->status[c] == PARLEY_OK && r->n_issues &&
                   !isnan(*parley_sweep_result_at(r, c, PARLEY_SWEEP_Q05, 0));
    parley_chart_opts o = ch_opts(opts);
    size_t from, to;
    int rc = ch_issue_range(L.sc, &o, &from, &to, err);
    if (rc)
        return rc;
    parley_chart *c = ch_new(o.width, "Sweep: forecast per issue against the varied inputs");
    if (!c)
        return parley_error_set(err, PARLEY_ENOMEM, "chart: out of memory");
    ch_font font = {o.font_size, 0, 0, CH_START, CH_INK};
    size_t n_panels = to - from;
    size_t cols = (size_t)floor((o.width - 16) / PANEL_MIN_WIDTH);
    cols = cols < 1 ? 1 : cols > n_panels ? (n_panels ? n_panels : 1) : cols;
    double panel_w = (o.width - 16) / (double)cols;
    double plot_h = panel_w * 0.5;
    double panel_h = plot_h + font.size * 4.2;
    for (size_t k = 0; k < n_panels; k++)
        panel(c, &L, from + k, 8 + panel_w * (double)(k % cols),
              8 + panel_h * (double)(k / cols), panel_w, plot_h, &font);
    double y = 8 + panel_h * (double)((n_panels + cols - 1) / cols) + font.size;
    c->height = legend(c, &L, y, &font) + 8;
    return ch_finish(c, out, err);
}

int parley_chart_sweep_svg(const parley_sweep *s, const parley_sweep_result *r,
                           const parley_chart_opts *opts, char **svg, parley_error *err)
{
    parley_chart *chart = NULL;
    int rc = parley_chart_sweep(s, r, opts, &chart, err);
    return ch_svg_of(rc, chart, svg, err);
}
