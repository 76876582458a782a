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

#endif
