/* sample.h — drawing a scenario from its spreads (private to src/sim).
 *
 * A plan lists every number of a scenario that has a spread (stated, or the
 * default spread for values that state none) with the distribution it is
 * drawn from, precomputed so that a draw is one 32-bit word of the stream and
 * a few flops: uniform on [lo, hi], or a normal truncated to [lo, hi] drawn
 * by inverse CDF between the truncation points.  A fixed number of words per
 * input means input j of sample k always uses the same word of the stream,
 * never shifted by an earlier rejection. */
#ifndef PARLEY_SIM_SAMPLE_H
#define PARLEY_SIM_SAMPLE_H

#include "parley/montecarlo.h"
#include "parley/rng.h"

typedef struct mc_draw {
    int uniform;          /* 1: uniform on [lo, hi]; 0: truncated normal */
    double lo, hi;        /* the interval drawn from */
    double mean, sd;      /* truncated normal */
    double cdf_lo, cdf_span; /* Phi((lo-mean)/sd), Phi(hi) - Phi(lo) */
} mc_draw;

typedef struct mc_plan {
    size_t n_inputs;
    parley_input *inputs; /* what each input is, its base and swing ends */
    mc_draw *draws;
    /* The truncated normals again, in ascending input order and one array
     * per field, so that mc_plan_draw_into's central-region loop has no
     * branches and vectorises; the uniforms are listed by index. */
    size_t n_normal, n_uniform;
    size_t *normal_index, *uniform_index;
    double *fields;       /* one allocation holding the arrays below */
    double *cdf_lo, *cdf_span, *mean, *sd, *lo, *hi; /* n_normal each */
    double *uniform_lo, *uniform_hi;                 /* n_uniform each */
} mc_plan;

/* Builds the plan for sc with the given default spread (fraction of each
 * scale, 0: none).  PARLEY_ENOMEM.  Free with mc_plan_free. */
int mc_plan_init(mc_plan *plan, const parley_scenario *sc, double spread);
void mc_plan_free(mc_plan *plan);

/* Draws every input from rng into values (n_inputs). */
void mc_plan_draw(const mc_plan *plan, parley_rng *rng, double *values);

/* Fills targets (n_inputs) with pointers to the numbers each input stands
 * for in sc, a scenario of the plan's shape (a worker's own copy). */
int mc_plan_targets(const mc_plan *plan, parley_scenario *sc, double **targets);

/* Draws every input from stream (seed, stream), the same words in the same
 * order as mc_plan_draw from a fresh parley_rng, straight into targets. */
void mc_plan_draw_into(const mc_plan *plan, uint64_t seed, uint64_t stream,
                       double *const *targets);

/* The value of input j for a uniform u in (0, 1). */
double mc_plan_quantile(const mc_plan *plan, size_t j, double u);

/* Writes value into the number input j stands for in sc (a scenario of the
 * plan's shape). */
void mc_plan_set(const mc_plan *plan, size_t j, parley_scenario *sc, double value);

/* Inverse of the standard normal CDF, p in (0, 1); relative error < 1.2e-9
 * (Acklam's rational approximation). */
double mc_normal_quantile(double p);

#endif
