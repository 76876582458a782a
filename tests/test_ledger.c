/* test_ledger.c — the forecast ledger in the store (parley/ledger.h):
 * refusals (a second resolution, a forecast after the close), CSV import
 * that names the bad line and imports nothing, export that reads back,
 * time-averaged and CRPS scores through the store, a model's forecast from
 * a stored Monte Carlo run, and allocation failures.  Each test uses its
 * own store in a mkdtemp directory. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/ledger.h"
#include "parley/store.h"
#include "store_fixture.h"

static char dir[512], db_path[600];
static parley_store *store;
static parley_error err;

static void setup(void)
{
    cr_assert_eq(fixture_mkdtemp(dir, sizeof dir), 0);
    snprintf(db_path, sizeof db_path, "%s/ledger.db", dir);
    cr_assert_eq(parley_store_open(db_path, PARLEY_STORE_CREATE, &store, &err), PARLEY_OK,
                 "%s", err.message);
}

static void teardown(void)
{
    parley_store_close(store);
    fixture_rmdir(dir);
}

TestSuite(ledger, .init = setup, .fini = teardown);

static int64_t ask(const char *slug, const char *close)
{
    parley_question q;
    parley_question_init(&q);
    snprintf(q.slug, sizeof q.slug, "%s", slug);
    snprintf(q.close, sizeof q.close, "%s", close);
    snprintf(q.text, sizeof q.text, "Will %s happen?", slug);
    snprintf(q.criteria, sizeof q.criteria, "as reported");
    int64_t id = 0;
    cr_assert_eq(parley_ledger_ask(store, &q, &id, &err), PARLEY_OK, "%s", err.message);
    return id;
}

static int add(int64_t question, const char *by, const char *date, double p)
{
    parley_ledger_forecast f;
    parley_ledger_forecast_init(&f);
    f.question = question;
    snprintf(f.by, sizeof f.by, "%s", by);
    snprintf(f.date, sizeof f.date, "%s", date);
    f.probability = p;
    return parley_ledger_add(store, &f, NULL, &err);
}

static size_t count_questions(void)
{
    parley_question *all = NULL;
    size_t n = 0;
    cr_assert_eq(parley_ledger_questions(store, &all, &n, &err), PARLEY_OK);
    parley_free(all);
    return n;
}

Test(ledger, store_is_at_schema_3_with_the_ledger_tables)
{
    cr_assert_geq(PARLEY_STORE_SCHEMA_VERSION, 3);  /* 4 added sweeps */
    parley_store_close(store);
    char out[64];
    fixture_sqlite(db_path, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                            "('question', 'prediction', 'resolution');",
                   out, sizeof out);
    cr_assert_str_eq(out, "3");
    cr_assert_eq(parley_store_open(db_path, 0, &store, &err), PARLEY_OK);
}

Test(ledger, question_found_by_id_and_slug_and_slugs_are_unique)
{
    int64_t id = ask("deal", "2014-12-31");
    parley_question q;
    cr_assert_eq(parley_ledger_question(store, "deal", &q, &err), PARLEY_OK);
    cr_assert_eq(q.id, id);
    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)id);
    cr_assert_eq(parley_ledger_question(store, ref, &q, &err), PARLEY_OK);
    cr_assert_str_eq(q.slug, "deal");
    cr_assert_eq(parley_ledger_question(store, "nope", &q, &err), PARLEY_ENOTFOUND);
    parley_question again;
    parley_question_init(&again);
    snprintf(again.slug, sizeof again.slug, "deal");
    snprintf(again.close, sizeof again.close, "2014-12-31");
    snprintf(again.text, sizeof again.text, "x");
    snprintf(again.criteria, sizeof again.criteria, "y");
    cr_assert_eq(parley_ledger_ask(store, &again, NULL, &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "already"), "%s", err.message);
    snprintf(again.slug, sizeof again.slug, "9lives");
    cr_assert_eq(parley_ledger_ask(store, &again, NULL, &err), PARLEY_EINVAL);
    snprintf(again.slug, sizeof again.slug, "ok");
    snprintf(again.close, sizeof again.close, "2014-02-30");
    cr_assert_eq(parley_ledger_ask(store, &again, NULL, &err), PARLEY_EINVAL);
    cr_assert_str_eq(err.path, "close");
    cr_assert_eq(count_questions(), 1);
}

Test(ledger, a_question_resolved_twice_is_refused)
{
    int64_t id = ask("deal", "2014-12-31");
    cr_assert_eq(parley_ledger_resolve(store, id, 1, "2014-09-05", "Minsk Protocol", &err),
                 PARLEY_OK, "%s", err.message);
    cr_assert_eq(parley_ledger_resolve(store, id, 0, "2014-09-06", "other", &err),
                 PARLEY_EINVAL);
    cr_assert(strstr(err.message, "already resolved"), "%s", err.message);
    parley_question q;
    cr_assert_eq(parley_ledger_question(store, "deal", &q, &err), PARLEY_OK);
    cr_assert(q.resolved);
    cr_assert_eq(q.outcome, 1, "the first resolution stands");
    cr_assert_str_eq(q.source, "Minsk Protocol");
    /* A binary outcome is yes or no, and a source is required. */
    int64_t other = ask("other", "2014-12-31");
    cr_assert_eq(parley_ledger_resolve(store, other, 0.5, "2014-09-05", "s", &err),
                 PARLEY_EINVAL);
    cr_assert_eq(parley_ledger_resolve(store, other, 1, "2014-09-05", "", &err), PARLEY_EINVAL);
}

Test(ledger, a_forecast_after_the_close_or_the_resolution_is_refused)
{
    int64_t id = ask("deal", "2014-06-01");
    cr_assert_eq(add(id, "alice", "2014-06-01", 0.4), PARLEY_OK, "the close day is allowed");
    cr_assert_eq(add(id, "alice", "2014-06-02", 0.4), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "after question"), "%s", err.message);
    cr_assert_str_eq(err.path, "date");
    cr_assert_eq(add(id, "alice", "2014-05-01", 1.5), PARLEY_EINVAL);
    cr_assert_eq(add(id, "", "2014-05-01", 0.5), PARLEY_EINVAL);
    cr_assert_eq(add(id + 100, "alice", "2014-05-01", 0.5), PARLEY_ENOTFOUND);
    /* A resolution dated before a forecast is refused, and after a
     * resolution no later forecast is taken. */
    cr_assert_eq(parley_ledger_resolve(store, id, 1, "2014-05-20", "s", &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "made after"), "%s", err.message);
    int64_t other = ask("other", "2014-12-31");
    cr_assert_eq(parley_ledger_resolve(store, other, 0, "2014-05-20", "s", &err), PARLEY_OK);
    cr_assert_eq(add(other, "bob", "2014-05-21", 0.5), PARLEY_EINVAL);
    cr_assert_eq(add(other, "bob", "2014-05-20", 0.5), PARLEY_OK);
    parley_ledger_forecast *all = NULL;
    size_t n = 0;
    cr_assert_eq(parley_ledger_forecasts(store, 0, NULL, &all, &n, &err), PARLEY_OK);
    cr_assert_eq(n, 2);
    parley_free(all);
}

Test(ledger, time_averaged_scores_through_the_store)
{
    /* The worked example of test_scoring.c: 0.2 for 10 days, 0.6 for 30,
     * the question resolved (yes) before it closed: Brier 0.28. */
    int64_t id = ask("deal", "2014-06-01");
    cr_assert_eq(add(id, "alice", "2014-04-11", 0.6), PARLEY_OK);
    cr_assert_eq(add(id, "alice", "2014-04-01", 0.2), PARLEY_OK);
    cr_assert_eq(add(id, "bob", "2014-04-01", 0.9), PARLEY_OK);
    cr_assert_eq(parley_ledger_resolve(store, id, 1, "2014-05-11", "s", &err), PARLEY_OK);
    ask("open", "2015-01-01");
    parley_ledger_scores s;
    cr_assert_eq(parley_ledger_score(store, NULL, &s, &err), PARLEY_OK, "%s", err.message);
    cr_assert_eq(s.n_unresolved, 1);
    cr_assert_eq(s.n_forecasters, 2);
    cr_assert_str_eq(s.forecasters[0].by, "bob", "0.01 beats 0.28");
    cr_assert_float_eq(s.forecasters[0].brier, 0.01, 1e-12);
    cr_assert_str_eq(s.forecasters[1].by, "alice");
    cr_assert_float_eq(s.forecasters[1].brier, 0.28, 1e-12);
    cr_assert_float_eq(s.forecasters[1].log_score, 0.7854786959330181, 1e-12);
    cr_assert_eq(s.forecasters[1].n_forecasts, 2);
    cr_assert_eq(s.calibration[2].count, 1);
    cr_assert_eq(s.calibration[6].count, 1);
    cr_assert_eq(s.calibration[9].count, 1);
    parley_ledger_scores_free(&s);
    cr_assert_eq(parley_ledger_score(store, "alice", &s, &err), PARLEY_OK);
    cr_assert_eq(s.n_questions, 1);
    cr_assert_float_eq(s.questions[0].last, 0.6, 1e-12);
    parley_ledger_scores_free(&s);
}

Test(ledger, numeric_question_scored_by_crps)
{
    parley_question q;
    parley_question_init(&q);
    q.kind = PARLEY_QUESTION_NUMERIC;
    q.low = 0;
    q.high = 100;
    snprintf(q.slug, sizeof q.slug, "turnout");
    snprintf(q.close, sizeof q.close, "2014-05-25");
    snprintf(q.text, sizeof q.text, "Turnout?");
    snprintf(q.criteria, sizeof q.criteria, "CEC");
    int64_t id = 0;
    cr_assert_eq(parley_ledger_ask(store, &q, &id, &err), PARLEY_OK, "%s", err.message);
    parley_ledger_forecast f;
    parley_ledger_forecast_init(&f);
    f.question = id;
    snprintf(f.by, sizeof f.by, "carol");
    snprintf(f.date, sizeof f.date, "2014-05-01");
    f.probability = 0.5;
    cr_assert_eq(parley_ledger_add(store, &f, NULL, &err), PARLEY_EINVAL, "no p on numeric");
    f.probability = NAN;
    snprintf(f.distribution, sizeof f.distribution, "q:0.5=120");
    cr_assert_eq(parley_ledger_add(store, &f, NULL, &err), PARLEY_EINVAL);
    snprintf(f.distribution, sizeof f.distribution, "q:0.1=20;0.5=40;0.9=70");
    cr_assert_eq(parley_ledger_add(store, &f, NULL, &err), PARLEY_OK, "%s", err.message);
    cr_assert_eq(parley_ledger_resolve(store, id, 55, "2014-05-25", "CEC", &err), PARLEY_OK);
    parley_ledger_scores s;
    cr_assert_eq(parley_ledger_score(store, NULL, &s, &err), PARLEY_OK, "%s", err.message);
    cr_assert_eq(s.n_questions, 1);
    cr_assert_float_eq(s.questions[0].crps, 25.0 / 3, 1e-12); /* test_scoring.c by hand */
    cr_assert_float_eq(s.forecasters[0].crps_scaled, 25.0 / 300, 1e-12);
    cr_assert(isnan(s.forecasters[0].brier));
    parley_ledger_scores_free(&s);
}

static const char good_csv[] =
    PARLEY_LEDGER_CSV_HEADER "\n"
    "question,deal,binary,,,2014-12-31,,,,,,\"Will a deal, with \"\"proposals\"\", come?\","
    "by Minsk,,,,\n"
    "forecast,deal,,,,,alice,2014-04-01,0.6,,,\"more likely\nthan not\",,,,,\n"
    "question,turnout,numeric,0,100,2014-05-25,,,,,,Turnout?,CEC,,,,\n"
    "forecast,turnout,,,,,bob,2014-05-01,,h:1,3,,,,,,\n"
    "resolution,deal,,,,,,2014-09-05,,,yes,,,Minsk Protocol,,,\n";

Test(ledger, csv_import_and_export_read_back)
{
    parley_ledger_counts counts;
    cr_assert_eq(parley_ledger_import_csv(store, good_csv, strlen(good_csv), "good.csv",
                                          &counts, &err),
                 PARLEY_OK, "%s:%d: %s", err.file, err.line, err.message);
    cr_assert_eq(counts.questions, 2);
    cr_assert_eq(counts.forecasts, 2);
    cr_assert_eq(counts.resolutions, 1);
    parley_question q;
    cr_assert_eq(parley_ledger_question(store, "deal", &q, &err), PARLEY_OK);
    cr_assert_str_eq(q.text, "Will a deal, with \"proposals\", come?");
    char *first = NULL, *second = NULL;
    cr_assert_eq(parley_ledger_export_csv(store, &first, &err), PARLEY_OK);
    /* Into a second store, and out again: the same text. */
    parley_store *other = NULL;
    char other_path[700];
    snprintf(other_path, sizeof other_path, "%s/other.db", dir);
    cr_assert_eq(parley_store_open(other_path, PARLEY_STORE_CREATE, &other, &err), PARLEY_OK);
    cr_assert_eq(parley_ledger_import_csv(other, first, strlen(first), "x", NULL, &err),
                 PARLEY_OK, "%d: %s", err.line, err.message);
    cr_assert_eq(parley_ledger_export_csv(other, &second, &err), PARLEY_OK);
    cr_assert_str_eq(first, second);
    cr_assert(strstr(first, "\"more likely\nthan not\""), "%s", first);
    parley_store_close(other);
    parley_free(first);
    parley_free(second);
}

/* Imports text with a bad row and checks the error names line `line` and
 * `words`, and that nothing was imported. */
static void expect_refused(const char *text, int line, const char *words)
{
    parley_ledger_counts counts = {9, 9, 9};
    cr_assert_neq(parley_ledger_import_csv(store, text, strlen(text), "bad.csv", &counts, &err),
                  PARLEY_OK, "%s was imported", text);
    cr_assert_str_eq(err.file, "bad.csv");
    cr_assert_eq(err.line, line, "line %d, expected %d: %s", err.line, line, err.message);
    cr_assert(strstr(err.message, words), "\"%s\" lacks \"%s\"", err.message, words);
    cr_assert_eq(counts.questions + counts.forecasts + counts.resolutions, 0);
    cr_assert_eq(count_questions(), 0, "nothing imported");
}

Test(ledger, bad_csv_rows_name_the_line_and_import_nothing)
{
    char text[2048];
    const char *head = PARLEY_LEDGER_CSV_HEADER "\n"
                       "question,deal,binary,,,2014-12-31,,,,,,\"two\nlines\",c,,,,\n"
                       "forecast,deal,,,,,alice,2014-04-01,0.6,,,,,,,,\n";
    /* Lines: 1 header, 2-3 the question, 4 the forecast, 5 the bad row. */
    snprintf(text, sizeof text, "%sforecast,deal,,,,,bob,2014-04-01,1.5,,,,,,,,\n", head);
    expect_refused(text, 5, "[0, 1]");
    snprintf(text, sizeof text, "%sforecast,nodeal,,,,,bob,2014-04-01,0.5,,,,,,,,\n", head);
    expect_refused(text, 5, "no question \"nodeal\"");
    snprintf(text, sizeof text, "%sforecast,deal,,,,,bob,2015-04-01,0.5,,,,,,,,\n", head);
    expect_refused(text, 5, "closed");
    snprintf(text, sizeof text, "%sforecast,deal,,,,,bob,1 April,0.5,,,,,,,,\n", head);
    expect_refused(text, 5, "YYYY-MM-DD");
    snprintf(text, sizeof text, "%sguess,deal,,,,,,,,,,,,,,,\n", head);
    expect_refused(text, 5, "expected question, forecast or resolution");
    snprintf(text, sizeof text, "%sresolution,deal,,,,,,2014-09-05,,,maybe,,,s,,,\n", head);
    expect_refused(text, 5, "not a number");
    snprintf(text, sizeof text, "%sresolution,deal,,,,,,2014-09-05,,,yes,,,s,,,\n"
                                "resolution,deal,,,,,,2014-09-06,,,no,,,t,,,\n", head);
    expect_refused(text, 6, "already resolved");
    snprintf(text, sizeof text, "%sforecast,deal,,,,,bob,2014-04-01,\"0.5,,,,,,,,\n", head);
    expect_refused(text, 5, "never closed");
    snprintf(text, sizeof text, "%sforecast,deal,,,,,bob,2014-04-01,0\"5,,,,,,,,\n", head);
    expect_refused(text, 5, "quote");
    snprintf(text, sizeof text, "%squestion,deal,binary,,,2014-12-31,,,,,,t,c,,,,\n", head);
    expect_refused(text, 5, "already in the ledger");
    expect_refused("record,question,colour\n", 1, "unknown column \"colour\"");
    expect_refused("", 1, "empty");
}

/* A stored Monte Carlo run of a 2-issue scenario with 100 samples: issue
 * i0 has 30 forecasts at 20.005 (fine bin 2000) and 70 at 70.005 (bin
 * 7000); the run counted one event, "i0 > 60", 70 times. */
static int64_t store_mc_run(parley_scenario *sc)
{
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    parley_mc_result mc = {0};
    parley_mc_issue issues[2] = {{0}};
    uint64_t *bins[2] = {calloc(PARLEY_MC_BINS, 8), calloc(PARLEY_MC_BINS, 8)};
    bins[0][2000] = 30;
    bins[0][7000] = 70;
    bins[1][5000] = 100;
    for (int i = 0; i < 2; i++) {
        issues[i] = (parley_mc_issue){100, 0, 50, 10, 20, 70, 0, 100, bins[i]};
    }
    parley_mc_event_result event = {70, 0.7, sqrt(0.7 * 0.3 / 100)};
    mc.samples = mc.done = 100;
    mc.n_issues = 2;
    mc.issues = issues;
    mc.n_events = 1;
    mc.events = &event;
    const char *texts[] = {"i0 > 60"};
    int64_t id = 0;
    cr_assert_eq(parley_store_save_mc(store, sc, parley_models()[0], &opts, &mc, texts, NULL,
                                      NULL, &id, &err),
                 PARLEY_OK, "%s", err.message);
    free(bins[0]);
    free(bins[1]);
    return id;
}

Test(ledger, model_forecast_from_a_stored_monte_carlo_run)
{
    parley_scenario *sc = fixture_scenario("mc-sc", 3, 2);
    int64_t run_id = store_mc_run(sc);
    parley_stored_run *run = NULL;
    cr_assert_eq(parley_store_load(store, run_id, &run, &err), PARLEY_OK, "%s", err.message);
    double p = 0;
    int from_histogram = -1;
    cr_assert_eq(parley_ledger_run_probability(run, "i0>60", &p, &from_histogram, &err),
                 PARLEY_OK, "%s", err.message);
    cr_assert_float_eq(p, 0.7, 1e-15);
    cr_assert_eq(from_histogram, 0, "the stored event, blanks aside");
    /* Not stored, one issue: from the histogram (bins at 20.005, 70.005). */
    cr_assert_eq(parley_ledger_run_probability(run, "i0 < 50", &p, &from_histogram, &err),
                 PARLEY_OK, "%s", err.message);
    cr_assert_float_eq(p, 0.3, 1e-15);
    cr_assert_eq(from_histogram, 1);
    cr_assert_eq(parley_ledger_run_probability(run, "(i0 < 10 or i0 >= 70)", &p,
                                               &from_histogram, &err),
                 PARLEY_OK, "%s", err.message);
    cr_assert_float_eq(p, 0.7, 1e-15);
    /* Two issues, not stored: a clear error. */
    cr_assert_eq(parley_ledger_run_probability(run, "i0 < 50 and i1 > 3", &p, &from_histogram,
                                               &err),
                 PARLEY_EINVAL);
    cr_assert(strstr(err.message, "more than one issue"), "%s", err.message);
    cr_assert(strstr(err.message, "parley mc --event"), "%s", err.message);
    cr_assert_eq(parley_ledger_run_probability(run, "nope > 3", &p, &from_histogram, &err),
                 PARLEY_EPARSE);
    /* The model's forecast keeps its run, model and scenario. */
    int64_t id = ask("high", "2014-12-31");
    parley_ledger_forecast f;
    parley_ledger_forecast_init(&f);
    f.question = id;
    snprintf(f.by, sizeof f.by, "model:%s", run->info.model);
    snprintf(f.model, sizeof f.model, "%s", run->info.model);
    snprintf(f.scenario_sha256, sizeof f.scenario_sha256, "%s", run->info.sha256);
    f.run = run_id;
    f.probability = 0.7;
    snprintf(f.date, sizeof f.date, "2014-04-01");
    cr_assert_eq(parley_ledger_add(store, &f, NULL, &err), PARLEY_OK, "%s", err.message);
    f.run = run_id + 50;
    cr_assert_eq(parley_ledger_add(store, &f, NULL, &err), PARLEY_EINVAL, "no such run");
    parley_ledger_forecast *all = NULL;
    size_t n = 0;
    cr_assert_eq(parley_ledger_forecasts(store, id, NULL, &all, &n, &err), PARLEY_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(all[0].run, run_id);
    cr_assert_str_eq(all[0].scenario_sha256, run->info.sha256);
    parley_free(all);
    cr_assert_eq(parley_ledger_resolve(store, id, 1, "2014-12-31", "s", &err), PARLEY_OK);
    parley_ledger_scores s;
    cr_assert_eq(parley_ledger_score(store, NULL, &s, &err), PARLEY_OK);
    cr_assert(s.forecasters[0].is_model);
    parley_ledger_scores_free(&s);
    parley_stored_run_free(run);
    parley_scenario_free(sc);
}

Test(ledger, allocation_failures_return_enomem)
{
    cr_assert_eq(parley_ledger_import_csv(store, good_csv, strlen(good_csv), "g", NULL, &err),
                 PARLEY_OK);
    for (long n = 1;; n++) {
        parley_ledger_scores s;
        parley_alloc_fail_after(n);
        int rc = parley_ledger_score(store, NULL, &s, &err);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            parley_ledger_scores_free(&s);
            cr_assert_gt(n, 3);
            break;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM, "allocation %ld: %s", n, err.message);
    }
    for (long n = 1;; n++) {
        char *text = NULL;
        parley_alloc_fail_after(n);
        int rc = parley_ledger_export_csv(store, &text, &err);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            parley_free(text);
            break;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM, "allocation %ld: %s", n, err.message);
        cr_assert_null(text);
    }
    char *svg = NULL;
    parley_calibration_bin bins[PARLEY_CALIBRATION_BINS];
    double p[] = {0.2, 0.8};
    int hit[] = {0, 1};
    parley_calibration(p, hit, 2, bins);
    parley_alloc_fail_after(1);
    cr_assert_eq(parley_ledger_reliability_svg(bins, PARLEY_CALIBRATION_BINS, "t", &svg, &err),
                 PARLEY_ENOMEM);
    parley_alloc_fail_after(0);
    cr_assert_eq(parley_ledger_reliability_svg(bins, PARLEY_CALIBRATION_BINS, "a < b", &svg,
                                               &err),
                 PARLEY_OK);
    cr_assert(strstr(svg, "<svg") && strstr(svg, "a &lt; b") && strstr(svg, "n=1"), "%s", svg);
    parley_free(svg);
}
