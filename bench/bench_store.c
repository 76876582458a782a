/* bench_store.c — how big and how slow storing a run is.  Synthesises the
 * result of an 80-actor, 50-round SMP run (51 states: the input and every
 * round) on 1 and on 6 issues, stores it N times in a fresh store and
 * prints the write time per run (median of N, each its own transaction,
 * synchronous=NORMAL in WAL mode) and the file's growth per run after the
 * store is closed (the WAL checkpointed into it).  docs/store.md quotes
 * these figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parley/model.h"
#include "parley/store.h"

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static parley_scenario *make_scenario(size_t n_actors, size_t n_issues)
{
    parley_scenario *sc = parley_scenario_new("bench");
    char id[32];
    for (size_t a = 0; a < n_actors; a++) {
        snprintf(id, sizeof id, "actor-%zu", a);
        parley_scenario_add_actor(sc, id, 1.0 + (double)(a % 7), NULL, NULL);
    }
    for (size_t i = 0; i < n_issues; i++) {
        snprintf(id, sizeof id, "issue-%zu", i);
        parley_scenario_add_issue(sc, id, 0, 100, "none", "all", NULL, NULL);
    }
    for (size_t a = 0; a < n_actors; a++)
        for (size_t i = 0; i < n_issues; i++)
            parley_scenario_set_stake(sc, a, i, (double)((a * 37 + i * 11) % 101),
                                      0.2 + 0.1 * (double)(a % 8));
    return sc;
}

/* Positions drift towards 50 as an SMP run's do: full-precision doubles,
 * so the BLOBs hold as much entropy as a real run's. */
static parley_result *make_result(const parley_scenario *sc, size_t n_rounds)
{
    parley_result *r = parley_result_new();
    parley_result_reset(r, sc->n_actors, sc->n_issues);
    size_t n = sc->n_actors * sc->n_issues;
    double *state = malloc(n * sizeof *state);
    for (size_t k = 0; k < n; k++)
        state[k] = parley_stake_at(sc, k / sc->n_issues, k % sc->n_issues)->position.value;
    for (size_t t = 0; t <= n_rounds; t++) {
        parley_result_push_state(r, state);
        for (size_t k = 0; k < n; k++)
            state[k] += (50.0 - state[k]) * 0.1 * (1.0 + sin((double)(k + t)));
    }
    free(state);
    for (size_t i = 0; i < sc->n_issues; i++)
        r->forecast[i] = 50.0 + (double)i / 3.0;
    r->n_rounds = n_rounds;
    snprintf(r->stop_reason, sizeof r->stop_reason, "fixed %zu rounds", n_rounds);
    return r;
}

static int bench(const char *dir, size_t n_actors, size_t n_issues, size_t n_rounds,
                 size_t n_runs)
{
    char path[600];
    snprintf(path, sizeof path, "%s/bench-%zu.db", dir, n_issues);
    parley_scenario *sc = make_scenario(n_actors, n_issues);
    parley_result *r = make_result(sc, n_rounds);
    const parley_model *model = parley_model_find("smp");
    if (!model)
        model = parley_models()[0];
    parley_error err;
    parley_store *store = NULL;
    if (parley_store_open(path, PARLEY_STORE_CREATE, &store, &err) != PARLEY_OK) {
        fprintf(stderr, "bench_store: %s\n", err.message);
        return 1;
    }
    parley_store_close(store);
    long empty = file_size(path);
    double *times = malloc(n_runs * sizeof *times);
    parley_store_open(path, 0, &store, &err);
    /* The first run also stores the scenario: time it apart. */
    double start = now_seconds();
    int rc = parley_store_save_run(store, sc, model, NULL, r, NULL, NULL, NULL, &err);
    double first = now_seconds() - start;
    parley_store_close(store);
    long one = file_size(path);
    parley_store_open(path, 0, &store, &err);
    for (size_t k = 0; rc == PARLEY_OK && k < n_runs; k++) {
        start = now_seconds();
        rc = parley_store_save_run(store, sc, model, NULL, r, NULL, NULL, NULL, &err);
        times[k] = now_seconds() - start;
    }
    parley_store_close(store);
    if (rc != PARLEY_OK) {
        fprintf(stderr, "bench_store: %s\n", err.message);
        return 1;
    }
    long full = file_size(path);
    qsort(times, n_runs, sizeof *times, compare_doubles);
    size_t values = (n_rounds + 1) * n_actors * n_issues;
    printf("%3zu actors x %zu issue%s x %zu rounds (%zu positions, %zu bytes raw):\n", n_actors,
           n_issues, n_issues == 1 ? "" : "s", n_rounds, values, 8 * values);
    printf("  write: first run %.2f ms (with its scenario), then median %.2f ms, "
           "max %.2f ms over %zu runs\n",
           first * 1e3, times[n_runs / 2] * 1e3, times[n_runs - 1] * 1e3, n_runs);
    printf("  size:  empty store %ld B, first run +%ld B, then +%.0f B per run\n", empty,
           one - empty, (double)(full - one) / (double)n_runs);
    free(times);
    parley_result_free(r);
    parley_scenario_free(sc);
    snprintf(path, sizeof path, "%s/bench-%zu.db", dir, n_issues);
    unlink(path);
    return 0;
}

int main(void)
{
    char dir[] = "/tmp/parley-bench-store-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_store: mkdtemp");
        return 1;
    }
    int rc = bench(dir, 80, 1, 50, 200);
    if (rc == 0)
        rc = bench(dir, 80, 6, 50, 200);
    rmdir(dir);
    return rc;
}
