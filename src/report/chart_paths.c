/* chart_paths.c — an iterative model's path: each actor's position per
 * round, one panel per issue, lines labelled at their ends, the forecast
 * marked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart_internal.h"
#include "parley/alloc.h"

typedef struct end_label {
    double want, at;   /* desired and placed y */
    size_t actor;      /* SIZE_MAX: the forecast */
} end_label;

static int by_want(const void *a, const void *b)
{
    const end_label *x = a, *y = b;
    return (x->want > y->want) - (x->want < y->want);
}

/* Moves labels apart to at least gap, within [top, bottom], keeping their
 * order: down from the top, then up from the bottom. */
static void dodge(end_label *labels, size_t n, double gap, double top, double bottom)
{
    qsort(labels, n, sizeof *labels, by_want);
    for (size_t k = 0; k < n; k++) {
        labels[k].at = labels[k].want < top ? top : labels[k].want;
        if (k && labels[k].at < labels[k - 1].at + gap)
            labels[k].at = labels[k - 1].at + gap;
    }
    for (size_t k = n; k-- > 0;) {
        double limit = k + 1 < n ? labels[k + 1].at - gap : bottom;
        if (labels[k].at > limit)
            labels[k].at = limit;
    }
}

/* A round step that gives at most about ten ticks: 1, 2, 5, 10, 20, ... */
static size_t round_step(size_t rounds)
{
    size_t step = 1;
    for (size_t mult = 0; rounds / step > 10; mult = (mult + 1) % 3)
        step = step * (mult == 1 ? 5 : 2) / (mult == 1 ? 2 : 1);
    return step;
}

static const char *actor_name(const parley_actor *actor)
{
    return actor->name ? actor->name : actor->id;
}

static double panel(parley_chart *c, const parley_scenario *sc, const parley_result *r,
                    size_t issue_index, const parley_chart_opts *o, double label_width,
                    double top, end_label *labels)
{
    const parley_issue *issue = &sc->issues[issue_index];
    ch_font font = {o->font_size, 0, 0, CH_START, CH_INK};
    ch_font small = font;
    small.size = o->font_size * 0.85;
    small.colour = CH_GREY;
    double left = 16, plot_x = left + 44;
    double plot_w = o->width - plot_x - label_width - 24;
    double y = ch_issue_title(c, issue, left, top, &font);

    size_t n_present = 0;
    for (size_t a = 0; a < sc->n_actors; a++)
        if (!isnan(parley_result_position(r, r->n_states - 1, a, issue_index)))
            n_present++;
    double gap = font.size * 1.3;
    double plot_h = fmax(200, (double)(n_present + 1) * gap + 10);

    /* The words at the top end above the plot, at the bottom end below. */
    char number[64], line[1200];
    const char *high_words = issue->n_labels ? issue->labels[issue->n_labels - 1].text : "high";
    const char *low_words = issue->n_labels ? issue->labels[0].text : "low";
    snprintf(line, sizeof line, "%g = %s", issue->high, high_words);
    ch_font words = font;
    words.size = o->font_size * 0.92;
    size_t lines = 1;
    char *wrapped = ch_wrap(line, plot_w + label_width, &words, &lines);
    if (!wrapped) {
        c->failed = 1;
        return top;
    }
    ch_text(c, plot_x, y + words.size, wrapped, &words, "axis-label");
    parley_free(wrapped);
    y += (double)lines * words.size * 1.25 + 6;
    double plot_y = y;

    ch_style frame = {CH_LIGHT, 0xFFFFFF, 1, CH_SOLID, 0};
    ch_rect(c, plot_x, plot_y, plot_w, plot_h, &frame, "plot");
    double span = issue->high - issue->low;
    size_t last = r->n_states - 1;
#define PX(t) (plot_x + plot_w * (double)(t) / (double)last)
#define PY(p) (plot_y + plot_h * (issue->high - (p)) / span)
    /* Gridlines and numbers at the issue's labelled points; the words are
     * in the tooltip (the ends are written out). */
    ch_style grid = {CH_LIGHT, CH_NONE, 1, CH_SOLID, 0};
    small.anchor = CH_END;
    for (size_t k = 0; k < issue->n_labels; k++) {
        double gy = PY(issue->labels[k].at);
        ch_prim *g = ch_line(c, plot_x, gy, plot_x + plot_w, gy, &grid, "grid");
        ch_set_title(c, g, issue->labels[k].text);
        snprintf(number, sizeof number, "%g", issue->labels[k].at);
        ch_text(c, plot_x - 6, gy + small.size * 0.35, number, &small, "tick-label");
    }
    /* Rounds along the bottom. */
    small.anchor = CH_MIDDLE;
    size_t step = round_step(last);
    for (size_t t = 0; t <= last; t += step) {
        if (last == 1 && r->n_rounds > 1)
            snprintf(number, sizeof number, "%s", t ? "end" : "start");
        else
            snprintf(number, sizeof number, "%zu", t);
        ch_text(c, PX(t), plot_y + plot_h + small.size + 4, number, &small, "tick-label");
    }

    /* The paths, then their labels at the right. */
    size_t n_labels = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        double points[2 * 512];
        size_t n = 0, stride = last / 511 + 1;
        for (size_t t = 0; t <= last; t++) {
            if (t % stride && t != last)
                continue;
            double p = parley_result_position(r, t, a, issue_index);
            if (isnan(p))
                continue;
            points[2 * n] = PX(t);
            points[2 * n + 1] = PY(p);
            n++;
        }
        if (n == 0)
            continue;
        ch_style style = {ch_palette[a % CH_PALETTE_SIZE], CH_NONE, 2,
                          (ch_dash)((a / CH_PALETTE_SIZE) % 4), 0};
        if (n == 1) {
            points[2] = points[0] + 0.01;
            points[3] = points[1];
            n = 2;
        }
        ch_prim *path = ch_poly(c, CH_POLYLINE, points, n, &style, "path");
        ch_set_data(c, path, "actor", sc->actors[a].id);
        ch_set_title(c, path, actor_name(&sc->actors[a]));
        labels[n_labels++] = (end_label){points[2 * n - 1], 0, a};
    }
    double forecast = r->forecast[issue_index];
    if (!isnan(forecast)) {
        ch_style dashed = {CH_INK, CH_NONE, 1.5, CH_DASHED, 0};
        ch_line(c, plot_x, PY(forecast), plot_x + plot_w, PY(forecast), &dashed, "forecast");
        labels[n_labels++] = (end_label){PY(forecast), 0, SIZE_MAX};
    }
    dodge(labels, n_labels, gap, plot_y + gap / 2, plot_y + plot_h - gap / 2);
    ch_font label_font = font;
    ch_style leader = {CH_LIGHT, CH_NONE, 1, CH_SOLID, 0};
    for (size_t k = 0; k < n_labels; k++) {
        double x = plot_x + plot_w + 6;
        ch_line(c, plot_x + plot_w, labels[k].want, x + 8, labels[k].at, &leader, "leader");
        if (labels[k].actor == SIZE_MAX) {
            label_font.bold = 1;
            label_font.colour = CH_INK;
            snprintf(line, sizeof line, "forecast %s",
                     ch_number(issue, forecast, number, sizeof number));
            ch_prim *p = ch_text(c, x + 10, labels[k].at + font.size * 0.35, line, &label_font,
                                 "forecast-label");
            ch_set_title(c, p, parley_issue_nearest_label(issue, forecast));
            continue;
        }
        const parley_actor *actor = &sc->actors[labels[k].actor];
        /* A swatch in the line's colour and dash; the name in ink, since
         * some of the palette's colours are too light for small text. */
        ch_style swatch = {ch_palette[labels[k].actor % CH_PALETTE_SIZE], CH_NONE, 2.5,
                           (ch_dash)((labels[k].actor / CH_PALETTE_SIZE) % 4), 0};
        ch_line(c, x + 10, labels[k].at, x + 34, labels[k].at, &swatch, "swatch");
        label_font.bold = 0;
        label_font.colour = CH_INK;
        const char *name = actor_name(actor);
        ch_prim *p = ch_text(c, x + 40, labels[k].at + font.size * 0.35,
                             ch_cut(name, label_width - 40, &label_font, line, sizeof line),
                             &label_font, "actor-label");
        ch_set_title(c, p, name);
        ch_set_data(c, p, "actor", actor->id);
    }
    y = plot_y + plot_h + small.size + 8;
    snprintf(line, sizeof line, "%g = %s", issue->low, low_words);
    wrapped = ch_wrap(line, plot_w + label_width, &words, &lines);
    if (!wrapped) {
        c->failed = 1;
        return y;
    }
    ch_text(c, plot_x, y + words.size, wrapped, &words, "axis-label");
    parley_free(wrapped);
    y += (double)lines * words.size * 1.25;
    small.anchor = CH_END;
    ch_text(c, plot_x + plot_w, y + small.size, "round", &small, "axis-title");
#undef PX
#undef PY
    return y + small.size + 22;
}

int parley_chart_paths(const parley_scenario *sc, const parley_result *result,
                       const parley_model *model, const parley_chart_opts *opts,
                       parley_chart **out, parley_error *err)
{
    if (!out)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_paths: NULL argument");
    *out = NULL;
    if (!sc || !result)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_paths: NULL argument");
    if (result->n_actors != sc->n_actors || result->n_issues != sc->n_issues)
        return parley_error_set(err, PARLEY_EINVAL,
                                "chart: the result is for %zu actors x %zu issues, the "
                                "scenario has %zu x %zu",
                                result->n_actors, result->n_issues, sc->n_actors, sc->n_issues);
    if (result->n_states < 2)
        return parley_error_set(err, PARLEY_EUNDEF,
                                "chart: the run kept no rounds to draw a path from");
    parley_chart_opts o = ch_opts(opts);
    size_t from, to;
    int rc = ch_issue_range(sc, &o, &from, &to, err);
    if (rc)
        return rc;
    char title[512];
    snprintf(title, sizeof title, "Positions per round%s%s", model ? ": " : "",
             model ? model->name : "");
    parley_chart *c = ch_new(o.width, title);
    end_label *labels = parley_calloc(sc->n_actors + 1, sizeof *labels);
    if (!c || !labels) {
        parley_free(labels);
        parley_chart_free(c);
        return parley_error_set(err, PARLEY_ENOMEM, "chart: out of memory");
    }
    ch_font font = {o.font_size, 0, 0, CH_START, CH_INK};
    double label_width = ch_text_width("forecast 100.0", &font) + 20;
    for (size_t a = 0; a < sc->n_actors; a++) {
        double w = ch_text_width(actor_name(&sc->actors[a]), &font) + 50;
        if (w > label_width)
            label_width = w;
    }
    if (label_width > o.width * 0.4)
        label_width = o.width * 0.4;
    double y = 8;
    for (size_t i = from; i < to; i++)
        y = panel(c, sc, result, i, &o, label_width, y, labels);
    c->height = y;
    parley_free(labels);
    return ch_finish(c, out, err);
}

int parley_chart_paths_svg(const parley_scenario *sc, const parley_result *result,
                           const parley_model *model, const parley_chart_opts *opts,
                           char **svg, parley_error *err)
{
    parley_chart *chart = NULL;
    int rc = parley_chart_paths(sc, result, model, opts, &chart, err);
    return ch_svg_of(rc, chart, svg, err);
}
