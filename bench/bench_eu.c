/* bench_eu.c — time per round of the expected-utility model on one issue
 * with n = 10, 100, 1000, 10000 actors (random positions on [0, 100],
 * saliences and capabilities from a fixed seed), and the exponent b of
 * time ~ n^b fitted by least squares of log time on log n.
 *
 * A round is both passes of eu_round.c (risk from r = 1, then the deciding
 * pass with the risk exponents), the default reading.  Small sizes are
 * repeated until at least 0.3 s has passed, so their times are stable.
 * Optional argument: the largest n (default 10000). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parley/rng.h"
#include "models/eu_internal.h"

static double clock_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

/* Seconds per round for n random actors (wall clock; the process's CPU time
 * in *cpu, which a busy shared machine disturbs less); NAN when out of
 * memory. */
static double time_round(size_t n, double *checksum, double *cpu)
{
    double *position = malloc(n * sizeof *position), *salience = malloc(n * sizeof *salience);
    double *weight = malloc(n * sizeof *weight), *next = malloc(n * sizeof *next);
    double *risk = malloc(n * sizeof *risk), *security = malloc(n * sizeof *security);
    size_t *taken = malloc(n * sizeof *taken);
    parley_eu_work *work = parley_eu_work_new(n);
    double seconds = NAN;
    if (!position || !salience || !weight || !next || !risk || !security || !taken || !work)
        goto done;
    parley_rng rng;
    parley_rng_init(&rng, 1994, n);
    double low = INFINITY, high = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        position[k] = 100 * parley_rng_uniform(&rng);
        salience[k] = parley_rng_uniform(&rng);
        weight[k] = parley_rng_uniform(&rng) * salience[k];
        low = fmin(low, position[k]);
        high = fmax(high, position[k]);
    }
    parley_eu_options opts = {1.0, PARLEY_EU_SALIENCE_CHALLENGED, PARLEY_EU_EXPONENT_MOVER,
                              PARLEY_EU_DENOMINATOR_GLOBAL, PARLEY_EU_COMPROMISE_LOWEST_POINT};
    parley_eu_actors actors = {n, position, salience, weight, high - low};
    parley_eu_outcome out = {next, taken, risk, security};
    double start = now(), start_cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID), elapsed = 0;
    unsigned repeats = 0;
    do {
        double median = parley_eu_weighted_median(work, n, position, weight);
        parley_eu_round(work, &actors, median, &opts, 1, &out, NULL, NULL);
        repeats++;
        elapsed = now() - start;
    } while (elapsed < 0.3);
    seconds = elapsed / repeats;
    *cpu = (clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - start_cpu) / repeats;
    *checksum = 0;
    for (size_t k = 0; k < n; k++)
        *checksum += next[k];
done:
    free(position);
    free(salience);
    free(weight);
    free(next);
    free(risk);
    free(security);
    free(taken);
    parley_eu_work_free(work);
    return seconds;
}

/* The slope of least squares of y on x over points [from, count). */
static double slope(const double *x, const double *y, size_t from, size_t count)
{
    double mean_x = 0, mean_y = 0, sxx = 0, sxy = 0;
    for (size_t k = from; k < count; k++) {
        mean_x += x[k] / (double)(count - from);
        mean_y += y[k] / (double)(count - from);
    }
    for (size_t k = from; k < count; k++) {
        sxx += (x[k] - mean_x) * (x[k] - mean_x);
        sxy += (x[k] - mean_x) * (y[k] - mean_y);
    }
    return sxy / sxx;
}

int main(int argc, char **argv)
{
    size_t largest = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 10000;
    double log_n[8], log_wall[8], log_cpu[8];
    size_t points = 0;
    printf("expected-utility model, one issue, one round (both passes)\n");
    printf("%8s %14s %14s %12s\n", "n", "wall s/round", "cpu s/round", "cpu ns/pair");
    for (size_t n = 10; n <= largest && points < 8; n *= 10) {
        double checksum = 0, cpu = 0;
        double seconds = time_round(n, &checksum, &cpu);
        if (isnan(seconds)) {
            printf("%8zu out of memory\n", n);
            continue;
        }
        printf("%8zu %14.6g %14.6g %12.1f   (checksum %.6f)\n", n, seconds, cpu,
               1e9 * cpu / ((double)n * (double)(n - 1)), checksum);
        fflush(stdout);
        log_n[points] = log((double)n);
        log_wall[points] = log(seconds);
        log_cpu[points] = log(cpu);
        points++;
    }
    if (points >= 2)
        printf("fitted exponent (least squares of log time on log n): wall %.3f, cpu %.3f\n",
               slope(log_n, log_wall, 0, points), slope(log_n, log_cpu, 0, points));
    if (points >= 3)
        printf("fitted exponent without n = 10: wall %.3f, cpu %.3f\n",
               slope(log_n, log_wall, 1, points), slope(log_n, log_cpu, 1, points));
    return ferror(stdout) ? 1 : 0;
}
