/* svg.c — a laid-out chart as hand-written SVG: text stays text, so the
 * chart is searchable in a browser and testable as a string. */
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "parley/alloc.h"

void rep_put_escaped_n(parley_buf *b, const char *text, size_t len)
{
    const char *run = text, *end = text + len;
    for (const char *s = text; s < end; s++) {
        const char *entity = NULL;
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default:
            /* XML 1.0 allows no other control characters, even escaped. */
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F)
                entity = "";
        }
        if (!entity)
            continue;
        if (s > run)
            parley_buf_printf(b, "%.*s", (int)(s - run), run);
        parley_buf_puts(b, entity);
        run = s + 1;
    }
    if (end > run)
        parley_buf_printf(b, "%.*s", (int)(end - run), run);
}

void rep_put_escaped(parley_buf *b, const char *text)
{
    rep_put_escaped_n(b, text, strlen(text));
}

static void put_colour(parley_buf *b, const char *attribute, uint32_t colour)
{
    if (colour == CH_NONE)
        parley_buf_printf(b, " %s=\"none\"", attribute);
    else
        parley_buf_printf(b, " %s=\"#%06x\"", attribute, (unsigned)colour);
}

static void put_style(parley_buf *b, const ch_prim *p)
{
    const ch_style *s = &p->style;
    put_colour(b, "fill", s->fill);
    if (s->fill != CH_NONE && s->fill_opacity > 0 && s->fill_opacity < 1)
        parley_buf_printf(b, " fill-opacity=\"%.2f\"", s->fill_opacity);
    put_colour(b, "stroke", s->stroke);
    if (s->stroke != CH_NONE && s->stroke_width != 1)
        parley_buf_printf(b, " stroke-width=\"%.2g\"", s->stroke_width);
    static const char *const dashes[] = {NULL, "6 4", "2 3", "8 3 2 3"};
    if (s->stroke != CH_NONE && dashes[s->dash])
        parley_buf_printf(b, " stroke-dasharray=\"%s\"", dashes[s->dash]);
}

static void put_common(parley_buf *b, const ch_prim *p)
{
    if (p->cls)
        parley_buf_printf(b, " class=\"%s\"", p->cls);
    if (p->data_name && p->data_value) {
        parley_buf_printf(b, " data-%s=\"", p->data_name);
        rep_put_escaped(b, p->data_value);
        parley_buf_puts(b, "\"");
    }
}

/* Closes an element, with its tooltip as a <title> child when it has one. */
static void close_element(parley_buf *b, const ch_prim *p, const char *name)
{
    if (!p->title) {
        parley_buf_puts(b, "/>\n");
        return;
    }
    parley_buf_puts(b, "><title>");
    rep_put_escaped(b, p->title);
    parley_buf_printf(b, "</title></%s>\n", name);
}

static void put_points(parley_buf *b, const ch_prim *p)
{
    parley_buf_puts(b, " points=\"");
    for (size_t k = 0; k < p->n_points; k++)
        parley_buf_printf(b, "%s%.1f,%.1f", k ? " " : "", p->points[2 * k], p->points[2 * k + 1]);
    parley_buf_puts(b, "\"");
}

static void put_text(parley_buf *b, const ch_prim *p)
{
    static const char *const anchors[] = {"start", "middle", "end"};
    parley_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.3g\"", p->x, p->y, p->font.size);
    if (p->font.anchor != CH_START)
        parley_buf_printf(b, " text-anchor=\"%s\"", anchors[p->font.anchor]);
    if (p->font.bold)
        parley_buf_puts(b, " font-weight=\"bold\"");
    if (p->font.italic)
        parley_buf_puts(b, " font-style=\"italic\"");
    put_colour(b, "fill", p->font.colour);
    put_common(b, p);
    parley_buf_puts(b, ">");
    if (p->title) {
        parley_buf_puts(b, "<title>");
        rep_put_escaped(b, p->title);
        parley_buf_puts(b, "</title>");
    }
    if (!strchr(p->text, '\n')) {
        rep_put_escaped(b, p->text);
    } else {
        /* One tspan per line; the newline between them keeps the words
         * apart when the markup is stripped. */
        const char *line = p->text;
        for (int first = 1; line; first = 0) {
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            parley_buf_printf(b, "%s<tspan x=\"%.1f\"%s>", first ? "" : "\n", p->x,
                       first ? "" : " dy=\"1.25em\"");
            rep_put_escaped_n(b, line, len);
            parley_buf_puts(b, "</tspan>");
            line = end ? end + 1 : NULL;
        }
    }
    parley_buf_puts(b, "</text>\n");
}

void svg_write(parley_buf *b, const parley_chart *chart, int standalone)
{
    parley_buf_printf(b, "<svg%s width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
                  "role=\"img\" aria-label=\"",
               standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "", chart->width,
               chart->height, chart->width, chart->height);
    rep_put_escaped(b, chart->title);
    parley_buf_puts(b, "\" font-family=\"" CH_FONT_STACK "\">\n<title>");
    rep_put_escaped(b, chart->title);
    parley_buf_printf(b, "</title>\n<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
               chart->width, chart->height);
    for (size_t k = 0; k < chart->n_prims; k++) {
        const ch_prim *p = &chart->prims[k];
        switch (p->kind) {
        case CH_LINE:
            parley_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"", p->points[0],
                       p->points[1], p->points[2], p->points[3]);
            put_style(b, p);
            put_common(b, p);
            close_element(b, p, "line");
            break;
        case CH_POLYLINE:
        case CH_POLYGON: {
            const char *name = p->kind == CH_POLYLINE ? "polyline" : "polygon";
            parley_buf_printf(b, "<%s", name);
            put_points(b, p);
            put_style(b, p);
            if (p->kind == CH_POLYLINE)
                parley_buf_puts(b, " stroke-linejoin=\"round\"");
            put_common(b, p);
            close_element(b, p, name);
            break;
        }
        case CH_RECT:
            parley_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", p->x,
                       p->y, p->w, p->h);
            put_style(b, p);
            put_common(b, p);
            close_element(b, p, "rect");
            break;
        case CH_CIRCLE:
            parley_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", p->x, p->y, p->r);
            put_style(b, p);
            put_common(b, p);
            close_element(b, p, "circle");
            break;
        case CH_TEXT:
            put_text(b, p);
            break;
        }
    }
    parley_buf_puts(b, "</svg>\n");
}

int parley_chart_to_svg(const parley_chart *chart, char **svg, parley_error *err)
{
    if (!svg)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_to_svg: NULL argument");
    *svg = NULL;
    if (!chart)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_to_svg: NULL argument");
    parley_buf b = {0};
    svg_write(&b, chart, 1);
    return parley_buf_finish(&b, svg, err);
}

int ch_svg_of(int rc, parley_chart *chart, char **svg, parley_error *err)
{
    if (svg)
        *svg = NULL;
    if (rc == PARLEY_OK)
        rc = parley_chart_to_svg(chart, svg, err);
    parley_chart_free(chart);
    return rc;
}
