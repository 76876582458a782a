/* summary.h — streaming summaries of Monte Carlo forecasts (private to
 * src/sim).
 *
 * A block's forecasts are summarised on their own (count, mean, sum of
 * squared deviations by two passes over the block) and blocks are merged in
 * block order with Chan, Golub & LeVeque's pairwise update, so the result
 * does not depend on which thread summarised which block.  Histogram bins are
 * integer counts, whose sums do not depend on order at all. */
#ifndef PARLEY_SIM_SUMMARY_H
#define PARLEY_SIM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

typedef struct mc_moments {
    uint64_t count;
    double mean;
    double m2;      /* sum of squared deviations from the mean */
} mc_moments;

/* Moments of values[k * stride] for k < n, skipping NaN. */
mc_moments mc_moments_of(const double *values, size_t n, size_t stride);

/* Merges b into a (a := a then b). */
void mc_moments_merge(mc_moments *a, const mc_moments *b);

/* The fine bin of x on [low, high]; values off the scale go to the end bins. */
size_t mc_bin_of(double x, double low, double high);

/* A run's summary before the final merge (parley/montecarlo.h).  Arrays
 * cover the whole run, so that partials of different block ranges merge by
 * slot; only the finished blocks' slots hold anything. */
struct parley_mc_partial {
    uint64_t samples, seed, n_blocks;
    double spread;
    size_t block, n_issues, n_events;
    int keep, cancelled;
    uint64_t failed;
    mc_moments *block_moments;  /* n_blocks x n_issues */
    unsigned char *block_done;  /* n_blocks */
    double *low, *high;         /* n_issues: the scales */
    uint64_t *bins;             /* n_issues x PARLEY_MC_BINS */
    double *min, *max;          /* n_issues */
    uint64_t *undefined;        /* n_issues */
    uint64_t *event_counts;     /* n_events */
    double *kept;               /* keep: samples x n_issues, NaN unless done */
};

/* Allocates p's arrays for the given shape (the scalar fields must be set
 * first) with min/max at +-infinity and kept at NaN.  PARLEY_ENOMEM. */
int mc_partial_alloc(struct parley_mc_partial *p);

#endif
