/* winset.h — what a decision rule can enact against a reference point, on
 * one issue (private to src/models; used by procedural.c and its tests).
 *
 * With linear loss a voter at x_i prefers x to the reference point d exactly
 * when |x - x_i| < |d - x_i|: x lies in the open interval between d and its
 * mirror image 2 x_i - d (the voter's "reach").  The winset is the set of x
 * that a winning coalition prefers to d.  On each side of d the voters that
 * prefer x are those on that side whose reach lies beyond x, a set that
 * shrinks as x moves away from d; winning is monotone in the coalition, so
 * each side's part of the winset is one open interval from d to the reach of
 * the pivotal voter (Tsebelis, Veto Players, 2002, ch. 1, in one dimension).
 * The computation is a sweep over the voters sorted by reach. */
#ifndef PARLEY_WINSET_H
#define PARLEY_WINSET_H

#include <stddef.h>

/* Voters and bargainers per issue at most (fixed buffers, no allocation). */
#define PARLEY_WINSET_MAX_VOTERS 256

typedef struct parley_winset_voter {
    double position;
    double weight;      /* vote weight, >= 0 */
    double population;  /* for a double majority; else unused */
    int veto;           /* must be in every winning coalition */
    int votes;          /* 1: counts in the vote (weight, count, population);
                         * 0: a veto player outside the vote, e.g. the EP */
} parley_winset_voter;

/* When a coalition wins.  Totals are over the voters given plus the absent
 * weight, count and population (voters who never support a change). */
typedef struct parley_winset_rule {
    double weight_share;      /* share of the total weight needed (0: none) */
    int strict;               /* 1: more than weight_share (a simple majority) */
    double count_share;       /* share of the voters needed (0: none) */
    double population_share;  /* share of the population needed (0: none) */
    size_t blocking_min;      /* a coalition opposed by fewer voters than this
                               * wins whatever the population (Art. 16(4) TEU:
                               * 4); 0: no such clause */
    double absent_weight, absent_population;
    size_t absent_count;
} parley_winset_rule;

/* The winset: up to one open interval on each side of the reference.
 * below: (below_lo, reference) when has_below; above: (reference, above_hi). */
typedef struct parley_winset {
    double reference;
    int has_below, has_above;
    double below_lo, above_hi;
} parley_winset;

/* Whether the coalition of the voters flagged in member[] wins. */
int parley_winset_wins(const parley_winset_voter *voters, size_t n, const int *member,
                       const parley_winset_rule *rule);

/* Computes the winset of n voters against reference under rule.  scratch
 * holds n indices (caller-owned).  n <= PARLEY_WINSET_MAX_VOTERS (else
 * the winset is left empty).  Never fails. */
void parley_winset_compute(const parley_winset_voter *voters, size_t n, double reference,
                           const parley_winset_rule *rule, size_t *scratch,
                           parley_winset *out);

/* Whether the winset is empty. */
int parley_winset_empty(const parley_winset *ws);

/* The point of the closure of winset-or-reference nearest to x. */
double parley_winset_project(const parley_winset *ws, double x);

/* A bargainer: position and bargaining weight (capability x salience). */
typedef struct parley_bargainer {
    double position, weight;
} parley_bargainer;

/* The asymmetric Nash bargain inside a non-empty winset side: maximises
 * sum_i w_i ln(|d - x_i| - |x - x_i|) over the bargainers who gain on the
 * whole of that side's interval (those on that side whose reach is at or
 * beyond its far end), over the interval.  The objective is concave, so the
 * maximum is where its decreasing derivative changes sign: bisection.  When
 * no bargainer with weight > 0 gains throughout, or n is over
 * PARLEY_WINSET_MAX_VOTERS, returns NaN.  For a
 * winset with both sides, the side holding x_hint is used. */
double parley_winset_nash(const parley_winset *ws, const parley_bargainer *b, size_t n,
                          double x_hint);

#endif
