/* summary.c — streaming summaries (summary.h) and reading quantiles and
 * histograms from a Monte Carlo result (parley/montecarlo.h). */
#include "summary.h"

#include <math.h>
#include <string.h>

#include "parley/montecarlo.h"

mc_moments mc_moments_of(const double *values, size_t n, size_t stride)
{
    mc_moments m = {0, 0, 0};
    double sum = 0;
    for (size_t k = 0; k < n; k++) {
        double x = values[k * stride];
        if (!isnan(x)) {
            sum += x;
            m.count++;
        }
    }
    if (m.count == 0)
        return m;
    double mean = sum / (double)m.count;
    /* The second pass corrects the mean for the rounding of the first
     * (Chan, Golub & LeVeque 1983, the "corrected two-pass" algorithm). */
    double m2 = 0, correction = 0;
    for (size_t k = 0; k < n; k++) {
        double x = values[k * stride];
        if (!isnan(x)) {
            double d = x - mean;
            m2 += d * d;
            correction += d;
        }
    }
    m.mean = mean + correction / (double)m.count;
    m.m2 = m2 - correction * correction / (double)m.count;
    if (m.m2 < 0)
        m.m2 = 0;
    return m;
}

void mc_moments_merge(mc_moments *a, const mc_moments *b)
{
    if (b->count == 0)
        return;
    if (a->count == 0) {
        *a = *b;
        return;
    }
    double na = (double)a->count, nb = (double)b->count, n = na + nb;
    double delta = b->mean - a->mean;
    a->mean += delta * nb / n;
    a->m2 += b->m2 + delta * delta * na * nb / n;
    a->count += b->count;
}

size_t mc_bin_of(double x, double low, double high)
{
    double t = (x - low) / (high - low) * PARLEY_MC_BINS;
    if (!(t > 0))
        return 0;
    if (t >= PARLEY_MC_BINS)
        return PARLEY_MC_BINS - 1;
    return (size_t)t;
}

double parley_mc_quantile(const parley_mc_result *r, size_t issue, double q)
{
    const parley_mc_issue *is = &r->issues[issue];
    if (is->count == 0 || !is->bins)
        return NAN;
    if (q <= 0)
        return is->min;
    if (q >= 1)
        return is->max;
    /* The q-quantile is the point where the cumulative count reaches
     * q * count, the count of each bin spread evenly across it. */
    double target = q * (double)is->count;
    double width = (is->high - is->low) / PARLEY_MC_BINS;
    uint64_t below = 0;
    for (size_t j = 0; j < PARLEY_MC_BINS; j++) {
        uint64_t in_bin = is->bins[j];
        if (in_bin && (double)(below + in_bin) >= target) {
            double x = is->low + ((double)j + (target - (double)below) / (double)in_bin) * width;
            /* The data cannot lie beyond their extremes. */
            return x < is->min ? is->min : x > is->max ? is->max : x;
        }
        below += in_bin;
    }
    return is->max;
}

void parley_mc_histogram(const parley_mc_result *r, size_t issue, size_t n_bins,
                         uint64_t *counts)
{
    const parley_mc_issue *is = &r->issues[issue];
    memset(counts, 0, n_bins * sizeof *counts);
    if (!is->bins || n_bins == 0)
        return;
    for (size_t j = 0; j < PARLEY_MC_BINS; j++) {
        size_t coarse = (size_t)(((double)j + 0.5) * (double)n_bins / PARLEY_MC_BINS);
        counts[coarse < n_bins ? coarse : n_bins - 1] += is->bins[j];
    }
}
