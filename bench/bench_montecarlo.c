/* bench_montecarlo.c — Monte Carlo samples per second for every registered
 * model on the default scenario, with 1 and 2 threads, the parallel
 * efficiency, and the cost per sample against one plain run of the model
 * (the overhead of drawing and summarising).  Prints figures; asserts
 * nothing.  Usage: bench_montecarlo [SECONDS_PER_CASE] */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parley/format.h"
#include "parley/montecarlo.h"
#include "parley/report.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Seconds per plain run of m on sc (history off, as Monte Carlo runs it). */
static double seconds_per_run(const parley_model *m, const parley_scenario *sc, double budget)
{
    parley_result *result = parley_result_new();
    parley_run_opts opts;
    parley_run_opts_init(&opts, m);
    opts.flags = 0;
    long runs = 0;
    double start = now(), elapsed = 0;
    while (elapsed < budget) {
        for (int k = 0; k < 16; k++)
            parley_model_run(m, sc, &opts, result, NULL);
        runs += 16;
        elapsed = now() - start;
    }
    parley_result_free(result);
    return elapsed / (double)runs;
}

static double samples_per_second(const parley_model *m, const parley_scenario *sc,
                                 uint64_t samples, int threads, double *cpu_per_sample)
{
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = samples;
    opts.threads = threads;
    if (!parley_scenario_has_spread(sc))
        opts.spread = PARLEY_MC_DEFAULT_SPREAD;
    parley_mc_result *r = NULL;
    clock_t cpu0 = clock();
    double start = now();
    int rc = parley_mc_run(m, sc, &opts, &r, NULL);
    double wall = now() - start;
    *cpu_per_sample = (double)(clock() - cpu0) / CLOCKS_PER_SEC / (double)samples;
    parley_mc_result_free(r);
    return rc == PARLEY_OK ? (double)samples / wall : 0;
}

int main(int argc, char **argv)
{
    double budget = argc > 1 ? atof(argv[1]) : 1.0;
    size_t len = 0;
    const char *json = parley_default_scenario_json(&len);
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    parley_error err;
    if (parley_scenarios_parse(json, len, "default", PARLEY_FORMAT_JSON, &scenarios, &count,
                               &err)) {
        fprintf(stderr, "bench_montecarlo: default scenario: %s\n", err.message);
        return 1;
    }
    const parley_scenario *sc = scenarios[0];
    printf("Monte Carlo on %s (%zu actors, %zu issues), %d cores available\n", sc->id,
           sc->n_actors, sc->n_issues, omp_get_num_procs());
    printf("%-12s %12s %14s %14s %10s %14s %10s\n", "model", "run (us)", "1 thread/s",
           "2 threads/s", "efficiency", "cpu/sample us", "overhead");
    for (const parley_model *const *m = parley_models(); *m; m++) {
        double run = seconds_per_run(*m, sc, budget / 4);
        /* Enough samples for about `budget` seconds on one thread. */
        double estimate = run + 1e-6;
        uint64_t samples = (uint64_t)(budget / estimate);
        if (samples < 2 * PARLEY_MC_BLOCK)
            samples = 2 * PARLEY_MC_BLOCK;
        double cpu1, cpu2;
        double one = samples_per_second(*m, sc, samples, 1, &cpu1);
        double two = samples_per_second(*m, sc, samples, 2, &cpu2);
        printf("%-12s %12.3f %14.4g %14.4g %9.0f%% %14.3f %9.2fx\n", (*m)->name, run * 1e6, one,
               two, one > 0 ? 100 * two / (2 * one) : 0, cpu1 * 1e6,
               run > 0 ? cpu1 / run : 0);
        fflush(stdout);
    }
    parley_scenarios_free(scenarios, count);
    return 0;
}
