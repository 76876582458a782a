/* test_models_baseline.c — compromise, median and Nash against values worked
 * by hand (each case's arithmetic is in its comment), and their degenerate
 * cases. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/model.h"

/* One issue on [0, 100]; actor k has capability capability[k], position
 * position[k], salience salience[k]; salience < 0 means "no stake". */
static parley_scenario *one_issue(size_t n, const double *capability,
                                  const double *position, const double *salience,
                                  double status_quo)
{
    parley_scenario *sc = parley_scenario_new("t");
    cr_assert_eq(parley_scenario_add_issue(sc, "i", 0, 100, "low", "high", NULL, NULL), 0);
    for (size_t k = 0; k < n; k++) {
        char id[16];
        snprintf(id, sizeof id, "a%zu", k);
        cr_assert_eq(parley_scenario_add_actor(sc, id, capability[k], NULL, NULL), 0);
        if (salience[k] >= 0)
            parley_scenario_set_stake(sc, k, 0, position[k], salience[k]);
    }
    if (!isnan(status_quo)) {
        sc->issues[0].has_status_quo = 1;
        sc->issues[0].status_quo.value = status_quo;
    }
    cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
    return sc;
}

/* Runs a model by name; returns the forecast, the code in *rc. */
static double forecast(const char *model, const parley_scenario *sc, int *rc,
                       const char *param)
{
    const parley_model *m = parley_model_find(model);
    cr_assert_not_null(m, "model %s is registered", model);
    parley_run_opts opts;
    parley_run_opts_init(&opts, m);
    if (param)
        cr_assert_eq(parley_run_opts_set(&opts, m, param, NULL), PARLEY_OK);
    parley_result *r = parley_result_new();
    parley_error err;
    *rc = parley_model_run(m, sc, &opts, r, &err);
    double x = r->forecast[0];
    parley_result_free(r);
    return x;
}

static const double three_capability[] = {2, 1, 1};
static const double three_position[] = {10, 50, 90};
static const double three_salience[] = {0.5, 1, 0.25};

Test(compromise, weighted_mean_by_hand)
{
    /* w = c s = 1, 1, 0.25; O = (10 + 50 + 22.5) / 2.25 = 36.666... */
    parley_scenario *sc = one_issue(3, three_capability, three_position, three_salience, NAN);
    int rc;
    cr_assert_float_eq(forecast("compromise", sc, &rc, NULL), 82.5 / 2.25, 1e-12);
    cr_assert_eq(rc, PARLEY_OK);
    parley_scenario_free(sc);
}

Test(median, weighted_median_by_hand)
{
    /* Sorted: 10 (w 1), 50 (w 1), 90 (w 0.25); half of 2.25 is 1.125; the
     * running weight reaches it at 50. */
    parley_scenario *sc = one_issue(3, three_capability, three_position, three_salience, NAN);
    int rc;
    cr_assert_eq(forecast("median", sc, &rc, NULL), 50);
    parley_scenario_free(sc);
}

Test(median, ties_take_the_lower_median)
{
    /* Two equal weights: the running weight reaches exactly half at 20. */
    const double c[] = {1, 1}, x[] = {80, 20}, s[] = {1, 1};
    parley_scenario *sc = one_issue(2, c, x, s, NAN);
    int rc;
    cr_assert_eq(forecast("median", sc, &rc, NULL), 20);
    parley_scenario_free(sc);
}

Test(median, beats_every_other_position_pairwise)
{
    /* v_jk = sum_i w_i (|x_i - x_k| - |x_i - x_j|) >= 0 for the median j
     * against every actor's position k (MODELS.md section 2). */
    const double c[] = {3, 1, 2, 1, 5}, x[] = {5, 30, 47, 62, 91}, s[] = {0.2, 1, 0.5, 0.9, 0.3};
    parley_scenario *sc = one_issue(5, c, x, s, NAN);
    int rc;
    double median = forecast("median", sc, &rc, NULL);
    for (size_t k = 0; k < 5; k++) {
        double votes = 0;
        for (size_t i = 0; i < 5; i++)
            votes += c[i] * s[i] * (fabs(x[i] - x[k]) - fabs(x[i] - median));
        cr_assert_geq(votes, -1e-12, "median %g loses to %g", median, x[k]);
    }
    parley_scenario_free(sc);
}

Test(nash, interior_solution_by_hand)
{
    /* d = 0, A at 40 (w 1), B at 100 (w 3).  The set where both gain is
     * (0, 80).  Between 40 and 80, N = ln(80 - x) + 3 ln x, N' = 0 at
     * x = 3 * 80 / 4 = 60; below 40, N = 4 ln x rises.  So 60. */
    const double c[] = {1, 3}, x[] = {40, 100}, s[] = {1, 1};
    parley_scenario *sc = one_issue(2, c, x, s, 0);
    int rc;
    cr_assert_float_eq(forecast("nash", sc, &rc, NULL), 60, 1e-9);
    cr_assert_eq(rc, PARLEY_OK);
    parley_scenario_free(sc);
}

Test(nash, kink_at_the_nearer_actor)
{
    /* d = 0, A at 60, B at 100, equal weights.  Between 60 and 100,
     * N = ln(120 - x) + ln x has N' = 0 at 60; below 60 N = 2 ln x rises: 60. */
    const double c[] = {1, 1}, x[] = {60, 100}, s[] = {1, 1};
    parley_scenario *sc = one_issue(2, c, x, s, 0);
    int rc;
    cr_assert_float_eq(forecast("nash", sc, &rc, NULL), 60, 1e-9);
    parley_scenario_free(sc);
}

Test(nash, quadratic_loss_closed_form)
{
    /* Quadratic loss, d = 0, A at 60, B at 100: gains x(120 - x) and
     * x(200 - x); N' = 2/x - 1/(120 - x) - 1/(200 - x) = 0 gives
     * x^2 - 240 x + 12000 = 0, x = 120 - sqrt(2400) = 71.0102051443364. */
    const double c[] = {1, 1}, x[] = {60, 100}, s[] = {1, 1};
    parley_scenario *sc = one_issue(2, c, x, s, 0);
    int rc;
    cr_assert_float_eq(forecast("nash", sc, &rc, "loss=quadratic"), 120 - sqrt(2400), 1e-9);
    parley_scenario_free(sc);
}

Test(nash, mirror_image_below_the_status_quo)
{
    /* The interior case reflected about 50: d = 100, A at 60 (w 1), B at 0
     * (w 3): forecast 100 - 60 = 40. */
    const double c[] = {1, 3}, x[] = {60, 0}, s[] = {1, 1};
    parley_scenario *sc = one_issue(2, c, x, s, 100);
    int rc;
    cr_assert_float_eq(forecast("nash", sc, &rc, NULL), 40, 1e-9);
    parley_scenario_free(sc);
}

Test(nash, actors_on_both_sides_keep_the_status_quo)
{
    const double c[] = {1, 1}, x[] = {20, 80}, s[] = {1, 1};
    parley_scenario *sc = one_issue(2, c, x, s, 50);
    const parley_model *m = parley_model_find("nash");
    parley_result *r = parley_result_new();
    cr_assert_eq(parley_model_run(m, sc, NULL, r, NULL), PARLEY_OK);
    cr_assert_eq(r->forecast[0], 50);
    cr_assert_not_null(r->issue_note[0], "the result says why it is the status quo");
    cr_assert(strstr(r->issue_note[0], "status quo") != NULL);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(nash, no_status_quo_is_an_error)
{
    const double c[] = {1, 1}, x[] = {20, 80}, s[] = {1, 1};
    parley_scenario *sc = one_issue(2, c, x, s, NAN);
    int rc;
    double f = forecast("nash", sc, &rc, NULL);
    cr_assert(isnan(f));
    cr_assert_eq(rc, PARLEY_EUNDEF);
    parley_scenario_free(sc);
}

/* Degenerate cases shared by the three one-shot models. */
static const char *const one_shot[] = {"compromise", "median", "nash"};

Test(baseline, one_actor_gets_its_position)
{
    const double c[] = {5}, x[] = {63}, s[] = {0.7};
    parley_scenario *sc = one_issue(1, c, x, s, 10);
    for (size_t k = 0; k < 3; k++) {
        int rc;
        cr_assert_float_eq(forecast(one_shot[k], sc, &rc, NULL), 63, 1e-9, "%s", one_shot[k]);
    }
    parley_scenario_free(sc);
}

Test(baseline, everyone_at_one_position)
{
    const double c[] = {1, 4, 2}, x[] = {35, 35, 35}, s[] = {0.3, 1, 0.6};
    parley_scenario *sc = one_issue(3, c, x, s, 90);
    for (size_t k = 0; k < 3; k++) {
        int rc;
        cr_assert_float_eq(forecast(one_shot[k], sc, &rc, NULL), 35, 1e-9, "%s", one_shot[k]);
    }
    parley_scenario_free(sc);
}

Test(baseline, zero_salience_and_missing_stakes_do_not_count)
{
    /* a1 cares not at all, a2 has no stake: only a0 (20) and a3 (80, w 3)
     * count.  Compromise (20 + 240) / 4 = 65; median 80; Nash with d = 0:
     * on (20, 40) N = ln(40 - x) + 3 ln x peaks at x = 30. */
    const double c[] = {1, 100, 100, 3}, x[] = {20, 0, 0, 80}, s[] = {1, 0, -1, 1};
    parley_scenario *sc = one_issue(4, c, x, s, 0);
    int rc;
    cr_assert_float_eq(forecast("compromise", sc, &rc, NULL), 65, 1e-12);
    cr_assert_eq(forecast("median", sc, &rc, NULL), 80);
    cr_assert_float_eq(forecast("nash", sc, &rc, NULL), 30, 1e-9);
    parley_scenario_free(sc);
}

Test(baseline, no_weight_at_all_gives_no_forecast)
{
    const double c[] = {1, 1}, x[] = {20, 80}, s[] = {0, -1};
    parley_scenario *sc = one_issue(2, c, x, s, 50);
    for (size_t k = 0; k < 3; k++) {
        int rc;
        cr_assert(isnan(forecast(one_shot[k], sc, &rc, NULL)), "%s", one_shot[k]);
        cr_assert_eq(rc, PARLEY_EUNDEF, "%s", one_shot[k]);
    }
    parley_scenario_free(sc);
}

Test(params, set_checks_names_types_and_ranges)
{
    const parley_model *m = parley_model_find("nash");
    parley_run_opts opts;
    parley_error err;
    parley_run_opts_init(&opts, m);
    cr_assert_eq(opts.param[0], 0);
    cr_assert_eq(parley_run_opts_set(&opts, m, "loss=quadratic", &err), PARLEY_OK);
    cr_assert_eq(opts.param[0], 1);
    cr_assert_eq(parley_run_opts_set(&opts, m, "loss=cubic", &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "linear, quadratic") != NULL, "%s", err.message);
    cr_assert_eq(parley_run_opts_set(&opts, m, "nope=1", &err), PARLEY_EINVAL);
    cr_assert_eq(parley_run_opts_set(&opts, m, "loss", &err), PARLEY_EINVAL);
    char buf[32];
    cr_assert_str_eq(parley_param_format(&m->params[0], 1, buf, sizeof buf), "quadratic");
}
