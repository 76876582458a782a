/* test_default_scenario.c — the shipped default scenario
 * scenarios/ukraine-2014.json: it loads through the strict reader, holds the
 * actors and issues issue 2 requires, documents every number, and the
 * baseline models give on it what an independent computation gives. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/format.h"
#include "parley/model.h"
#include "support.h"

static parley_scenario *load_default(void)
{
    parley_scenario *sc = NULL;
    parley_error err = {0};
    int rc = parley_scenario_load(test_source("scenarios/ukraine-2014.json"),
                                  PARLEY_FORMAT_JSON, &sc, &err);
    cr_assert_eq(rc, PARLEY_OK, "loading the default scenario: %s", err.message);
    cr_assert_not_null(sc);
    return sc;
}

static int has_text(const char *s)
{
    return s && s[0] != '\0';
}

static const parley_issue *issue_named(const parley_scenario *sc, const char *id)
{
    long k = parley_scenario_find_issue(sc, id);
    cr_assert_geq(k, 0, "issue %s is defined", id);
    return &sc->issues[k];
}

static const char *label_at(const parley_issue *issue, double at)
{
    for (size_t k = 0; k < issue->n_labels; k++)
        if (issue->labels[k].at == at)
            return issue->labels[k].text;
    return NULL;
}

Test(default_scenario, has_the_required_actors)
{
    static const char *const required[] = {
        "russia", "united-states", "us-hardliners", "germany", "eu", "kiev-government",
        "poroshenko", "tymoshenko", "nationalist-right", "regions-southeast", "belarus",
    };
    parley_scenario *sc = load_default();
    for (size_t k = 0; k < sizeof required / sizeof *required; k++)
        cr_expect_geq(parley_scenario_find_actor(sc, required[k]), 0,
                      "actor %s is defined", required[k]);
    parley_scenario_free(sc);
}

Test(default_scenario, issues_have_worded_ends_status_quo_and_rule)
{
    parley_scenario *sc = load_default();
    cr_assert_geq(sc->n_issues, 4);
    cr_assert_leq(sc->n_issues, 6);
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *is = &sc->issues[i];
        cr_expect(has_text(label_at(is, is->low)), "%s: label at the low end", is->id);
        cr_expect(has_text(label_at(is, is->high)), "%s: label at the high end", is->id);
        /* parley prints a forecast as its nearest label: the middle needs words too. */
        cr_expect_geq(is->n_labels, 5, "%s: labels between the ends", is->id);
        /* parley's table gives a forecast's label about 57 columns. */
        for (size_t k = 0; k < is->n_labels; k++)
            if (is->labels[k].at != is->low && is->labels[k].at != is->high)
                cr_expect_leq(strlen(is->labels[k].text), 56, "%s: label at %g fits a row",
                              is->id, is->labels[k].at);
        cr_expect(is->has_status_quo, "%s: status quo", is->id);
        cr_expect(has_text(is->status_quo.note), "%s: status quo note", is->id);
        cr_expect_neq(is->status_quo.spread, PARLEY_SPREAD_NONE, "%s: status quo spread", is->id);
        cr_expect_neq(is->rule.kind, PARLEY_RULE_NONE, "%s: rule", is->id);
        cr_expect(has_text(is->note), "%s: note explaining the rule", is->id);
    }
    parley_scenario_free(sc);
}

Test(default_scenario, required_issues_have_the_required_ends)
{
    parley_scenario *sc = load_default();
    const parley_issue *fed = issue_named(sc, "federalisation");
    cr_expect(strstr(label_at(fed, 0), "unitary"));
    cr_expect(strstr(label_at(fed, 100), "veto treaties, military matters and constitutional change"));
    const parley_issue *lang = issue_named(sc, "language");
    cr_expect(strstr(label_at(lang, 0), "Ukrainian the sole official language"));
    cr_expect(strstr(label_at(lang, 100), "second official language of the state"));
    const parley_issue *neutral = issue_named(sc, "neutrality");
    cr_expect(strstr(label_at(neutral, 0), "open path to NATO"));
    cr_expect(strstr(label_at(neutral, 100), "binding treaty of neutrality"));
    const parley_issue *crimea = issue_named(sc, "crimea");
    cr_expect(strstr(label_at(crimea, 0), "returned to Ukraine"));
    cr_expect(strstr(label_at(crimea, 100), "recognised by treaty"));
    parley_scenario_free(sc);
}

Test(default_scenario, every_number_has_a_note_and_a_spread)
{
    parley_scenario *sc = load_default();
    size_t stakes = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_actor *actor = &sc->actors[a];
        cr_expect(has_text(actor->capability.note), "%s: capability note", actor->id);
        cr_expect_neq(actor->capability.spread, PARLEY_SPREAD_NONE, "%s: capability spread",
                      actor->id);
        for (size_t i = 0; i < sc->n_issues; i++) {
            const parley_stake *stake = parley_stake_at(sc, a, i);
            if (!stake->present)
                continue;
            stakes++;
            const char *issue = sc->issues[i].id;
            cr_expect(has_text(stake->position.note), "%s/%s: position note", actor->id, issue);
            cr_expect(has_text(stake->salience.note), "%s/%s: salience note", actor->id, issue);
            cr_expect_neq(stake->position.spread, PARLEY_SPREAD_NONE, "%s/%s: position spread",
                          actor->id, issue);
            cr_expect_neq(stake->salience.spread, PARLEY_SPREAD_NONE, "%s/%s: salience spread",
                          actor->id, issue);
        }
    }
    cr_expect_geq(stakes, 40, "most actors take part in most issues");
    parley_scenario_free(sc);
}

/* The seed: "It is completely unclear what US demands are." */
Test(default_scenario, us_positions_are_wide_ranges)
{
    parley_scenario *sc = load_default();
    long us = parley_scenario_find_actor(sc, "united-states");
    cr_assert_geq(us, 0);
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_stake *stake = parley_stake_at(sc, (size_t)us, i);
        cr_assert(stake->present, "the US has a stake in %s", sc->issues[i].id);
        cr_expect_eq(stake->position.spread, PARLEY_SPREAD_RANGE);
        cr_expect_geq(stake->position.high - stake->position.low, 40,
                      "%s: the US range spans at least 40 points", sc->issues[i].id);
    }
    parley_scenario_free(sc);
}

static void run_model(const char *name, const parley_scenario *sc, parley_result *result)
{
    const parley_model *m = parley_model_find(name);
    cr_assert_not_null(m, "model %s is registered", name);
    parley_error err = {0};
    int rc = parley_model_run(m, sc, NULL, result, &err);
    cr_assert_eq(rc, PARLEY_OK, "%s: %s", name, err.message);
}

/* Reference figures from an independent Python script run once over the
 * JSON (sum of capability*salience*position over sum of capability*salience,
 * point values only), pasted here; re-run it when the scenario changes. */
Test(default_scenario, compromise_forecasts_match_independent_computation)
{
    static const struct {
        const char *issue;
        double forecast;
        const char *label_words; /* the nearest label contains these */
    } expected[] = {
        {"federalisation", 58.778195488721806, "decentralisation"},
        {"language", 58.39793281653747, "regional status in the constitution"},
        {"neutrality", 56.97420634920635, "non-bloc status in the constitution"},
        {"crimea", 55.28260869565217, "frozen conflict"},
        {"economic-alignment", 33.55555555555556, "no membership"},
        {"reform-process", 49.34475806451613, "contact group"},
    };
    parley_scenario *sc = load_default();
    parley_result *result = parley_result_new();
    cr_assert_not_null(result);
    run_model("compromise", sc, result);
    for (size_t k = 0; k < sizeof expected / sizeof *expected; k++) {
        long i = parley_scenario_find_issue(sc, expected[k].issue);
        cr_assert_geq(i, 0);
        double x = result->forecast[i];
        cr_expect_float_eq(x, expected[k].forecast, 1e-9, "%s", expected[k].issue);
        const char *label = parley_issue_nearest_label(&sc->issues[i], x);
        cr_expect(label && strstr(label, expected[k].label_words), "%s: nearest label \"%s\"",
                  expected[k].issue, label ? label : "(none)");
    }
    parley_result_free(result);
    parley_scenario_free(sc);
}

/* Weighted medians (lower median on ties) from the same independent script:
 * the first position, in order, where the running capability*salience
 * reaches half the total. */
Test(default_scenario, median_forecasts_match_independent_computation)
{
    static const struct {
        const char *issue;
        double forecast;
    } expected[] = {
        {"federalisation", 50}, {"language", 55},           {"neutrality", 55},
        {"crimea", 50},         {"economic-alignment", 25}, {"reform-process", 60},
    };
    parley_scenario *sc = load_default();
    parley_result *result = parley_result_new();
    cr_assert_not_null(result);
    run_model("median", sc, result);
    for (size_t k = 0; k < sizeof expected / sizeof *expected; k++) {
        long i = parley_scenario_find_issue(sc, expected[k].issue);
        cr_assert_geq(i, 0);
        cr_expect_float_eq(result->forecast[i], expected[k].forecast, 1e-12, "%s",
                           expected[k].issue);
    }
    parley_result_free(result);
    parley_scenario_free(sc);
}

/* Every issue has weighted actors on both sides of its status quo, so no
 * outcome leaves all of them better off: Nash keeps the status quo
 * everywhere (the seed's "It is most unlikely anything will be resolved
 * before the Presidential election in May"). */
Test(default_scenario, nash_keeps_every_status_quo)
{
    parley_scenario *sc = load_default();
    parley_result *result = parley_result_new();
    cr_assert_not_null(result);
    run_model("nash", sc, result);
    for (size_t i = 0; i < sc->n_issues; i++)
        cr_expect_float_eq(result->forecast[i], sc->issues[i].status_quo.value, 1e-12, "%s",
                           sc->issues[i].id);
    parley_result_free(result);
    parley_scenario_free(sc);
}
