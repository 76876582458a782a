/* test_backtest.c — the backtest library and `parley backtest`. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/backtest.h"
#include "parley/format.h"
#include "support.h"

/* Reference: an independent computation (a short Python script over the CSV,
 * written for this test; see the commit message) with the conventions of
 * backtest.h — capability 1, scored when there is an outcome and >= 3
 * actors with both a position and a salience — gives the compromise model a
 * mean absolute error of 23.2169 over 228 issues of deu3-train.csv. */
#define COMPROMISE_TRAIN_MAE 23.2169
#define TRAIN_SCORED 228

static const parley_model *compromise(void)
{
    const parley_model *m = parley_model_find("compromise");
    cr_assert(m);
    return m;
}

Test(backtest, compromise_on_deu_train_matches_reference)
{
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    parley_error err;
    cr_assert_eq(parley_scenarios_load(test_data("deu3-train.csv"), PARLEY_FORMAT_AUTO,
                                       &scenarios, &count, &err), PARLEY_OK, "%s", err.message);
    cr_assert_eq(count, 237);
    const parley_model *models[] = {compromise()};
    parley_backtest *bt = NULL;
    cr_assert_eq(parley_backtest_run(scenarios, count, models, 1, NULL, &bt, &err), PARLEY_OK,
                 "%s", err.message);
    cr_assert_eq(bt->n_scored, TRAIN_SCORED);
    cr_assert_eq(bt->models[0].n_scored, TRAIN_SCORED);
    cr_assert_eq(bt->models[0].n_no_forecast, 0);
    cr_assert_eq(bt->models[0].n_items, TRAIN_SCORED);
    cr_assert(fabs(bt->models[0].mae - COMPROMISE_TRAIN_MAE) < 0.005, "MAE %.4f",
              bt->models[0].mae);
    parley_backtest_free(bt);
    parley_scenarios_free(scenarios, count);
}

Test(backtest, compromise_through_the_command)
{
    char *out = NULL, *err = NULL, args[2048];
    snprintf(args, sizeof args, "backtest '%s' --model compromise", test_data("deu3-train.csv"));
    int status = test_run_parley(args, &out, &err);
    cr_assert_eq(status, 0, "%s", err);
    const char *line = strstr(out, "\ncompromise");
    cr_assert(line, "%s", out);
    double mae = 0;
    unsigned scored = 0, none = 0;
    cr_assert_eq(sscanf(line, " compromise %lf %u %u", &mae, &scored, &none), 3, "%s", line);
    cr_assert(fabs(mae - COMPROMISE_TRAIN_MAE) < 0.005, "MAE %.4f", mae);
    cr_assert_eq(scored, TRAIN_SCORED);
    cr_assert_eq(none, 0);
    free(out);
    free(err);
}

/* Three actors, one issue with outcome 40: hand-computed errors. */
static parley_scenario *small_scenario(void)
{
    parley_scenario *sc = parley_scenario_new("small");
    cr_assert(sc);
    size_t i;
    cr_assert_eq(parley_scenario_add_issue(sc, "x", 0, 100, "none", "all", &i, NULL), 0);
    const char *ids[] = {"a", "b", "c"};
    double position[] = {0, 50, 100}, salience[] = {1, 1, 0.5};
    for (size_t a = 0; a < 3; a++) {
        cr_assert_eq(parley_scenario_add_actor(sc, ids[a], 5, NULL, NULL), 0);
        parley_scenario_set_stake(sc, a, 0, position[a], salience[a]);
    }
    sc->issues[0].has_outcome = 1;
    sc->issues[0].outcome = 40;
    return sc;
}

Test(backtest, capability_table_changes_the_weights)
{
    parley_scenario *sc = small_scenario();
    const parley_model *models[] = {compromise()};
    parley_backtest *bt = NULL;
    parley_error err;
    /* Capability 1: (0*1 + 50*1 + 100*0.5) / 2.5 = 40: error 0. */
    cr_assert_eq(parley_backtest_run(&sc, 1, models, 1, NULL, &bt, &err), PARLEY_OK);
    cr_assert_float_eq(bt->models[0].mae, 0, 1e-12);
    parley_backtest_free(bt);
    const char csv[] = "actor,capability\na,1\nb,2\nc, 4\n";
    parley_capability_table *table = NULL;
    cr_assert_eq(parley_capability_table_parse(csv, strlen(csv), "caps.csv", &table, &err),
                 PARLEY_OK, "%s", err.message);
    cr_assert_eq(parley_capability_table_count(table), 3);
    parley_backtest_opts opts;
    parley_backtest_opts_init(&opts);
    opts.table = table;
    /* (0*1 + 50*2 + 100*2) / (1 + 2 + 2) = 60: error 20. */
    cr_assert_eq(parley_backtest_run(&sc, 1, models, 1, &opts, &bt, &err), PARLEY_OK);
    cr_assert_float_eq(bt->models[0].mae, 20, 1e-12);
    parley_backtest_free(bt);
    parley_capability_table_free(table);
    /* An actor missing from the table is an error naming it. */
    const char partial[] = "a,1\nb,2\n";
    cr_assert_eq(parley_capability_table_parse(partial, strlen(partial), "p.csv", &table, &err),
                 PARLEY_OK);
    opts.table = table;
    cr_assert_eq(parley_backtest_run(&sc, 1, models, 1, &opts, &bt, &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "\"c\""), "%s", err.message);
    cr_assert_null(bt);
    parley_capability_table_free(table);
    parley_scenario_free(sc);
}

Test(backtest, capability_table_errors_name_line_and_field)
{
    parley_capability_table *table = NULL;
    parley_error err;
    const char *bad[] = {"a,1\nb,zero\n", "a,1\nb,-2\n", "a,1\na,2\n", "a\n", "", "a,1,2\n"};
    int line[] = {2, 2, 2, 1, 0, 1};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        parley_error_clear(&err);
        cr_expect_neq(parley_capability_table_parse(bad[k], strlen(bad[k]), "caps.csv", &table,
                                                    &err), PARLEY_OK, "case %zu", k);
        cr_expect_null(table);
        cr_expect_str_eq(err.file, "caps.csv");
        cr_expect_eq(err.line, line[k], "case %zu: line %d", k, err.line);
    }
}

Test(backtest, too_few_actors_and_no_outcome_are_not_scored)
{
    parley_scenario *sc = small_scenario();
    parley_stake_at(sc, 2, 0)->present = 0;
    cr_assert_not(parley_backtest_scores_issue(sc, 0, NULL));
    parley_stake_at(sc, 2, 0)->present = 1;
    cr_assert(parley_backtest_scores_issue(sc, 0, NULL));
    sc->issues[0].has_outcome = 0;
    cr_assert_not(parley_backtest_scores_issue(sc, 0, NULL));
    parley_scenario_free(sc);
}

Test(backtest, out_of_memory_leaks_nothing)
{
    parley_scenario *sc = small_scenario();
    const parley_model *models[] = {compromise()};
    for (long n = 1; n < 200; n++) {
        parley_backtest *bt = NULL;
        parley_error err;
        parley_alloc_fail_after(n);
        int rc = parley_backtest_run(&sc, 1, models, 1, NULL, &bt, &err);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            parley_backtest_free(bt);
            break;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM);
        cr_assert_null(bt);
    }
    parley_scenario_free(sc);
}

/* ---- Intervals, breakdowns, comparisons (src/sim/backtest_stats.c) ---- */

#include "parley/institutions.h"

/* Four one-issue scenarios: proposals P1 (COD) and P2 (CNS), two issues
 * each.  The backtest is built by hand so that the errors are known. */
typedef struct synthetic {
    parley_scenario *sc[4];
    parley_backtest_item items[2][4];
    parley_backtest_model models[2];
    parley_backtest bt;
} synthetic;

static void synthetic_make(synthetic *s, const double errors_a[4], const double errors_b[4])
{
    const char *proposal[] = {"P1", "P1", "P2", "P2"};
    const char *procedure[] = {"COD", "COD", "CNS", "CNS"};
    memset(s, 0, sizeof *s);
    for (size_t k = 0; k < 4; k++) {
        char id[8];
        snprintf(id, sizeof id, "s%zu", k);
        cr_assert(s->sc[k] = parley_scenario_new(id));
        cr_assert_eq(parley_scenario_add_issue(s->sc[k], "x", 0, 100, "0", "100", NULL, NULL),
                     0);
        cr_assert_eq(parley_scenario_set_meta(s->sc[k], "proposal", proposal[k], NULL), 0);
        cr_assert_eq(parley_scenario_set_meta(s->sc[k], "procedure", procedure[k], NULL), 0);
        for (size_t m = 0; m < 2; m++) {
            const double *errors = m ? errors_b : errors_a;
            s->items[m][k] = (parley_backtest_item){k, 0, errors[k], 0, errors[k]};
        }
    }
    const char *labels[] = {"a", "b"};
    for (size_t m = 0; m < 2; m++) {
        s->models[m].model = compromise();
        snprintf(s->models[m].label, sizeof s->models[m].label, "%s", labels[m]);
        s->models[m].n_items = 4;
        s->models[m].items = s->items[m];
        for (size_t k = 0; k < 4; k++)
            s->models[m].n_scored += !isnan(s->items[m][k].error);
    }
    s->bt.n_scenarios = s->bt.n_issues = s->bt.n_scored = 4;
    s->bt.n_models = 2;
    s->bt.models = s->models;
}

static void synthetic_free(synthetic *s)
{
    for (size_t k = 0; k < 4; k++)
        parley_scenario_free(s->sc[k]);
}

static long subset(const parley_backtest_stats *stats, const char *name)
{
    for (size_t k = 0; k < stats->n_subsets; k++)
        if (strcmp(stats->subset_names[k], name) == 0)
            return (long)k;
    cr_assert_fail("no subset %s", name);
    return -1;
}

/* Errors of a: 0, 10 (P1), 20, 30 (P2): MAE 15, median 15, within 10: 2/4.
 * b = a + 2: MAE 17, median 17, within 1/4, paired difference exactly 2 in
 * every resample.  Resampling two equal-sized groups gives MAE 5 (P1 twice),
 * 15 or 25 (P2 twice) with chances 1/4, 1/2, 1/4: with 2000 resamples the
 * 2.5 % and 97.5 % quantiles are 5 and 25.  CNS alone is one group: its
 * interval has zero width. */
Test(backtest_stats, known_errors_intervals_and_paired_difference)
{
    synthetic s;
    synthetic_make(&s, (double[]){0, 10, 20, 30}, (double[]){2, 12, 22, 32});
    parley_backtest_stats_opts opts;
    parley_backtest_stats_opts_init(&opts);
    opts.baseline = "a";
    parley_backtest_stats *stats = NULL;
    parley_error err;
    cr_assert_eq(parley_backtest_stats_compute(&s.bt, s.sc, &opts, &stats, &err), PARLEY_OK,
                 "%s", err.message);
    cr_assert_eq(stats->baseline, 0);
    const parley_backtest_cell *a = parley_backtest_cell_at(stats, 0, 0);
    const parley_backtest_cell *b = parley_backtest_cell_at(stats, 1, 0);
    cr_assert_eq(a->n_issues, 4);
    cr_assert_eq(a->n_groups, 2);
    cr_assert_float_eq(a->mae.estimate, 15, 1e-12);
    cr_assert_float_eq(a->median.estimate, 15, 1e-12);
    cr_assert_float_eq(a->within.estimate, 0.5, 1e-12);
    cr_assert_float_eq(a->mae.low, 5, 1e-12);
    cr_assert_float_eq(a->mae.high, 25, 1e-12);
    cr_assert(isnan(a->diff.estimate));
    cr_assert_float_eq(b->mae.estimate, 17, 1e-12);
    cr_assert_float_eq(b->within.estimate, 0.25, 1e-12);
    cr_assert_eq(b->n_paired, 4);
    cr_assert_float_eq(b->diff.estimate, 2, 1e-12);
    cr_assert_float_eq(b->diff.low, 2, 1e-12);
    cr_assert_float_eq(b->diff.high, 2, 1e-12);
    long cns = subset(stats, "procedure=CNS");
    const parley_backtest_cell *a_cns = parley_backtest_cell_at(stats, 0, (size_t)cns);
    cr_assert_eq(a_cns->n_issues, 2);
    cr_assert_float_eq(a_cns->mae.estimate, 25, 1e-12);
    cr_assert_float_eq(a_cns->mae.low, 25, 1e-12);
    cr_assert_float_eq(a_cns->mae.high, 25, 1e-12);
    cr_assert_float_eq(a_cns->median.estimate, 25, 1e-12);
    subset(stats, "procedure=COD");
    subset(stats, "rule=none");
    parley_backtest_stats_free(stats);
    synthetic_free(&s);
}

/* All errors equal: every statistic's interval has zero width; a model
 * without a forecast on an issue is scored on the others. */
Test(backtest_stats, equal_errors_give_zero_width_intervals)
{
    synthetic s;
    synthetic_make(&s, (double[]){7, 7, 7, 7}, (double[]){NAN, 7, 7, 7});
    parley_backtest_stats *stats = NULL;
    parley_error err;
    cr_assert_eq(parley_backtest_stats_compute(&s.bt, s.sc, NULL, &stats, &err), PARLEY_OK);
    for (size_t m = 0; m < 2; m++) {
        const parley_backtest_cell *cell = parley_backtest_cell_at(stats, m, 0);
        cr_assert_eq(cell->n_issues, m ? 3 : 4);
        cr_assert_float_eq(cell->mae.low, 7, 1e-12);
        cr_assert_float_eq(cell->mae.high, 7, 1e-12);
        cr_assert_float_eq(cell->median.low, 7, 1e-12);
        cr_assert_float_eq(cell->within.high, 1, 1e-12);
    }
    parley_backtest_stats_free(stats);
    parley_backtest_stats_opts opts;
    parley_backtest_stats_opts_init(&opts);
    opts.baseline = "nobody";
    cr_assert_eq(parley_backtest_stats_compute(&s.bt, s.sc, &opts, &stats, &err),
                 PARLEY_ENOTFOUND);
    cr_assert_null(stats);
    synthetic_free(&s);
}

Test(backtest_stats, out_of_memory_leaks_nothing)
{
    synthetic s;
    synthetic_make(&s, (double[]){0, 10, 20, 30}, (double[]){2, 12, 22, 32});
    parley_backtest_stats_opts opts;
    parley_backtest_stats_opts_init(&opts);
    opts.baseline = "a";
    opts.resamples = 50;
    for (long n = 1; n < 400; n++) {
        parley_backtest_stats *stats = NULL;
        parley_error err;
        parley_alloc_fail_after(n);
        int rc = parley_backtest_stats_compute(&s.bt, s.sc, &opts, &stats, &err);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            parley_backtest_stats_free(stats);
            break;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM);
        cr_assert_null(stats);
    }
    synthetic_free(&s);
}

Test(backtest_stats, model_specs_parse_parameters)
{
    parley_backtest_spec spec;
    parley_error err;
    cr_assert_eq(parley_backtest_spec_parse("procedural:bargain=nash,absent=against", &spec,
                                            &err), PARLEY_OK, "%s", err.message);
    cr_assert_str_eq(spec.model->name, "procedural");
    cr_assert_str_eq(spec.label, "procedural:bargain=nash,absent=against");
    cr_assert_float_eq(spec.opts.param[0], 1, 0);
    cr_assert_float_eq(spec.opts.param[1], 1, 0);
    cr_assert_eq(parley_backtest_spec_parse("nosuch", &spec, &err), PARLEY_ENOTFOUND);
    cr_assert_eq(parley_backtest_spec_parse("procedural:bargain=best", &spec, &err),
                 PARLEY_EINVAL);
    cr_assert_eq(parley_backtest_spec_parse("procedural:", &spec, &err), PARLEY_EINVAL);
}

/* Institutions: d00060 (a directive proposed in 2000, COD, QMV) falls under
 * the Amsterdam votes (Art. 205(2) TEC): Germany 10 of 87, quota 62, so the
 * blocking minority is 26; the EP holds a veto under codecision. */
Test(backtest_stats, deu_institutions_amsterdam_and_double_majority)
{
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    parley_error err;
    cr_assert_eq(parley_scenarios_load(test_data("deu3-train.csv"), PARLEY_FORMAT_AUTO,
                                       &scenarios, &count, &err), PARLEY_OK, "%s", err.message);
    parley_scenario *sc = scenarios[0];
    cr_assert_str_eq(parley_scenario_get_meta(sc, "proposal"), "d00060");
    cr_assert_eq(parley_deu_apply_institutions(sc, &err), PARLEY_OK, "%s", err.message);
    long de = parley_scenario_find_actor(sc, "de"), ep = parley_scenario_find_actor(sc, "ep");
    cr_assert_float_eq(sc->actors[de].capability.value, 10, 0);
    cr_assert_float_eq(sc->actors[parley_scenario_find_actor(sc, "com")].capability.value, 26,
                       0);
    cr_assert_str_eq(parley_scenario_get_meta(sc, "vote_weight:de"), "10");
    cr_assert_null(parley_scenario_get_meta(sc, "vote_weight:pl"));
    cr_assert_eq(sc->issues[0].rule.kind, PARLEY_RULE_QUALIFIED);
    cr_assert_float_eq(sc->issues[0].rule.threshold, 62.0 / 87.0, 1e-12);
    cr_assert_eq(sc->issues[0].rule.n_veto, 1);
    cr_assert_eq(sc->issues[0].rule.veto[0], (size_t)ep);
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_OK, "%s", err.message);
    /* A proposal of 2013 or later: the double majority with EU-28 Nice votes
     * as capabilities (Germany 29 of 352). */
    size_t late = count;
    for (size_t k = 0; k < count && late == count; k++) {
        const char *proposal = parley_scenario_get_meta(scenarios[k], "proposal");
        if (proposal && (strncmp(proposal + 1, "13", 2) == 0 || strncmp(proposal + 1, "16", 2) == 0))
            late = k;
    }
    cr_assert_lt(late, count);
    cr_assert_eq(parley_deu_apply_institutions(scenarios[late], &err), PARLEY_OK);
    cr_assert_str_eq(parley_scenario_get_meta(scenarios[late], PARLEY_META_QUALIFIED),
                     PARLEY_QUALIFIED_DOUBLE);
    cr_assert_str_eq(parley_scenario_get_meta(scenarios[late], "vote_weight:cr"), "7");
    cr_assert_str_eq(parley_scenario_get_meta(scenarios[late], "population:de"), "15.93");
    parley_scenarios_free(scenarios, count);
}

Test(backtest_stats, command_prints_intervals_and_writes_html)
{
    char *out = NULL, *err = NULL, args[2048];
    const char *html = "/tmp/parley-test-backtest.html";
    snprintf(args, sizeof args,
             "backtest '%s' --model compromise --model 'procedural:bargain=nash' "
             "--institutions --resamples 200 --html %s",
             test_data("deu3-train.csv"), html);
    int status = test_run_parley(args, &out, &err);
    cr_assert_eq(status, 0, "%s", err);
    cr_assert(strstr(out, "procedure=COD"), "%s", out);
    cr_assert(strstr(out, "rule=unanimity"), "%s", out);
    cr_assert(strstr(out, "minus compromise"), "%s", out);
    FILE *f = fopen(html, "r");
    cr_assert(f);
    char head[256] = {0};
    cr_assert(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    remove(html);
    cr_assert(strstr(head, "<svg"), "%s", head);
    free(out);
    free(err);
    snprintf(args, sizeof args, "backtest '%s' --model compromise --baseline nash",
             test_data("deu3-train.csv"));
    cr_assert_eq(test_run_parley(args, &out, &err), 2);
    free(out);
    free(err);
}
