/* pce.c — votes, coalitions and the probabilistic Condorcet election of
 * KTAB (kmodel.cpp; SMP-SPEC section 3).  See pce.h. */
#include "pce.h"

#include <math.h>
#include <string.h>

#define MIN_COALITION 1e-8   /* Model::coalitions: no coalition is empty */
#define BINARY_SCALE 1e-8    /* Model::vote: width of the binary ramp */
#define MARKOV_MAX_ITERATIONS 1000

double parley_pce_vote(parley_vote_rule rule, double weight, double u_a, double u_b)
{
    const double du = u_a - u_b;
    double binary = du / BINARY_SCALE;
    binary = binary > 1 ? 1 : binary;
    binary = binary < -1 ? -1 : binary;
    const double cubic = du * du * du;
    switch (rule) {
    case PARLEY_VOTE_BINARY:
        return weight * binary;
    case PARLEY_VOTE_PROP_BIN:
        /* 0.2 makes both slopes 0.8 and the jump at 0 twice 0.2 (KTAB). */
        return weight * ((1 - 0.2) * du + 0.2 * binary);
    case PARLEY_VOTE_PROP_CUBIC:
        return weight * ((1 - 0.5) * du + 0.5 * cubic);
    case PARLEY_VOTE_CUBIC:
        return weight * cubic;
    case PARLEY_VOTE_ASYM_PROSP:
        if (du < 0.0)
            return weight * du;
        if (du > 0.0)
            return (2.0 * weight * du) / 3.0;
        return 0.0;
    case PARLEY_VOTE_PROP:
    default:
        return weight * du;
    }
}

static double victory_strength(parley_victory_model model, double s)
{
    switch (model) {
    case PARLEY_VICTORY_SQUARE:
        return s * s;
    case PARLEY_VICTORY_QUARTIC:
        return (s * s) * (s * s);
    case PARLEY_VICTORY_LINEAR:
    default:
        return s;
    }
}

void parley_pce_victory(parley_victory_model model, double s_a, double s_b,
                        double *p_a, double *p_b)
{
    double x_a = victory_strength(model, s_a), x_b = victory_strength(model, s_b);
    *p_a = x_a / (x_a + x_b);
    *p_b = x_b / (x_a + x_b);
}

typedef double quad_d __attribute__((vector_size(4 * sizeof(double))));
typedef long long quad_i __attribute__((vector_size(4 * sizeof(long long))));

/* v where mask, else +0.0 (masks are all ones or all zeros). */
#define KEEP_WHERE(mask, v) ((quad_d)((quad_i)(v) & (mask)))
/* v where not mask, else +0.0. */
#define DROP_WHERE(mask, v) ((quad_d)((quad_i)(v) & ~(mask)))

/* One voter's vote on options b .. b+3 of row a, into sums pro and con.
 * A vote that is not positive goes to con: a zero of either sign leaves
 * con (>= 1e-8) unchanged, so one comparison does (votes are finite). */
#define PROP_STEP(pro, con, u_b)                         \
    do {                                                 \
        quad_d v_ = w * (u_a - (u_b));                   \
        quad_i for_ = v_ > 0;                            \
        (pro) = (pro) + KEEP_WHERE(for_, v_);            \
        (con) = (con) - DROP_WHERE(for_, v_);            \
    } while (0)

/* Options b .. b+15 of row a, the 8 sums in registers (written out: GCC
 * keeps an array of vectors on the stack). */
static inline __attribute__((always_inline)) void
prop_chunk16(size_t n_voters, size_t a, size_t b, const double *weight, const double *util,
             size_t util_stride, double *for_a, double *against)
{
    quad_d pro0, pro1, pro2, pro3, con0, con1, con2, con3;
    pro0 = pro1 = pro2 = pro3 = (quad_d){0} + MIN_COALITION;
    con0 = con1 = con2 = con3 = pro0;
    for (size_t k = 0; k < n_voters; k++) {
        const double *u = util + k * util_stride;
        const double w = weight[k], u_a = u[a];
        quad_d u_b0, u_b1, u_b2, u_b3;
        memcpy(&u_b0, u + b, sizeof u_b0);
        memcpy(&u_b1, u + b + 4, sizeof u_b1);
        memcpy(&u_b2, u + b + 8, sizeof u_b2);
        memcpy(&u_b3, u + b + 12, sizeof u_b3);
        PROP_STEP(pro0, con0, u_b0);
        PROP_STEP(pro1, con1, u_b1);
        PROP_STEP(pro2, con2, u_b2);
        PROP_STEP(pro3, con3, u_b3);
    }
    memcpy(for_a + b, &pro0, sizeof pro0);
    memcpy(for_a + b + 4, &pro1, sizeof pro1);
    memcpy(for_a + b + 8, &pro2, sizeof pro2);
    memcpy(for_a + b + 12, &pro3, sizeof pro3);
    memcpy(against + b, &con0, sizeof con0);
    memcpy(against + b + 4, &con1, sizeof con1);
    memcpy(against + b + 8, &con2, sizeof con2);
    memcpy(against + b + 12, &con3, sizeof con3);
}

/* Options b .. b+3 of row a. */
static inline __attribute__((always_inline)) void
prop_chunk4(size_t n_voters, size_t a, size_t b, const double *weight, const double *util,
            size_t util_stride, double *for_a, double *against)
{
    quad_d pro = (quad_d){0} + MIN_COALITION, con = pro;
    for (size_t k = 0; k < n_voters; k++) {
        const double *u = util + k * util_stride;
        const double w = weight[k], u_a = u[a];
        quad_d u_b;
        memcpy(&u_b, u + b, sizeof u_b);
        PROP_STEP(pro, con, u_b);
    }
    memcpy(for_a + b, &pro, sizeof pro);
    memcpy(against + b, &con, sizeof con);
}

/* Row a of the proportional rule: for_a[b] = C_ab and against[b] = C_ba
 * for b < a.  Each pair starts at 1e-8 and gains voter k's vote for k in
 * ascending order, exactly as KTAB's k-innermost loop does; a chunk of 16
 * pairs keeps its sums in registers while k runs, so the only memory
 * traffic is voter k's utilities.  Adding +0.0 to a positive strength
 * changes no bit, which replaces the conditional adds. */
PARLEY_SIMD_CLONES
static void prop_row(size_t n_voters, size_t a, const double *weight, const double *util,
                     size_t util_stride, double *for_a, double *against)
{
    size_t b = 0;
    for (; b + 16 <= a; b += 16)
        prop_chunk16(n_voters, a, b, weight, util, util_stride, for_a, against);
    for (; b + 4 <= a; b += 4)
        prop_chunk4(n_voters, a, b, weight, util, util_stride, for_a, against);
    for (; b < a; b++) {
        double pro = MIN_COALITION, con = MIN_COALITION;
        for (size_t k = 0; k < n_voters; k++) {
            const double *u = util + k * util_stride;
            double v = weight[k] * (u[a] - u[b]);
            pro = pro + (v > 0 ? v : 0.0);
            con = con - (v < 0 ? v : 0.0);
        }
        for_a[b] = pro;
        against[b] = con;
    }
}

void parley_pce_coalition_row(parley_vote_rule rule, size_t n_voters, size_t a,
                              const double *weight, const double *util, size_t util_stride,
                              double *for_a, double *against_a)
{
    if (rule == PARLEY_VOTE_PROP) {
        prop_row(n_voters, a, weight, util, util_stride, for_a, against_a);
    } else {
        /* voters in ascending order for each pair, as KTAB sums */
        for (size_t b = 0; b < a; b++)
            for_a[b] = against_a[b] = MIN_COALITION;
        for (size_t k = 0; k < n_voters; k++) {
            const double *u = util + k * util_stride;
            for (size_t b = 0; b < a; b++) {
                double v = parley_pce_vote(rule, weight[k], u[a], u[b]);
                for_a[b] = for_a[b] + (v > 0 ? v : 0.0);
                against_a[b] = against_a[b] - (v < 0 ? v : 0.0);
            }
        }
    }
    for_a[a] = MIN_COALITION;
}

void parley_pce_coalition_rows(parley_vote_rule rule, size_t n_voters, size_t n_options,
                               size_t first, size_t end, const double *weight,
                               const double *util, size_t util_stride, double *coalition,
                               double *against)
{
    const size_t m = n_options;
    for (size_t a = first; a < end && a < m; a++) {
        parley_pce_coalition_row(rule, n_voters, a, weight, util, util_stride,
                                 coalition + a * m, against);
        for (size_t b = 0; b < a; b++)
            coalition[b * m + a] = against[b];
    }
}

void parley_pce_coalitions(parley_vote_rule rule, size_t n_voters, size_t n_options,
                           const double *weight, const double *util,
                           size_t util_stride, double *coalition, double *against)
{
    parley_pce_coalition_rows(rule, n_voters, n_options, 0, n_options, weight, util,
                              util_stride, coalition, against);
}

size_t parley_pce_work_size(size_t n_options)
{
    return 2 * n_options * n_options + 2 * n_options + 1;
}

/* P_ab from the coalition matrix, as Model::vProb(vpm, c) fills it. */
static double victory_prob(parley_victory_model model, size_t m,
                           const double *coalition, size_t a, size_t b)
{
    if (a == b)
        return 0.5;
    double p_a, p_b;
    parley_pce_victory(model, coalition[a * m + b], coalition[b * m + a], &p_a, &p_b);
    return p_a;
}

static void conditional(parley_victory_model model, size_t m, const double *coalition,
                        double *prob)
{
    double total = 0;
    for (size_t a = 0; a < m; a++) {
        double q = 1.0;
        for (size_t b = 0; b < m; b++)
            q = q * victory_prob(model, m, coalition, a, b);
        prob[a] = q;
    }
    for (size_t a = 0; a < m; a++)
        total = total + prob[a];
    if (total > 0 && isfinite(total)) {
        for (size_t a = 0; a < m; a++)
            prob[a] = prob[a] / total;
        return;
    }
    /* Every product underflowed: the same products, in log space. */
    double top = -INFINITY;
    for (size_t a = 0; a < m; a++) {
        double log_q = 0;
        for (size_t b = 0; b < m; b++)
            log_q += log(victory_prob(model, m, coalition, a, b));
        prob[a] = log_q;
        if (log_q > top)
            top = log_q;
    }
    total = 0;
    for (size_t a = 0; a < m; a++) {
        prob[a] = exp(prob[a] - top);
        total += prob[a];
    }
    for (size_t a = 0; a < m; a++)
        prob[a] /= total;
}

static int markov_incentive(parley_victory_model model, size_t m,
                            const double *coalition, double *work, double *prob)
{
    double *victory = work, *challenge = work + m * m, *next = work + 2 * m * m;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            victory[i * m + j] = victory_prob(model, m, coalition, i, j);
    /* Incentive for i to challenge j: C_ij P_ij (+1e-10 on the diagonal so
     * an option nobody challenges keeps itself). */
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            challenge[i * m + j] = coalition[i * m + j] * victory[i * m + j] +
                                   (i == j ? 1e-10 : 0.0);
    for (size_t j = 0; j < m; j++) {
        double sum = 0.0;
        for (size_t k = 0; k < m; k++)
            sum = sum + challenge[k * m + j];
        next[j] = sum;
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            challenge[i * m + j] = challenge[i * m + j] / next[j];
    for (size_t i = 0; i < m; i++)
        prob[i] = 1.0 / (double)m;
    double change = 1.0;
    unsigned iterations = 0;
    while (1e-8 < change) {
        if (iterations >= MARKOV_MAX_ITERATIONS)
            return -1;
        change = 0.0;
        for (size_t i = 0; i < m; i++) {
            double q = 0.0;
            for (size_t j = 0; j < m; j++) {
                double flow = prob[i] * challenge[j * m + i] + prob[j] * challenge[i * m + j];
                q = q + victory[i * m + j] * flow;
            }
            next[i] = q;
            double c = fabs(q - prob[i]);
            change = c > change ? c : change;
        }
        for (size_t i = 0; i < m; i++)
            prob[i] = (prob[i] + next[i]) / 2.0;
        iterations++;
    }
    return 0;
}

static int markov_uniform(parley_victory_model model, size_t m, const double *coalition,
                          double *work, double *prob)
{
    double *victory = work, *next = work + m * m;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            victory[i * m + j] = victory_prob(model, m, coalition, i, j);
    for (size_t i = 0; i < m; i++)
        prob[i] = 1.0 / (double)m;
    double change = 1.0;
    unsigned iterations = 0;
    while (1e-6 < change) {
        if (iterations >= MARKOV_MAX_ITERATIONS)
            return -1;
        change = 0;
        for (size_t i = 0; i < m; i++) {
            double p = 0.0;
            for (size_t j = 0; j < m; j++)
                p = p + victory[i * m + j] * (prob[i] + prob[j]);
            next[i] = p / (double)m;
            double c = fabs(next[i] - prob[i]);
            change = c > change ? c : change;
        }
        for (size_t i = 0; i < m; i++)
            prob[i] = (prob[i] + next[i]) / 2.0;
        iterations++;
    }
    return 0;
}

int parley_pce_probabilities(parley_pce_model model, parley_victory_model victory,
                             size_t n_options, const double *coalition,
                             double *work, double *prob)
{
    switch (model) {
    case PARLEY_PCE_MARKOV_INCENTIVE:
        return markov_incentive(victory, n_options, coalition, work, prob);
    case PARLEY_PCE_MARKOV_UNIFORM:
        return markov_uniform(victory, n_options, coalition, work, prob);
    case PARLEY_PCE_CONDITIONAL:
    default:
        conditional(victory, n_options, coalition, prob);
        return 0;
    }
}
