/* pce.h — voting over options, coalitions, victory probabilities and the
 * probabilistic Condorcet election (PCE) of KTAB (private to src/models).
 *
 * Wise et al., KTAB (KAPSARC Toolkit for Behavioral Analysis), kmodel.cpp:
 * Model::vote, Model::coalitions, Model::vProb, Model::condPCE,
 * Model::markovIncentivePCE, Model::markovUniformPCE; SMP-SPEC section 3.
 *
 * Every loop keeps KTAB's order of summation and multiplication, so results
 * are bit-identical to KTAB's for the same inputs and do not depend on the
 * number of threads.  Nothing here allocates, prints or keeps state:
 * callers pass every buffer.  Thread-safe on distinct buffers. */
#ifndef PARLEY_PCE_H
#define PARLEY_PCE_H

#include <stddef.h>

/* Hot loops are compiled twice, for AVX2 and for the baseline, and the
 * loader picks one for the machine.  Both do the same IEEE operations in
 * the same order (AVX2 without FMA: no contraction), so the bits agree. */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define PARLEY_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef PARLEY_SIMD_CLONES
#define PARLEY_SIMD_CLONES
#endif

/* How one voter turns a utility difference du = u_a - u_b into a vote
 * (KTAB VotingRule), with weight w:
 *   BINARY      w * clamp(du / 1e-8, -1, +1)
 *   PROP_BIN    w * (0.8 du + 0.2 binary)
 *   PROP        w * du                         (KTAB's default)
 *   PROP_CUBIC  w * (0.5 du + 0.5 du^3)
 *   CUBIC       w * du^3
 *   ASYM_PROSP  w * du if du < 0, 2 w du / 3 if du > 0 (losses loom larger) */
typedef enum parley_vote_rule {
    PARLEY_VOTE_BINARY,
    PARLEY_VOTE_PROP_BIN,
    PARLEY_VOTE_PROP,
    PARLEY_VOTE_PROP_CUBIC,
    PARLEY_VOTE_CUBIC,
    PARLEY_VOTE_ASYM_PROSP
} parley_vote_rule;

/* How coalition strengths give the probability that a beats b (KTAB
 * VPModel): P_ab = f(C_ab) / (f(C_ab) + f(C_ba)) with f(c) = c (LINEAR,
 * KTAB's default), c^2 (SQUARE) or c^4 (QUARTIC). */
typedef enum parley_victory_model {
    PARLEY_VICTORY_LINEAR,
    PARLEY_VICTORY_SQUARE,
    PARLEY_VICTORY_QUARTIC
} parley_victory_model;

/* How pairwise victory probabilities give one probability per option (KTAB
 * PCEModel):
 *   CONDITIONAL       p_a proportional to prod_b P_ab (one step; KTAB's default)
 *   MARKOV_INCENTIVE  stationary distribution of challenges made with
 *                     probability proportional to C_ab P_ab
 *   MARKOV_UNIFORM    stationary distribution of uniformly random challenges */
typedef enum parley_pce_model {
    PARLEY_PCE_CONDITIONAL,
    PARLEY_PCE_MARKOV_INCENTIVE,
    PARLEY_PCE_MARKOV_UNIFORM
} parley_pce_model;

/* The vote of a voter with weight w who values option a at u_a and option b
 * at u_b: positive for a.  (Model::vote.) */
double parley_pce_vote(parley_vote_rule rule, double weight, double u_a, double u_b);

/* Victory probabilities of two sides with strengths s_a, s_b > 0 (or one of
 * them 0); *p_a + *p_b = 1.  (Model::vProb.) */
void parley_pce_victory(parley_victory_model model, double s_a, double s_b,
                        double *p_a, double *p_b);

/* Coalition strengths.  util holds n_voters rows of n_options utilities
 * (row k starts at util + k * util_stride); weight[k] is voter k's weight.
 * Writes coalition (n_options x n_options, row-major): coalition[a*m+b] is
 * 1e-8 plus the sum of the positive votes for a over b, voters in ascending
 * order; the diagonal is 1e-8.  against is scratch of n_options doubles.
 * (Model::coalitions.)  O(n_voters m^2). */
void parley_pce_coalitions(parley_vote_rule rule, size_t n_voters, size_t n_options,
                           const double *weight, const double *util,
                           size_t util_stride, double *coalition, double *against);

/* The rows first .. end-1 of parley_pce_coalitions: row a holds C_ab and
 * column a C_ba for b < a, so disjoint row ranges may run in parallel
 * (each with its own against); after all rows 0 .. m-1 the matrix is the
 * same as parley_pce_coalitions writes. */
void parley_pce_coalition_rows(parley_vote_rule rule, size_t n_voters, size_t n_options,
                               size_t first, size_t end, const double *weight,
                               const double *util, size_t util_stride, double *coalition,
                               double *against);

/* Row a alone, written as two rows: for_a[b] = C_ab and against_a[b] =
 * C_ba for b < a, and for_a[a] = 1e-8 (the diagonal).  Rows are
 * independent, so threads may compute them side by side without sharing
 * a cache line; the C_ba then go into column a. */
void parley_pce_coalition_row(parley_vote_rule rule, size_t n_voters, size_t a,
                              const double *weight, const double *util, size_t util_stride,
                              double *for_a, double *against_a);

/* Scratch doubles parley_pce_probabilities needs for m options. */
size_t parley_pce_work_size(size_t n_options);

/* One probability per option from a coalition matrix (as written by
 * parley_pce_coalitions) into prob (n_options).  work holds
 * parley_pce_work_size(n_options) doubles.  Returns 0, or -1 when a Markov
 * model did not converge in 1000 iterations (prob then holds the last
 * iterate).  Where every product of the conditional model underflows to 0,
 * the same products are normalised in log space instead of returning 0/0
 * (KTAB would stop with an error there). */
int parley_pce_probabilities(parley_pce_model model, parley_victory_model victory,
                             size_t n_options, const double *coalition,
                             double *work, double *prob);

#endif
