/* test_sample.c — mc_plan_draw_into (Philox blocks computed side by side,
 * the normals' central region four at a time) gives exactly the bits of the
 * reference path mc_plan_draw, which takes one word at a time from
 * parley_rng: over plans larger than one pass of draw_into, with uniform,
 * normal and tail-heavy inputs, on seeds and streams using all 64 bits.
 *
 * The reference values are the library's own slow path (parley_rng, whose
 * Philox is checked against Random123's published vectors in test_rng.c),
 * not figures computed here. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/rng.h"
#include "sim/sample.h"

enum { N_ACTORS = 30, N_ISSUES = 5 };

/* 30 actors on 5 issues (335 inputs, more than one pass of 256): capabilities
 * by default spread, positions normal with sd from narrow to far wider than
 * the scale (most draws in the tails, many clamped), some positions at the
 * scale's ends (half the truncated normal's mass in one tail), saliences
 * uniform on ranges or by default spread. */
static parley_scenario *many_inputs(void)
{
    parley_scenario *sc = parley_scenario_new("many");
    for (size_t a = 0; a < N_ACTORS; a++) {
        char id[16];
        snprintf(id, sizeof id, "a%zu", a);
        cr_assert_eq(parley_scenario_add_actor(sc, id, 1 + (double)a, NULL, NULL), PARLEY_OK);
    }
    for (size_t i = 0; i < N_ISSUES; i++) {
        char id[16];
        snprintf(id, sizeof id, "i%zu", i);
        cr_assert_eq(parley_scenario_add_issue(sc, id, 0, 100, "lo", "hi", NULL, NULL),
                     PARLEY_OK);
        sc->issues[i].has_status_quo = 1;
        sc->issues[i].status_quo.value = 10.0 * (double)i;
        for (size_t a = 0; a < N_ACTORS; a++) {
            double position = (a % 7 == 0) ? 0 : (a % 7 == 1) ? 100 : (double)((a * 13 + i * 7) % 101);
            parley_scenario_set_stake(sc, a, i, position, 0.05 + 0.03 * (double)a);
            parley_stake *stake = parley_stake_at(sc, a, i);
            if (a % 3 != 2) {
                stake->position.spread = PARLEY_SPREAD_SD;
                stake->position.sd = 0.5 * pow(3, (double)(a % 6)); /* 0.5 .. 121.5 */
            }
            if (a % 2) {
                stake->salience.spread = PARLEY_SPREAD_RANGE;
                stake->salience.low = 0.01 * (double)(a % 5);
                stake->salience.high = 0.93 + 0.002 * (double)a;
            }
        }
    }
    parley_error err;
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_OK, "%s", err.message);
    return sc;
}

Test(sample, draw_into_gives_the_bits_of_draw)
{
    parley_scenario *sc = many_inputs();
    mc_plan plan;
    cr_assert_eq(mc_plan_init(&plan, sc, 0.2), PARLEY_OK);
    cr_assert_eq(plan.n_inputs, N_ACTORS + N_ISSUES * (1 + 2 * N_ACTORS));
    cr_assert(plan.n_uniform > 0 && plan.n_normal > 0);
    double reference[N_ACTORS + N_ISSUES * (1 + 2 * N_ACTORS)];
    double *targets[sizeof reference / sizeof reference[0]];
    mc_plan_targets(&plan, sc, targets);
    size_t tails = 0;
    for (uint64_t k = 0; k < 3000; k++) {
        uint64_t seed = k * 0x9E3779B97F4A7C15u, stream = k << 40 | k;
        parley_rng rng;
        parley_rng_init(&rng, seed, stream);
        mc_plan_draw(&plan, &rng, reference);
        mc_plan_draw_into(&plan, seed, stream, targets);
        for (size_t j = 0; j < plan.n_inputs; j++) {
            cr_assert(memcmp(targets[j], &reference[j], sizeof reference[j]) == 0,
                      "input %zu of stream %llu: %.17g, reference %.17g", j,
                      (unsigned long long)k, *targets[j], reference[j]);
            const mc_draw *draw = &plan.draws[j];
            /* normal_quantile's tails start at |z| = 1.9728 */
            tails += !draw->uniform && fabs(reference[j] - draw->mean) > 1.98 * draw->sd;
        }
    }
    /* The tails were compared too, not only the central region. */
    cr_assert_gt(tails, 20000, "%zu draws in the tails", tails);
    mc_plan_free(&plan);
    parley_scenario_free(sc);
}

/* Saliences uniform on [0, 1] draw u = (word + 0.5) 2^-32 itself (0 + u * 1
 * is exact), so every word draw_into used can be read back and compared
 * with the block parley_rng_philox computes for its counter. */
Test(sample, draw_into_uses_the_philox_words_of_the_stream)
{
    enum { ACTORS = 40, ISSUES = 7, INPUTS = ACTORS * ISSUES }; /* 70 blocks */
    parley_scenario *sc = parley_scenario_new("words");
    for (size_t a = 0; a < ACTORS; a++) {
        char id[16];
        snprintf(id, sizeof id, "a%zu", a);
        cr_assert_eq(parley_scenario_add_actor(sc, id, 1, NULL, NULL), PARLEY_OK);
    }
    for (size_t i = 0; i < ISSUES; i++) {
        char id[16];
        snprintf(id, sizeof id, "i%zu", i);
        cr_assert_eq(parley_scenario_add_issue(sc, id, 0, 1, "lo", "hi", NULL, NULL),
                     PARLEY_OK);
        for (size_t a = 0; a < ACTORS; a++) {
            parley_scenario_set_stake(sc, a, i, 0.5, 0.5);
            parley_value *salience = &parley_stake_at(sc, a, i)->salience;
            salience->spread = PARLEY_SPREAD_RANGE;
            salience->low = 0;
            salience->high = 1;
        }
    }
    mc_plan plan;
    cr_assert_eq(mc_plan_init(&plan, sc, 0), PARLEY_OK);
    cr_assert_eq(plan.n_inputs, INPUTS);
    double values[INPUTS], *targets[INPUTS];
    for (size_t j = 0; j < INPUTS; j++)
        targets[j] = &values[j];
    for (uint64_t k = 0; k < 500; k++) {
        uint64_t seed = ~k * 0xD1342543DE82EF95u, stream = k * 0x2545F4914F6CDD1Du;
        mc_plan_draw_into(&plan, seed, stream, targets);
        const uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
        for (uint32_t b = 0; b < INPUTS / 4; b++) {
            const uint32_t counter[4] = {b, 0, (uint32_t)stream, (uint32_t)(stream >> 32)};
            uint32_t block[4];
            parley_rng_philox(counter, key, block);
            for (size_t w = 0; w < 4; w++) {
                double word = values[4 * b + w] * 0x1.0p32 - 0.5;
                cr_assert_eq(word, (double)block[w], "word %zu of block %u, stream %llu", w,
                             b, (unsigned long long)k);
            }
        }
    }
    mc_plan_free(&plan);
    parley_scenario_free(sc);
}
