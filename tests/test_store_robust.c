/* test_store_robust.c — the store under abuse: a writer killed with
 * SIGKILL in the middle of a large run, two processes writing at once,
 * files that are not parley stores or come from a newer parley (refused,
 * never touched), and a store made with the first schema (migrated). */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parley/alloc.h"
#include "parley/format.h"
#include "parley/model.h"
#include "parley/store.h"
#include "store_fixture.h"
#include "support.h"

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

TestSuite(store_robust, .init = setup, .fini = teardown, .timeout = 120);

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Saves `runs` copies of r (run k = 0 of sc); returns the number of
 * failures.  With a pipe (ack_fd >= 0), after the third commit it writes
 * how long the fastest of the three took (a double, seconds; a slow one
 * may include a WAL checkpoint after its commit) to ack_fd and waits for
 * a byte on go_fd before going on. */
static int write_runs(const parley_scenario *sc, const parley_result *r, int runs, int ack_fd,
                      int go_fd)
{
    parley_store *store = NULL;
    parley_error err;
    if (parley_store_open(db_path, PARLEY_STORE_CREATE, &store, &err) != PARLEY_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return runs;
    }
    int failures = 0;
    double fastest = 0;
    for (int k = 0; k < runs; k++) {
        double start = now_seconds();
        if (parley_store_save_run(store, sc, parley_models()[0], NULL, r, NULL, NULL, NULL,
                                  &err) != PARLEY_OK) {
            fprintf(stderr, "save: %s\n", err.message);
            failures++;
        }
        double took = now_seconds() - start;
        if (k == 0 || took < fastest)
            fastest = took;
        char go;
        if (ack_fd >= 0 && k == 2 &&
            (write(ack_fd, &fastest, sizeof fastest) != sizeof fastest ||
             read(go_fd, &go, 1) != 1))
            failures++;
    }
    parley_store_close(store);
    return failures;
}

/* Every run in the store is whole: all its states, with the fixture's
 * numbers, all its forecasts and events. */
static size_t check_whole_runs(const parley_scenario *sc, size_t n_rounds)
{
    parley_store *store = NULL;
    parley_error err;
    cr_assert_eq(parley_store_open(db_path, 0, &store, &err), PARLEY_OK, "%s", err.message);
    parley_run_info *infos = NULL;
    size_t n = 0;
    cr_assert_eq(parley_store_list(store, NULL, &infos, &n, &err), PARLEY_OK);
    for (size_t k = 0; k < n; k++) {
        parley_stored_run *run = NULL;
        cr_assert_eq(parley_store_load(store, infos[k].id, &run, &err), PARLEY_OK, "%s",
                     err.message);
        const parley_result *r = run->result;
        cr_assert_eq(r->n_states, n_rounds + 1);
        cr_assert_eq(r->n_events, n_rounds);
        cr_assert_eq(r->forecast[0], 10.0);
        size_t last = n_rounds, a = sc->n_actors - 2, i = sc->n_issues - 1;
        cr_assert_eq(parley_result_position(r, last, a, i), fixture_position(0, last, a, i));
        parley_stored_run_free(run);
    }
    parley_free(infos);
    parley_store_close(store);
    return n;
}

Test(store_robust, sigkill_mid_write_leaves_only_whole_runs)
{
    /* 100 actors x 10 issues x 201 states: 1.6 MB of positions a run, so
     * that a run takes long enough to be killed inside its transaction. */
    const size_t n_rounds = 200;
    parley_scenario *sc = fixture_scenario("big", 100, 10);
    parley_result *r = parley_result_new();
    cr_assert_eq(fixture_result(r, sc, 0, n_rounds), 0);
    int acks[2], go[2];
    cr_assert_eq(pipe(acks), 0);
    cr_assert_eq(pipe(go), 0);
    fflush(NULL);
    pid_t child = fork();
    cr_assert_neq(child, -1);
    if (child == 0) {
        close(acks[0]);
        close(go[1]);
        _exit(write_runs(sc, r, 1000, acks[1], go[0]) ? 1 : 0);
    }
    close(acks[1]);
    close(go[0]);
    /* Three runs commit and the child says how long the fastest took; it
     * is killed half that time into the fourth: a fixed point of its
     * write, whatever the speed of the machine. */
    double took = 0;
    cr_assert_eq(read(acks[0], &took, sizeof took), (ssize_t)sizeof took);
    cr_assert_eq(write(go[1], "g", 1), 1);
    double half = took / 2;
    struct timespec pause = {(time_t)half, (long)((half - floor(half)) * 1e9)};
    nanosleep(&pause, NULL);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    close(acks[0]);
    close(go[1]);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    char out[256];
    cr_assert_eq(fixture_sqlite(db_path, "PRAGMA integrity_check;", out, sizeof out), 0);
    cr_assert_str_eq(out, "ok");
    size_t n = check_whole_runs(sc, n_rounds);
    /* Usually 3 (the fourth cut short); on a loaded machine the child may
     * get further before the signal lands, which changes nothing below. */
    cr_assert_geq(n, 3);
    cr_log_info("%zu whole runs after the kill", n);
    /* No orphans of the interrupted run either. */
    char expected[64];
    snprintf(expected, sizeof expected, "%zu", n * (n_rounds + 1));
    fixture_sqlite(db_path, "SELECT count(*) FROM state;", out, sizeof out);
    cr_assert_str_eq(out, expected);
    snprintf(expected, sizeof expected, "%zu", n * sc->n_issues);
    fixture_sqlite(db_path, "SELECT count(*) FROM forecast;", out, sizeof out);
    cr_assert_str_eq(out, expected);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(store_robust, two_processes_write_at_once)
{
    const size_t n_rounds = 20;
    const int runs = 15;
    parley_scenario *sc = fixture_scenario("pair", 40, 5);
    parley_result *r = parley_result_new();
    cr_assert_eq(fixture_result(r, sc, 0, n_rounds), 0);
    fflush(NULL);
    pid_t children[2];
    /* Both start on a file that does not exist yet: they race to create
     * the schema too. */
    for (int c = 0; c < 2; c++) {
        children[c] = fork();
        cr_assert_neq(children[c], -1);
        if (children[c] == 0)
            _exit(write_runs(sc, r, runs, -1, -1) ? 1 : 0);
    }
    for (int c = 0; c < 2; c++) {
        int status = 0;
        waitpid(children[c], &status, 0);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %d failed", c);
    }
    cr_assert_eq(check_whole_runs(sc, n_rounds), (size_t)(2 * runs));
    parley_result_free(r);
    parley_scenario_free(sc);
}

/* Opening path must fail with PARLEY_ESCHEMA, a message containing words,
 * and leave the file byte for byte as it was, with no -wal beside it. */
static void expect_refused(const char *words)
{
    size_t before_len = 0, after_len = 0;
    char *before = test_read_file(db_path, &before_len);
    cr_assert_not_null(before);
    parley_store *store = NULL;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_store_open(db_path, PARLEY_STORE_CREATE, &store, &err),
                 PARLEY_ESCHEMA);
    cr_assert_null(store);
    cr_assert(strstr(err.message, words), "message: %s", err.message);
    cr_assert_str_eq(err.file, db_path);
    char *after = test_read_file(db_path, &after_len);
    cr_assert_eq(after_len, before_len);
    cr_assert_eq(memcmp(before, after, before_len), 0);
    char wal[700];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    cr_assert_neq(access(wal, F_OK), 0);
    free(before);
    free(after);
}

Test(store_robust, text_file_is_refused_untouched)
{
    FILE *f = fopen(db_path, "w");
    cr_assert_not_null(f);
    for (int k = 0; k < 40; k++)
        fputs("name,capability\nthis is a spreadsheet, not a database\n", f);
    fclose(f);
    expect_refused("not a parley store (not an SQLite database)");
}

Test(store_robust, other_sqlite_database_is_refused_untouched)
{
    cr_assert_eq(fixture_sqlite(db_path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);",
                                NULL, 0),
                 0);
    expect_refused("not a parley store (an SQLite database with application id 0");
}

Test(store_robust, newer_store_is_refused_untouched)
{
    parley_store *store = NULL;
    cr_assert_eq(parley_store_open(db_path, PARLEY_STORE_CREATE, &store, NULL), PARLEY_OK);
    parley_store_close(store);
    cr_assert_eq(fixture_sqlite(db_path, "PRAGMA user_version = 99;", NULL, 0), 0);
    expect_refused("newer parley (store schema version 99");
}

Test(store_robust, missing_file_is_not_created_without_the_flag)
{
    parley_store *store = NULL;
    parley_error err;
    cr_assert_eq(parley_store_open(db_path, 0, &store, &err), PARLEY_ENOTFOUND);
    cr_assert_eq(parley_store_open(db_path, PARLEY_STORE_READONLY, &store, &err),
                 PARLEY_ENOTFOUND);
    cr_assert_neq(access(db_path, F_OK), 0);
}

/* The first schema exactly as parley 0.1.0 shipped it (store.c's step
 * 0 -> 1), kept here so that a later edit there cannot hide a broken
 * migration. */
static const char schema_v1[] =
    "CREATE TABLE scenario (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, "
    "scenario_id TEXT NOT NULL, name TEXT, n_actors INTEGER NOT NULL, "
    "n_issues INTEGER NOT NULL, json TEXT NOT NULL);\n"
    "CREATE INDEX scenario_by_id ON scenario(scenario_id);\n"
    "CREATE TABLE run (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "kind TEXT NOT NULL CHECK (kind IN ('run', 'mc')), "
    "scenario INTEGER NOT NULL REFERENCES scenario(id), model TEXT NOT NULL, "
    "seed INTEGER NOT NULL, stream INTEGER NOT NULL, version TEXT NOT NULL, "
    "started TEXT NOT NULL, finished TEXT NOT NULL, seconds REAL NOT NULL, "
    "n_rounds INTEGER NOT NULL, n_states INTEGER NOT NULL, stop_reason TEXT NOT NULL);\n"
    "CREATE INDEX run_by_started ON run(started);\n"
    "CREATE INDEX run_by_scenario ON run(scenario);\n"
    "CREATE TABLE param (run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE, "
    "name TEXT NOT NULL, value REAL NOT NULL, text TEXT NOT NULL, "
    "PRIMARY KEY (run, name)) WITHOUT ROWID;\n"
    "CREATE TABLE forecast (run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE, "
    "issue INTEGER NOT NULL, issue_id TEXT NOT NULL, value REAL, note TEXT, "
    "PRIMARY KEY (run, issue)) WITHOUT ROWID;\n"
    "CREATE TABLE state (run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE, "
    "seq INTEGER NOT NULL, round INTEGER NOT NULL, positions BLOB NOT NULL, "
    "PRIMARY KEY (run, seq));\n"
    "CREATE TABLE event (run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE, "
    "seq INTEGER NOT NULL, round INTEGER NOT NULL, kind INTEGER NOT NULL, kind_name TEXT, "
    "actor INTEGER, other INTEGER, issue INTEGER, issue2 INTEGER, "
    "v0 REAL, v1 REAL, v2 REAL, v3 REAL, PRIMARY KEY (run, seq)) WITHOUT ROWID;\n"
    "PRAGMA application_id = 1349676153;\n"
    "PRAGMA user_version = 1;\n";

/* A version-1 store holding one run of the 2-actor, 1-issue fixture:
 * one state with positions 0 and 37 (as little-endian doubles: 37.0 is
 * 0x4042800000000000) and the forecast 20.5. */
static void make_v1_store(void)
{
    parley_scenario *sc = fixture_scenario("old", 2, 1);
    char *json = NULL;
    cr_assert_eq(parley_scenario_format(sc, PARLEY_FORMAT_JSON, &json, NULL), PARLEY_OK);
    cr_assert_null(strchr(json, '\''));
    size_t n = strlen(schema_v1) + strlen(json) + 2048;
    char *sql = malloc(n);
    snprintf(sql, n,
             "%s"
             "INSERT INTO scenario VALUES (1, '%064d', 'old', NULL, 2, 1, '%s');\n"
             "INSERT INTO run VALUES (1, 'run', 1, '%s', 5, 0, '0.1.0', "
             "'2024-01-02T03:04:05.000Z', '2024-01-02T03:04:06.000Z', 1.0, 0, 1, 'done');\n"
             "INSERT INTO forecast VALUES (1, 0, 'i0', 20.5, NULL);\n"
             "INSERT INTO state VALUES (1, 0, 0, "
             "X'00000000000000000000000000804240');\n",
             schema_v1, 0, json, parley_models()[0]->name);
    cr_assert_eq(fixture_sqlite(db_path, sql, NULL, 0), 0);
    free(sql);
    parley_free(json);
    parley_scenario_free(sc);
}

Test(store_robust, first_schema_is_migrated_in_place)
{
    make_v1_store();
    parley_store *store = NULL;
    parley_error err;
    /* A read-only open does not migrate, and says so. */
    cr_assert_eq(parley_store_open(db_path, PARLEY_STORE_READONLY, &store, &err),
                 PARLEY_ESCHEMA);
    cr_assert(strstr(err.message, "needs migrating"), "%s", err.message);
    char out[64];
    fixture_sqlite(db_path, "PRAGMA user_version;", out, sizeof out);
    cr_assert_str_eq(out, "1");

    cr_assert_eq(parley_store_open(db_path, 0, &store, &err), PARLEY_OK, "%s", err.message);
    cr_assert_eq(parley_store_found_version(store), 1);
    parley_stored_run *run = NULL;
    cr_assert_eq(parley_store_load(store, 1, &run, &err), PARLEY_OK, "%s", err.message);
    cr_assert_str_eq(run->info.version, "0.1.0");
    cr_assert_eq(run->info.seed, 5);
    cr_assert_eq(run->result->forecast[0], 20.5);
    cr_assert_eq(run->result->n_states, 1);
    cr_assert_eq(parley_result_position(run->result, 0, 0, 0), 0.0);
    cr_assert_eq(parley_result_position(run->result, 0, 1, 0), 37.0);

    /* What version 2 added works on the migrated file. */
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    parley_mc_result mc = {0};
    parley_mc_issue issue = {0};
    issue.low = 0;
    issue.high = 100;
    issue.mean = issue.sd = issue.min = issue.max = NAN;
    mc.n_issues = 1;
    mc.issues = &issue;
    int64_t id = 0;
    cr_assert_eq(parley_store_save_mc(store, run->scenario, run->model, &opts, &mc, NULL, NULL,
                                      NULL, &id, &err),
                 PARLEY_OK, "%s", err.message);
    cr_assert_gt(id, 1);

    /* And what version 4 added: a sweep and its cases. */
    parley_sweep *sweep = parley_sweep_new(run->scenario, run->model, NULL);
    cr_assert_eq(parley_sweep_add(sweep, "a0.capability=1,2", &err), PARLEY_OK, "%s",
                 err.message);
    parley_sweep_opts sweep_opts;
    parley_sweep_opts_init(&sweep_opts);
    parley_sweep_result *cases = parley_sweep_result_new(sweep);
    cr_assert_eq(parley_sweep_run(sweep, &sweep_opts, 0, 2, cases, &err), PARLEY_OK, "%s",
                 err.message);
    cr_assert_eq(parley_store_sweep_begin(store, sweep, &sweep_opts, NULL, &id, &err),
                 PARLEY_OK, "%s", err.message);
    for (uint64_t c = 0; c < 2; c++)
        cr_assert_eq(parley_store_sweep_save_case(store, id, sweep, cases, c, &err), PARLEY_OK,
                     "%s", err.message);
    cr_assert_eq(parley_store_sweep_finish(store, id, NULL, &err), PARLEY_OK, "%s",
                 err.message);
    parley_sweep_result_free(cases);
    parley_sweep_free(sweep);
    parley_stored_run_free(run);
    parley_store_close(store);
    fixture_sqlite(db_path, "PRAGMA user_version;", out, sizeof out);
    char expected[16];
    snprintf(expected, sizeof expected, "%d", PARLEY_STORE_SCHEMA_VERSION);
    cr_assert_str_eq(out, expected);
    fixture_sqlite(db_path, "PRAGMA integrity_check;", out, sizeof out);
    cr_assert_str_eq(out, "ok");
}
