/* test_winset.c — the 1-D winset (src/models/winset.c) on hand-worked
 * cases.  With linear loss, voter i prefers x to d iff x lies strictly
 * between d and its reach 2 x_i - d; the figures below are worked out on
 * paper from that rule. */
#include <criterion/criterion.h>
#include <math.h>

#include "models/winset.h"

static parley_winset_voter voter(double position, double weight)
{
    return (parley_winset_voter){.position = position, .weight = weight, .votes = 1};
}

/* Three equal voters at 10, 40, 70, d = 50, simple majority.  Below d the
 * reaches are -30 (voter 10) and 30 (voter 40): both together are 2/3 > 1/2,
 * so W(d) = (30, 50).  Above d only voter 70 (1/3): nothing. */
Test(winset, three_voter_majority)
{
    parley_winset_voter v[] = {voter(10, 1), voter(40, 1), voter(70, 1)};
    parley_winset_rule rule = {.weight_share = 0.5, .strict = 1};
    size_t order[3];
    parley_winset ws;
    parley_winset_compute(v, 3, 50, &rule, order, &ws);
    cr_assert(ws.has_below);
    cr_assert_not(ws.has_above);
    cr_assert_float_eq(ws.below_lo, 30, 1e-12);
    /* The weighted mean 40 is inside; 20 projects to 30, 60 to d = 50. */
    cr_assert_float_eq(parley_winset_project(&ws, 40), 40, 1e-12);
    cr_assert_float_eq(parley_winset_project(&ws, 20), 30, 1e-12);
    cr_assert_float_eq(parley_winset_project(&ws, 60), 50, 1e-12);
}

/* A simple majority is strict: one of two equal voters is not enough. */
Test(winset, half_is_not_a_majority)
{
    parley_winset_voter v[] = {voter(80, 1), voter(20, 1)};
    parley_winset_rule rule = {.weight_share = 0.5, .strict = 1};
    size_t order[2];
    parley_winset ws;
    parley_winset_compute(v, 2, 50, &rule, order, &ws);
    cr_assert(parley_winset_empty(&ws));
    cr_assert_float_eq(parley_winset_project(&ws, 70), 50, 1e-12);
}

/* Unanimity of voters at 60, 70, 90 against d = 50: reaches 70, 90, 130,
 * W(d) = (50, 70).  A veto player outside the vote at 55 (reach 60) cuts it
 * to (50, 60); one at 45 (on the other side) empties it. */
Test(winset, unanimity_with_a_veto_player)
{
    parley_winset_voter v[] = {voter(60, 1), voter(70, 1), voter(90, 1),
                               {.position = 55, .veto = 1, .votes = 0}};
    for (size_t k = 0; k < 3; k++)
        v[k].veto = 1; /* unanimity: every voter with a stake */
    parley_winset_rule rule = {0};
    size_t order[4];
    parley_winset ws;
    parley_winset_compute(v, 3, 50, &rule, order, &ws);
    cr_assert(ws.has_above);
    cr_assert_float_eq(ws.above_hi, 70, 1e-12);
    parley_winset_compute(v, 4, 50, &rule, order, &ws);
    cr_assert(ws.has_above);
    cr_assert_not(ws.has_below);
    cr_assert_float_eq(ws.above_hi, 60, 1e-12);
    v[3].position = 45;
    parley_winset_compute(v, 4, 50, &rule, order, &ws);
    cr_assert(parley_winset_empty(&ws));
}

/* Weighted QMV: Nice-like weights 29 (at 80), 27 (60), 12 (40), 10 (30),
 * d = 20, threshold 0.74 of 78 = 57.72.  By reach: 29 (140), +27 (100) = 56
 * short, +12 (60) = 68 enough: W(d) = (20, 60).  The Nash bargain among the
 * three who gain on all of (20, 60): on (40, 60) the derivative is
 * 29/(x-20) + 27/(x-20) - 12/(60-x) = 0, x = 3600/68 = 52.9412 (checked by
 * a grid search over ln-products in Python: 52.9412). */
Test(winset, weighted_qualified_majority_and_its_bargains)
{
    parley_winset_voter v[] = {voter(80, 29), voter(60, 27), voter(40, 12), voter(30, 10)};
    parley_winset_rule rule = {.weight_share = 0.74};
    size_t order[4];
    parley_winset ws;
    parley_winset_compute(v, 4, 20, &rule, order, &ws);
    cr_assert(ws.has_above);
    cr_assert_not(ws.has_below);
    cr_assert_float_eq(ws.above_hi, 60, 1e-12);
    /* Weighted mean (29*80 + 27*60 + 12*40 + 10*30) / 78 = 60.51: cut to 60. */
    cr_assert_float_eq(parley_winset_project(&ws, 4720.0 / 78), 60, 1e-12);
    parley_bargainer b[] = {{80, 29}, {60, 27}, {40, 12}, {30, 10}};
    cr_assert_float_eq(parley_winset_nash(&ws, b, 4, 60), 3600.0 / 68, 1e-9);
    /* At 0.70 (54.6 of 78) the first two win: W(d) = (20, 100). */
    rule.weight_share = 0.70;
    parley_winset_compute(v, 4, 20, &rule, order, &ws);
    cr_assert_float_eq(ws.above_hi, 100, 1e-12);
    /* Threshold met exactly (55/78 with weights summing to it) counts. */
    parley_winset_voter exact[] = {voter(80, 55), voter(10, 23)};
    rule.weight_share = 55.0 / 78.0;
    parley_winset_compute(exact, 2, 20, &rule, order, &ws);
    cr_assert(ws.has_above);
    cr_assert_float_eq(ws.above_hi, 140, 1e-12);
}

/* Absent voters count in the totals without supporting anything. */
Test(winset, absent_weight_raises_the_bar)
{
    parley_winset_voter v[] = {voter(80, 2), voter(10, 1)};
    parley_winset_rule rule = {.weight_share = 0.5, .strict = 1};
    size_t order[2];
    parley_winset ws;
    parley_winset_compute(v, 2, 50, &rule, order, &ws);
    cr_assert(ws.has_above); /* 2 of 3 */
    rule.absent_weight = 2;  /* 2 of 5 */
    parley_winset_compute(v, 2, 50, &rule, order, &ws);
    cr_assert(parley_winset_empty(&ws));
}

/* Double majority: six voters with populations 80, 60, 40, 10, 5, 5 (200).
 * The four largest: 4/6 >= 55 % and 190/200 >= 65 %: win.  The four
 * smallest: 60/200 < 65 %, but only two oppose, fewer than the blocking
 * minority of four (Art. 16(4) TEU): win; without that clause, lose. */
Test(winset, double_majority_with_blocking_minority)
{
    double population[] = {80, 60, 40, 10, 5, 5};
    parley_winset_voter v[6];
    for (size_t k = 0; k < 6; k++)
        v[k] = (parley_winset_voter){.position = 0, .population = population[k], .votes = 1};
    parley_winset_rule rule = {.count_share = 0.55, .population_share = 0.65,
                               .blocking_min = 4};
    int largest[] = {1, 1, 1, 1, 0, 0}, smallest[] = {0, 0, 1, 1, 1, 1}, two[] = {1, 1, 0, 0, 0, 0};
    cr_assert(parley_winset_wins(v, 6, largest, &rule));
    cr_assert(parley_winset_wins(v, 6, smallest, &rule));
    cr_assert_not(parley_winset_wins(v, 6, two, &rule));
    rule.blocking_min = 0;
    cr_assert_not(parley_winset_wins(v, 6, smallest, &rule));
    cr_assert(parley_winset_wins(v, 6, largest, &rule));
}
