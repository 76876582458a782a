/* test_html.c — the self-contained HTML report (parley/html.h) and
 * `parley report`: nothing fetched from the network, every issue and note
 * present and escaped, well-formed markup, PNG charts on request, stored
 * runs. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "markup_check.h"
#include "parley/alloc.h"
#include "parley/html.h"
#include "support.h"

static const char *const malicious = "<script>alert(\"x\")</script> & 'quoted'";

/* Two issues, three actors, notes everywhere, one of them hostile. */
static parley_scenario *scenario(void)
{
    parley_scenario *sc = parley_scenario_new("html");
    cr_assert(sc);
    parley_free(sc->name);
    sc->name = parley_strdup("A <test> of the report");
    cr_assert_eq(parley_scenario_add_issue(sc, "tax", 0, 100, "no tax", "all tax", NULL, NULL),
                 0);
    cr_assert_eq(parley_scenario_add_issue(sc, "port", 0, 10, "closed", "open", NULL, NULL), 0);
    parley_free(sc->issues[0].name);
    sc->issues[0].name = parley_strdup("Tax rate");
    parley_free(sc->issues[1].name);
    sc->issues[1].name = parley_strdup("Port access");
    sc->issues[0].note = parley_strdup(malicious);
    sc->issues[1].note = parley_strdup("the minister said so in May");
    const char *ids[] = {"north", "south", "east"};
    for (size_t k = 0; k < 3; k++)
        cr_assert_eq(parley_scenario_add_actor(sc, ids[k], 10 + 5 * (double)k, NULL, NULL), 0);
    sc->actors[1].note = parley_strdup("south's own note");
    const double pos[3][2] = {{10, 2}, {60, 5}, {90, 9}};
    for (size_t a = 0; a < 3; a++)
        for (size_t i = 0; i < 2; i++)
            parley_scenario_set_stake(sc, a, i, pos[a][i], 0.5 + 0.2 * (double)a);
    parley_stake_at(sc, 2, 1)->note = parley_strdup("east's stake note");
    parley_error err;
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_OK, "%s", err.message);
    return sc;
}

typedef struct runs {
    parley_report_run run[64];
    parley_result *result[64];
    parley_error err[64];
    size_t n;
} runs;

/* Every registered model, by the registry (never by name). */
static void run_all(const parley_scenario *sc, runs *r)
{
    r->n = 0;
    for (const parley_model *const *m = parley_models(); *m; m++) {
        size_t k = r->n++;
        r->result[k] = parley_result_new();
        parley_error_clear(&r->err[k]);
        int status = parley_model_run(*m, sc, NULL, r->result[k], &r->err[k]);
        r->run[k] = (parley_report_run){*m, NULL, r->result[k], status, r->err[k].message};
    }
}

static void runs_free(runs *r)
{
    for (size_t k = 0; k < r->n; k++)
        parley_result_free(r->result[k]);
}

Test(html, self_contained_complete_and_escaped)
{
    parley_scenario *sc = scenario();
    runs r;
    run_all(sc, &r);
    parley_html_report rep;
    parley_html_report_init(&rep);
    rep.sc = sc;
    rep.runs = r.run;
    rep.n_runs = r.n;
    rep.command = "parley report x.json";
    char *html = NULL;
    parley_error err;
    cr_assert_eq(parley_report_html(&rep, &html, &err), PARLEY_OK, "%s", err.message);
    const char *problem = markup_check(html, 1);
    cr_assert_null(problem, "%s", problem);
    cr_assert(!strstr(html, "http://") && !strstr(html, "https://"), "a network reference");
    cr_assert(!strstr(html, " src=") && !strstr(html, "<link"), "an external resource");
    cr_assert(!strstr(html, "<script"), "the note's script got through");
    cr_assert(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                           "&#39;quoted&#39;"));
    cr_assert(strstr(html, "A &lt;test&gt; of the report"));
    for (size_t i = 0; i < sc->n_issues; i++)
        cr_assert(strstr(html, sc->issues[i].name), "%s missing", sc->issues[i].name);
    cr_assert(strstr(html, "the minister said so in May"));
    cr_assert(strstr(html, "south&#39;s own note"));
    cr_assert(strstr(html, "east&#39;s stake note"));
    for (size_t k = 0; k < r.n; k++)
        cr_assert(strstr(html, r.run[k].model->name));
    /* The charts are inline: the forecasts and one path per iterative model. */
    size_t iterative = 0;
    for (size_t k = 0; k < r.n; k++)
        iterative += r.run[k].status == PARLEY_OK && r.run[k].model->iterative;
    size_t svgs = 0;
    for (const char *s = strstr(html, "<svg "); s; s = strstr(s + 1, "<svg "))
        svgs++;
    cr_assert_eq(svgs, 1 + iterative);
    cr_assert(strstr(html, "<h2>Summary</h2>"));
    cr_assert(strstr(html, PARLEY_VERSION));
    cr_assert(strstr(html, "parley report x.json"));
    cr_assert(strstr(html, "&quot;parley&quot;"), "the scenario's JSON is in the report");
    parley_free(html);
    runs_free(&r);
    parley_scenario_free(sc);
}

Test(html, summary_gives_the_range_in_words)
{
    parley_scenario *sc = scenario();
    /* Two made-up runs: 20 and 80 on tax, 5 and 5 on port. */
    parley_result *a = parley_result_new(), *b = parley_result_new();
    cr_assert_eq(parley_result_reset(a, 3, 2), 0);
    cr_assert_eq(parley_result_reset(b, 3, 2), 0);
    a->forecast[0] = 20, a->forecast[1] = 5;
    b->forecast[0] = 80, b->forecast[1] = 5;
    static const parley_param none[] = {{NULL}};
    static const parley_event_kind no_events[] = {{NULL}};
    static const parley_model low = {"lowball", "", "", none, no_events, 0, NULL, NULL};
    static const parley_model high = {"highball", "", "", none, no_events, 0, NULL, NULL};
    parley_report_run runs2[2] = {{&low, NULL, a, PARLEY_OK, NULL},
                                  {&high, NULL, b, PARLEY_OK, NULL}};
    parley_html_report rep;
    parley_html_report_init(&rep);
    rep.sc = sc;
    rep.runs = runs2;
    rep.n_runs = 2;
    char *html = NULL;
    cr_assert_eq(parley_report_html(&rep, &html, NULL), PARLEY_OK);
    const char *tax = strstr(html, "<li><b>Tax rate:</b>");
    cr_assert(tax);
    const char *end = strstr(tax, "</li>");
    char line[2048];
    snprintf(line, sizeof line, "%.*s", (int)(end - tax), tax);
    /* 20 is nearest "no tax" (0), 80 nearest "all tax" (100); median 50. */
    cr_assert(strstr(line, "range from <b>20.0</b> (no tax), by lowball, to <b>80.0</b> "
                           "(all tax), by highball"), "%s", line);
    cr_assert(strstr(line, "median is <b>50.0</b>"), "%s", line);
    const char *port = strstr(html, "<li><b>Port access:</b>");
    cr_assert(port && strstr(port, "both models forecast <b>5.0</b> (closed)"), "%.200s", port);
    parley_free(html);
    parley_result_free(a);
    parley_result_free(b);
    parley_scenario_free(sc);
}

Test(html, refuses_mismatched_runs)
{
    parley_scenario *sc = scenario();
    parley_result *r = parley_result_new();
    cr_assert_eq(parley_result_reset(r, 2, 2), 0);
    parley_report_run run = {parley_models()[0], NULL, r, PARLEY_OK, NULL};
    parley_html_report rep;
    parley_html_report_init(&rep);
    rep.sc = sc;
    rep.runs = &run;
    rep.n_runs = 1;
    char *html = NULL;
    cr_assert_eq(parley_report_html(&rep, &html, NULL), PARLEY_EINVAL);
    cr_assert_null(html);
    rep.sc = NULL;
    cr_assert_eq(parley_report_html(&rep, &html, NULL), PARLEY_EINVAL);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(html, allocation_failures_leak_nothing)
{
    parley_scenario *sc = scenario();
    runs r;
    run_all(sc, &r);
    parley_html_report rep;
    parley_html_report_init(&rep);
    rep.sc = sc;
    rep.runs = r.run;
    rep.n_runs = r.n;
    int rc = PARLEY_ENOMEM;
    long n;
    /* Every 7th allocation point: the report makes thousands. */
    for (n = 1; rc == PARLEY_ENOMEM && n < 200000; n += 7) {
        char *html = NULL;
        parley_alloc_fail_after(n);
        rc = parley_report_html(&rep, &html, NULL);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_ENOMEM)
            cr_assert_null(html);
        parley_free(html);
    }
    cr_assert_eq(rc, PARLEY_OK);
    runs_free(&r);
    parley_scenario_free(sc);
}

static int is_png(const char *path)
{
    size_t len = 0;
    char *data = test_read_file(path, &len);
    int ok = data && len > 24 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0;
    free(data);
    return ok;
}

Test(html, command_writes_report_and_pngs)
{
    /* Under ASan, fontconfig's process-long caches would count as leaks. */
    char suppressions[1024];
    snprintf(suppressions, sizeof suppressions, "suppressions=%s",
             test_source("tests/lsan-fontconfig.supp"));
    setenv("LSAN_OPTIONS", suppressions, 1);
    char dir[] = "/tmp/parley-report-XXXXXX";
    cr_assert(mkdtemp(dir));
    char args[1024], *out = NULL, *errout = NULL;
    snprintf(args, sizeof args, "report -o %s/r.html --samples 200 --png %s/png", dir, dir);
    int status = test_run_parley(args, &out, &errout);
    cr_assert_eq(status, 0, "%s", errout);
    snprintf(args, sizeof args, "%s/r.html", dir);
    char *html = test_read_file(args, NULL);
    cr_assert(html);
    cr_assert_null(markup_check(html, 1));
    cr_assert(!strstr(html, "http://") && !strstr(html, "https://"));
    cr_assert(strstr(html, "<h2>Monte Carlo</h2>") && strstr(html, "<h2>Sensitivity</h2>"));
    cr_assert(strstr(html, "200 scenarios drawn"));
    free(html);
    const char *pngs[] = {"forecasts", "distribution", "tornado"};
    for (size_t k = 0; k < 3; k++) {
        snprintf(args, sizeof args, "%s/png/%s.png", dir, pngs[k]);
        cr_assert(is_png(args), "%s", args);
        unlink(args);
    }
    free(out);
    free(errout);
    snprintf(args, sizeof args, "rm -rf '%s'", dir);
    cr_assert_eq(system(args), 0);
}

Test(html, command_reports_a_stored_run)
{
    char dir[] = "/tmp/parley-report-XXXXXX";
    cr_assert(mkdtemp(dir));
    char args[1024], *errout = NULL;
    const char *model = parley_models()[0]->name;
    snprintf(args, sizeof args, "run --model %s --db %s/p.db >/dev/null", model, dir);
    cr_assert_eq(test_run_parley(args, NULL, &errout), 0, "%s", errout);
    free(errout);
    snprintf(args, sizeof args, "report 1 --db %s/p.db -o %s/r.html", dir, dir);
    cr_assert_eq(test_run_parley(args, NULL, &errout), 0, "%s", errout);
    free(errout);
    snprintf(args, sizeof args, "%s/r.html", dir);
    char *html = test_read_file(args, NULL);
    cr_assert(html);
    cr_assert(strstr(html, "run 1 of"));
    cr_assert(strstr(html, model));
    cr_assert(!strstr(html, "<h2>Monte Carlo</h2>"));
    free(html);
    snprintf(args, sizeof args, "report 99 --db %s/p.db -o %s/r2.html", dir, dir);
    cr_assert_eq(test_run_parley(args, NULL, &errout), 2);
    cr_assert(strstr(errout, "parley report"), "%s", errout);
    free(errout);
    snprintf(args, sizeof args, "rm -rf '%s'", dir);
    cr_assert_eq(system(args), 0);
}
