/* test_sweep.c — parameter sweeps: the VALUES grammar (ranges counted by
 * rounding, lists, +-P% clamped), targets by id or name in any case, the case
 * order, forecasts against hand computation, identical results for any
 * thread count or case split; and Monte Carlo partial summaries (the MPI
 * building block): blocks run in pieces, packed, unpacked and merged give the
 * bits of one run. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/sweep.h"
#include "support.h"

/* Two actors on one issue [0, 100]: "a" at 0, "b" at 100, saliences 1; a
 * status quo at 20.  The compromise model's forecast is the capability x
 * salience weighted mean: 100 c_b / (c_a + c_b). */
static parley_scenario *two_actors(void)
{
    parley_scenario *sc = parley_scenario_new("two");
    size_t a, b, fed;
    cr_assert_eq(parley_scenario_add_actor(sc, "a", 1, &a, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_actor(sc, "b", 1, &b, NULL), PARLEY_OK);
    sc->actors[b].name = parley_strdup("Bravo");
    cr_assert_eq(parley_scenario_add_issue(sc, "fed", 0, 100, "no", "yes", &fed, NULL),
                 PARLEY_OK);
    parley_scenario_set_stake(sc, a, fed, 0, 1);
    parley_scenario_set_stake(sc, b, fed, 100, 1);
    sc->issues[fed].has_status_quo = 1;
    sc->issues[fed].status_quo.value = 20;
    parley_stake_at(sc, b, fed)->position.spread = PARLEY_SPREAD_SD;
    parley_stake_at(sc, b, fed)->position.sd = 10;
    cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
    return sc;
}

static const parley_model *model(const char *name)
{
    const parley_model *m = parley_model_find(name);
    cr_assert(m, "model %s is registered", name);
    return m;
}

Test(sweep, range_counts_steps_by_rounding_and_hits_both_ends)
{
    parley_scenario *sc = two_actors();
    parley_sweep *s = parley_sweep_new(sc, model("compromise"), NULL);
    parley_error err;
    /* 0.1 * 3 is 0.30000000000000004 in binary; (b - a) k / n is 0.3. */
    cr_assert_eq(parley_sweep_add(s, "fed.a.salience=0:1:0.1", &err), PARLEY_OK, "%s",
                 err.message);
    const parley_sweep_axis *axis = parley_sweep_axis_at(s, 0);
    cr_assert_eq(axis->n_values, 11);
    cr_assert_eq(axis->values[3], 0.3);
    cr_assert_eq(axis->values[10], 1.0);
    cr_assert_str_eq(axis->label, "fed.a.salience");
    cr_assert_eq(parley_sweep_add(s, "B.CAPABILITY=0.5:1.5:0.25", &err), PARLEY_OK, "%s",
                 err.message);
    cr_assert_eq(parley_sweep_axis_at(s, 1)->n_values, 5);
    cr_assert_str_eq(parley_sweep_axis_at(s, 1)->label, "b.capability");
    cr_assert_eq(parley_sweep_count_cases(s), 55);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

Test(sweep, lists_relative_changes_and_clamping)
{
    parley_scenario *sc = two_actors();
    parley_sweep *s = parley_sweep_new(sc, model("compromise"), NULL);
    parley_error err;
    cr_assert_eq(parley_sweep_add(s, "fed.status_quo=10,30,90", &err), PARLEY_OK);
    cr_assert_eq(parley_sweep_axis_at(s, 0)->n_values, 3);
    cr_assert_eq(parley_sweep_axis_at(s, 0)->values[2], 90);
    /* Salience 1 +- 10%: 0.9, 1, and 1.1 clamped to 1 (dropped as equal). */
    cr_assert_eq(parley_sweep_add(s, "fed.bravo.salience=+-10%", &err), PARLEY_OK);
    const parley_sweep_axis *rel = parley_sweep_axis_at(s, 1);
    cr_assert_eq(rel->n_values, 2);
    cr_assert_float_eq(rel->values[0], 0.9, 1e-15);
    cr_assert_eq(rel->values[1], 1.0);
    /* Position 100 +- 25% on [0, 100]: 75, 100. */
    cr_assert_eq(parley_sweep_add(s, "fed.b.position=+-25%", &err), PARLEY_OK);
    cr_assert_eq(parley_sweep_axis_at(s, 2)->n_values, 2);
    cr_assert_eq(parley_sweep_axis_at(s, 2)->values[0], 75);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

Test(sweep, refuses_what_it_cannot_do)
{
    parley_scenario *sc = two_actors();
    parley_sweep *s = parley_sweep_new(sc, model("compromise"), NULL);
    parley_error err;
    cr_assert_eq(parley_sweep_add(s, "fed.a.position=50,120", &err), PARLEY_ERANGE);
    cr_assert(strstr(err.message, "[0, 100]"), "%s", err.message);
    cr_assert_eq(parley_sweep_add(s, "a.capability=0,1", &err), PARLEY_ERANGE);
    cr_assert_eq(parley_sweep_add(s, "a.capability=+-100%", &err), PARLEY_ERANGE);
    cr_assert_eq(parley_sweep_add(s, "zz.capability=1", &err), PARLEY_ENOTFOUND);
    cr_assert_eq(parley_sweep_add(s, "fed.a.salience=0:1:0.3", &err), PARLEY_EPARSE);
    cr_assert_eq(parley_sweep_add(s, "fed.a.salience=1:0:0.5", &err), PARLEY_EPARSE);
    cr_assert_eq(parley_sweep_add(s, "fed.a.salience", &err), PARLEY_EPARSE);
    cr_assert_eq(parley_sweep_add(s, "fed.a.salience=x", &err), PARLEY_EPARSE);
    cr_assert_eq(parley_sweep_add(s, "eu.q=0.5", &err), PARLEY_EINVAL);   /* not the model run */
    cr_assert_eq(parley_sweep_add(s, "nosuchmodel.q=0.5", &err), PARLEY_ENOTFOUND);
    cr_assert_eq(parley_sweep_count_axes(s), 0);
    parley_sweep_free(s);
    /* eu's parameter is "q": EU.Q finds it; 2 is outside [0, 1]. */
    cr_assert_eq(parley_sweep_model_of("EU.Q=0.5,1"), model("eu"));
    cr_assert_null(parley_sweep_model_of("a.capability=1"));
    s = parley_sweep_new(sc, model("eu"), NULL);
    cr_assert_eq(parley_sweep_add(s, "EU.Q=0.5,1", &err), PARLEY_OK, "%s", err.message);
    cr_assert_str_eq(parley_sweep_axis_at(s, 0)->label, "eu.q");
    cr_assert_eq(parley_sweep_add(s, "eu.q=0.5,2", &err), PARLEY_ERANGE);
    cr_assert_eq(parley_sweep_add(s, "eu.rounds=1:2:0.5", &err), PARLEY_ERANGE);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

Test(sweep, first_axis_outermost_and_forecasts_by_hand)
{
    parley_scenario *sc = two_actors();
    parley_sweep *s = parley_sweep_new(sc, model("compromise"), NULL);
    parley_error err;
    cr_assert_eq(parley_sweep_add(s, "b.capability=1,3", &err), PARLEY_OK);
    cr_assert_eq(parley_sweep_add(s, "fed.a.position=0:20:10", &err), PARLEY_OK);
    cr_assert_eq(parley_sweep_count_cases(s), 6);
    double values[2];
    parley_sweep_case_values(s, 4, values);   /* (1, 1): capability 3, position 10 */
    cr_assert_eq(values[0], 3);
    cr_assert_eq(values[1], 10);
    parley_sweep_result *r = parley_sweep_result_new(s);
    parley_sweep_opts opts;
    parley_sweep_opts_init(&opts);
    opts.threads = 2;
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 6, r, &err), PARLEY_OK, "%s", err.message);
    /* Weighted mean (c_a x_a + c_b 100) / (c_a + c_b), c_a = 1. */
    for (uint64_t c = 0; c < 6; c++) {
        double cap = c < 3 ? 1 : 3, pos = 10.0 * (double)(c % 3);
        cr_assert(r->done[c]);
        cr_assert_eq(r->status[c], PARLEY_OK);
        cr_assert_float_eq(*parley_sweep_result_at(r, c, PARLEY_SWEEP_MEAN, 0),
                           (pos + cap * 100) / (1 + cap), 1e-9, "case %llu",
                           (unsigned long long)c);
        cr_assert(isnan(*parley_sweep_result_at(r, c, PARLEY_SWEEP_SD, 0)));
    }
    parley_sweep_result_free(r);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

/* With samples: the same bits for 1 or 2 threads and for the cases run in
 * two pieces (as two ranks would), and resumed cases are not rerun. */
Test(sweep, monte_carlo_cases_do_not_depend_on_threads_or_split)
{
    parley_scenario *sc = two_actors();
    parley_sweep *s = parley_sweep_new(sc, model("compromise"), NULL);
    parley_error err;
    cr_assert_eq(parley_sweep_add(s, "a.capability=1:4:1", &err), PARLEY_OK);
    parley_sweep_opts opts;
    parley_sweep_opts_init(&opts);
    opts.samples = 300;
    opts.seed = 5;
    opts.threads = 1;
    parley_sweep_result *one = parley_sweep_result_new(s), *split = parley_sweep_result_new(s);
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 4, one, &err), PARLEY_OK, "%s", err.message);
    opts.threads = 2;
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 1, split, &err), PARLEY_OK);
    cr_assert_not(split->done[1]);
    cr_assert_eq(parley_sweep_run(s, &opts, 1, 4, split, &err), PARLEY_OK);
    size_t cells = 4 * PARLEY_SWEEP_N_STATS;
    cr_assert_eq(memcmp(one->stats, split->stats, cells * sizeof *one->stats), 0);
    /* Forecast b's position (sd 10 around 100, truncated) weighted 1 : c_a
     * against 0: the mean falls as a's capability grows. */
    for (uint64_t c = 0; c + 1 < 4; c++)
        cr_assert_gt(*parley_sweep_result_at(one, c, PARLEY_SWEEP_MEAN, 0),
                     *parley_sweep_result_at(one, c + 1, PARLEY_SWEEP_MEAN, 0));
    cr_assert_gt(*parley_sweep_result_at(one, 0, PARLEY_SWEEP_SD, 0), 0);
    /* A case marked done is kept, not rerun. */
    *parley_sweep_result_at(split, 2, PARLEY_SWEEP_MEAN, 0) = -1;
    cr_assert_eq(parley_sweep_run(s, &opts, 0, 4, split, &err), PARLEY_OK);
    cr_assert_eq(*parley_sweep_result_at(split, 2, PARLEY_SWEEP_MEAN, 0), -1);
    parley_sweep_result_free(one);
    parley_sweep_result_free(split);
    parley_sweep_free(s);
    parley_scenario_free(sc);
}

/* ---- Monte Carlo partial summaries -------------------------------------- */

static void assert_same_result(const parley_mc_result *a, const parley_mc_result *b)
{
    cr_assert_eq(a->done, b->done);
    cr_assert_eq(a->failed, b->failed);
    cr_assert_eq(a->cancelled, b->cancelled);
    for (size_t i = 0; i < a->n_issues; i++) {
        const parley_mc_issue *x = &a->issues[i], *y = &b->issues[i];
        cr_assert_eq(memcmp(&x->mean, &y->mean, sizeof x->mean), 0, "mean bits");
        cr_assert_eq(memcmp(&x->sd, &y->sd, sizeof x->sd), 0, "sd bits");
        cr_assert_eq(x->min, y->min);
        cr_assert_eq(x->max, y->max);
        cr_assert_eq(memcmp(x->bins, y->bins, PARLEY_MC_BINS * sizeof *x->bins), 0);
    }
    for (size_t e = 0; e < a->n_events; e++)
        cr_assert_eq(a->events[e].count, b->events[e].count);
}

Test(mc_partial, blocks_in_pieces_packed_and_merged_equal_one_run)
{
    parley_scenario *sc = two_actors();
    parley_mc_event *ev = NULL;
    cr_assert_eq(parley_mc_event_parse("fed >= 45", sc, &ev, NULL), PARLEY_OK);
    const parley_mc_event *events[] = {ev};
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = 1000;
    opts.block = 64;       /* 16 blocks, the last one short */
    opts.seed = 11;
    opts.keep = 1;
    opts.events = events;
    opts.n_events = 1;
    const parley_model *m = model("compromise");
    parley_mc_result *whole = NULL, *merged = NULL;
    parley_error err;
    cr_assert_eq(parley_mc_run(m, sc, &opts, &whole, &err), PARLEY_OK);
    uint64_t n_blocks = parley_mc_block_count(&opts);
    cr_assert_eq(n_blocks, 16);
    /* Three uneven pieces, merged last first: slots, not arrival, decide. */
    const uint64_t cuts[] = {0, 5, 6, 16};
    parley_mc_partial *total = NULL;
    for (int k = 2; k >= 0; k--) {
        parley_mc_partial *piece = NULL, *copy = NULL;
        cr_assert_eq(parley_mc_run_blocks(m, sc, &opts, cuts[k], cuts[k + 1], &piece, &err),
                     PARLEY_OK);
        unsigned char *buf = NULL;
        size_t len = 0;
        cr_assert_eq(parley_mc_partial_pack(piece, &buf, &len, &err), PARLEY_OK);
        cr_assert_eq(parley_mc_partial_unpack(buf, len - 1, &copy, &err), PARLEY_EPARSE);
        cr_assert_eq(parley_mc_partial_unpack(buf, len, &copy, &err), PARLEY_OK);
        parley_free(buf);
        parley_mc_partial_free(piece);
        if (!total) {
            total = copy;
        } else {
            cr_assert_eq(parley_mc_partial_merge(total, copy, &err), PARLEY_OK);
            cr_assert_eq(parley_mc_partial_merge(total, copy, &err), PARLEY_EINVAL,
                         "a block merged twice is refused");
            parley_mc_partial_free(copy);
        }
    }
    cr_assert_eq(parley_mc_partial_finish(total, &merged, &err), PARLEY_OK);
    assert_same_result(whole, merged);
    cr_assert_eq(memcmp(whole->kept, merged->kept, 1000 * sizeof *whole->kept), 0);
    parley_mc_partial_free(total);
    parley_mc_result_free(whole);
    parley_mc_result_free(merged);
    parley_mc_event_free(ev);
    parley_scenario_free(sc);
}

Test(mc_partial, missing_blocks_are_reported_as_cancelled)
{
    parley_scenario *sc = two_actors();
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = 200;
    opts.block = 50;
    parley_mc_partial *p = NULL;
    parley_mc_result *r = NULL;
    parley_error err;
    const parley_model *m = model("compromise");
    cr_assert_eq(parley_mc_run_blocks(m, sc, &opts, 1, 5, &p, &err), PARLEY_EINVAL);
    cr_assert_eq(parley_mc_run_blocks(m, sc, &opts, 1, 3, &p, &err), PARLEY_OK);
    cr_assert_eq(parley_mc_partial_finish(p, &r, &err), PARLEY_OK);
    cr_assert(r->cancelled);
    cr_assert_eq(r->done, 100);
    cr_assert_eq(r->issues[0].count, 100);
    parley_mc_result_free(r);
    parley_mc_partial_free(p);
    parley_scenario_free(sc);
}

/* The issue's "done": a sweep over two parameters of the default scenario. */
Test(sweep_cli, default_scenario_over_two_parameters_prints_its_table)
{
    char *out = NULL, *errout = NULL;
    int status = test_run_parley("sweep --vary 'Russia.capability=50:150:50' "
                                 "--vary 'eu.Q=0.5,1'", &out, &errout);
    cr_assert_eq(status, 0, "%s", errout);
    cr_assert(strstr(out, "model eu, 6 cases"), "%s", out);
    cr_assert(strstr(out, "russia.capability"), "%s", out);
    cr_assert(strstr(out, "federalisation"), "%s", out);
    /* Rows 0..5: (50, 0.5), (50, 1), (100, 0.5), ... first axis outermost. */
    cr_assert(strstr(out, "\n    5                150         1  |"), "%s", out);
    free(out);
    free(errout);
    status = test_run_parley("sweep --vary 'Russia.capability=50:150:50' "
                             "--vary 'eu.Q=0.5,1' --csv", &out, NULL);
    cr_assert_eq(status, 0);
    cr_assert(strncmp(out, "case,russia.capability,eu.q,status,federalisation,", 50) == 0,
              "%s", out);
    size_t lines = 0;
    for (const char *c = out; *c; c++)
        lines += *c == '\n';
    cr_assert_eq(lines, 7);
    free(out);
    status = test_run_parley("sweep --vary 'eu.Q=0.5,2'", NULL, &errout);
    cr_assert_eq(status, 2);
    cr_assert(strstr(errout, "outside [0, 1]"), "%s", errout);
    free(errout);
    cr_assert_eq(test_run_parley("sweep", NULL, NULL), 2);
}
