/* test_montecarlo.c — Monte Carlo: event probabilities with known closed
 * forms, the standard error's 1/sqrt(N), quantiles, bit-identical summaries
 * for 1, 2 and 4 threads, cancellation and allocation failure.
 *
 * The models are taken from the registry by their place, never by name:
 * every model's forecast for a one-actor issue is that actor's position, so
 * the first model (and every other) turns the position's spread into the
 * forecast's distribution. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/montecarlo.h"
#include "sim/sample.h"

static const parley_model *first_model(void)
{
    return parley_models()[0];
}

/* One actor, one issue on [0, 100] whose position is uniform on [40, 80]
 * (range) or a normal (value 70, sd 20) truncated to the scale. */
static parley_scenario *one_actor(parley_spread_kind kind)
{
    parley_scenario *sc = parley_scenario_new("one");
    size_t a, fed;
    cr_assert_eq(parley_scenario_add_actor(sc, "ua", 1, &a, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_issue(sc, "federalisation", 0, 100, "unitary",
                                           "federation", &fed, NULL), PARLEY_OK);
    parley_scenario_set_stake(sc, a, fed, kind == PARLEY_SPREAD_RANGE ? 60 : 70, 1);
    parley_value *pos = &parley_stake_at(sc, a, fed)->position;
    pos->spread = kind;
    pos->low = 40;
    pos->high = 80;
    pos->sd = 20;
    cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
    return sc;
}

/* Four actors with every kind of spread on two issues. */
static parley_scenario *four_actors(void)
{
    parley_scenario *sc = parley_scenario_new("four");
    const char *ids[] = {"ru", "ua", "us", "eu"};
    const double caps[] = {4, 1.5, 3, 2};
    for (size_t a = 0; a < 4; a++)
        cr_assert_eq(parley_scenario_add_actor(sc, ids[a], caps[a], NULL, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_issue(sc, "fed", 0, 100, "no", "yes", NULL, NULL),
                 PARLEY_OK);
    cr_assert_eq(parley_scenario_add_issue(sc, "nato", -1, 1, "in", "out", NULL, NULL),
                 PARLEY_OK);
    const double fed[] = {90, 10, 30, 45}, nato[] = {0.9, -0.8, -0.5, 0};
    for (size_t a = 0; a < 4; a++) {
        parley_scenario_set_stake(sc, a, 0, fed[a], 0.3 + 0.15 * (double)a);
        parley_scenario_set_stake(sc, a, 1, nato[a], 0.9 - 0.1 * (double)a);
        parley_stake_at(sc, a, 0)->position.spread = PARLEY_SPREAD_SD;
        parley_stake_at(sc, a, 0)->position.sd = 15;
        parley_stake_at(sc, a, 1)->salience.spread = PARLEY_SPREAD_RANGE;
        parley_stake_at(sc, a, 1)->salience.low = 0.1;
        parley_stake_at(sc, a, 1)->salience.high = 1;
    }
    sc->actors[0].capability.spread = PARLEY_SPREAD_SD;
    sc->actors[0].capability.sd = 3;
    sc->issues[0].has_status_quo = 1;
    sc->issues[0].status_quo.value = 20;
    sc->issues[0].status_quo.spread = PARLEY_SPREAD_SD;
    sc->issues[0].status_quo.sd = 10;
    sc->issues[1].has_status_quo = 1;
    sc->issues[1].status_quo.value = 0;
    cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
    return sc;
}

static parley_mc_result *run_mc(const parley_scenario *sc, parley_mc_opts *opts)
{
    parley_mc_result *r = NULL;
    parley_error err;
    int rc = parley_mc_run(first_model(), sc, opts, &r, &err);
    cr_assert_eq(rc, PARLEY_OK, "%s", err.message);
    cr_assert_not_null(r);
    return r;
}

static parley_mc_event *parse(const char *text, const parley_scenario *sc)
{
    parley_mc_event *ev = NULL;
    parley_error err;
    cr_assert_eq(parley_mc_event_parse(text, sc, &ev, &err), PARLEY_OK, "%s", err.message);
    return ev;
}

Test(montecarlo, uniform_position_event_is_one_half)
{
    parley_scenario *sc = one_actor(PARLEY_SPREAD_RANGE);
    parley_mc_event *ev = parse("federalisation >= 60", sc);
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = 100000;
    opts.seed = 11;
    opts.events = (const parley_mc_event *const *)&ev;
    opts.n_events = 1;
    parley_mc_result *r = run_mc(sc, &opts);
    cr_assert_eq(r->done, 100000);
    const parley_mc_event_result *p = &r->events[0];
    /* Closed form: P(U[40,80] >= 60) = 1/2, SE = sqrt(1/4 / N) = 0.00158. */
    cr_assert(fabs(p->std_error - 0.0015811) < 2e-5, "se %g", p->std_error);
    cr_assert(fabs(p->probability - 0.5) < 4 * p->std_error, "p %g", p->probability);
    /* Uniform on [40, 80]: mean 60, sd 40/sqrt(12) = 11.547, quantiles
     * 40 + 40 q; the sampling error of a quantile is about 40 sqrt(q(1-q)/N)
     * <= 0.07. */
    const parley_mc_issue *is = &r->issues[0];
    cr_assert(fabs(is->mean - 60) < 0.2, "mean %g", is->mean);
    cr_assert(fabs(is->sd - 11.547005) < 0.1, "sd %g", is->sd);
    const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (size_t k = 0; k < 5; k++) {
        double q = parley_mc_quantile(r, 0, qs[k]);
        cr_assert(fabs(q - (40 + 40 * qs[k])) < 0.3, "quantile %g: %g", qs[k], q);
    }
    cr_assert(is->min >= 40 && is->max <= 80);
    uint64_t coarse[20], total = 0;
    parley_mc_histogram(r, 0, 20, coarse);
    for (size_t b = 0; b < 20; b++)
        total += coarse[b];
    cr_assert_eq(total, is->count);
    /* Bins 0-7 cover [0, 40) and 16-19 cover [80, 100]: empty.  Each of the
     * eight bins over [40, 80) holds about N/8 = 12500 (sd 105). */
    cr_assert_eq(coarse[7] + coarse[16], 0);
    for (size_t b = 8; b < 16; b++)
        cr_assert(fabs((double)coarse[b] - 12500) < 500, "bin %zu: %llu", b,
                  (unsigned long long)coarse[b]);
    parley_mc_result_free(r);
    parley_mc_event_free(ev);
    parley_scenario_free(sc);
}

Test(montecarlo, truncated_normal_matches_its_closed_form)
{
    parley_scenario *sc = one_actor(PARLEY_SPREAD_SD);
    parley_mc_event *ev = parse("federalisation >= 60", sc);
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = 100000;
    opts.seed = 5;
    opts.events = (const parley_mc_event *const *)&ev;
    opts.n_events = 1;
    parley_mc_result *r = run_mc(sc, &opts);
    /* Normal(70, 20) truncated to [0, 100]; with a = -3.5, b = 1.5,
     * Z = Phi(b) - Phi(a), computed once in Python with math.erf:
     *   P(X >= 60) = (Phi(1.5) - Phi(-0.5)) / Z          = 0.669541187635
     *   E X = 70 + 20 (phi(a) - phi(b)) / Z              = 67.242220683037
     *   sd X = 17.543958829484, median 68.329281867858 */
    const parley_mc_event_result *p = &r->events[0];
    cr_assert(fabs(p->probability - 0.669541187635) < 4 * p->std_error, "p %g +- %g",
              p->probability, p->std_error);
    const parley_mc_issue *is = &r->issues[0];
    cr_assert(fabs(is->mean - 67.242220683037) < 4 * 17.544 / sqrt(1e5), "mean %g", is->mean);
    cr_assert(fabs(is->sd - 17.543958829484) < 0.2, "sd %g", is->sd);
    cr_assert(fabs(parley_mc_quantile(r, 0, 0.5) - 68.329281867858) < 0.3);
    cr_assert(is->min >= 0 && is->max <= 100);
    parley_mc_result_free(r);
    parley_mc_event_free(ev);
    parley_scenario_free(sc);
}

Test(montecarlo, standard_error_shrinks_as_one_over_root_n)
{
    parley_scenario *sc = one_actor(PARLEY_SPREAD_RANGE);
    parley_mc_event *ev = parse("federalisation >= 70", sc);
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.events = (const parley_mc_event *const *)&ev;
    opts.n_events = 1;
    opts.samples = 4000;
    parley_mc_result *small = run_mc(sc, &opts);
    opts.samples = 64000;
    parley_mc_result *large = run_mc(sc, &opts);
    /* 16 times the samples: a quarter of the error.  p = 1/4 in both, so
     * the ratio of the reported errors is 4 up to the noise in p-hat. */
    double ratio = small->events[0].std_error / large->events[0].std_error;
    cr_assert(fabs(ratio - 4) < 0.15, "ratio %g", ratio);
    /* And the actual error: over 40 seeds of 4000 samples the spread of
     * p-hat should match the reported SE, sqrt(3/16/4000) = 0.00685. */
    double sum_sq = 0;
    opts.samples = 4000;
    for (uint64_t seed = 100; seed < 140; seed++) {
        opts.seed = seed;
        parley_mc_result *r = run_mc(sc, &opts);
        double d = r->events[0].probability - 0.25;
        sum_sq += d * d;
        parley_mc_result_free(r);
    }
    double rms = sqrt(sum_sq / 40);
    /* rms over 40 draws is within about 30 % of the true SE. */
    cr_assert(rms > 0.00685 * 0.6 && rms < 0.00685 * 1.4, "rms error %g", rms);
    parley_mc_result_free(small);
    parley_mc_result_free(large);
    parley_mc_event_free(ev);
    parley_scenario_free(sc);
}

static void assert_identical(const parley_mc_result *a, const parley_mc_result *b)
{
    cr_assert_eq(a->done, b->done);
    cr_assert_eq(a->failed, b->failed);
    for (size_t i = 0; i < a->n_issues; i++) {
        const parley_mc_issue *x = &a->issues[i], *y = &b->issues[i];
        cr_assert_eq(x->count, y->count);
        cr_assert_eq(memcmp(&x->mean, &y->mean, sizeof x->mean), 0, "mean %.17g vs %.17g",
                     x->mean, y->mean);
        cr_assert_eq(memcmp(&x->sd, &y->sd, sizeof x->sd), 0);
        cr_assert_eq(memcmp(&x->min, &y->min, sizeof x->min), 0);
        cr_assert_eq(memcmp(&x->max, &y->max, sizeof x->max), 0);
        cr_assert_eq(memcmp(x->bins, y->bins, PARLEY_MC_BINS * sizeof *x->bins), 0);
    }
    for (size_t e = 0; e < a->n_events; e++)
        cr_assert_eq(a->events[e].count, b->events[e].count);
    cr_assert_eq(memcmp(a->kept, b->kept, a->samples * a->n_issues * sizeof(double)), 0);
}

Test(montecarlo, bit_identical_for_1_2_and_4_threads)
{
    parley_scenario *sc = four_actors();
    parley_mc_event *ev = parse("fed > 50 and nato < 0 or fed < 20", sc);
    for (const parley_model *const *m = parley_models(); *m; m++) {
        parley_mc_result *results[3];
        const int threads[] = {1, 2, 4};
        for (int t = 0; t < 3; t++) {
            parley_mc_opts opts;
            parley_mc_opts_init(&opts);
            /* Many blocks of unequal cost and a partial last block: the
             * first model with the default blocks, every model with small
             * ones so that the slow models stay quick. */
            opts.samples = m == parley_models() ? 3 * PARLEY_MC_BLOCK + 77 : 103;
            opts.block = m == parley_models() ? 0 : 10;
            opts.seed = 2014;
            opts.threads = threads[t];
            opts.keep = 1;
            opts.spread = 0.05;
            opts.events = (const parley_mc_event *const *)&ev;
            opts.n_events = 1;
            parley_error err;
            int rc = parley_mc_run(*m, sc, &opts, &results[t], &err);
            if (rc == PARLEY_EUNDEF) {
                cr_log_info("%s cannot forecast this scenario: %s", (*m)->name, err.message);
                results[t] = NULL;
                break;
            }
            cr_assert_eq(rc, PARLEY_OK, "%s: %s", (*m)->name, err.message);
        }
        if (!results[0])
            continue;
        assert_identical(results[0], results[1]);
        assert_identical(results[0], results[2]);
        for (int t = 0; t < 3; t++)
            parley_mc_result_free(results[t]);
    }
    parley_mc_event_free(ev);
    parley_scenario_free(sc);
}

Test(montecarlo, draws_stay_in_their_allowed_ranges)
{
    parley_scenario *sc = four_actors();
    /* A huge capability sd and a wide default spread push every draw
     * against its bounds. */
    sc->actors[0].capability.sd = 100;
    mc_plan plan;
    cr_assert_eq(mc_plan_init(&plan, sc, 0.5), PARLEY_OK);
    /* 4 capabilities, 2 status quos, 4 x 2 positions and 4 x 2 saliences. */
    cr_assert_eq(plan.n_inputs, 22);
    double values[22];
    for (uint64_t k = 0; k < 2000; k++) {
        parley_rng rng;
        parley_rng_init(&rng, 1, k);
        mc_plan_draw(&plan, &rng, values);
        for (size_t j = 0; j < plan.n_inputs; j++) {
            const parley_input *in = &plan.inputs[j];
            switch (in->kind) {
            case PARLEY_INPUT_CAPABILITY:
                cr_assert(values[j] > 0, "capability %g", values[j]);
                break;
            case PARLEY_INPUT_SALIENCE:
                cr_assert(values[j] >= 0 && values[j] <= 1);
                break;
            default:
                cr_assert(values[j] >= sc->issues[in->issue].low &&
                          values[j] <= sc->issues[in->issue].high);
            }
            mc_plan_set(&plan, j, sc, values[j]);
        }
        cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
        /* The fused path draws the same words into the same places. */
        double *targets[22], before[22];
        mc_plan_targets(&plan, sc, targets);
        for (size_t j = 0; j < plan.n_inputs; j++)
            before[j] = *targets[j];
        mc_plan_draw_into(&plan, 1, k, targets);
        for (size_t j = 0; j < plan.n_inputs; j++)
            cr_assert_eq(*targets[j], before[j], "input %zu of sample %llu", j,
                         (unsigned long long)k);
    }
    mc_plan_free(&plan);
    parley_scenario_free(sc);
}

Test(montecarlo, normal_quantile_is_accurate)
{
    /* Reference values: Python's statistics.NormalDist().inv_cdf. */
    const double p[] = {1e-9, 0.001, 0.02, 0.3, 0.5, 0.9, 0.99, 0.999999};
    const double z[] = {-5.9978070150076865, -3.090232306167813, -2.0537489106318225,
                        -0.5244005127080407, 0, 1.2815515655446008, 2.3263478740408408,
                        4.753424308817089};
    for (size_t k = 0; k < 8; k++)
        cr_assert(fabs(mc_normal_quantile(p[k]) - z[k]) <= 1.2e-9 * fmax(1, fabs(z[k])),
                  "p %g: %.17g", p[k], mc_normal_quantile(p[k]));
}

static int cancel_after_5000(uint64_t done, uint64_t total, void *userdata)
{
    (void)total;
    (*(int *)userdata)++;
    return done >= 5000;
}

Test(montecarlo, cancel_reports_the_finished_blocks)
{
    parley_scenario *sc = one_actor(PARLEY_SPREAD_RANGE);
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    int calls = 0;
    opts.samples = 10 * PARLEY_MC_BLOCK;
    opts.threads = 1;
    opts.progress = cancel_after_5000;
    opts.userdata = &calls;
    parley_mc_result *r = NULL;
    parley_error err;
    cr_assert_eq(parley_mc_run(first_model(), sc, &opts, &r, &err), PARLEY_ECANCEL);
    cr_assert_not_null(r);
    cr_assert(r->cancelled);
    /* Progress comes every 256 samples; at 5120 the second block is cut
     * short and dropped: the first block is what was done. */
    cr_assert_eq(r->done, PARLEY_MC_BLOCK);
    cr_assert_eq(r->issues[0].count, PARLEY_MC_BLOCK);
    cr_assert_gt(calls, 10);
    parley_mc_result_free(r);
    parley_scenario_free(sc);
}

Test(montecarlo, no_spread_gives_a_point_mass)
{
    parley_scenario *sc = one_actor(PARLEY_SPREAD_NONE);
    cr_assert(!parley_scenario_has_spread(sc));
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = 500;
    parley_mc_result *r = run_mc(sc, &opts);
    cr_assert_eq(r->issues[0].mean, 70);
    cr_assert_eq(r->issues[0].sd, 0);
    cr_assert_eq(parley_mc_quantile(r, 0, 0.05), 70);
    cr_assert_eq(parley_mc_quantile(r, 0, 0.95), 70);
    parley_mc_result_free(r);
    parley_scenario_free(sc);
}

Test(montecarlo, bad_options_are_refused)
{
    parley_scenario *sc = one_actor(PARLEY_SPREAD_RANGE);
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    parley_mc_result *r = NULL;
    opts.samples = 0;
    cr_assert_eq(parley_mc_run(first_model(), sc, &opts, &r, NULL), PARLEY_EINVAL);
    cr_assert_null(r);
    opts.samples = 10;
    opts.spread = -1;
    cr_assert_eq(parley_mc_run(first_model(), sc, &opts, &r, NULL), PARLEY_EINVAL);
    parley_scenario_free(sc);
}

Test(montecarlo, allocation_failure_leaks_nothing)
{
    parley_scenario *sc = four_actors();
    parley_mc_event *ev = parse("fed > 50", sc);
    int succeeded = 0;
    for (long n = 1; n < 400 && !succeeded; n++) {
        parley_mc_opts opts;
        parley_mc_opts_init(&opts);
        opts.samples = 300;
        opts.threads = 1;
        opts.keep = 1;
        opts.events = (const parley_mc_event *const *)&ev;
        opts.n_events = 1;
        parley_mc_result *r = NULL;
        parley_alloc_fail_after(n);
        int rc = parley_mc_run(first_model(), sc, &opts, &r, NULL);
        parley_alloc_fail_after(0);
        cr_assert(rc == PARLEY_OK || rc == PARLEY_ENOMEM, "rc %d at %ld", rc, n);
        cr_assert((rc == PARLEY_OK) == (r != NULL));
        succeeded = rc == PARLEY_OK;
        parley_mc_result_free(r);
    }
    cr_assert(succeeded);
    parley_mc_event_free(ev);
    parley_scenario_free(sc);
}
