/* chart_tornado.c — sensitivity: per issue, the inputs whose one-at-a-time
 * swing moves the forecast most, largest first, as bars from the forecast
 * at the stated values to the forecast with the input at each end of its
 * range.  The axis zooms to the swings: on the issue's whole scale most
 * of them would be a few pixels. */
#include <math.h>
#include <stdio.h>

#include "chart_internal.h"
#include "parley/alloc.h"

static double nice_step(double range)
{
    double raw = range / 6, unit = pow(10, floor(log10(raw)));
    double f = raw / unit;
    return unit * (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10);
}

/* "position of Russia" (+ " on ISSUE" when the input is on another issue). */
static void input_name(const parley_scenario *sc, const parley_input *in, size_t issue,
                       char *buf, size_t n)
{
    const char *kind = in->kind == PARLEY_INPUT_STATUS_QUO ? "status quo"
                                                            : parley_input_kind_name(in->kind);
    int used = in->actor >= 0
                   ? snprintf(buf, n, "%s of %s", kind,
                              sc->actors[in->actor].name ? sc->actors[in->actor].name
                                                         : sc->actors[in->actor].id)
                   : snprintf(buf, n, "%s", kind);
    if (in->issue >= 0 && (size_t)in->issue != issue && used > 0 && (size_t)used < n)
        snprintf(buf + used, n - (size_t)used, " on %s",
                 sc->issues[in->issue].name ? sc->issues[in->issue].name
                                            : sc->issues[in->issue].id);
}

static double panel(parley_chart *c, const parley_scenario *sc, const parley_sensitivity *s,
                    size_t issue_index, const parley_chart_opts *o, size_t *order, double top)
{
    const parley_issue *issue = &sc->issues[issue_index];
    ch_font font = {o->font_size, 0, 0, CH_START, CH_INK};
    double left = 16;
    double y = ch_issue_title(c, issue, left, top, &font);
    double base = s->base[issue_index];
    char number[64], text[600], describe_end[600];
    parley_sensitivity_rank(s, issue_index, order);
    size_t shown = 0;
    while (shown < o->top && shown < s->n_inputs &&
           parley_sensitivity_swing(s, order[shown], issue_index) > 0)
        shown++;
    if (isnan(base) || shown == 0) {
        ch_text(c, left, y + font.size,
                isnan(base) ? "the model gives no forecast on this issue"
                            : "no input moves this forecast",
                &font, "no-forecast");
        return y + font.size * 3;
    }
    const char *words = parley_issue_nearest_label(issue, base);
    snprintf(text, sizeof text, "forecast %s (%s) at the stated values; bars: the forecast with "
                                "one input at the low (blue) or high (orange) end of its range",
             ch_number(issue, base, number, sizeof number), words ? words : "");
    ch_font note = font;
    note.size = font.size * 0.92;
    size_t lines = 1;
    char *wrapped = ch_wrap(text, o->width - 2 * left, &note, &lines);
    if (!wrapped) {
        c->failed = 1;
        return y;
    }
    ch_text(c, left, y + note.size, wrapped, &note, "tornado-note");
    parley_free(wrapped);
    y += (double)lines * note.size * 1.25 + 8;

    /* The axis: every value shown, padded, within the scale. */
    double lo = base, hi = base;
    for (size_t r = 0; r < shown; r++) {
        size_t k = order[r];
        double ends[2] = {s->at_low[k * s->n_issues + issue_index],
                          s->at_high[k * s->n_issues + issue_index]};
        for (size_t e = 0; e < 2; e++)
            if (!isnan(ends[e])) {
                lo = fmin(lo, ends[e]);
                hi = fmax(hi, ends[e]);
            }
    }
    double span = issue->high - issue->low, pad = fmax((hi - lo) * 0.1, span * 0.01);
    lo = fmax(issue->low, lo - pad);
    hi = fmin(issue->high, hi + pad);
    double name_width = fmin(o->width * 0.42, 360), plot_x = left + name_width + 10;
    double plot_w = o->width - plot_x - 30, row = font.size * 1.7;
    double plot_y = y, plot_h = row * (double)shown;
    ch_style frame = {CH_NONE, 0xF7F7F7, 1, CH_SOLID, 0};
    ch_rect(c, plot_x, plot_y, plot_w, plot_h, &frame, "plot");
#define PX(p) (plot_x + plot_w * ((p) - lo) / (hi - lo))
    ch_style grid = {CH_LIGHT, CH_NONE, 1, CH_SOLID, 0};
    ch_font small = font;
    small.size = font.size * 0.85;
    small.colour = CH_GREY;
    small.anchor = CH_MIDDLE;
    double step = nice_step(hi - lo);
    for (double t = ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
        ch_line(c, PX(t), plot_y, PX(t), plot_y + plot_h, &grid, "grid");
        ch_text(c, PX(t), plot_y + plot_h + small.size + 4,
                ch_number(issue, t, number, sizeof number), &small, "tick-label");
    }
    ch_font name_font = font;
    name_font.anchor = CH_END;
    for (size_t r = 0; r < shown; r++) {
        size_t k = order[r];
        const parley_input *in = &s->inputs[k];
        double ry = plot_y + row * (double)r;
        input_name(sc, in, issue_index, text, sizeof text);
        char describe[600];
        ch_prim *p = ch_text(c, plot_x - 8, ry + row / 2 + font.size * 0.35,
                             ch_cut(text, name_width - 8, &name_font, describe, sizeof describe),
                             &name_font, "input-name");
        snprintf(describe, sizeof describe, "%s: %g .. %g (stated %g)", text, in->low, in->high,
                 in->base);
        ch_set_title(c, p, describe);
        double ends[2] = {s->at_low[k * s->n_issues + issue_index],
                          s->at_high[k * s->n_issues + issue_index]};
        for (size_t e = 0; e < 2; e++) {
            if (isnan(ends[e]))
                continue;
            ch_style bar = {CH_NONE, e ? ch_palette[1] : ch_palette[0], 1, CH_SOLID, 0.85};
            double x0 = PX(fmin(base, ends[e])), x1 = PX(fmax(base, ends[e]));
            /* Both ends on one side: the low bar above the high one. */
            double h = (row - 6) / 2;
            p = ch_rect(c, x0, ry + 3 + (double)e * h, fmax(x1 - x0, 1), h, &bar,
                        e ? "swing-high" : "swing-low");
            snprintf(describe, sizeof describe, "%s at %g: forecast %s", text,
                     e ? in->high : in->low, ch_number(issue, ends[e], number, sizeof number));
            ch_set_title(c, p, describe);
        }
    }
    ch_style base_line = {CH_INK, CH_NONE, 1.5, CH_SOLID, 0};
    ch_line(c, PX(base), plot_y - 4, PX(base), plot_y + plot_h + 2, &base_line, "forecast");
#undef PX
    /* Which way the axis runs, in the issue's words. */
    y = plot_y + plot_h + small.size * 2 + 10;
    small.colour = CH_INK;
    double half = plot_w / 2 - 8;
    for (int end = 0; end < 2; end++) {
        const char *end_words = issue->n_labels
                                    ? issue->labels[end ? issue->n_labels - 1 : 0].text
                                    : (end ? "high" : "low");
        char arrow[700];
        ch_cut(end_words, half - ch_text_width("towards  ->", &small), &small, describe_end,
               sizeof describe_end);
        snprintf(arrow, sizeof arrow, end ? "towards %s \xe2\x86\x92" : "\xe2\x86\x90 towards %s",
                 describe_end);
        small.anchor = end ? CH_END : CH_START;
        ch_text(c, end ? plot_x + plot_w : plot_x, y, arrow, &small, "axis-label");
    }
    small.colour = CH_GREY;
    y += 6;
    if (s->n_inputs > shown) {
        snprintf(text, sizeof text, "%zu more inputs move it less (or not at all)",
                 s->n_inputs - shown);
        small.anchor = CH_START;
        ch_text(c, left, y + small.size, text, &small, "more");
        y += small.size * 1.5;
    }
    return y + 18;
}

int parley_chart_tornado(const parley_scenario *sc, const parley_sensitivity *s,
                         const parley_model *model, const parley_chart_opts *opts,
                         parley_chart **out, parley_error *err)
{
    if (!out)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_tornado: NULL argument");
    *out = NULL;
    if (!sc || !s)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_tornado: NULL argument");
    if (s->n_issues != sc->n_issues)
        return parley_error_set(err, PARLEY_EINVAL,
                                "chart: the sensitivity has %zu issues, the scenario %zu",
                                s->n_issues, sc->n_issues);
    parley_chart_opts o = ch_opts(opts);
    size_t from, to;
    int rc = ch_issue_range(sc, &o, &from, &to, err);
    if (rc)
        return rc;
    char title[256];
    snprintf(title, sizeof title, "Sensitivity (tornado)%s%s", model ? ": " : "",
             model ? model->name : "");
    parley_chart *c = ch_new(o.width, title);
    size_t *order = parley_calloc(s->n_inputs ? s->n_inputs : 1, sizeof *order);
    if (!c || !order) {
        parley_free(order);
        parley_chart_free(c);
        return parley_error_set(err, PARLEY_ENOMEM, "chart: out of memory");
    }
    double y = 8;
    for (size_t i = from; i < to; i++)
        y = panel(c, sc, s, i, &o, order, y);
    c->height = y;
    parley_free(order);
    return ch_finish(c, out, err);
}

int parley_chart_tornado_svg(const parley_scenario *sc, const parley_sensitivity *s,
                             const parley_model *model, const parley_chart_opts *opts,
                             char **svg, parley_error *err)
{
    parley_chart *chart = NULL;
    int rc = parley_chart_tornado(sc, s, model, opts, &chart, err);
    return ch_svg_of(rc, chart, svg, err);
}
