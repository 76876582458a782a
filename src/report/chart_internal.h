/* chart_internal.h — the drawing list charts are laid out into (private to
 * src/report).  The layout code (chart_*.c) adds shapes and text in pixel
 * coordinates; svg.c writes them as SVG and png.c draws them with cairo, so
 * the geometry is computed once for both. */
#ifndef PARLEY_CHART_INTERNAL_H
#define PARLEY_CHART_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "parley/chart.h"
#include "report_internal.h"

#define CH_NONE 0xFFFFFFFFu  /* no stroke or no fill */
#define CH_FONT "DejaVu Sans"
#define CH_FONT_STACK "'DejaVu Sans', Verdana, Arial, sans-serif"

typedef enum ch_kind {
    CH_LINE,      /* points[0..1] */
    CH_POLYLINE,  /* points[0..n) */
    CH_POLYGON,   /* closed polyline */
    CH_RECT,      /* x, y, w, h */
    CH_CIRCLE,    /* x, y, r */
    CH_TEXT       /* x, y (baseline of the first line), text; '\n' splits lines */
} ch_kind;

typedef enum ch_anchor { CH_START, CH_MIDDLE, CH_END } ch_anchor;
typedef enum ch_dash { CH_SOLID, CH_DASHED, CH_DOTTED, CH_DASHDOT } ch_dash;

typedef struct ch_style {
    uint32_t stroke, fill;   /* 0xRRGGBB or CH_NONE */
    double stroke_width;
    ch_dash dash;
    double fill_opacity;     /* 0 means 1 */
} ch_style;

typedef struct ch_font {
    double size;
    int bold, italic;
    ch_anchor anchor;
    uint32_t colour;
} ch_font;

typedef struct ch_prim {
    ch_kind kind;
    ch_style style;
    ch_font font;
    double x, y, w, h, r;
    double *points;          /* x0 y0 x1 y1 ...; owned */
    size_t n_points;
    char *text;              /* owned */
    char *title;             /* tooltip; owned; NULL if none */
    const char *cls;         /* static; NULL if none */
    const char *data_name;   /* static: "actor", "model" */
    char *data_value;        /* owned */
} ch_prim;

struct parley_chart {
    double width, height;
    char *title;             /* aria-label of the whole chart */
    ch_prim *prims;
    size_t n_prims, cap_prims;
    int failed;              /* an allocation failed */
};

/* The Okabe-Ito colours in the order lines use them (yellow last: it is
 * faint on white). */
#define CH_PALETTE_SIZE 7
extern const uint32_t ch_palette[CH_PALETTE_SIZE];
#define CH_INK 0x222222u
#define CH_GREY 0x777777u
#define CH_LIGHT 0xDDDDDDu

parley_chart *ch_new(double width, const char *title);
/* Each adds one primitive and returns it (to set title or data), or NULL
 * after an allocation failure, which the chart remembers. */
ch_prim *ch_line(parley_chart *c, double x1, double y1, double x2, double y2,
                 const ch_style *style, const char *cls);
ch_prim *ch_poly(parley_chart *c, ch_kind kind, const double *points, size_t n_points,
                 const ch_style *style, const char *cls);
ch_prim *ch_rect(parley_chart *c, double x, double y, double w, double h,
                 const ch_style *style, const char *cls);
ch_prim *ch_circle(parley_chart *c, double x, double y, double r, const ch_style *style,
                   const char *cls);
ch_prim *ch_text(parley_chart *c, double x, double y, const char *text, const ch_font *font,
                 const char *cls);
void ch_set_title(parley_chart *c, ch_prim *p, const char *title);
void ch_set_data(parley_chart *c, ch_prim *p, const char *name, const char *value);
/* Hands the chart to *out or frees it and fails with PARLEY_ENOMEM. */
int ch_finish(parley_chart *c, parley_chart **out, parley_error *err);

/* Estimated width in pixels of one line of text at this font (layout runs
 * without font metrics so that SVG and PNG agree; the estimate is for
 * DejaVu Sans and errs wide). */
double ch_text_width(const char *text, const ch_font *font);
/* text with '\n' at spaces so that no line is wider than width; caller
 * frees with parley_free.  *lines (may be NULL) gets the number of lines. */
char *ch_wrap(const char *text, double width, const ch_font *font, size_t *lines);

/* text cut with an ellipsis to fit width, into buf (size n); returns buf. */
char *ch_cut(const char *text, double width, const ch_font *font, char *buf, size_t n);
/* The first issue and one past the last that opts asks for. */
int ch_issue_range(const parley_scenario *sc, const parley_chart_opts *opts, size_t *from,
                   size_t *to, parley_error *err);
/* opts or the defaults. */
parley_chart_opts ch_opts(const parley_chart_opts *opts);

/* Draws a horizontal scale axis from x0 to x1 at y for issue: ticks at its
 * labels' points with their numbers, and the words at its two ends wrapped
 * under the axis.  Returns the y below what it drew. */
double ch_scale_axis(parley_chart *c, const parley_issue *issue, double x0, double x1,
                     double y, const ch_font *font);
/* A panel's title (issue name) at y; returns the y below it. */
double ch_issue_title(parley_chart *c, const parley_issue *issue, double x, double y,
                      const ch_font *font);
/* "%.*f" with the issue's decimals into buf. */
char *ch_number(const parley_issue *issue, double value, char *buf, size_t n);

/* SVG writer for HTML: standalone adds xmlns (a standalone file needs it;
 * inline SVG in HTML must not name any URL). */
void svg_write(parley_buf *b, const parley_chart *chart, int standalone);
/* The _svg shorthands: rc from laying out chart; renders it when rc is
 * PARLEY_OK, frees it and returns the first failure. */
int ch_svg_of(int rc, parley_chart *chart, char **svg, parley_error *err);
/* Appends text escaped for XML and HTML (& < > " '), dropping the control
 * characters XML forbids. */
void rep_put_escaped(parley_buf *b, const char *text);
void rep_put_escaped_n(parley_buf *b, const char *text, size_t len);

#endif
