/* png.c — a laid-out chart drawn by cairo into a PNG.  The only file that
 * includes cairo (STYLE.md 9); without it, PNG output says so. */
#include <string.h>

#include "chart_internal.h"
#include "parley/alloc.h"

#ifdef PARLEY_HAVE_CAIRO
#include <cairo.h>

int parley_chart_png_available(void)
{
    return 1;
}

static void set_colour(cairo_t *cr, uint32_t colour, double alpha)
{
    cairo_set_source_rgba(cr, (double)((colour >> 16) & 0xFF) / 255.0,
                          (double)((colour >> 8) & 0xFF) / 255.0,
                          (double)(colour & 0xFF) / 255.0, alpha);
}

/* Fills and then strokes the current path as the style says. */
static void paint(cairo_t *cr, const ch_style *s)
{
    if (s->fill != CH_NONE) {
        set_colour(cr, s->fill, s->fill_opacity > 0 ? s->fill_opacity : 1);
        cairo_fill_preserve(cr);
    }
    if (s->stroke != CH_NONE) {
        static const double dashed[] = {6, 4}, dotted[] = {2, 3}, dashdot[] = {8, 3, 2, 3};
        set_colour(cr, s->stroke, 1);
        cairo_set_line_width(cr, s->stroke_width);
        switch (s->dash) {
        case CH_SOLID: cairo_set_dash(cr, NULL, 0, 0); break;
        case CH_DASHED: cairo_set_dash(cr, dashed, 2, 0); break;
        case CH_DOTTED: cairo_set_dash(cr, dotted, 2, 0); break;
        case CH_DASHDOT: cairo_set_dash(cr, dashdot, 4, 0); break;
        }
        cairo_stroke_preserve(cr);
    }
    cairo_new_path(cr);
}

static void draw_text(cairo_t *cr, const ch_prim *p)
{
    cairo_select_font_face(cr, CH_FONT,
                           p->font.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                           p->font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, p->font.size);
    set_colour(cr, p->font.colour == CH_NONE ? CH_INK : p->font.colour, 1);
    double y = p->y;
    for (const char *line = p->text; line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char piece[1024];
        if (len >= sizeof piece)
            len = sizeof piece - 1;
        memcpy(piece, line, len);
        piece[len] = '\0';
        cairo_text_extents_t extents;
        cairo_text_extents(cr, piece, &extents);
        double x = p->x;
        if (p->font.anchor == CH_MIDDLE)
            x -= extents.x_advance / 2;
        else if (p->font.anchor == CH_END)
            x -= extents.x_advance;
        cairo_move_to(cr, x, y);
        cairo_show_text(cr, piece);
        cairo_new_path(cr);
        y += p->font.size * 1.25;
        line = end ? end + 1 : NULL;
    }
}

static void draw(cairo_t *cr, const parley_chart *chart)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t k = 0; k < chart->n_prims; k++) {
        const ch_prim *p = &chart->prims[k];
        switch (p->kind) {
        case CH_LINE:
        case CH_POLYLINE:
        case CH_POLYGON:
            for (size_t j = 0; j < p->n_points; j++)
                (j ? cairo_line_to : cairo_move_to)(cr, p->points[2 * j], p->points[2 * j + 1]);
            if (p->kind == CH_POLYGON)
                cairo_close_path(cr);
            paint(cr, &p->style);
            break;
        case CH_RECT:
            cairo_rectangle(cr, p->x, p->y, p->w, p->h);
            paint(cr, &p->style);
            break;
        case CH_CIRCLE:
            cairo_new_sub_path(cr);
            cairo_arc(cr, p->x, p->y, p->r, 0, 6.283185307179586);
            paint(cr, &p->style);
            break;
        case CH_TEXT:
            draw_text(cr, p);
            break;
        }
    }
}

typedef struct png_sink {
    unsigned char *data;
    size_t len, cap;
} png_sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    png_sink *sink = closure;
    if (sink->len + length > sink->cap) {
        size_t cap = sink->cap ? sink->cap : 65536;
        while (cap < sink->len + length)
            cap *= 2;
        unsigned char *grown = parley_reallocarray(sink->data, cap, 1);
        if (!grown)
            return CAIRO_STATUS_NO_MEMORY;
        sink->data = grown;
        sink->cap = cap;
    }
    memcpy(sink->data + sink->len, data, length);
    sink->len += length;
    return CAIRO_STATUS_SUCCESS;
}

int parley_chart_to_png(const parley_chart *chart, double scale, unsigned char **png,
                        size_t *len, parley_error *err)
{
    if (!png || !len || !chart)
        return parley_error_set(err, PARLEY_EINVAL, "parley_chart_to_png: NULL argument");
    *png = NULL;
    *len = 0;
    if (!(scale > 0 && scale <= 8))
        return parley_error_set(err, PARLEY_EINVAL, "chart PNG: scale %g: expected (0, 8]",
                                scale);
    int width = (int)(chart->width * scale + 0.5), height = (int)(chart->height * scale + 0.5);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    draw(cr, chart);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    png_sink sink = {0};
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_write_to_png_stream(surface, sink_write, &sink);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        parley_free(sink.data);
        return parley_error_set(err, status == CAIRO_STATUS_NO_MEMORY ? PARLEY_ENOMEM
                                                                      : PARLEY_EINTERNAL,
                                "chart PNG: cairo: %s", cairo_status_to_string(status));
    }
    *png = sink.data;
    *len = sink.len;
    return PARLEY_OK;
}

#else

int parley_chart_png_available(void)
{
    return 0;
}

int parley_chart_to_png(const parley_chart *chart, double scale, unsigned char **png,
                        size_t *len, parley_error *err)
{
    (void)chart, (void)scale;
    if (png)
        *png = NULL;
    if (len)
        *len = 0;
    return parley_error_set(err, PARLEY_EINTERNAL,
                            "chart PNG: this parley was built without cairo");
}

#endif
