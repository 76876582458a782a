/* test_store.c — the run store: a run read back bit for bit, scenarios
 * deduplicated by an independently computed SHA-256, listing filters,
 * delete, diff, Monte Carlo summaries, and the allocation-failure paths. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/format.h"
#include "parley/model.h"
#include "parley/report.h"
#include "parley/store.h"
#include "store_fixture.h"

static char dir[512];
static char db_path[600];

static void setup(void)
{
    cr_assert_eq(fixture_mkdtemp(dir, sizeof dir), 0);
    snprintf(db_path, sizeof db_path, "%s/parley.db", dir);
}

static void teardown(void)
{
    fixture_rmdir(dir);
}

TestSuite(store, .init = setup, .fini = teardown);

static parley_store *open_store(void)
{
    parley_store *store = NULL;
    parley_error err;
    parley_error_clear(&err);
    int rc = parley_store_open(db_path, PARLEY_STORE_CREATE, &store, &err);
    cr_assert_eq(rc, PARLEY_OK, "open: %s", err.message);
    return store;
}

/* Saves run k (n_rounds rounds) of sc with the first registered model and
 * the given seed; returns its id. */
static int64_t save_fixture(parley_store *store, const parley_scenario *sc, size_t k,
                            size_t n_rounds, uint64_t seed, const struct timespec *started)
{
    const parley_model *model = parley_models()[0];
    parley_run_opts opts;
    parley_run_opts_init(&opts, model);
    opts.seed = seed;
    opts.stream = 42;
    parley_result *r = parley_result_new();
    cr_assert_not_null(r);
    cr_assert_eq(fixture_result(r, sc, k, n_rounds), 0);
    struct timespec finished = *started;
    finished.tv_sec += 2;
    int64_t id = 0;
    parley_error err;
    parley_error_clear(&err);
    int rc = parley_store_save_run(store, sc, model, &opts, r, started, &finished, &id, &err);
    cr_assert_eq(rc, PARLEY_OK, "save: %s", err.message);
    parley_result_free(r);
    return id;
}

Test(store, new_file_is_created_at_the_current_version)
{
    parley_store *store = open_store();
    cr_assert_eq(parley_store_found_version(store), 0);
    parley_store_close(store);
    store = open_store();
    cr_assert_eq(parley_store_found_version(store), PARLEY_STORE_SCHEMA_VERSION);
    parley_store_close(store);
    char out[64];
    /* 0x50726c79 = 1349676153, read by the sqlite3 shell, not by parley. */
    cr_assert_eq(fixture_sqlite(db_path, "PRAGMA application_id;", out, sizeof out), 0);
    cr_assert_str_eq(out, "1349676153");
    fixture_sqlite(db_path, "PRAGMA journal_mode;", out, sizeof out);
    cr_assert_str_eq(out, "wal");
}

Test(store, run_reads_back_bit_for_bit)
{
    parley_scenario *sc = fixture_scenario("s", 3, 2);
    parley_store *store = open_store();
    /* 2024-05-01T12:00:00.123Z is 1714564800 s after the epoch (date -u -d). */
    struct timespec started = {1714564800, 123456789};
    uint64_t seed = UINT64_C(0xfedcba9876543210); /* above 2^63: kept as bits */
    int64_t id = save_fixture(store, sc, 5, 4, seed, &started);
    cr_assert_gt(id, 0);

    parley_stored_run *run = NULL;
    parley_error err;
    cr_assert_eq(parley_store_load(store, id, &run, &err), PARLEY_OK, "%s", err.message);
    cr_assert_eq(run->info.id, id);
    cr_assert_eq(run->info.kind, PARLEY_RUN_KIND_RUN);
    cr_assert_str_eq(run->info.model, parley_models()[0]->name);
    cr_assert_eq(run->model, parley_models()[0]);
    cr_assert_str_eq(run->info.scenario_id, "s");
    cr_assert_eq(run->info.seed, seed);
    cr_assert_eq(run->opts.seed, seed);
    cr_assert_eq(run->opts.stream, 42);
    cr_assert_str_eq(run->info.started, "2024-05-01T12:00:00.123Z");
    cr_assert_str_eq(run->info.finished, "2024-05-01T12:00:02.123Z");
    cr_assert_float_eq(run->info.seconds, 2.0, 1e-9);
    cr_assert_str_eq(run->info.version, PARLEY_VERSION);
    cr_assert_str_eq(run->info.stop_reason, "fixed 4 rounds");
    cr_assert_eq(run->info.n_actors, 3);
    cr_assert_eq(run->info.n_issues, 2);

    parley_run_opts defaults;
    parley_run_opts_init(&defaults, run->model);
    for (size_t k = 0; k < parley_model_count_params(run->model); k++)
        cr_assert_eq(run->opts.param[k], defaults.param[k]);

    const parley_result *r = run->result;
    cr_assert_not_null(r);
    cr_assert_eq(r->n_rounds, 4);
    cr_assert_eq(r->n_states, 5);
    cr_assert_float_eq(r->forecast[0], 15.0, 0);
    cr_assert(isnan(r->forecast[1]));
    cr_assert_null(r->issue_note[0]);
    cr_assert_str_eq(r->issue_note[1], "no forecast: tied");
    for (size_t t = 0; t <= 4; t++)
        for (size_t a = 0; a < 3; a++)
            for (size_t i = 0; i < 2; i++) {
                double got = parley_result_position(r, t, a, i);
                if (a == 2 && i == 1)
                    cr_assert(isnan(got));
                else
                    cr_assert_eq(got, fixture_position(5, t, a, i));
            }
    cr_assert_eq(r->n_events, 4);
    cr_assert_eq(r->events[3].round, 4);
    cr_assert_eq(r->events[3].other, 1);
    cr_assert_eq(r->events[3].issue2, -1);
    cr_assert_eq(r->events[3].value[0], 0.5);
    cr_assert(isnan(r->events[3].value[1]));
    cr_assert_eq(r->events[3].value[3], 1e300);

    cr_assert_eq(parley_scenario_validate(run->scenario, &err), PARLEY_OK);
    cr_assert_eq(run->scenario->n_actors, 3);
    cr_assert_eq(parley_stake_at(run->scenario, 1, 1)->position.value, 48);
    parley_stored_run_free(run);
    parley_store_close(store);
    parley_scenario_free(sc);
}

Test(store, real_model_run_gives_the_same_json_after_a_round_trip)
{
    parley_scenario *sc = fixture_scenario("real", 4, 2);
    parley_error err;
    parley_store *store = open_store();
    for (const parley_model *const *m = parley_models(); *m; m++) {
        parley_result *r = parley_result_new();
        parley_run_opts opts;
        parley_run_opts_init(&opts, *m);
        opts.flags |= PARLEY_RUN_TRACE;
        opts.seed = 7;
        if (parley_model_run(*m, sc, &opts, r, &err) != PARLEY_OK) {
            parley_result_free(r);
            continue;
        }
        int64_t id = 0;
        cr_assert_eq(parley_store_save_run(store, sc, *m, &opts, r, NULL, NULL, &id, &err),
                     PARLEY_OK, "%s", err.message);
        parley_stored_run *run = NULL;
        cr_assert_eq(parley_store_load(store, id, &run, &err), PARLEY_OK, "%s", err.message);
        char *before = NULL, *after = NULL;
        cr_assert_eq(parley_result_to_json(sc, *m, &opts, r, &before, &err), PARLEY_OK);
        cr_assert_eq(parley_result_to_json(run->scenario, run->model, &run->opts, run->result,
                                           &after, &err),
                     PARLEY_OK);
        cr_assert_str_eq(after, before, "model %s", (*m)->name);
        parley_free(before);
        parley_free(after);
        parley_stored_run_free(run);
        parley_result_free(r);
    }
    parley_store_close(store);
    parley_scenario_free(sc);
}

Test(store, scenario_hash_matches_sha256sum_and_is_shared)
{
    parley_scenario *sc = fixture_scenario("shared", 2, 2);
    parley_store *store = open_store();
    struct timespec t = {1700000000, 0};
    int64_t first = save_fixture(store, sc, 1, 2, 1, &t);
    int64_t second = save_fixture(store, sc, 2, 2, 2, &t);

    /* The hash, computed by coreutils' sha256sum over the canonical JSON. */
    char *json = NULL;
    cr_assert_eq(parley_scenario_format(sc, PARLEY_FORMAT_JSON, &json, NULL), PARLEY_OK);
    char json_path[700], command[1500], expected[80] = "";
    snprintf(json_path, sizeof json_path, "%s/scenario.json", dir);
    FILE *f = fopen(json_path, "w");
    cr_assert_not_null(f);
    fputs(json, f);
    fclose(f);
    parley_free(json);
    snprintf(command, sizeof command, "sha256sum '%s'", json_path);
    FILE *p = popen(command, "r");
    cr_assert_not_null(p);
    cr_assert_not_null(fgets(expected, sizeof expected, p));
    pclose(p);
    expected[64] = '\0';

    parley_run_info *infos = NULL;
    size_t n = 0;
    cr_assert_eq(parley_store_list(store, NULL, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(infos[0].sha256, expected);
    cr_assert_str_eq(infos[1].sha256, expected);
    parley_free(infos);
    parley_store_close(store);

    char out[64];
    fixture_sqlite(db_path, "SELECT count(*) FROM scenario;", out, sizeof out);
    cr_assert_str_eq(out, "1");

    /* The scenario stays while one run uses it and goes with the last. */
    store = open_store();
    cr_assert_eq(parley_store_delete(store, first, NULL), PARLEY_OK);
    parley_store_close(store);
    fixture_sqlite(db_path, "SELECT count(*) FROM scenario;", out, sizeof out);
    cr_assert_str_eq(out, "1");
    store = open_store();
    cr_assert_eq(parley_store_delete(store, second, NULL), PARLEY_OK);
    parley_store_close(store);
    fixture_sqlite(db_path,
                   "SELECT (SELECT count(*) FROM scenario) + (SELECT count(*) FROM state) + "
                   "(SELECT count(*) FROM event) + (SELECT count(*) FROM param) + "
                   "(SELECT count(*) FROM forecast);",
                   out, sizeof out);
    cr_assert_str_eq(out, "0");
    parley_scenario_free(sc);
}

Test(store, list_filters_by_scenario_model_date_kind_and_limit)
{
    parley_scenario *x = fixture_scenario("x", 2, 1);
    parley_scenario *y = fixture_scenario("y", 2, 1);
    parley_store *store = open_store();
    /* 1714521600 = 2024-05-01T00:00:00Z; one run a day. */
    int64_t ids[4];
    for (int k = 0; k < 4; k++) {
        struct timespec t = {1714521600 + 86400 * k + 3600, 0};
        ids[k] = save_fixture(store, k % 2 ? y : x, (size_t)k, 1, 0, &t);
    }
    parley_run_filter filter;
    parley_run_info *infos = NULL;
    size_t n = 0;

    parley_run_filter_init(&filter);
    filter.scenario = "y";
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(infos[0].id, ids[1]);
    cr_assert_eq(infos[1].id, ids[3]);
    char prefix[8];
    snprintf(prefix, sizeof prefix, "%.6s", infos[0].sha256);
    parley_free(infos);

    filter.scenario = prefix;
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(infos[0].scenario_id, "y");
    parley_free(infos);

    parley_run_filter_init(&filter);
    filter.since = "2024-05-02";
    filter.until = "2024-05-03"; /* a date: through the end of that day */
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(infos[0].id, ids[1]);
    cr_assert_eq(infos[1].id, ids[2]);
    parley_free(infos);

    parley_run_filter_init(&filter);
    filter.limit = 3;
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(infos[0].id, ids[1]); /* the newest three, oldest first */
    parley_free(infos);

    parley_run_filter_init(&filter);
    filter.model = "no-such-model";
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 0);
    filter.model = parley_models()[0]->name;
    filter.kind = PARLEY_RUN_KIND_MC;
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 0);
    filter.kind = PARLEY_RUN_KIND_RUN;
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 4);
    parley_free(infos);
    parley_store_close(store);
    parley_scenario_free(x);
    parley_scenario_free(y);
}

Test(store, delete_removes_a_run_and_reports_a_missing_one)
{
    parley_scenario *sc = fixture_scenario("d", 2, 2);
    parley_store *store = open_store();
    struct timespec t = {1700000000, 0};
    int64_t id = save_fixture(store, sc, 0, 3, 0, &t);
    parley_error err;
    cr_assert_eq(parley_store_delete(store, id, &err), PARLEY_OK);
    cr_assert_eq(parley_store_delete(store, id, &err), PARLEY_ENOTFOUND);
    parley_stored_run *run = NULL;
    cr_assert_eq(parley_store_load(store, id, &run, &err), PARLEY_ENOTFOUND);
    cr_assert_null(run);
    /* Ids are never reused, so an old id cannot name a new run. */
    int64_t next = save_fixture(store, sc, 0, 3, 0, &t);
    cr_assert_gt(next, id);
    parley_store_close(store);
    parley_scenario_free(sc);
}

static const parley_run_change *find_change(const parley_run_change *changes, size_t n,
                                            const char *what)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(changes[k].what, what) == 0)
            return &changes[k];
    return NULL;
}

Test(store, diff_names_changed_inputs_and_moved_forecasts)
{
    parley_scenario *a = fixture_scenario("v", 2, 2);
    parley_scenario *b = fixture_scenario("v", 3, 2);
    b->actors[0].capability.value = 4;
    parley_scenario_set_stake(b, 1, 0, 60, 0.5); /* was 37 */
    parley_store *store = open_store();
    struct timespec t = {1700000000, 0};
    int64_t first = save_fixture(store, a, 0, 2, 1, &t);
    int64_t second = save_fixture(store, b, 3, 2, 9, &t);
    parley_stored_run *ra = NULL, *rb = NULL;
    cr_assert_eq(parley_store_load(store, first, &ra, NULL), PARLEY_OK);
    cr_assert_eq(parley_store_load(store, second, &rb, NULL), PARLEY_OK);
    parley_run_change *changes = NULL;
    size_t n = 0;
    cr_assert_eq(parley_runs_diff(ra, rb, &changes, &n, NULL), PARLEY_OK);

    const parley_run_change *c = find_change(changes, n, "seed");
    cr_assert_not_null(c);
    cr_assert_str_eq(c->before, "1");
    cr_assert_str_eq(c->after, "9");
    c = find_change(changes, n, "capability of a0");
    cr_assert_not_null(c);
    cr_assert_eq(c->section, PARLEY_CHANGE_INPUT);
    cr_assert_float_eq(c->delta, 3.0, 1e-12);
    c = find_change(changes, n, "position of a1 on i0");
    cr_assert_not_null(c);
    cr_assert_float_eq(c->delta, 60.0 - 37.0, 1e-12);
    /* In a, a1 is the last actor and has no stake in i1; in b it has one. */
    c = find_change(changes, n, "stake of a1 in i1");
    cr_assert_not_null(c);
    cr_assert_str_eq(c->after, "yes");
    c = find_change(changes, n, "actor a2");
    cr_assert_not_null(c);
    cr_assert_str_eq(c->before, "");
    cr_assert_null(find_change(changes, n, "capability of a1"));
    cr_assert_null(find_change(changes, n, "model"));
    /* Forecasts: 10 + i + k, so issue 0 moves by 3; issue 1 has none. */
    c = find_change(changes, n, "forecast of i0");
    cr_assert_not_null(c);
    cr_assert_eq(c->section, PARLEY_CHANGE_FORECAST);
    cr_assert_float_eq(c->delta, 3.0, 1e-12);
    c = find_change(changes, n, "forecast of i1");
    cr_assert_not_null(c);
    cr_assert(isnan(c->delta));
    cr_assert_str_eq(c->before, "none");
    parley_free(changes);

    /* Same scenario: no input lines at all. */
    cr_assert_eq(parley_runs_diff(ra, ra, &changes, &n, NULL), PARLEY_OK);
    for (size_t k = 0; k < n; k++)
        cr_assert_eq(changes[k].section, PARLEY_CHANGE_FORECAST, "%s", changes[k].what);
    cr_assert_eq(n, 2);
    parley_free(changes);
    parley_stored_run_free(ra);
    parley_stored_run_free(rb);
    parley_store_close(store);
    parley_scenario_free(a);
    parley_scenario_free(b);
}

/* A Monte Carlo summary made by hand: issue 0's forecasts fill bins 4000
 * to 4003 (1, 2, 3, 4 samples), issue 1 has none. */
static parley_mc_result *fake_mc(void)
{
    parley_mc_result *r = parley_calloc(1, sizeof *r);
    r->samples = r->done = 10;
    r->seed = 77;
    r->spread = 0.1;
    r->n_issues = 2;
    r->issues = parley_calloc(2, sizeof *r->issues);
    for (size_t i = 0; i < 2; i++) {
        r->issues[i].bins = parley_calloc(PARLEY_MC_BINS, sizeof(uint64_t));
        r->issues[i].low = 0;
        r->issues[i].high = 100;
    }
    for (uint64_t j = 0; j < 4; j++)
        r->issues[0].bins[4000 + j] = j + 1;
    r->issues[0].count = 10;
    r->issues[0].mean = 40.025;
    r->issues[0].sd = 0.01;
    r->issues[0].min = 40.0;
    r->issues[0].max = 40.04;
    r->issues[1].undefined = 10;
    r->issues[1].mean = r->issues[1].sd = r->issues[1].min = r->issues[1].max = NAN;
    r->n_events = 1;
    r->events = parley_calloc(1, sizeof *r->events);
    r->events[0].count = 3;
    r->events[0].probability = 0.3;
    r->events[0].std_error = sqrt(0.3 * 0.7 / 10);
    return r;
}

Test(store, monte_carlo_summary_reads_back_with_its_histogram)
{
    parley_scenario *sc = fixture_scenario("mc", 2, 2);
    parley_mc_result *r = fake_mc();
    const parley_model *model = parley_models()[0];
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = 10;
    const char *texts[] = {"i0 >= 40"};
    parley_store *store = open_store();
    int64_t id = 0;
    parley_error err;
    cr_assert_eq(parley_store_save_mc(store, sc, model, &opts, r, texts, NULL, NULL, &id, &err),
                 PARLEY_OK, "%s", err.message);
    parley_stored_run *run = NULL;
    cr_assert_eq(parley_store_load(store, id, &run, &err), PARLEY_OK, "%s", err.message);
    cr_assert_eq(run->info.kind, PARLEY_RUN_KIND_MC);
    cr_assert_eq(run->info.samples, 10);
    cr_assert_null(run->result);
    const parley_mc_result *back = run->mc;
    cr_assert_eq(back->seed, 77);
    cr_assert_eq(back->done, 10);
    cr_assert_eq(back->spread, 0.1);
    cr_assert_eq(back->issues[0].count, 10);
    cr_assert_eq(back->issues[0].mean, 40.025);
    cr_assert(isnan(back->issues[1].mean));
    cr_assert_eq(back->issues[1].undefined, 10);
    for (size_t j = 0; j < PARLEY_MC_BINS; j++)
        cr_assert_eq(back->issues[0].bins[j], r->issues[0].bins[j], "bin %zu", j);
    cr_assert_eq(parley_mc_quantile(back, 0, 0.5), parley_mc_quantile(r, 0, 0.5));
    cr_assert_eq(back->n_events, 1);
    cr_assert_eq(back->events[0].count, 3);
    cr_assert_str_eq(run->mc_event_texts[0], "i0 >= 40");

    parley_run_filter filter;
    parley_run_filter_init(&filter);
    filter.kind = PARLEY_RUN_KIND_MC;
    parley_run_info *infos = NULL;
    size_t n = 0;
    cr_assert_eq(parley_store_list(store, &filter, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 1);
    parley_free(infos);
    cr_assert_eq(parley_store_delete(store, id, NULL), PARLEY_OK);
    parley_stored_run_free(run);
    parley_store_close(store);
    parley_mc_result_free(r);
    parley_scenario_free(sc);
    char out[64];
    fixture_sqlite(db_path,
                   "SELECT (SELECT count(*) FROM mc) + (SELECT count(*) FROM mc_issue) + "
                   "(SELECT count(*) FROM mc_event);",
                   out, sizeof out);
    cr_assert_str_eq(out, "0");
}

Test(store, mismatched_result_is_refused_and_nothing_is_written)
{
    parley_scenario *sc = fixture_scenario("m", 2, 2);
    parley_scenario *other = fixture_scenario("m", 3, 2);
    parley_result *r = parley_result_new();
    cr_assert_eq(fixture_result(r, other, 0, 1), 0);
    parley_store *store = open_store();
    parley_error err;
    cr_assert_eq(parley_store_save_run(store, sc, parley_models()[0], NULL, r, NULL, NULL,
                                       NULL, &err),
                 PARLEY_EINVAL);
    parley_run_info *infos = NULL;
    size_t n = 0;
    cr_assert_eq(parley_store_list(store, NULL, &infos, &n, NULL), PARLEY_OK);
    cr_assert_eq(n, 0);
    parley_store_close(store);
    parley_result_free(r);
    parley_scenario_free(sc);
    parley_scenario_free(other);
}

/* Every allocation of load and save fails in turn: ENOMEM, nothing leaks
 * (ASan), and a failed save leaves no partial run. */
Test(store, allocation_failures_return_enomem)
{
    parley_scenario *sc = fixture_scenario("oom", 3, 2);
    parley_store *store = open_store();
    struct timespec t = {1700000000, 0};
    int64_t id = save_fixture(store, sc, 0, 3, 0, &t);
    int failures = 0;
    for (long n = 1; n < 5000; n++) {
        parley_stored_run *run = NULL;
        parley_alloc_fail_after(n);
        int rc = parley_store_load(store, id, &run, NULL);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            parley_stored_run_free(run);
            break;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM, "allocation %ld: %d", n, rc);
        cr_assert_null(run);
        failures++;
    }
    cr_assert_gt(failures, 5);

    parley_result *r = parley_result_new();
    cr_assert_eq(fixture_result(r, sc, 1, 3), 0);
    const parley_model *model = parley_models()[0];
    for (long n = 1; n < 5000; n++) {
        parley_alloc_fail_after(n);
        int rc = parley_store_save_run(store, sc, model, NULL, r, &t, &t, NULL, NULL);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK)
            break;
        cr_assert_eq(rc, PARLEY_ENOMEM, "allocation %ld: %d", n, rc);
    }
    parley_run_info *infos = NULL;
    size_t count = 0;
    cr_assert_eq(parley_store_list(store, NULL, &infos, &count, NULL), PARLEY_OK);
    cr_assert_eq(count, 2); /* the fixture and the one save that succeeded */
    parley_free(infos);
    parley_result_free(r);
    parley_store_close(store);
    parley_scenario_free(sc);
}
