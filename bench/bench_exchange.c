/* bench_exchange.c — time per run of the exchange model (10 rounds, equal
 * gain) on random scenarios from a fixed seed, and the fitted exponents of
 * time in n (actors) and m (issues).
 *
 * Candidates are O(n^2 m^2) per round; an exchange re-sizes the candidates
 * on the 2m - 3 issue pairs it touches, O(n^2 m) each.  The exponents are
 * fitted by least squares on log t = c + a log n + b log m: once over the
 * four required sizes, once over an n sweep at fixed m and an m sweep at
 * fixed n (cleaner, since the required sizes grow n and m together).
 * Times are CPU seconds of this process. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parley/model.h"
#include "parley/rng.h"

extern const parley_model parley_model_exchange;

/* CPU time of this process: the machine is shared, wall time would charge
 * us for other people's work. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static parley_scenario *random_scenario(size_t n, size_t m, uint64_t seed)
{
    parley_rng rng;
    parley_rng_init(&rng, seed, n * 1000 + m);
    parley_scenario *sc = parley_scenario_new("bench");
    if (!sc)
        return NULL;
    char id[32];
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "a%zu", a);
        if (parley_scenario_add_actor(sc, id, 0.1 + parley_rng_uniform(&rng), NULL, NULL))
            goto fail;
    }
    for (size_t d = 0; d < m; d++) {
        snprintf(id, sizeof id, "i%zu", d);
        if (parley_scenario_add_issue(sc, id, 0, 100, NULL, NULL, NULL, NULL))
            goto fail;
    }
    for (size_t a = 0; a < n; a++)
        for (size_t d = 0; d < m; d++)
            parley_scenario_set_stake(sc, a, d, 100 * parley_rng_uniform(&rng),
                                      parley_rng_uniform(&rng));
    return sc;
fail:
    parley_scenario_free(sc);
    return NULL;
}

/* Seconds per run; also the exchanges and candidates of the last run. */
static double time_run(size_t n, size_t m, size_t *exchanges, size_t *candidates)
{
    parley_scenario *sc = random_scenario(n, m, 42);
    parley_result *r = parley_result_new();
    if (!sc || !r) {
        fprintf(stderr, "bench_exchange: out of memory\n");
        exit(1);
    }
    parley_run_opts opts;
    parley_run_opts_init(&opts, &parley_model_exchange);
    opts.flags = PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE;
    double start = now(), elapsed = 0;
    int runs = 0;
    do {
        parley_error err;
        int rc = parley_model_run(&parley_model_exchange, sc, &opts, r, &err);
        if (rc) {
            fprintf(stderr, "bench_exchange: %s\n", err.message);
            exit(1);
        }
        runs++;
        elapsed = now() - start;
    } while (elapsed < 0.3 && runs < 1000);
    *exchanges = *candidates = 0;
    for (size_t e = 0; e < r->n_events; e++) {
        const char *kind = parley_model_exchange.events[r->events[e].kind].name;
        if (kind[0] == 'r') { /* "round" */
            *exchanges += (size_t)r->events[e].value[0];
            *candidates += (size_t)r->events[e].value[1];
        }
    }
    parley_result_free(r);
    parley_scenario_free(sc);
    return elapsed / runs;
}

/* Least squares for log t = c + a log n + b log m; writes a and b. */
static void fit(const double *n, const double *m, const double *t, int k, double *a,
                double *b)
{
    double s[3][4] = {{0}};
    for (int i = 0; i < k; i++) {
        double row[4] = {1, log(n[i]), log(m[i]), log(t[i])};
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                s[r][c] += row[r] * row[c];
    }
    for (int p = 0; p < 3; p++) /* Gauss-Jordan on the normal equations */
        for (int r = 0; r < 3; r++) {
            if (r == p)
                continue;
            double f = s[r][p] / s[p][p];
            for (int c = 0; c < 4; c++)
                s[r][c] -= f * s[p][c];
        }
    *a = s[1][3] / s[1][1];
    *b = s[2][3] / s[2][2];
}

static int measure(const size_t (*sizes)[2], int k, double *n, double *m, double *t)
{
    for (int i = 0; i < k; i++) {
        size_t exchanges, candidates;
        n[i] = (double)sizes[i][0];
        m[i] = (double)sizes[i][1];
        t[i] = time_run(sizes[i][0], sizes[i][1], &exchanges, &candidates);
        printf("  n x m = %3zu x %2zu   %10.4f ms/run   %7zu exchanges  %9zu candidates "
               "(10 rounds)\n",
               sizes[i][0], sizes[i][1], 1e3 * t[i], exchanges, candidates);
        fflush(stdout);
    }
    return k;
}

int main(void)
{
    static const size_t required[][2] = {{10, 3}, {30, 6}, {100, 10}, {300, 20}};
    static const size_t sweep[][2] = {{25, 6}, {50, 6}, {100, 6}, {200, 6},
                                      {50, 3}, {50, 12}, {50, 24}};
    double n[8], m[8], t[8], a, b;
    printf("exchange model, random scenarios (seed 42), CPU time per run:\n");
    int k = measure(required, 4, n, m, t);
    fit(n, m, t, k, &a, &b);
    printf("fitted over these four: time ~ n^%.2f m^%.2f\n", a, b);
    printf("sweeps (n at m = 6, m at n = 50):\n");
    n[0] = 50;
    m[0] = 6;
    k = measure(sweep, 7, n + 1, m + 1, t + 1);
    t[0] = t[2]; /* 50 x 6 is in the n sweep; keep the fit's data one copy each */
    fit(n + 1, m + 1, t + 1, k, &a, &b);
    printf("fitted over the sweeps: time ~ n^%.2f m^%.2f\n", a, b);
    return 0;
}
