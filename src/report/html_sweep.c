/* html_sweep.c — a sweep's HTML report (parley/html.h): the small
 * multiples chart, every case as a table row, and what reproduces it.
 * Like the main report it is one offline file: no script, nothing fetched,
 * every text from the scenario escaped. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L  /* open_memstream */
#endif
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/format.h"
#include "parley/html.h"

static const char style_sheet[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;max-width:1000px;margin:24px auto;"
    "padding:0 12px;color:#222;line-height:1.4}h1{font-size:24px}h2{font-size:19px;"
    "border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}.meta{color:#555}"
    "table{border-collapse:collapse;font-size:13px}td,th{padding:2px 8px;text-align:right;"
    "border-bottom:1px solid #eee}th{background:#f7f7f7}svg{max-width:100%;height:auto}"
    "figcaption{color:#555;font-size:13px}pre{white-space:pre-wrap;font-size:12px;"
    "background:#f7f7f7;padding:8px}";

static void esc(FILE *f, const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; c && *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if (*c >= 0x20 || *c == '\n' || *c == '\t')
                fputc(*c, f);
        }
    }
}

/* The SVG inline: without its xmlns, since inline SVG in HTML needs none
 * and the report names no URL. */
static void inline_svg(FILE *f, const char *svg)
{
    static const char xmlns[] = " xmlns=\"http://www.w3.org/2000/svg\"";
    const char *at = strstr(svg, xmlns);
    if (!at) {
        fputs(svg, f);
        return;
    }
    fwrite(svg, 1, (size_t)(at - svg), f);
    fputs(at + strlen(xmlns), f);
}

static void axis_value(const parley_sweep *s, size_t k, double value, char *buf, size_t n)
{
    const parley_sweep_axis *a = parley_sweep_axis_at(s, k);
    if (a->kind == PARLEY_SWEEP_PARAM)
        parley_param_format(&parley_sweep_model(s)->params[a->param], value, buf, n);
    else
        snprintf(buf, n, "%.6g", value);
}

static void cases_table(FILE *f, const parley_html_sweep *rep, int with_samples)
{
    const parley_sweep *s = rep->sweep;
    const parley_sweep_result *r = rep->result;
    const parley_scenario *sc = parley_sweep_scenario(s);
    size_t n_axes = parley_sweep_count_axes(s);
    fputs("<table class=\"sweep-cases\">\n<tr><th>case</th>", f);
    for (size_t k = 0; k < n_axes; k++) {
        fputs("<th>", f);
        esc(f, parley_sweep_axis_at(s, k)->label);
        fputs("</th>", f);
    }
    for (size_t i = 0; i < sc->n_issues; i++) {
        fputs("<th>", f);
        esc(f, sc->issues[i].name ? sc->issues[i].name : sc->issues[i].id);
        fputs(with_samples ? " (mean, 5&#8211;95 %)</th>" : "</th>", f);
    }
    fputs("</tr>\n", f);
    double *values = parley_calloc(n_axes + 1, sizeof *values);
    if (!values) {
        fputs("</table>\n", f);
        return;
    }
    char text[64];
    for (uint64_t c = 0; c < r->n_cases; c++) {
        parley_sweep_case_values(s, c, values);
        fprintf(f, "<tr><td>%" PRIu64 "</td>", c);
        for (size_t k = 0; k < n_axes; k++) {
            axis_value(s, k, values[k], text, sizeof text);
            fputs("<td>", f);
            esc(f, text);
            fputs("</td>", f);
        }
        for (size_t i = 0; i < r->n_issues; i++) {
            double mean = *parley_sweep_result_at(r, c, PARLEY_SWEEP_MEAN, i);
            if (!r->done[c])
                fputs("<td>not run</td>", f);
            else if (isnan(mean))
                fputs("<td>no forecast</td>", f);
            else if (with_samples)
                fprintf(f, "<td>%.4g (%.4g&#8211;%.4g)</td>", mean,
                        *parley_sweep_result_at(r, c, PARLEY_SWEEP_Q05, i),
                        *parley_sweep_result_at(r, c, PARLEY_SWEEP_Q95, i));
            else
                fprintf(f, "<td>%.4g</td>", mean);
        }
        fputs("</tr>\n", f);
    }
    parley_free(values);
    fputs("</table>\n", f);
}

static void write_document(FILE *f, const parley_html_sweep *rep, const char *svg,
                           const char *json)
{
    const parley_sweep *s = rep->sweep;
    const parley_scenario *sc = parley_sweep_scenario(s);
    const parley_model *model = parley_sweep_model(s);
    uint64_t samples = rep->opts ? rep->opts->samples : 0, done = 0;
    for (uint64_t c = 0; c < rep->result->n_cases; c++)
        done += rep->result->done[c];
    const char *title = rep->title ? rep->title : "Sweep";
    const char *name = sc->name ? sc->name : sc->id ? sc->id : "scenario";
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    esc(f, title);
    fputs(": ", f);
    esc(f, name);
    fprintf(f, " &#8212; parley report</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
            style_sheet);
    esc(f, title);
    fputs(": ", f);
    esc(f, name);
    fputs("</h1>\n<p class=\"meta\">model ", f);
    esc(f, model->name);
    fprintf(f, " &#183; %" PRIu64 " of %" PRIu64 " cases", done, rep->result->n_cases);
    if (samples)
        fprintf(f, " &#183; Monte Carlo, %" PRIu64 " samples per case (seed %" PRIu64
                   ", spread %g)", samples, rep->opts->seed, rep->opts->spread);
    fputs("</p>\n<h2>Varied</h2>\n<ul>\n", f);
    for (size_t k = 0; k < parley_sweep_count_axes(s); k++) {
        fputs("<li><code>", f);
        esc(f, parley_sweep_axis_at(s, k)->text);
        fprintf(f, "</code> (%zu values)</li>\n", parley_sweep_axis_at(s, k)->n_values);
    }
    fputs("</ul>\n<section id=\"sweep\">\n<h2>Forecast against the varied inputs</h2>\n", f);
    if (svg) {
        fputs("<figure>\n", f);
        inline_svg(f, svg);
        fputs("<figcaption>One panel per issue on its own scale; hover a point for its case."
              "</figcaption></figure>\n", f);
    }
    fputs("</section>\n<section id=\"cases\">\n<h2>Every case</h2>\n", f);
    cases_table(f, rep, samples != 0);
    fputs("</section>\n<section id=\"reproduce\">\n<h2>Reproduce</h2>\n<p>", f);
    fputs("parley ", f);
    esc(f, rep->version ? rep->version : PARLEY_VERSION);
    if (rep->source) {
        fputs(" &#183; ", f);
        esc(f, rep->source);
    }
    if (rep->generated) {
        fputs(" &#183; generated ", f);
        esc(f, rep->generated);
    }
    fputs("</p>\n", f);
    if (rep->command) {
        fputs("<pre>", f);
        esc(f, rep->command);
        fputs("</pre>\n", f);
    }
    if (json) {
        fputs("<details><summary>The scenario (canonical JSON)</summary><pre>", f);
        esc(f, json);
        fputs("</pre></details>\n", f);
    }
    fputs("</section>\n</body>\n</html>\n", f);
}

int parley_report_sweep_html(const parley_html_sweep *rep, char **html, parley_error *err)
{
    if (!html || !rep)
        return parley_error_set(err, PARLEY_EINVAL, "parley_report_sweep_html: NULL argument");
    *html = NULL;
    if (!rep->sweep || !rep->result ||
        rep->result->n_cases != parley_sweep_count_cases(rep->sweep))
        return parley_error_set(err, PARLEY_EINVAL, "sweep report: no sweep or result of it");
    char *svg = NULL, *json = NULL;
    int rc = parley_chart_sweep_svg(rep->sweep, rep->result, rep->chart, &svg, err);
    if (rc == PARLEY_EUNDEF)
        rc = PARLEY_OK;   /* no chart to draw: the table still says it all */
    if (rc == PARLEY_OK)
        rc = parley_scenario_format(parley_sweep_scenario(rep->sweep), PARLEY_FORMAT_JSON,
                                    &json, err);
    char *text = NULL;
    size_t len = 0;
    FILE *f = rc == PARLEY_OK ? open_memstream(&text, &len) : NULL;
    if (rc == PARLEY_OK && !f)
        rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    if (f) {
        write_document(f, rep, svg, json);
        if (fclose(f) != 0 || !text)
            rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        else if (!(*html = parley_strdup(text)))
            rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    free(text);   /* open_memstream's buffer is the C library's */
    parley_free(svg);
    parley_free(json);
    return rc;
}
