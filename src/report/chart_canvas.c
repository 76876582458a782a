/* chart_canvas.c — the drawing list behind every chart, text measurement
 * and the pieces panels share (issue titles, scale axes in the issue's
 * words). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "parley/alloc.h"

const uint32_t ch_palette[CH_PALETTE_SIZE] = {
    0x0072B2, /* blue */
    0xD55E00, /* vermillion */
    0x009E73, /* bluish green */
    0xCC79A7, /* reddish purple */
    0xE69F00, /* orange */
    0x56B4E9, /* sky blue */
    0x000000, /* black */
};

void parley_chart_opts_init(parley_chart_opts *opts)
{
    opts->width = 960;
    opts->font_size = 13;
    opts->issue = -1;
    opts->top = 8;
    opts->bins = 50;
}

parley_chart_opts ch_opts(const parley_chart_opts *opts)
{
    parley_chart_opts o;
    parley_chart_opts_init(&o);
    if (opts) {
        o = *opts;
        if (!(o.width >= 320))
            o.width = 320;
        if (!(o.font_size >= 6))
            o.font_size = 6;
        if (o.top == 0)
            o.top = 8;
        if (o.bins == 0 || o.bins > PARLEY_MC_BINS)
            o.bins = 50;
    }
    return o;
}

int ch_issue_range(const parley_scenario *sc, const parley_chart_opts *opts, size_t *from,
                   size_t *to, parley_error *err)
{
    if (opts->issue < 0) {
        *from = 0;
        *to = sc->n_issues;
    } else if ((size_t)opts->issue < sc->n_issues) {
        *from = (size_t)opts->issue;
        *to = *from + 1;
    } else {
        return parley_error_set(err, PARLEY_EINVAL, "chart: issue %ld: the scenario has %zu",
                                opts->issue, sc->n_issues);
    }
    if (*from == *to)
        return parley_error_set(err, PARLEY_EUNDEF, "chart: the scenario has no issues");
    return PARLEY_OK;
}

parley_chart *ch_new(double width, const char *title)
{
    parley_chart *c = parley_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->width = width;
    c->title = parley_strdup(title ? title : "");
    if (!c->title) {
        parley_free(c);
        return NULL;
    }
    return c;
}

static void prim_clear(ch_prim *p)
{
    parley_free(p->points);
    parley_free(p->text);
    parley_free(p->title);
    parley_free(p->data_value);
}

void parley_chart_free(parley_chart *chart)
{
    if (!chart)
        return;
    for (size_t k = 0; k < chart->n_prims; k++)
        prim_clear(&chart->prims[k]);
    parley_free(chart->prims);
    parley_free(chart->title);
    parley_free(chart);
}

double parley_chart_width(const parley_chart *chart)
{
    return chart->width;
}

double parley_chart_height(const parley_chart *chart)
{
    return chart->height;
}

static ch_prim *add(parley_chart *c, ch_kind kind, const ch_style *style, const char *cls)
{
    if (c->failed)
        return NULL;
    if (c->n_prims == c->cap_prims) {
        size_t cap = c->cap_prims ? 2 * c->cap_prims : 64;
        ch_prim *prims = parley_reallocarray(c->prims, cap, sizeof *prims);
        if (!prims) {
            c->failed = 1;
            return NULL;
        }
        c->prims = prims;
        c->cap_prims = cap;
    }
    ch_prim *p = &c->prims[c->n_prims++];
    memset(p, 0, sizeof *p);
    p->kind = kind;
    if (style)
        p->style = *style;
    else
        p->style = (ch_style){CH_NONE, CH_NONE, 1, CH_SOLID, 0};
    p->cls = cls;
    return p;
}

ch_prim *ch_poly(parley_chart *c, ch_kind kind, const double *points, size_t n_points,
                 const ch_style *style, const char *cls)
{
    ch_prim *p = add(c, kind, style, cls);
    if (!p)
        return NULL;
    p->points = parley_reallocarray(NULL, n_points ? 2 * n_points : 1, sizeof *p->points);
    if (!p->points) {
        c->failed = 1;
        return NULL;
    }
    memcpy(p->points, points, 2 * n_points * sizeof *points);
    p->n_points = n_points;
    return p;
}

ch_prim *ch_line(parley_chart *c, double x1, double y1, double x2, double y2,
                 const ch_style *style, const char *cls)
{
    double points[4] = {x1, y1, x2, y2};
    return ch_poly(c, CH_LINE, points, 2, style, cls);
}

ch_prim *ch_rect(parley_chart *c, double x, double y, double w, double h,
                 const ch_style *style, const char *cls)
{
    ch_prim *p = add(c, CH_RECT, style, cls);
    if (p) {
        p->x = x;
        p->y = y;
        p->w = w;
        p->h = h;
    }
    return p;
}

ch_prim *ch_circle(parley_chart *c, double x, double y, double r, const ch_style *style,
                   const char *cls)
{
    ch_prim *p = add(c, CH_CIRCLE, style, cls);
    if (p) {
        p->x = x;
        p->y = y;
        p->r = r;
    }
    return p;
}

ch_prim *ch_text(parley_chart *c, double x, double y, const char *text, const ch_font *font,
                 const char *cls)
{
    ch_prim *p = add(c, CH_TEXT, NULL, cls);
    if (!p)
        return NULL;
    p->x = x;
    p->y = y;
    p->font = *font;
    p->text = parley_strdup(text ? text : "");
    if (!p->text) {
        c->failed = 1;
        return NULL;
    }
    return p;
}

void ch_set_title(parley_chart *c, ch_prim *p, const char *title)
{
    if (!p || !title)
        return;
    parley_free(p->title);
    p->title = parley_strdup(title);
    if (!p->title)
        c->failed = 1;
}

void ch_set_data(parley_chart *c, ch_prim *p, const char *name, const char *value)
{
    if (!p || !value)
        return;
    parley_free(p->data_value);
    p->data_name = name;
    p->data_value = parley_strdup(value);
    if (!p->data_value)
        c->failed = 1;
}

int ch_finish(parley_chart *c, parley_chart **out, parley_error *err)
{
    if (!c || c->failed) {
        parley_chart_free(c);
        *out = NULL;
        return parley_error_set(err, PARLEY_ENOMEM, "chart: out of memory");
    }
    c->width = ceil(c->width);
    c->height = ceil(c->height);
    *out = c;
    return PARLEY_OK;
}

/* Advance widths of DejaVu Sans in em, by character class. */
static double char_em(unsigned char ch, int bold)
{
    double em;
    if (ch >= 0x80)
        em = 0.62; /* one byte of a multi-byte character counts once below */
    else if (strchr(" .,:;'|!()[]ijlft", ch))
        em = 0.34;
    else if (strchr("mwMW", ch))
        em = 0.92;
    else if (ch >= 'A' && ch <= 'Z')
        em = 0.72;
    else
        em = 0.62;
    return bold ? em * 1.08 : em;
}

double ch_text_width(const char *text, const ch_font *font)
{
    double em = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s && *s != '\n'; s++)
        if ((*s & 0xC0) != 0x80)
            em += char_em(*s, font->bold);
    return em * font->size;
}

char *ch_wrap(const char *text, double width, const ch_font *font, size_t *lines)
{
    char *out = parley_strdup(text ? text : "");
    if (!out)
        return NULL;
    size_t n_lines = 1;
    double line = 0;
    char *last_space = NULL;
    for (char *s = out; *s; s++) {
        if (*s == '\n') {
            n_lines++;
            line = 0;
            last_space = NULL;
            continue;
        }
        if (*s == ' ')
            last_space = s;
        if ((*s & 0xC0) != 0x80)
            line += char_em((unsigned char)*s, font->bold) * font->size;
        if (line > width && last_space) {
            *last_space = '\n';
            n_lines++;
            /* What follows the break starts the new line. */
            line = 0;
            for (char *t = last_space + 1; t <= s; t++)
                if ((*t & 0xC0) != 0x80)
                    line += char_em((unsigned char)*t, font->bold) * font->size;
            last_space = NULL;
        }
    }
    if (lines)
        *lines = n_lines;
    return out;
}

char *ch_cut(const char *text, double width, const ch_font *font, char *buf, size_t n)
{
    snprintf(buf, n, "%s", text);
    size_t keep = strlen(buf);
    while (keep > 1 && ch_text_width(buf, font) > width) {
        do
            keep--;
        while (keep > 1 && ((unsigned char)text[keep] & 0xC0) == 0x80);
        snprintf(buf, n, "%.*s\xe2\x80\xa6", (int)keep, text);
    }
    return buf;
}

char *ch_number(const parley_issue *issue, double value, char *buf, size_t n)
{
    if (isnan(value))
        snprintf(buf, n, "none");
    else
        snprintf(buf, n, "%.*f", rep_decimals(issue), value);
    return buf;
}

double ch_issue_title(parley_chart *c, const parley_issue *issue, double x, double y,
                      const ch_font *font)
{
    ch_font title = *font;
    title.size = font->size * 1.15;
    title.bold = 1;
    title.anchor = CH_START;
    ch_prim *p = ch_text(c, x, y + title.size, issue->name ? issue->name : issue->id, &title,
                         "issue-title");
    ch_set_title(c, p, issue->description);
    return y + title.size * 1.6;
}

double ch_scale_axis(parley_chart *c, const parley_issue *issue, double x0, double x1,
                     double y, const ch_font *font)
{
    ch_style axis = {CH_GREY, CH_NONE, 1, CH_SOLID, 0};
    ch_line(c, x0, y, x1, y, &axis, "axis");
    ch_font small = *font;
    small.size = font->size * 0.85;
    small.colour = CH_GREY;
    small.anchor = CH_MIDDLE;
    double span = issue->high - issue->low;
    char number[64];
    for (size_t k = 0; k < issue->n_labels; k++) {
        double x = x0 + (x1 - x0) * (issue->labels[k].at - issue->low) / span;
        ch_prim *tick = ch_line(c, x, y, x, y + 5, &axis, "tick");
        ch_set_title(c, tick, issue->labels[k].text);
        small.anchor = k == 0 ? CH_START : k + 1 == issue->n_labels ? CH_END : CH_MIDDLE;
        snprintf(number, sizeof number, "%g", issue->labels[k].at);
        ch_text(c, x, y + 6 + small.size, number, &small, "tick-label");
    }
    /* The words at the ends, each in its half of the axis. */
    double half = (x1 - x0) / 2 - 12, below = y + 8 + small.size * 2.2;
    size_t most_lines = 1;
    ch_font words = *font;
    words.colour = CH_INK;
    for (int end = 0; end < 2; end++) {
        const char *text = issue->n_labels
                               ? issue->labels[end ? issue->n_labels - 1 : 0].text
                               : (end ? "high" : "low");
        size_t lines = 1;
        char *wrapped = ch_wrap(text, half, &words, &lines);
        if (!wrapped) {
            c->failed = 1;
            return y;
        }
        words.anchor = end ? CH_END : CH_START;
        ch_text(c, end ? x1 : x0, below + words.size, wrapped, &words, "axis-label");
        parley_free(wrapped);
        if (lines > most_lines)
            most_lines = lines;
    }
    return below + (double)most_lines * words.size * 1.25 + words.size * 0.4;
}
