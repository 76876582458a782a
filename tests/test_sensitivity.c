/* test_sensitivity.c — one-at-a-time swings and first-order indices against
 * closed forms, on a model defined here (so the expected values do not
 * depend on any registered model) and on every registered model. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/sensitivity.h"

/* Y = x0 + 2 x1 (the positions of actors 0 and 1 on issue 0). */
static int linear_run(const parley_scenario *sc, const parley_run_opts *opts,
                      parley_result *result, parley_error *err)
{
    (void)opts;
    (void)err;
    result->forecast[0] = parley_stake_at(sc, 0, 0)->position.value +
                          2 * parley_stake_at(sc, 1, 0)->position.value;
    return PARLEY_OK;
}

static const parley_param no_params[] = {{NULL}};
static const parley_event_kind no_events[] = {{NULL}};
static const parley_model linear = {
    .name = "linear-test", .summary = "x0 + 2 x1", .reference = "", .params = no_params,
    .events = no_events, .run = linear_run,
};

/* Two actors on one issue [0, 100]; positions uniform over the whole scale,
 * saliences with no spread. */
static parley_scenario *two_uniform(void)
{
    parley_scenario *sc = parley_scenario_new("lin");
    cr_assert_eq(parley_scenario_add_actor(sc, "a", 1, NULL, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_actor(sc, "b", 1, NULL, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_issue(sc, "x", 0, 100, "lo", "hi", NULL, NULL), PARLEY_OK);
    for (size_t a = 0; a < 2; a++) {
        parley_scenario_set_stake(sc, a, 0, 50, 1);
        parley_value *pos = &parley_stake_at(sc, a, 0)->position;
        pos->spread = PARLEY_SPREAD_RANGE;
        pos->low = 0;
        pos->high = 100;
    }
    cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
    return sc;
}

Test(sensitivity, linear_model_swings_and_indices)
{
    parley_scenario *sc = two_uniform();
    parley_sensitivity_opts opts;
    parley_sensitivity_opts_init(&opts);
    opts.samples = 4000;
    opts.seed = 3;
    parley_sensitivity *s = NULL;
    parley_error err;
    cr_assert_eq(parley_sensitivity_run(&linear, sc, &opts, &s, &err), PARLEY_OK, "%s",
                 err.message);
    cr_assert_eq(s->n_inputs, 2);
    cr_assert_eq(s->base[0], 150);
    /* Swinging x0 over [0, 100] moves Y by 100, x1 by 200. */
    cr_assert_eq(parley_sensitivity_swing(s, 0, 0), 100);
    cr_assert_eq(parley_sensitivity_swing(s, 1, 0), 200);
    cr_assert_eq(s->at_low[1], 50);   /* x0 at 50, x1 at 0 */
    cr_assert_eq(s->at_high[1], 250);
    size_t order[2];
    parley_sensitivity_rank(s, 0, order);
    cr_assert_eq(order[0], 1);
    cr_assert_eq(order[1], 0);
    /* Independent inputs, additive model: S_i = a_i^2 V(x_i) / V(Y); equal
     * variances, a = (1, 2): S = (1/5, 4/5).  V(Y) = 5 * 100^2 / 12. */
    cr_assert(fabs(s->variance[0] - 5 * 10000.0 / 12) < 0.05 * 5 * 10000.0 / 12, "V %g",
              s->variance[0]);
    cr_assert(fabs(s->first_order[0] - 0.2) < 0.05, "S0 %g", s->first_order[0]);
    cr_assert(fabs(s->first_order[1] - 0.8) < 0.05, "S1 %g", s->first_order[1]);
    parley_sensitivity_free(s);
    parley_scenario_free(sc);
}

Test(sensitivity, indices_are_bit_identical_across_threads)
{
    parley_scenario *sc = two_uniform();
    parley_sensitivity *s[3];
    const int threads[] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        parley_sensitivity_opts opts;
        parley_sensitivity_opts_init(&opts);
        opts.samples = 1000;
        opts.threads = threads[t];
        cr_assert_eq(parley_sensitivity_run(&linear, sc, &opts, &s[t], NULL), PARLEY_OK);
    }
    for (int t = 1; t < 3; t++) {
        cr_assert_eq(memcmp(s[0]->first_order, s[t]->first_order, 2 * sizeof(double)), 0);
        cr_assert_eq(memcmp(s[0]->variance, s[t]->variance, sizeof(double)), 0);
    }
    for (int t = 0; t < 3; t++)
        parley_sensitivity_free(s[t]);
    parley_scenario_free(sc);
}

Test(sensitivity, sd_swing_is_value_plus_minus_sd_clipped)
{
    parley_scenario *sc = two_uniform();
    parley_value *pos = &parley_stake_at(sc, 0, 0)->position;
    pos->spread = PARLEY_SPREAD_SD;
    pos->value = 90;
    pos->sd = 20;
    parley_sensitivity_opts opts;
    parley_sensitivity_opts_init(&opts);
    parley_sensitivity *s = NULL;
    cr_assert_eq(parley_sensitivity_run(&linear, sc, &opts, &s, NULL), PARLEY_OK);
    cr_assert_eq(s->inputs[0].low, 70);
    cr_assert_eq(s->inputs[0].high, 100);
    cr_assert_null(s->first_order);
    parley_sensitivity_free(s);
    parley_scenario_free(sc);
}

Test(sensitivity, every_model_one_actor_position_explains_all)
{
    /* One actor: every model forecasts its position, whatever its salience,
     * so the position has S = 1 and the salience S = 0. */
    parley_scenario *sc = parley_scenario_new("one");
    cr_assert_eq(parley_scenario_add_actor(sc, "a", 1, NULL, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_issue(sc, "x", 0, 100, "lo", "hi", NULL, NULL), PARLEY_OK);
    sc->issues[0].has_status_quo = 1;
    sc->issues[0].status_quo.value = 50;
    parley_scenario_set_stake(sc, 0, 0, 60, 0.8);
    parley_stake *st = parley_stake_at(sc, 0, 0);
    st->position.spread = PARLEY_SPREAD_RANGE;
    st->position.low = 40;
    st->position.high = 80;
    st->salience.spread = PARLEY_SPREAD_RANGE;
    st->salience.low = 0.5;
    st->salience.high = 1;
    for (const parley_model *const *m = parley_models(); *m; m++) {
        parley_sensitivity_opts opts;
        parley_sensitivity_opts_init(&opts);
        opts.samples = 200;
        parley_sensitivity *s = NULL;
        parley_error err;
        int rc = parley_sensitivity_run(*m, sc, &opts, &s, &err);
        if (rc == PARLEY_EUNDEF) {
            cr_log_info("%s: %s", (*m)->name, err.message);
            continue;
        }
        cr_assert_eq(rc, PARLEY_OK, "%s: %s", (*m)->name, err.message);
        cr_assert_eq(s->n_inputs, 2);
        cr_assert_eq(s->inputs[0].kind, PARLEY_INPUT_POSITION);
        cr_assert(fabs(parley_sensitivity_swing(s, 0, 0) - 40) < 1e-9, "%s", (*m)->name);
        cr_assert(fabs(s->first_order[0] - 1) < 0.1, "%s: S %g", (*m)->name,
                  s->first_order[0]);
        cr_assert(fabs(s->first_order[1]) < 1e-9, "%s: S %g", (*m)->name, s->first_order[1]);
        parley_sensitivity_free(s);
    }
    parley_scenario_free(sc);
}

Test(sensitivity, allocation_failure_leaks_nothing)
{
    parley_scenario *sc = two_uniform();
    int succeeded = 0;
    for (long n = 1; n < 300 && !succeeded; n++) {
        parley_sensitivity_opts opts;
        parley_sensitivity_opts_init(&opts);
        opts.samples = 100;
        opts.threads = 1;
        parley_sensitivity *s = NULL;
        parley_alloc_fail_after(n);
        int rc = parley_sensitivity_run(&linear, sc, &opts, &s, NULL);
        parley_alloc_fail_after(0);
        cr_assert(rc == PARLEY_OK || rc == PARLEY_ENOMEM, "rc %d", rc);
        succeeded = rc == PARLEY_OK;
        parley_sensitivity_free(s);
    }
    cr_assert(succeeded);
    parley_scenario_free(sc);
}
