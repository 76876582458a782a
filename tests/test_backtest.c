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
