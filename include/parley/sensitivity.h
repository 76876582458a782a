/* parley/sensitivity.h — which inputs move each issue's forecast most.
 *
 * Two measures over the inputs Monte Carlo perturbs (parley/montecarlo.h:
 * every capability, position, salience and status quo with a stated spread,
 * or with the default spread):
 *
 *   - One at a time: each input alone set to the low and then the high end
 *     of its stated range (RANGE: [low, high]; SD: value -/+ sd, clipped to
 *     the allowed range), every other input at its stated value.  The swing
 *     |f(high) - f(low)| per issue orders a tornado table.
 *
 *   - With samples N > 0: first-order variance-based (Sobol') indices
 *     S_i = V[E(Y | X_i)] / V(Y), estimated with Saltelli et al. (2010),
 *     Computer Physics Communications 181, 259-270, Table 2 (b):
 *         V_i ~ 1/N sum_j f(B)_j (f(A_B^i)_j - f(A)_j)
 *     from two independent sample matrices A and B and, for each input i, A
 *     with column i taken from B: N (k + 2) model runs for k inputs.  Row j
 *     of A and B is drawn from the Philox streams
 *     (seed, PARLEY_SENS_STREAM | 2j) and (seed, PARLEY_SENS_STREAM | 2j+1);
 *     rows are summed in fixed blocks merged in block order, so the indices
 *     are bit-identical for any number of threads.
 *
 * Thread-safety: as parley_mc_run. */
#ifndef PARLEY_SENSITIVITY_H
#define PARLEY_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "parley/montecarlo.h"

#define PARLEY_SENS_STREAM (UINT64_C(1) << 62)

typedef struct parley_sensitivity_opts {
    uint64_t samples;               /* N for the indices; 0: one-at-a-time only */
    uint64_t seed;
    int threads;                    /* 0: OpenMP's default */
    double spread;                  /* as parley_mc_opts.spread */
    const parley_run_opts *run;     /* model parameters; NULL: defaults */
    parley_mc_progress_fn progress; /* counts rows of the sample matrices */
    void *userdata;
} parley_sensitivity_opts;

/* 0 samples, seed 0, default threads, spread 0, defaults, no progress. */
void parley_sensitivity_opts_init(parley_sensitivity_opts *opts);

/* Read-only for callers; free with parley_sensitivity_free. */
typedef struct parley_sensitivity {
    size_t n_inputs, n_issues;
    parley_input *inputs;   /* n_inputs: what each is, its base and swing ends */
    double *base;           /* n_issues: forecast at the stated values */
    double *at_low;         /* n_inputs x n_issues, input-major: forecast with
                             * input k at its low end (NaN: none) */
    double *at_high;        /* same, at its high end */
    uint64_t samples;       /* N used for the indices; 0 if none */
    double *first_order;    /* n_inputs x n_issues, or NULL without samples;
                             * NaN where the issue's variance is 0 */
    double *variance;       /* n_issues: V(Y), or NULL without samples */
} parley_sensitivity;

/* Runs both measures for model m on sc (which must be valid).  On success
 * *out is the result (caller frees with parley_sensitivity_free).  Returns
 * PARLEY_EINVAL for bad options, PARLEY_EUNDEF when the model cannot forecast
 * sc, PARLEY_ECANCEL (then *out is NULL), PARLEY_ENOMEM, or what the model
 * returned. */
int parley_sensitivity_run(const parley_model *m, const parley_scenario *sc,
                           const parley_sensitivity_opts *opts,
                           parley_sensitivity **out, parley_error *err);
void parley_sensitivity_free(parley_sensitivity *s);  /* NULL does nothing */

/* |at_high - at_low| of input k on issue i; 0 where either is NaN. */
double parley_sensitivity_swing(const parley_sensitivity *s, size_t input, size_t issue);

/* Writes into order (n_inputs) the inputs sorted by swing on issue i,
 * largest first, ties by input order. */
void parley_sensitivity_rank(const parley_sensitivity *s, size_t issue, size_t *order);

#endif
