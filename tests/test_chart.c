/* test_chart.c — the SVG and PNG charts (parley/chart.h): well-formed
 * markup, every name and label as text, escaping, the documented mapping
 * of positions to coordinates, PNG signature and size, failures. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "markup_check.h"
#include "parley/alloc.h"
#include "parley/chart.h"

/* Three actors, two issues; "c" has no stake in "y".  Names and labels
 * carry the characters XML must escape. */
static parley_scenario *scenario(void)
{
    parley_scenario *sc = parley_scenario_new("chart");
    cr_assert(sc);
    cr_assert_eq(parley_scenario_add_issue(sc, "x", 0, 100, "nothing <at all>",
                                           "\"everything\" & more", NULL, NULL), 0);
    cr_assert_eq(parley_scenario_add_issue(sc, "y", 0, 10, "low end", "high end", NULL, NULL),
                 0);
    parley_free(sc->issues[0].name);
    sc->issues[0].name = parley_strdup("Issue X");
    sc->issues[0].has_status_quo = 1;
    sc->issues[0].status_quo.value = 20;
    cr_assert_eq(parley_issue_add_label(&sc->issues[0], 50, "half way", NULL), 0);
    const char *ids[] = {"a", "b", "c"};
    const char *names[] = {"Alpha", "O'Brien & Sons <Ltd>", "Gamma"};
    for (size_t k = 0; k < 3; k++) {
        cr_assert_eq(parley_scenario_add_actor(sc, ids[k], 1 + (double)k, NULL, NULL), 0);
        parley_free(sc->actors[k].name);
        sc->actors[k].name = parley_strdup(names[k]);
    }
    parley_scenario_set_stake(sc, 0, 0, 0, 1);
    parley_scenario_set_stake(sc, 1, 0, 100, 1);
    parley_scenario_set_stake(sc, 2, 0, 50, 1);
    parley_scenario_set_stake(sc, 0, 1, 2, 1);
    parley_scenario_set_stake(sc, 1, 1, 8, 1);
    return sc;
}

/* Three states by hand: a goes 0 -> 40 -> 60 on x; forecast 60 on x, 5 on y. */
static parley_result *result(void)
{
    parley_result *r = parley_result_new();
    cr_assert(r);
    cr_assert_eq(parley_result_reset(r, 3, 2), 0);
    double s0[] = {0, 2, 100, 8, 50, NAN}, s1[] = {40, 4, 80, 6, 50, NAN},
           s2[] = {60, 5, 60, 5, 60, NAN};
    cr_assert_eq(parley_result_push_state(r, s0), 0);
    cr_assert_eq(parley_result_push_state(r, s1), 0);
    cr_assert_eq(parley_result_push_state(r, s2), 0);
    r->n_rounds = 2;
    r->forecast[0] = 60;
    r->forecast[1] = 5;
    return r;
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *s = strstr(text, needle); s; s = strstr(s + 1, needle))
        n++;
    return n;
}

/* The text content: tags dropped, the five entities decoded, whitespace
 * runs made one space. */
static char *text_of(const char *markup)
{
    char *out = malloc(strlen(markup) + 1);
    size_t n = 0;
    int in_tag = 0;
    for (const char *s = markup; *s; s++) {
        if (*s == '<') {
            in_tag = 1;
            continue;
        }
        if (*s == '>') {
            in_tag = 0;
            continue;
        }
        if (in_tag)
            continue;
        static const struct { const char *entity; char c; } entities[] = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
        char c = *s;
        for (size_t k = 0; k < 5; k++)
            if (strncmp(s, entities[k].entity, strlen(entities[k].entity)) == 0) {
                c = entities[k].c;
                s += strlen(entities[k].entity) - 1;
                break;
            }
        if (c == '\n' || c == '\t')
            c = ' ';
        if (c == ' ' && n && out[n - 1] == ' ')
            continue;
        out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

typedef struct box { double x, y, w, h; } box;

/* The k-th <rect ... class="plot"> (0-based). */
static box plot_rect(const char *svg, size_t k)
{
    const char *s = svg;
    box b = {0};
    for (;;) {
        const char *rect = strstr(s, "<rect ");
        cr_assert(rect, "no plot rect %zu", k);
        const char *end = strchr(rect, '>');
        const char *cls = strstr(rect, "class=\"plot\"");
        if (cls && cls < end) {
            if (k-- == 0) {
                cr_assert_eq(sscanf(rect, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"",
                                    &b.x, &b.y, &b.w, &b.h), 4);
                return b;
            }
        }
        s = end;
    }
}

static void assert_xmllint(const char *svg)
{
    if (system("command -v xmllint >/dev/null 2>&1") != 0)
        return;
    char path[] = "/tmp/parley-chart-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, svg, strlen(svg)), (ssize_t)strlen(svg));
    close(fd);
    char command[256];
    snprintf(command, sizeof command, "xmllint --noout %s 2>/dev/null", path);
    int status = system(command);
    unlink(path);
    cr_assert_eq(status, 0, "xmllint rejects the SVG");
}

Test(chart, paths_svg_is_well_formed_and_complete)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    char *svg = NULL;
    parley_error err;
    cr_assert_eq(parley_chart_paths_svg(sc, r, NULL, NULL, &svg, &err), PARLEY_OK, "%s",
                 err.message);
    const char *problem = markup_check(svg, 0);
    cr_assert_null(problem, "%s", problem);
    assert_xmllint(svg);
    cr_assert(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    /* Three actors on x, two on y (c has no stake there); three points each. */
    cr_assert_eq(count(svg, "<polyline "), 5);
    const char *path = strstr(svg, "<polyline ");
    size_t commas = 0;
    for (const char *s = strstr(path, "points=\""); *s != ' ' || s[-1] != '"'; s++)
        commas += *s == ',';
    cr_assert_eq(commas, 3);
    char *text = text_of(svg);
    for (size_t a = 0; a < sc->n_actors; a++)
        cr_assert(strstr(text, sc->actors[a].name), "%s missing", sc->actors[a].name);
    cr_assert(strstr(text, "nothing <at all>"));
    cr_assert(strstr(text, "\"everything\" & more"));
    cr_assert(strstr(text, "Issue X"));
    cr_assert(strstr(text, "forecast 60.0"));
    cr_assert(!strstr(svg, "<Ltd>"), "unescaped name");
    free(text);
    parley_free(svg);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(chart, paths_map_positions_to_the_documented_coordinates)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    char *svg = NULL;
    cr_assert_eq(parley_chart_paths_svg(sc, r, NULL, NULL, &svg, NULL), PARLEY_OK);
    box plot = plot_rect(svg, 0);
    cr_assert(plot.w > 100 && plot.h > 100);
    /* Actor a on issue x: rounds 0, 1, 2 at 0, 40, 60 on [0, 100]:
     * x = plot.x + plot.w * t / 2, y = plot.y + plot.h * (100 - p) / 100. */
    const char *a = strstr(svg, "data-actor=\"a\"");
    cr_assert(a);
    const char *points = a;
    while (strncmp(points, "points=\"", 8) != 0)
        points--;
    double px[3], py[3];
    cr_assert_eq(sscanf(points, "points=\"%lf,%lf %lf,%lf %lf,%lf\"", &px[0], &py[0], &px[1],
                        &py[1], &px[2], &py[2]), 6);
    const double position[3] = {0, 40, 60};
    for (int t = 0; t < 3; t++) {
        cr_assert_float_eq(px[t], plot.x + plot.w * t / 2.0, 0.06, "round %d x", t);
        cr_assert_float_eq(py[t], plot.y + plot.h * (100 - position[t]) / 100, 0.06,
                           "round %d y", t);
    }
    /* The forecast line at 60 spans the plot. */
    const char *forecast = strstr(svg, "class=\"forecast\"");
    cr_assert(forecast);
    while (strncmp(forecast, "<line", 5) != 0)
        forecast--;
    double x1, y1, x2, y2;
    cr_assert_eq(sscanf(forecast, "<line x1=\"%lf\" y1=\"%lf\" x2=\"%lf\" y2=\"%lf\"", &x1, &y1,
                        &x2, &y2), 4);
    cr_assert_float_eq(y1, plot.y + plot.h * 0.4, 0.06);
    cr_assert_float_eq(x2 - x1, plot.w, 0.11);
    parley_free(svg);
    parley_result_free(r);
    parley_scenario_free(sc);
}

static const parley_param no_params[] = {{NULL}};
static const parley_event_kind no_events[] = {{NULL}};
static const parley_model model_one = {"one", "", "", no_params, no_events, 1, NULL, NULL};
static const parley_model model_two = {"two", "", "", no_params, no_events, 0, NULL, NULL};

Test(chart, forecasts_mark_every_model_on_the_scale)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    parley_report_run runs[2] = {{&model_one, NULL, r, PARLEY_OK, NULL},
                                 {&model_two, NULL, NULL, PARLEY_EUNDEF, "cannot"}};
    char *svg = NULL;
    cr_assert_eq(parley_chart_forecasts_svg(sc, runs, 2, NULL, &svg, NULL), PARLEY_OK);
    cr_assert_null(markup_check(svg, 0));
    cr_assert_eq(count(svg, "class=\"model-mark\""), 2);  /* one model, two issues */
    cr_assert_eq(count(svg, "class=\"no-forecast\""), 2);
    char *text = text_of(svg);
    cr_assert(strstr(text, "nothing <at all>") && strstr(text, "high end"));
    cr_assert(strstr(text, "status quo 20.0"));
    free(text);
    /* Forecast 60 on [0, 100]: cx = plot.x + plot.w * 0.6. */
    box plot = plot_rect(svg, 0);
    const char *mark = strstr(svg, "<circle ");
    double cx;
    cr_assert_eq(sscanf(mark, "<circle cx=\"%lf\"", &cx), 1);
    cr_assert_float_eq(cx, plot.x + plot.w * 0.6, 0.06);
    parley_free(svg);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(chart, distribution_draws_bars_and_quantiles)
{
    parley_scenario *sc = scenario();
    /* A summary by hand: on x, 30 forecasts at 25 and 10 at 75; none on y. */
    parley_mc_issue issues[2] = {{0}};
    uint64_t *bins0 = calloc(PARLEY_MC_BINS, sizeof *bins0);
    uint64_t *bins1 = calloc(PARLEY_MC_BINS, sizeof *bins1);
    bins0[2500] = 30;
    bins0[7500] = 10;
    issues[0] = (parley_mc_issue){40, 0, 37.5, 21.9, 25, 75, 0, 100, bins0};
    issues[1] = (parley_mc_issue){0, 40, NAN, NAN, NAN, NAN, 0, 10, bins1};
    parley_mc_result mc = {40, 40, 0, 7, 0, 0, 2, issues, 0, NULL, NULL};
    char *svg = NULL;
    parley_chart_opts opts;
    parley_chart_opts_init(&opts);
    opts.bins = 20;
    parley_error err;
    cr_assert_eq(parley_chart_distribution_svg(sc, &mc, NULL, &opts, &svg, &err), PARLEY_OK,
                 "%s", err.message);
    cr_assert_null(markup_check(svg, 0));
    cr_assert_eq(count(svg, "class=\"bar\""), 2);
    cr_assert_eq(count(svg, "class=\"quantile\""), 5);
    /* The median of 30 at 25 and 10 at 75 is in the bin of 25. */
    char *text = text_of(svg);
    cr_assert(strstr(text, "median 25.0"), "%s", text);
    cr_assert(strstr(text, "no sample gave a forecast"));
    free(text);
    /* The taller bar (30 of 30) is the full histogram height; the other a third. */
    const char *bar = strstr(svg, "class=\"bar\"");
    while (strncmp(bar, "<rect", 5) != 0)
        bar--;
    double x, y, w, h1, h2;
    cr_assert_eq(sscanf(bar, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"", &x, &y,
                        &w, &h1), 4);
    bar = strstr(strstr(bar, "class=\"bar\"") + 1, "class=\"bar\"");
    while (strncmp(bar, "<rect", 5) != 0)
        bar--;
    cr_assert_eq(sscanf(bar, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\"", &x, &y,
                        &w, &h2), 4);
    cr_assert_float_eq(h2 / h1, 1.0 / 3.0, 0.01);
    box plot = plot_rect(svg, 0);
    cr_assert_float_eq(x, plot.x + plot.w * 0.75, 0.06);  /* bin [75, 80) starts at 75 */
    parley_free(svg);
    free(bins0);
    free(bins1);
    parley_scenario_free(sc);
}

Test(chart, tornado_ranks_inputs)
{
    parley_scenario *sc = scenario();
    parley_input inputs[3] = {
        {PARLEY_INPUT_POSITION, 0, 0, 0, 0, 20},
        {PARLEY_INPUT_CAPABILITY, 1, -1, 2, 1, 3},
        {PARLEY_INPUT_SALIENCE, 2, 0, 1, 0.5, 1},
    };
    double base[2] = {60, 5};
    /* input-major: swings on x are 4, 10 and 0. */
    double at_low[6] = {58, 5, 55, 4, 60, 5}, at_high[6] = {62, 5, 65, 6, 60, 5};
    parley_sensitivity s = {3, 2, inputs, base, at_low, at_high, 0, NULL, NULL};
    char *svg = NULL;
    parley_chart_opts opts;
    parley_chart_opts_init(&opts);
    opts.issue = 0;
    cr_assert_eq(parley_chart_tornado_svg(sc, &s, NULL, &opts, &svg, NULL), PARLEY_OK);
    cr_assert_null(markup_check(svg, 0));
    cr_assert_eq(count(svg, "class=\"swing-low\""), 2);  /* the third does not move it */
    cr_assert_eq(count(svg, "class=\"swing-high\""), 2);
    char *text = text_of(svg);
    const char *first = strstr(text, "capability of O'Brien & Sons <Ltd>");
    const char *second = strstr(text, "position of Alpha");
    cr_assert(first && second && first < second, "largest swing first: %s", text);
    free(text);
    parley_free(svg);
    parley_scenario_free(sc);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

Test(chart, png_has_signature_and_size)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    parley_chart *chart = NULL;
    parley_chart_opts opts;
    parley_chart_opts_init(&opts);
    opts.width = 640;
    cr_assert_eq(parley_chart_paths(sc, r, NULL, &opts, &chart, NULL), PARLEY_OK);
    cr_assert_float_eq(parley_chart_width(chart), 640, 1e-9);
    unsigned char *png = NULL;
    size_t len = 0;
    parley_error err;
    int rc = parley_chart_to_png(chart, 2, &png, &len, &err);
    if (!parley_chart_png_available()) {
        cr_assert_eq(rc, PARLEY_EINTERNAL);
    } else {
        cr_assert_eq(rc, PARLEY_OK, "%s", err.message);
        cr_assert(len > 33);
        cr_assert(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
        /* IHDR: width and height, big-endian, at bytes 16 and 20. */
        cr_assert(memcmp(png + 12, "IHDR", 4) == 0);
        cr_assert_eq(be32(png + 16), 1280);
        cr_assert_eq(be32(png + 20), (uint32_t)(2 * parley_chart_height(chart) + 0.5));
        cr_assert_eq(parley_chart_to_png(chart, 0, &png, &len, &err), PARLEY_EINVAL);
    }
    parley_free(png);
    parley_chart_free(chart);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(chart, refuses_what_it_cannot_draw)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    parley_chart *chart = NULL;
    parley_error err;
    cr_assert_eq(parley_result_reset(r, 2, 2), 0);
    cr_assert_eq(parley_chart_paths(sc, r, NULL, NULL, &chart, &err), PARLEY_EINVAL);
    cr_assert_null(chart);
    cr_assert_eq(parley_result_reset(r, 3, 2), 0);
    cr_assert_eq(parley_chart_paths(sc, r, NULL, NULL, &chart, &err), PARLEY_EUNDEF);
    parley_chart_opts opts;
    parley_chart_opts_init(&opts);
    opts.issue = 5;
    parley_result_free(r);
    r = result();
    cr_assert_eq(parley_chart_paths(sc, r, NULL, &opts, &chart, &err), PARLEY_EINVAL);
    cr_assert_eq(parley_chart_forecasts(sc, NULL, 0, NULL, &chart, &err), PARLEY_EUNDEF);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(chart, allocation_failures_leak_nothing)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    int rc = PARLEY_ENOMEM;
    long n;
    for (n = 1; rc == PARLEY_ENOMEM && n < 10000; n++) {
        char *svg = NULL;
        parley_error err;
        parley_alloc_fail_after(n);
        rc = parley_chart_paths_svg(sc, r, NULL, NULL, &svg, &err);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_ENOMEM)
            cr_assert_null(svg);
        parley_free(svg);
    }
    cr_assert_eq(rc, PARLEY_OK);
    cr_assert(n > 3);
    parley_result_free(r);
    parley_scenario_free(sc);
}
