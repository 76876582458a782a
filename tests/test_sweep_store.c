/* test_sweep_store.c — sweeps in the run store (schema 4): a sweep and its
 * cases read back bit for bit (-0 and missing values included), each case
 * committed on its own, a sweep stopped after k cases resumed so that only
 * the rest run and the result equals an unbroken run; on the command line
 * a `parley sweep` killed with SIGKILL mid-way, then `--resume`, prints the
 * same bytes as an unbroken one; `runs list` shows sweeps; `report --sweep`
 * draws the small multiples. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/store.h"
#include "parley/sweep.h"
#include "store_fixture.h"
#include "support.h"

static char dir[512], db_path[600];

static void setup(void)
{
    cr_assert_eq(fixture_mkdtemp(dir, sizeof dir), 0);
    snprintf(db_path, sizeof db_path, "%s/sweeps.db", dir);
}

static void teardown(void)
{
    fixture_rmdir(dir);
}

TestSuite(sweep_store, .init = setup, .fini = teardown);

static parley_store *open_store(void)
{
    parley_store *store = NULL;
    parley_error err;
    cr_assert_eq(parley_store_open(db_path, PARLEY_STORE_CREATE, &store, &err), PARLEY_OK, "%s",
                 err.message);
    return store;
}

/* The fixture's 3 actors on one issue: positions 0, 37, 74, capabilities
 * 1, 2, 3, equal saliences.  compromise forecasts the capability-weighted
 * mean, so with a0's capability c it is (2*37 + 3*74) / (c + 5) = 296 / (c + 5). */
static parley_sweep *fixture_sweep(const parley_scenario *sc)
{
    parley_sweep *s = parley_sweep_new(sc, parley_model_find("compromise"), NULL);
    parley_error err;
    cr_assert_eq(parley_sweep_add(s, "a0.capability=1:4:1", &err), PARLEY_OK, "%s",
                 err.message);
    cr_assert_eq(parley_sweep_add(s, "a1.capability=1,2,3", &err), PARLEY_OK, "%s",
                 err.message);
    return s;
}

typedef struct case_sink {
    parley_store *store;
    int64_t id;
    const parley_sweep *sweep;
    uint64_t calls, cancel_after;
} case_sink;

static int sink_case(const parley_sweep_result *r, uint64_t c, void *userdata,
                     parley_error *err)
{
    case_sink *sink = userdata;
    sink->calls++;
    return parley_store_sweep_save_case(sink->store, sink->id, sink->sweep, r, c, err);
}

static int cancel_progress(uint64_t done, uint64_t total, void *userdata)
{
    (void)total;
    const case_sink *sink = userdata;
    return sink->cancel_after && done >= sink->cancel_after;
}

/* Same bits, NaN included. */
static int same_stats(const parley_sweep_result *a, const parley_sweep_result *b)
{
    size_t cells = (size_t)a->n_cases * PARLEY_SWEEP_N_STATS * a->n_issues;
    return a->n_cases == b->n_cases && a->n_issues == b->n_issues &&
           memcmp(a->done, b->done, (size_t)a->n_cases) == 0 &&
           memcmp(a->status, b->status, (size_t)a->n_cases * sizeof *a->status) == 0 &&
           memcmp(a->stats, b->stats, cells * sizeof *a->stats) == 0;
}

Test(sweep_store, stopped_sweep_keeps_its_cases_and_resumes_to_an_unbroken_result)
{
    parley_scenario *sc = fixture_scenario("sweepy", 3, 1);
    parley_sweep *s = fixture_sweep(sc);
    parley_error err;
    parley_sweep_opts opts;
    parley_sweep_opts_init(&opts);
    opts.threads = 1;   /* progress is called after every case */
    parley_sweep_result *unbroken = parley_sweep_result_new(s);
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 12, unbroken, &err), PARLEY_OK, "%s",
                 err.message);
    /* Case c has a0 = 1 + c / 3 and a1 = 1 + c % 3; checked by hand for a1 = 2. */
    cr_assert_float_eq(*parley_sweep_result_at(unbroken, 0 * 3 + 1, PARLEY_SWEEP_MEAN, 0),
                       296.0 / 6, 1e-9);
    cr_assert_float_eq(*parley_sweep_result_at(unbroken, 3 * 3 + 1, PARLEY_SWEEP_MEAN, 0),
                       296.0 / 9, 1e-9);

    parley_store *store = open_store();
    case_sink sink = {store, 0, s, 0, 5};
    struct timespec t0 = {1700000000, 0};
    cr_assert_eq(parley_store_sweep_begin(store, s, &opts, &t0, &sink.id, &err), PARLEY_OK,
                 "%s", err.message);
    cr_assert_eq(sink.id, 1);
    opts.on_case = sink_case;
    opts.progress = cancel_progress;
    opts.userdata = &sink;
    parley_sweep_result *first = parley_sweep_result_new(s);
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 12, first, &err), PARLEY_ECANCEL);
    cr_assert_eq(sink.calls, 5);
    cr_assert_eq(parley_store_sweep_finish(store, sink.id, NULL, &err), PARLEY_EINVAL);
    parley_sweep_result_free(first);
    parley_store_close(store);

    /* Another process, later: only what was committed is there. */
    store = open_store();
    parley_sweep_info *infos = NULL;
    size_t n = 0;
    cr_assert_eq(parley_store_sweep_list(store, &infos, &n, &err), PARLEY_OK, "%s",
                 err.message);
    cr_assert_eq(n, 1);
    cr_assert_eq(infos[0].n_cases, 12);
    cr_assert_eq(infos[0].n_stored, 5);
    cr_assert_eq(infos[0].n_axes, 2);
    cr_assert_str_eq(infos[0].model, "compromise");
    cr_assert_str_eq(infos[0].vary, "a0.capability=1:4:1 a1.capability=1,2,3");
    cr_assert_str_eq(infos[0].started, "2023-11-14T22:13:20.000Z");
    cr_assert_str_eq(infos[0].finished, "");
    parley_free(infos);

    parley_stored_sweep *stored = NULL;
    cr_assert_eq(parley_store_sweep_load(store, sink.id, &stored, &err), PARLEY_OK, "%s",
                 err.message);
    size_t n_done = 0;
    for (uint64_t c = 0; c < 12; c++)
        n_done += stored->result->done[c];
    cr_assert_eq(n_done, 5);
    sink = (case_sink){store, stored->info.id, stored->sweep, 0, 0};
    stored->opts.on_case = sink_case;
    stored->opts.userdata = &sink;
    cr_assert_eq(parley_sweep_run(stored->sweep, &stored->opts, 0, 12, stored->result, &err),
                 PARLEY_OK, "%s", err.message);
    cr_assert_eq(sink.calls, 7, "only the missing cases run");
    cr_assert(same_stats(stored->result, unbroken));
    cr_assert_eq(parley_store_sweep_finish(store, sink.id, NULL, &err), PARLEY_OK, "%s",
                 err.message);
    parley_stored_sweep_free(stored);

    /* Read back whole: the same bits again. */
    cr_assert_eq(parley_store_sweep_load(store, 1, &stored, &err), PARLEY_OK, "%s",
                 err.message);
    cr_assert(same_stats(stored->result, unbroken));
    cr_assert_neq(stored->info.finished[0], '\0');
    cr_assert_eq(stored->info.n_stored, 12);
    parley_stored_sweep_free(stored);
    cr_assert_eq(parley_store_sweep_load(store, 2, &stored, &err), PARLEY_ENOTFOUND);
    cr_assert_null(stored);

    parley_store_close(store);
    parley_sweep_result_free(unbroken);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

Test(sweep_store, monte_carlo_statistics_negative_zero_and_gaps_read_back_bit_for_bit)
{
    parley_scenario *sc = fixture_scenario("mc", 3, 2);
    parley_sweep *s = fixture_sweep(sc);
    parley_error err;
    parley_sweep_opts opts;
    parley_sweep_opts_init(&opts);
    opts.samples = 40;
    opts.seed = 7;
    opts.spread = 0.1;
    parley_sweep_result *r = parley_sweep_result_new(s);
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 12, r, &err), PARLEY_OK, "%s", err.message);
    /* What SQLite's REAL affinity would lose, and a case without a forecast. */
    *parley_sweep_result_at(r, 2, PARLEY_SWEEP_Q05, 1) = -0.0;
    r->status[3] = PARLEY_EUNDEF;
    for (int stat = 0; stat < PARLEY_SWEEP_N_STATS; stat++)
        *parley_sweep_result_at(r, 3, (parley_sweep_stat)stat, 0) = NAN;
    parley_store *store = open_store();
    int64_t id = 0;
    cr_assert_eq(parley_store_sweep_begin(store, s, &opts, NULL, &id, &err), PARLEY_OK);
    for (uint64_t c = 0; c < 12; c++)
        cr_assert_eq(parley_store_sweep_save_case(store, id, s, r, c, &err), PARLEY_OK, "%s",
                     err.message);
    /* Saving a case again leaves the stored one. */
    double kept = *parley_sweep_result_at(r, 0, PARLEY_SWEEP_MEAN, 0);
    *parley_sweep_result_at(r, 0, PARLEY_SWEEP_MEAN, 0) = 12345;
    cr_assert_eq(parley_store_sweep_save_case(store, id, s, r, 0, &err), PARLEY_OK);
    *parley_sweep_result_at(r, 0, PARLEY_SWEEP_MEAN, 0) = kept;
    cr_assert_eq(parley_store_sweep_save_case(store, id, s, r, 12, &err), PARLEY_EINVAL);

    parley_stored_sweep *stored = NULL;
    cr_assert_eq(parley_store_sweep_load(store, id, &stored, &err), PARLEY_OK, "%s",
                 err.message);
    cr_assert(same_stats(stored->result, r));
    cr_assert(signbit(*parley_sweep_result_at(stored->result, 2, PARLEY_SWEEP_Q05, 1)));
    cr_assert_eq(stored->result->status[3], PARLEY_EUNDEF);
    cr_assert_eq(stored->opts.samples, 40);
    cr_assert_eq(stored->opts.seed, 7);
    cr_assert_eq(stored->opts.spread, 0.1);
    parley_stored_sweep_free(stored);

    /* The SQL a reader would write sees the case's values and its status. */
    char out[256];
    fixture_sqlite(db_path,
                   "SELECT axis_values || ' ' || status FROM sweep_case WHERE case_index = 3;",
                   out, sizeof out);
    cr_assert_str_eq(out, "[2, 1] no forecast");
    parley_store_close(store);
    parley_sweep_result_free(r);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

Test(sweep_store, allocation_failures_return_enomem)
{
    parley_scenario *sc = fixture_scenario("oom", 3, 1);
    parley_sweep *s = fixture_sweep(sc);
    parley_sweep_opts opts;
    parley_sweep_opts_init(&opts);
    parley_sweep_result *r = parley_sweep_result_new(s);
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 12, r, NULL), PARLEY_OK);
    parley_store *store = open_store();
    int64_t id = 0;
    cr_assert_eq(parley_store_sweep_begin(store, s, &opts, NULL, &id, NULL), PARLEY_OK);
    for (uint64_t c = 0; c < 12; c++)
        cr_assert_eq(parley_store_sweep_save_case(store, id, s, r, c, NULL), PARLEY_OK);
    int failures = 0;
    for (long n = 1; n < 5000; n++) {
        parley_stored_sweep *stored = NULL;
        parley_alloc_fail_after(n);
        int rc = parley_store_sweep_load(store, id, &stored, NULL);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            parley_stored_sweep_free(stored);
            break;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM, "allocation %ld: %d", n, rc);
        cr_assert_null(stored);
        failures++;
    }
    cr_assert_gt(failures, 5);
    parley_store_close(store);
    parley_sweep_result_free(r);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

/* ---- the command line ---------------------------------------------------- */

#define VARY "--vary 'Russia.capability=50:150:10' --vary 'eu.Q=0,0.5,1'"

static char *run_ok(const char *args, char **errout)
{
    char *out = NULL;
    int status = test_run_parley(args, &out, errout);
    cr_assert_eq(status, 0, "parley %s: %d\n%s", args, status, errout ? *errout : "");
    return out;
}

Test(sweep_store, killed_sweep_resumes_to_the_same_bytes)
{
    char args[1024], *errout = NULL;
    for (int json = 0; json < 2; json++) {
        const char *format = json ? "--json" : "--csv";
        snprintf(args, sizeof args, "sweep " VARY " %s --db '%s'", format, db_path);
        char *unbroken = run_ok(args, NULL);
        cr_assert_gt(strlen(unbroken), 100);

        setenv("PARLEY_TEST_KILL_AFTER_CASES", "7", 1);
        char *dead = NULL;
        int status = test_run_parley(args, &dead, NULL);
        unsetenv("PARLEY_TEST_KILL_AFTER_CASES");
        cr_assert_neq(status, 0, "the sweep was killed");
        cr_assert_str_eq(dead, "", "a killed sweep printed nothing");

        int64_t id = 2 * json + 2;
        snprintf(args, sizeof args, "sweep --resume %lld %s --db '%s'", (long long)id, format,
                 db_path);
        char *resumed = run_ok(args, &errout);
        cr_assert(strstr(errout, "7 of 33 cases stored"), "%s", errout);
        cr_assert_str_eq(resumed, unbroken);
        free(errout);
        free(unbroken);
        free(dead);
        free(resumed);
    }
    /* runs list shows the sweeps, finished or not. */
    snprintf(args, sizeof args, "runs list --db '%s'", db_path);
    char *list = run_ok(args, NULL);
    cr_assert(strstr(list, "SWEEP"), "%s", list);
    cr_assert(strstr(list, "33/33 "), "%s", list);
    cr_assert(strstr(list, "Russia.capability=50:150:10 eu.Q=0,0.5,1"), "%s", list);
    free(list);
    /* A finished sweep resumes to its table without running anything. */
    snprintf(args, sizeof args, "sweep --resume 1 --csv --db '%s'", db_path);
    free(run_ok(args, &errout));
    cr_assert(strstr(errout, "33 of 33 cases stored"), "%s", errout);
    free(errout);
    snprintf(args, sizeof args, "sweep --resume 9 --db '%s'", db_path);
    cr_assert_neq(test_run_parley(args, NULL, NULL), 0);
    snprintf(args, sizeof args, "sweep --resume 1 " VARY " --db '%s'", db_path);
    cr_assert_eq(test_run_parley(args, NULL, NULL), 2);
}

Test(sweep_store, report_draws_the_sweep_as_small_multiples)
{
    char args[1024];
    snprintf(args, sizeof args, "sweep " VARY " --samples 20 --csv --db '%s'", db_path);
    free(run_ok(args, NULL));
    snprintf(args, sizeof args, "report --sweep 1 --db '%s'", db_path);
    char *html = run_ok(args, NULL);
    cr_assert(strstr(html, "<!DOCTYPE html>"));
    cr_assert(strstr(html, "<svg"));
    cr_assert_null(strstr(html, "http"), "an offline file names no URL");
    /* One panel per issue of the built-in scenario (6), one line per value
     * of eu.Q (3) in each, each with its 5-95 % band. */
    size_t plots = 0, lines = 0, bands = 0;
    for (const char *at = html; (at = strstr(at, "class=\"plot\"")); at++)
        plots++;
    for (const char *at = html; (at = strstr(at, "class=\"sweep-line\"")); at++)
        lines++;
    for (const char *at = html; (at = strstr(at, "class=\"sweep-band\"")); at++)
        bands++;
    cr_assert_eq(plots, 6);
    cr_assert_eq(lines, 18);
    cr_assert_eq(bands, 18);
    cr_assert(strstr(html, "data-series=\"0.5\""));
    cr_assert(strstr(html, "eu.q = 1"), "the legend names the second axis's values");
    cr_assert(strstr(html, "<td>32</td>"), "the table holds the last case");
    free(html);
    snprintf(args, sizeof args, "report --sweep 2 --db '%s'", db_path);
    cr_assert_neq(test_run_parley(args, NULL, NULL), 0);
}
