/* test_pce.c — votes, coalitions and the probabilistic Condorcet election
 * (src/models/pce.c) on cases small enough to work by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "models/pce.h"

Test(pce, votes_follow_ktab_rules)
{
    /* w = 2, u_a = 0.7, u_b = 0.4: du = 0.3 */
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_PROP, 2, 0.7, 0.4), 0.6, 1e-15);
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_BINARY, 2, 0.7, 0.4), 2.0, 1e-15);
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_CUBIC, 2, 0.7, 0.4), 2 * 0.027, 1e-15);
    /* 0.8 * 0.3 + 0.2 * 1 = 0.44, times 2 */
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_PROP_BIN, 2, 0.7, 0.4), 0.88, 1e-15);
    /* 0.5 * 0.3 + 0.5 * 0.027 = 0.1635, times 2 */
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_PROP_CUBIC, 2, 0.7, 0.4), 0.327, 1e-15);
    /* gains count 2/3, losses fully */
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_ASYM_PROSP, 2, 0.7, 0.4), 0.4, 1e-15);
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_ASYM_PROSP, 2, 0.4, 0.7), -0.6, 1e-15);
    /* binary ramps linearly within 1e-8 of indifference */
    cr_expect_float_eq(parley_pce_vote(PARLEY_VOTE_BINARY, 1, 0.5 + 5e-9, 0.5), 0.5, 1e-6);
}

Test(pce, victory_models)
{
    double p_a, p_b;
    parley_pce_victory(PARLEY_VICTORY_LINEAR, 3, 1, &p_a, &p_b);
    cr_expect_float_eq(p_a, 0.75, 1e-15);
    cr_expect_float_eq(p_b, 0.25, 1e-15);
    parley_pce_victory(PARLEY_VICTORY_SQUARE, 3, 1, &p_a, &p_b);
    cr_expect_float_eq(p_a, 0.9, 1e-15);
    parley_pce_victory(PARLEY_VICTORY_QUARTIC, 3, 1, &p_a, &p_b);
    cr_expect_float_eq(p_a, 81.0 / 82.0, 1e-15);
}

/* Two voters, three options.
 *   weights 1 and 2; utilities  voter 0: (1.0, 0.5, 0.0)
 *                               voter 1: (0.0, 0.5, 1.0)
 * Prop votes: pair (1,0): v0 = -0.5, v1 = +1  -> C_10 = 1e-8 + 1,  C_01 = 1e-8 + 0.5
 *             pair (2,0): v0 = -1,   v1 = +2  -> C_20 = 1e-8 + 2,  C_02 = 1e-8 + 1
 *             pair (2,1): v0 = -0.5, v1 = +1  -> C_21 = 1e-8 + 1,  C_12 = 1e-8 + 0.5
 * Linear P: P_10 = P_20 = P_21 = 2/3 (up to the 1e-8), P_01 = P_02 = P_12 = 1/3.
 * Conditional: q_0 = 0.5 (1/3)(1/3) = 1/18, q_1 = (2/3)(0.5)(1/3) = 2/18,
 * q_2 = (2/3)(2/3)(0.5) = 4/18; p = (1, 2, 4) / 7. */
Test(pce, conditional_election_by_hand)
{
    const double weight[] = {1, 2};
    const double util[] = {1.0, 0.5, 0.0, 0.0, 0.5, 1.0};
    double coalition[9], against[3], prob[3], work[32];
    cr_assert_geq(sizeof work / sizeof *work, parley_pce_work_size(3));
    parley_pce_coalitions(PARLEY_VOTE_PROP, 2, 3, weight, util, 3, coalition, against);
    cr_expect_float_eq(coalition[1 * 3 + 0], 1 + 1e-8, 1e-15);
    cr_expect_float_eq(coalition[0 * 3 + 1], 0.5 + 1e-8, 1e-15);
    cr_expect_float_eq(coalition[2 * 3 + 0], 2 + 1e-8, 1e-15);
    cr_expect_float_eq(coalition[0 * 3 + 2], 1 + 1e-8, 1e-15);
    cr_expect_float_eq(coalition[4], 1e-8, 1e-20);
    cr_assert_eq(parley_pce_probabilities(PARLEY_PCE_CONDITIONAL, PARLEY_VICTORY_LINEAR, 3,
                                          coalition, work, prob), 0);
    cr_expect_float_eq(prob[0], 1.0 / 7, 1e-8);
    cr_expect_float_eq(prob[1], 2.0 / 7, 1e-8);
    cr_expect_float_eq(prob[2], 4.0 / 7, 1e-8);
}

/* Markov uniform on two options with P_10 = 3/4: the stationary p solves
 * p_1 = (P_10 (p_1 + p_0) + 0.5 (2 p_1)) / 2, i.e. p_1 = 3/4 (p_0 + p_1) = 3/4. */
Test(pce, markov_uniform_two_options)
{
    double coalition[4] = {1e-8, 1, 3, 1e-8}; /* C_01 = 1, C_10 = 3 */
    double prob[2], work[16];
    cr_assert_eq(parley_pce_probabilities(PARLEY_PCE_MARKOV_UNIFORM, PARLEY_VICTORY_LINEAR,
                                          2, coalition, work, prob), 0);
    cr_expect_float_eq(prob[1], 0.75, 1e-5);
    cr_expect_float_eq(prob[0] + prob[1], 1.0, 1e-9);
    cr_assert_eq(parley_pce_probabilities(PARLEY_PCE_MARKOV_INCENTIVE, PARLEY_VICTORY_LINEAR,
                                          2, coalition, work, prob), 0);
    cr_expect(prob[1] > prob[0], "the stronger option should be more likely");
    cr_expect_float_eq(prob[0] + prob[1], 1.0, 1e-7);
}

/* 400 options in a cycle, each beaten by the next 200 with P ~ 1e-8: every
 * product underflows to 0, and the log-space fallback still gives the
 * symmetric answer 1/400 each. */
Test(pce, conditional_survives_underflow)
{
    enum { M = 400 };
    static double coalition[M * M], prob[M];
    for (size_t a = 0; a < M; a++)
        for (size_t b = 0; b < M; b++)
            coalition[a * M + b] = a == b || (b + M - a) % M <= M / 2 ? 1e-8 : 1.0;
    cr_assert_eq(parley_pce_probabilities(PARLEY_PCE_CONDITIONAL, PARLEY_VICTORY_LINEAR, M,
                                          coalition, NULL, prob), 0);
    for (size_t a = 0; a < M; a++)
        cr_expect_float_eq(prob[a], 1.0 / M, 1e-9, "option %zu: %g", a, prob[a]);
}

/* The register-blocked proportional coalitions (chunks of 16 and 4 options,
 * then single options) give the same bits as KTAB's plain loop
 * (Model::coalitions: for a, for b < a, for k ascending), for every option
 * count that exercises a different mix of chunks, on utilities that give
 * both signs, zeros and ties. */
Test(pce, blocked_coalitions_equal_the_plain_loop)
{
    enum { VOTERS = 23, MAX_OPTIONS = 41 };
    double weight[VOTERS], util[VOTERS * MAX_OPTIONS];
    static double coalition[MAX_OPTIONS * MAX_OPTIONS], against[MAX_OPTIONS];
    uint64_t state = 12345;
    for (size_t k = 0; k < VOTERS; k++) {
        weight[k] = 1 + (double)(k % 7) * 13.5;
        for (size_t m = 0; m < MAX_OPTIONS; m++) {
            state = state * 6364136223846793005u + 1442695040888963407u;
            /* quarters of [-0.5, 1]: many exact ties between options */
            util[k * MAX_OPTIONS + m] = (double)(state >> 60) / 10.0 - 0.5;
        }
    }
    for (size_t m = 1; m <= MAX_OPTIONS; m++) {
        parley_pce_coalitions(PARLEY_VOTE_PROP, VOTERS, m, weight, util, MAX_OPTIONS,
                              coalition, against);
        for (size_t a = 0; a < m; a++)
            for (size_t b = 0; b < a; b++) {
                double pro = 1e-8, con = 1e-8;
                for (size_t k = 0; k < VOTERS; k++) {
                    double v = weight[k] * (util[k * MAX_OPTIONS + a] - util[k * MAX_OPTIONS + b]);
                    if (v > 0)
                        pro = pro + v;
                    if (v < 0)
                        con = con - v;
                }
                cr_assert(memcmp(&pro, &coalition[a * m + b], sizeof pro) == 0 &&
                              memcmp(&con, &coalition[b * m + a], sizeof con) == 0,
                          "m %zu pair (%zu, %zu): %.17g %.17g, plain loop %.17g %.17g", m, a,
                          b, coalition[a * m + b], coalition[b * m + a], pro, con);
            }
        for (size_t a = 0; a < m; a++)
            cr_assert_eq(coalition[a * m + a], 1e-8);
    }
}
