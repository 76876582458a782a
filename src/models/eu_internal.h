/* eu_internal.h — the expected-utility model's round, for expected_utility.c,
 * the fast vote sums in eu_votes.c, and the tests (private to libparley).
 *
 * One round of the model on one issue (MODELS.md section 4) is
 * parley_eu_round: it takes the current positions of the n actors with a
 * stake, and returns where each moves.  It is O(n^2) in time and O(n) in
 * memory: the sums over third parties in eq. 31 come from sweeps over the
 * actors sorted by position (eu_votes.c), never from an n x n table. */
#ifndef PARLEY_EU_INTERNAL_H
#define PARLEY_EU_INTERNAL_H

#include <stddef.h>

/* The alternative readings of the paper (MODELS.md section 4); the first of
 * each is the default that reproduces Scholz et al.'s Table 2 best. */
enum { PARLEY_EU_SALIENCE_CHALLENGED, PARLEY_EU_SALIENCE_CHALLENGER };
enum { PARLEY_EU_EXPONENT_MOVER, PARLEY_EU_EXPONENT_OWN };
enum { PARLEY_EU_DENOMINATOR_GLOBAL, PARLEY_EU_DENOMINATOR_PAIR };
enum { PARLEY_EU_COMPROMISE_LOWEST_POINT, PARLEY_EU_COMPROMISE_SMALLEST_MOVE };

typedef struct parley_eu_options {
    double q;            /* Q of eq. 25: 1 (default) or 0.5 (B. de M. & Lalman) */
    int salience_of;     /* whose salience enters E_i(U_ij) */
    int exponent_of;     /* whose risk exponent pass 2 uses for E_i(U_ij) */
    int denominator;     /* of eq. 31: global D or the pair's own votes */
    int compromise_rule; /* which compromise an actor takes */
} parley_eu_options;

/* How a challenge of proposer i to mover j turns out, seen from the mover
 * (MODELS.md step 6).  The order is the model's event table's order. */
typedef enum parley_eu_class {
    PARLEY_EU_CONFLICT,
    PARLEY_EU_COMPROMISE,
    PARLEY_EU_CAPITULATION,
    PARLEY_EU_STATUS_QUO,
    PARLEY_EU_NO_CHALLENGE  /* E_i(U_ij) <= 0 < E_j(U_ji) or a tie at 0 */
} parley_eu_class;

/* One ordered pair in the deciding pass (pass 2), for traces and tests.
 * Indices are those of the arrays given to parley_eu_round. */
typedef struct parley_eu_pair {
    size_t proposer, mover;
    parley_eu_class kind;
    double p_proposer, p_mover; /* eq. 31: P_i (i prevails over j), P_j */
    double e_proposer;          /* a = E_i(U_ij), eq. 25 */
    double e_mover;             /* b = E_j(U_ji) */
    /* the proposer's utilities U_s, U_f, U_b, U_w, U_sq about the mover, with
     * the exponent a used */
    double utility[5];
    double offer;               /* where the mover would go (its own
                                 * position when nothing is offered) */
} parley_eu_pair;

typedef void (*parley_eu_pair_fn)(void *userdata, const parley_eu_pair *pair);

/* The n actors with a stake in one issue, in any order. */
typedef struct parley_eu_actors {
    size_t n;
    const double *position; /* x_i */
    const double *salience; /* s_i */
    const double *weight;   /* w_i = c_i s_i */
    double range;           /* R > 0 */
} parley_eu_actors;

typedef struct parley_eu_outcome {
    double *position;       /* n: after the round */
    size_t *offer_taken;    /* n: proposer whose offer the actor took, or
                             * (size_t)-1 when it stays */
    double *risk_exponent;  /* n: r_i; input when the risk is not computed */
    double *security;       /* n: S_i of eq. 32 (NaN when not computed) */
} parley_eu_outcome;

typedef struct parley_eu_work parley_eu_work;

/* Scratch space for rounds of up to n actors; caller frees with
 * parley_eu_work_free.  NULL when out of memory. */
parley_eu_work *parley_eu_work_new(size_t n);
void parley_eu_work_free(parley_eu_work *work); /* NULL does nothing */

/* One round (MODELS.md steps 1-7) with the weighted median median.  When
 * compute_risk is nonzero, pass 1 (all r = 1) computes the risk exponents
 * into out->risk_exponent (eqs. 32-34); otherwise out->risk_exponent is
 * used as given.  on_pair (may be NULL) sees every ordered pair of pass 2.
 * actors->n must not exceed the work's size. */
void parley_eu_round(parley_eu_work *work, const parley_eu_actors *actors,
                     double median, const parley_eu_options *opts,
                     int compute_risk, parley_eu_outcome *out,
                     parley_eu_pair_fn on_pair, void *userdata);

/* The lower weighted median of positions (the first position where the
 * running weight reaches half of the total); NaN when no weight. */
double parley_eu_weighted_median(parley_eu_work *work, size_t n,
                                 const double *position, const double *weight);

/* ---- eu_votes.c: the sums of eq. 31 over voters, fast ------------------ */

/* The voters sorted by position: v_k(a, b) = w_k ((|x_k - b|/R)^{r_k} -
 * (|x_k - a|/R)^{r_k}).  exponent NULL means r_k = 1 for all.  Arrays are
 * borrowed, of length n; the scratch arrays are the sweep's own. */
typedef struct parley_eu_votes {
    size_t n;
    const double *position;  /* sorted ascending */
    const double *weight;
    const double *exponent;  /* or NULL */
    double range;
    /* scratch, n each: filled by parley_eu_votes_total */
    double *column_total;    /* T_c = sum_k w_k (|x_k - x_c|/R)^{r_k} */
    size_t *cursor;          /* per column: voters summed so far */
    double *column_prefix;   /* per column: their sum */
} parley_eu_votes;

/* D = sum_k sum_a sum_b |v_k(x_a, x_b)| over all voters and ordered pairs
 * of actors (the actors are the voters), in O(n^2); also fills the column
 * totals and resets the sweep, which must follow. */
double parley_eu_votes_total(parley_eu_votes *votes);

/* Row a of the sweep, called for a = 0, 1, ..., n-1 in this order after
 * parley_eu_votes_total: for every b > a, for_a[b] = sum_k max(0,
 * v_k(x_a, x_b)) and for_b[b] = sum_k max(0, v_k(x_b, x_a)) (0 when
 * x_a == x_b).  Amortised O(n) per row. */
void parley_eu_votes_row(parley_eu_votes *votes, size_t a, double *for_a,
                         double *for_b);

#endif
