/* bench_smp.c — time of the spatial model per turn and per run.
 *
 * The shipped KTAB scenarios, then random ones of 10, 40, 80, 160 and 320
 * actors on 3 dimensions (positions, saliences and capabilities from a
 * fixed Philox stream, in KTAB's ranges), then the exponent b of the fit
 * time per turn = a n^b over the random ones.  KTAB itself needs about
 * 5 minutes for ktab-dummyData-a080.csv.  Times are wall clock (best of
 * several runs) and the process's CPU time of that run, all threads: on a
 * shared machine the CPU time is the steadier figure.  Set OMP_NUM_THREADS
 * to compare thread counts; the results are the same bits for any.
 *
 * Usage: bench_smp [max_actors]   (default 320) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <omp.h>

#include "parley/format.h"
#include "parley/model.h"
#include "parley/rng.h"

extern const parley_model parley_model_smp;

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

static double cpu_now(void)
{
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

static double last_cpu; /* CPU seconds of the best run, all threads */

static parley_scenario *random_scenario(size_t n, size_t k, uint64_t seed)
{
    parley_rng rng;
    parley_rng_init(&rng, seed, n);
    parley_scenario *sc = parley_scenario_new("random");
    parley_error err = {0};
    char id[32];
    for (size_t d = 0; d < k; d++) {
        snprintf(id, sizeof id, "dim%zu", d);
        parley_scenario_add_issue(sc, id, 0, 100, NULL, NULL, NULL, &err);
    }
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "actor%zu", a);
        double capability = round(10 + 190 * parley_rng_uniform(&rng));
        parley_scenario_add_actor(sc, id, capability, NULL, &err);
        double total = 30 + 70 * parley_rng_uniform(&rng), weights[16], sum = 0;
        for (size_t d = 0; d < k; d++)
            sum += weights[d] = parley_rng_uniform(&rng);
        for (size_t d = 0; d < k; d++) {
            double position = round(10000 * parley_rng_uniform(&rng)) / 100;
            double salience = floor(100 * total * weights[d] / sum) / 100; /* of 100 */
            parley_scenario_set_stake(sc, a, d, position, salience / 100.0);
        }
    }
    return sc;
}

/* Runs the scenario `reps` times; returns seconds per run, *turns. */
static double time_run(const parley_scenario *sc, int reps, size_t *turns)
{
    parley_run_opts opts;
    parley_run_opts_init(&opts, &parley_model_smp);
    parley_result *result = parley_result_new();
    parley_error err = {0};
    double best = INFINITY;
    for (int r = 0; r < reps; r++) {
        double start = now(), cpu_start = cpu_now();
        if (parley_model_run(&parley_model_smp, sc, &opts, result, &err) != PARLEY_OK) {
            fprintf(stderr, "smp failed: %s\n", err.message);
            exit(1);
        }
        double took = now() - start, cpu = cpu_now() - cpu_start;
        if (took < best)
            last_cpu = cpu;
        best = took < best ? took : best;
    }
    *turns = result->n_rounds;
    parley_result_free(result);
    return best;
}

static void report(const char *what, size_t n, size_t k, double per_run, size_t turns)
{
    printf("%-28s %5zu %3zu %6zu %12.4f %14.3f %10.4f %12.3f\n", what, n, k, turns, per_run,
           1e3 * per_run / (double)turns, last_cpu, 1e3 * last_cpu / (double)turns);
}

int main(int argc, char **argv)
{
    size_t max_actors = argc > 1 ? (size_t)atol(argv[1]) : 320;
    printf("smp benchmark, %d OpenMP threads (best of several runs)\n",
           omp_get_max_threads());
    printf("%-28s %5s %3s %6s %12s %14s %10s %12s\n", "scenario", "n", "K", "turns", "s/run",
           "ms/turn", "cpu s/run", "cpu ms/turn");
    static const char *const shipped[] = {"ktab-dummyData_3Dim.csv", "ktab-SOE-Policy.csv",
                                          "ktab-dummyData_6Dim.csv", "ktab-dummyData-a040.csv",
                                          "ktab-dummyData-a080.csv", NULL};
    for (size_t f = 0; shipped[f]; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", PARLEY_TEST_DATA, shipped[f]);
        parley_scenario *sc = NULL;
        parley_error err = {0};
        if (parley_scenario_load(path, PARLEY_FORMAT_KTAB, &sc, &err) != PARLEY_OK) {
            fprintf(stderr, "%s: %s\n", shipped[f], err.message);
            continue;
        }
        size_t turns;
        double per_run = time_run(sc, 5, &turns);
        report(shipped[f], sc->n_actors, sc->n_issues, per_run, turns);
        parley_scenario_free(sc);
    }
    static const size_t sizes[] = {10, 40, 80, 160, 320, 640};
    double sx = 0, sxx = 0, sy[2] = {0}, sxy[2] = {0}; /* wall, CPU */
    int points = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes && sizes[s] <= max_actors; s++) {
        size_t n = sizes[s];
        parley_scenario *sc = random_scenario(n, 3, 2024);
        size_t turns;
        double per_run = time_run(sc, n <= 80 ? 5 : n <= 160 ? 2 : 1, &turns);
        char what[64];
        snprintf(what, sizeof what, "random (seed 2024)");
        report(what, n, 3, per_run, turns);
        double x = log((double)n);
        double y[2] = {log(per_run / (double)turns), log(last_cpu / (double)turns)};
        if (n >= 40) { /* below that, fixed costs dominate */
            sx += x;
            sxx += x * x;
            for (int t = 0; t < 2; t++) {
                sy[t] += y[t];
                sxy[t] += x * y[t];
            }
            points++;
        }
        parley_scenario_free(sc);
    }
    if (points >= 2) {
        double slope[2];
        for (int t = 0; t < 2; t++)
            slope[t] = (points * sxy[t] - sx * sy[t]) / (points * sxx - sx * sx);
        printf("fitted exponent of time per turn (n >= 40): %.2f wall, %.2f CPU\n", slope[0],
               slope[1]);
    }
    return 0;
}
