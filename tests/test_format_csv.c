/* test_format_csv.c — the CSV formats: the BDM table, KTAB's scenarios, the
 * DEU III data set and parley's long CSV.
 *
 * Reference values are copied from the data files' text (read with Python's
 * csv module, fields stripped), not from parley's output. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/format.h"
#include "scenario_equal.h"
#include "support.h"

static parley_scenario **load_all(const char *file, parley_format fmt, size_t *count)
{
    parley_scenario **all = NULL;
    parley_error err;
    parley_error_clear(&err);
    char text[900];
    int rc = parley_scenarios_load(test_data(file), fmt, &all, count, &err);
    cr_assert_eq(rc, PARLEY_OK, "%s", parley_error_format(&err, text, sizeof text));
    return all;
}

static parley_scenario *load(const char *file)
{
    parley_scenario *sc = NULL;
    parley_error err;
    parley_error_clear(&err);
    char text[900];
    int rc = parley_scenario_load(test_data(file), PARLEY_FORMAT_AUTO, &sc, &err);
    cr_assert_eq(rc, PARLEY_OK, "%s", parley_error_format(&err, text, sizeof text));
    return sc;
}

static parley_scenario *reparse(const parley_scenario *sc, parley_format fmt,
                                const char *name)
{
    char *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_scenario_format(sc, fmt, &text, &err), PARLEY_OK, "%s", err.message);
    parley_scenario **all = NULL;
    size_t count = 0;
    char where[900];
    int rc = parley_scenarios_parse(text, strlen(text), name, fmt, &all, &count, &err);
    cr_assert_eq(rc, PARLEY_OK, "%s\n%s", parley_error_format(&err, where, sizeof where), text);
    cr_assert_eq(parley_format_detect(text, strlen(text)), fmt);
    parley_free(text);
    parley_scenario *back = all[0];
    parley_free(all);
    return back;
}

/* ---- KTAB --------------------------------------------------------------- */

typedef struct ktab_case {
    const char *file;
    size_t n_actors, n_issues;
    const char *first_dimension;
    const char *first_actor;
    double capability, position, salience; /* first actor, first dimension */
    const char *last_actor;
    double last_capability, last_position, last_salience; /* last dimension */
} ktab_case;

/* From the files' text (python3 csv.reader, fields stripped). */
static const ktab_case ktab_cases[] = {
    {"ktab-SOE-Competitive.csv", 34, 1, "Competitive Position", "XJ", 100, 20, 60, "FSM", 5,
     70, 60},
    {"ktab-SOE-Pol-Comp.csv", 13, 2, "Policy Position", "XJ", 100.0, 30, 24.0, "WY", 40.0, 60,
     46.0},
    {"ktab-SOE-Policy.csv", 26, 1, "Policy Position", "XJ", 100, 30, 30, "ZGB", 15, 20, 50},
    {"ktab-dummyData-a040.csv", 40, 1, "XYZ Position", "Act-1001", 1.73, 63.03, 43.31,
     "Act-1040", 0.79, 58.32, 61.41},
    {"ktab-dummyData-a080.csv", 80, 1, "XYZ Position", "Act-1001", 1.73, 63.03, 43.31,
     "Act-1080", 3.57, 62.86, 33.57},
    {"ktab-dummyData_3Dim.csv", 7, 3, "Pstn1", "SActor-00", 102.543, 75.79, 49.53,
     "SActor-06", 54.178, 90.36, 26.03},
    {"ktab-dummyData_6Dim.csv", 27, 6, "Dim0 Position", "AA00", 99.98, 50, 8, "AA26", 33.33,
     50, 6.67},
};

Test(format_csv, ktab_files_import)
{
    for (size_t k = 0; k < sizeof ktab_cases / sizeof ktab_cases[0]; k++) {
        const ktab_case *c = &ktab_cases[k];
        parley_scenario *sc = load(c->file);
        cr_assert_eq(sc->n_actors, c->n_actors, "%s", c->file);
        cr_assert_eq(sc->n_issues, c->n_issues, "%s", c->file);
        cr_assert_str_eq(sc->issues[0].name, c->first_dimension, "%s", c->file);
        cr_assert_eq(sc->issues[0].low, 0);
        cr_assert_eq(sc->issues[0].high, 100);
        const parley_actor *first = &sc->actors[0], *last = &sc->actors[c->n_actors - 1];
        cr_assert_str_eq(first->name, c->first_actor);
        cr_assert_eq(first->capability.value, c->capability, "%s", c->file);
        const parley_stake *st = parley_stake_at(sc, 0, 0);
        cr_assert_eq(st->position.value, c->position, "%s: positions stay on 0-100", c->file);
        /* Exactly sal / 100.0, as KTAB divides. */
        cr_assert_eq(st->salience.value, c->salience / 100.0, "%s", c->file);
        cr_assert_str_eq(last->name, c->last_actor);
        cr_assert_eq(last->capability.value, c->last_capability);
        st = parley_stake_at(sc, c->n_actors - 1, c->n_issues - 1);
        cr_assert_eq(st->position.value, c->last_position, "%s", c->file);
        cr_assert_eq(st->salience.value, c->last_salience / 100.0, "%s", c->file);
        parley_scenario_free(sc);
    }
}

Test(format_csv, ktab_scenario_fields)
{
    parley_scenario *sc = load("ktab-dummyData_3Dim.csv");
    cr_assert_str_eq(sc->name, "DummyData_3Dim");
    cr_assert_str_eq(sc->description, "Dummy scenario to test reading format");
    cr_assert_str_eq(sc->actors[0].description, "Random Spatial Actor");
    cr_assert_str_eq(sc->issues[2].id, "Pstn3");
    parley_scenario_free(sc);
}

Test(format_csv, ktab_round_trip_from_own_export)
{
    for (size_t k = 0; k < sizeof ktab_cases / sizeof ktab_cases[0]; k++) {
        parley_scenario *sc = load(ktab_cases[k].file);
        parley_scenario *back = reparse(sc, PARLEY_FORMAT_KTAB, "ktab export");
        cr_assert(scenario_equal(sc, back), "%s: %s differs", ktab_cases[k].file,
                  scenario_difference);
        parley_scenario_free(back);
        parley_scenario_free(sc);
    }
}

/* ---- BDM ---------------------------------------------------------------- */

Test(format_csv, bdm_emission_standards)
{
    parley_scenario *sc = load("emission-standards.csv");
    cr_assert_eq(sc->n_actors, 10);
    cr_assert_eq(sc->n_issues, 1);
    /* Positions in the file run from 4 to 10 years. */
    cr_assert_eq(sc->issues[0].low, 4);
    cr_assert_eq(sc->issues[0].high, 10);
    cr_assert_str_eq(sc->actors[0].id, "Netherlands");
    cr_assert_eq(sc->actors[0].capability.value, 0.08);
    cr_assert_eq(parley_stake_at(sc, 0, 0)->position.value, 4);
    cr_assert_eq(parley_stake_at(sc, 0, 0)->salience.value, 0.8);
    cr_assert_str_eq(sc->actors[9].id, "Greece");
    cr_assert_eq(parley_stake_at(sc, 8, 0)->salience.value, 1.0); /* Denmark */
    parley_scenario *back = reparse(sc, PARLEY_FORMAT_BDM, "exported/emission-standards.csv");
    cr_assert(scenario_equal(sc, back), "%s differs", scenario_difference);
    parley_scenario_free(back);
    parley_scenario_free(sc);
}

Test(format_csv, bdm_percent_saliences_and_equal_positions)
{
    const char *text = "ACTOR , capability,POSITION,Salience\nA,1,5,80\nB,2,5,0.5\n";
    parley_scenario **all;
    size_t count;
    parley_error err;
    cr_assert_eq(parley_scenarios_parse(text, strlen(text), "t.csv", PARLEY_FORMAT_AUTO, &all,
                                        &count, &err),
                 PARLEY_OK, "%s", err.message);
    /* One salience above 1: the whole table is on 0-100. */
    cr_assert_eq(parley_stake_at(all[0], 0, 0)->salience.value, 0.8);
    cr_assert_eq(parley_stake_at(all[0], 1, 0)->salience.value, 0.005);
    cr_assert_eq(all[0]->issues[0].low, 4);
    cr_assert_eq(all[0]->issues[0].high, 6);
    parley_scenarios_free(all, count);
}

Test(format_csv, bdm_refuses_several_issues)
{
    parley_scenario *sc = load("ktab-dummyData_3Dim.csv");
    char *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_scenario_format(sc, PARLEY_FORMAT_BDM, &text, &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "one issue"), "%s", err.message);
    cr_assert_null(text);
    parley_scenario_free(sc);
    sc = load("emission-standards.csv");
    cr_assert_eq(parley_scenario_format(sc, PARLEY_FORMAT_KTAB, &text, &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "0..100"), "%s", err.message);
    parley_scenario_free(sc);
}

/* ---- DEU III ------------------------------------------------------------ */

Test(format_csv, deu_counts)
{
    size_t count;
    parley_scenario **all = load_all("deu3-train.csv", PARLEY_FORMAT_AUTO, &count);
    cr_assert_eq(count, 237);
    for (size_t k = 0; k < count; k++)
        cr_assert_eq(all[k]->n_actors, 30, "com, ep and 28 member states");
    parley_scenarios_free(all, count);
    all = load_all("deu3-test.csv", PARLEY_FORMAT_DEU, &count);
    cr_assert_eq(count, 127);
    parley_scenarios_free(all, count);
}

Test(format_csv, deu_row_spot_check)
{
    size_t count;
    parley_scenario **all = load_all("deu3-train.csv", PARLEY_FORMAT_AUTO, &count);
    /* Row 3 of the file: d00067i1, tankers, COD, QMV, rp 0, out 50; pcom 100
     * scom 60, pep 50 sep 60, pat blank sat 0, pfr 100 sfr 100. */
    const parley_scenario *sc = all[2];
    cr_assert_str_eq(sc->id, "d00067i1");
    cr_assert_str_eq(parley_scenario_get_meta(sc, "proposal"), "d00067");
    cr_assert_str_eq(parley_scenario_get_meta(sc, "proposal_name"), "tankers");
    cr_assert_str_eq(parley_scenario_get_meta(sc, "procedure"), "COD");
    cr_assert_str_eq(parley_scenario_get_meta(sc, "council_rule"), "QMV");
    const parley_issue *is = &sc->issues[0];
    cr_assert(is->has_status_quo);
    cr_assert_eq(is->status_quo.value, 0);
    cr_assert(is->has_outcome);
    cr_assert_eq(is->outcome, 50);
    cr_assert_eq(is->rule.kind, PARLEY_RULE_QUALIFIED);
    cr_assert_eq(is->rule.threshold, 0.739);
    cr_assert_str_eq(sc->actors[0].id, "com");
    cr_assert_str_eq(sc->actors[1].id, "ep");
    cr_assert_str_eq(sc->actors[2].id, "at");
    const parley_stake *com = parley_stake_at(sc, 0, 0), *ep = parley_stake_at(sc, 1, 0);
    cr_assert(com->present);
    cr_assert_eq(com->position.value, 100);
    cr_assert_eq(com->salience.value, 0.6);
    cr_assert_eq(ep->position.value, 50);
    cr_assert_not(parley_stake_at(sc, 2, 0)->present, "Austria has no position");
    long fr = parley_scenario_find_actor(sc, "fr");
    cr_assert_geq(fr, 0);
    cr_assert_eq(parley_stake_at(sc, (size_t)fr, 0)->salience.value, 1.0);
    parley_scenarios_free(all, count);
}

Test(format_csv, deu_rules_and_missing_values)
{
    size_t count;
    parley_scenario **all = load_all("deu3-train.csv", PARLEY_FORMAT_AUTO, &count);
    /* Counted with python3 over the file: 51 Unan rows, 7 without out, 71
     * without rp. */
    size_t unanimity = 0, no_outcome = 0, no_status_quo = 0;
    for (size_t k = 0; k < count; k++) {
        unanimity += all[k]->issues[0].rule.kind == PARLEY_RULE_UNANIMITY;
        no_outcome += !all[k]->issues[0].has_outcome;
        no_status_quo += !all[k]->issues[0].has_status_quo;
    }
    cr_assert_eq(unanimity, 51);
    cr_assert_eq(no_outcome, 7);
    cr_assert_eq(no_status_quo, 71);
    parley_scenario *back = NULL;
    for (size_t k = 0; k < 5; k++) {
        back = reparse(all[k], PARLEY_FORMAT_JSON, "deu json");
        cr_assert(scenario_equal(all[k], back), "%s differs", scenario_difference);
        parley_scenario_free(back);
    }
    parley_scenarios_free(all, count);
    parley_scenario *one = NULL;
    parley_error err;
    cr_assert_eq(parley_scenario_load(test_data("deu3-test.csv"), PARLEY_FORMAT_AUTO, &one, &err),
                 PARLEY_EINVAL, "many scenarios where one was expected");
    cr_assert_null(one);
}

/* ---- long CSV ----------------------------------------------------------- */

Test(format_csv, long_csv_round_trip_is_lossless)
{
    const char *files[] = {"format-example.json", "emission-standards.csv",
                           "ktab-dummyData_6Dim.csv"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        parley_scenario *sc = load(files[k]);
        parley_scenario *back = reparse(sc, PARLEY_FORMAT_CSV, "long csv");
        cr_assert(scenario_equal(sc, back), "%s: %s differs", files[k], scenario_difference);
        parley_scenario_free(back);
        parley_scenario_free(sc);
    }
}

Test(format_csv, long_csv_keeps_empty_and_missing_texts_apart)
{
    parley_scenario *sc = parley_scenario_new("s");
    sc->note = parley_strdup("");
    cr_assert_eq(parley_scenario_add_actor(sc, "a, \"b\"", 1, NULL, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_issue(sc, "i", 0, 1, " padded ", "", NULL, NULL),
                 PARLEY_OK);
    parley_scenario_set_stake(sc, 0, 0, 0.5, 0.5);
    parley_stake_at(sc, 0, 0)->salience.note = parley_strdup("");
    parley_scenario *back = reparse(sc, PARLEY_FORMAT_CSV, "long csv");
    cr_assert(scenario_equal(sc, back), "%s differs", scenario_difference);
    cr_assert_null(back->description);
    cr_assert_str_eq(back->note, "");
    parley_scenario_free(back);
    parley_scenario_free(sc);
}

Test(format_csv, allocation_failures_leak_nothing)
{
    const char *files[] = {"ktab-dummyData_3Dim.csv", "emission-standards.csv"};
    for (size_t f = 0; f < 2; f++) {
        char *buf = test_read_file(test_data(files[f]), NULL);
        cr_assert_not_null(buf);
        for (long n = 1;; n++) {
            parley_scenario **all = NULL;
            size_t count = 0;
            parley_error err;
            parley_alloc_fail_after(n);
            int rc = parley_scenarios_parse(buf, strlen(buf), files[f], PARLEY_FORMAT_AUTO,
                                            &all, &count, &err);
            parley_alloc_fail_after(0);
            if (rc == PARLEY_OK) {
                parley_scenarios_free(all, count);
                break;
            }
            cr_assert_eq(rc, PARLEY_ENOMEM, "%s, allocation %ld: %s", files[f], n, err.message);
            cr_assert_null(all);
        }
        free(buf);
    }
}
