/* test_scenario.c — the scenario data model: building, validating, copying,
 * and the allocation-failure path of every constructor. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/scenario.h"

/* Two actors, two issues, every optional part filled, so copy and free walk
 * every branch. */
static parley_scenario *build_full(void)
{
    parley_scenario *sc = parley_scenario_new("full");
    if (!sc)
        return NULL;
    size_t a, b, tax, war;
    int ok = parley_scenario_add_actor(sc, "a", 2.0, &a, NULL) == PARLEY_OK &&
             parley_scenario_add_actor(sc, "b", 1.0, &b, NULL) == PARLEY_OK &&
             parley_scenario_add_issue(sc, "tax", 0, 100, "none", "all", &tax, NULL) ==
                 PARLEY_OK &&
             parley_scenario_add_issue(sc, "war", -1, 1, "peace", "war", &war, NULL) ==
                 PARLEY_OK &&
             parley_issue_add_label(&sc->issues[tax], 50, "half", NULL) == PARLEY_OK &&
             parley_scenario_set_meta(sc, "procedure", "COD", NULL) == PARLEY_OK;
    if (!ok) {
        parley_scenario_free(sc);
        return NULL;
    }
    sc->name = parley_strdup("A full scenario");
    sc->actors[a].note = parley_strdup("actor note");
    sc->actors[a].capability.spread = PARLEY_SPREAD_SD;
    sc->actors[a].capability.sd = 0.5;
    sc->actors[a].capability.note = parley_strdup("cap note");
    sc->issues[tax].has_status_quo = 1;
    sc->issues[tax].status_quo.value = 30;
    sc->issues[tax].rule.kind = PARLEY_RULE_QUALIFIED;
    sc->issues[tax].rule.threshold = 0.74;
    sc->issues[tax].rule.veto = parley_calloc(1, sizeof(size_t));
    if (sc->issues[tax].rule.veto) {
        sc->issues[tax].rule.veto[0] = b;
        sc->issues[tax].rule.n_veto = 1;
    }
    parley_scenario_set_stake(sc, a, tax, 20, 0.5);
    parley_scenario_set_stake(sc, b, tax, 60, 1);
    parley_scenario_set_stake(sc, b, war, -0.5, 0.25);
    parley_stake *st = parley_stake_at(sc, b, tax);
    st->position.spread = PARLEY_SPREAD_RANGE;
    st->position.low = 40;
    st->position.high = 80;
    st->position.note = parley_strdup("position note");
    return sc;
}

Test(scenario, build_and_read_back)
{
    parley_scenario *sc = build_full();
    cr_assert_not_null(sc);
    cr_assert_eq(sc->n_actors, 2);
    cr_assert_eq(sc->n_issues, 2);
    /* Adding the second issue after stakes existed must keep them in place. */
    cr_assert(parley_stake_at(sc, 0, 0)->present);
    cr_assert_eq(parley_stake_at(sc, 0, 0)->position.value, 20);
    cr_assert_not(parley_stake_at(sc, 0, 1)->present);
    cr_assert_eq(parley_stake_at(sc, 1, 1)->position.value, -0.5);
    cr_assert_eq(parley_scenario_find_actor(sc, "b"), 1);
    cr_assert_eq(parley_scenario_find_issue(sc, "nope"), -1);
    cr_assert_str_eq(parley_scenario_get_meta(sc, "procedure"), "COD");
    cr_assert_null(parley_scenario_get_meta(sc, "missing"));
    cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
    parley_scenario_free(sc);
}

Test(scenario, adding_an_actor_after_issues_keeps_stakes)
{
    parley_scenario *sc = parley_scenario_new("s");
    cr_assert_eq(parley_scenario_add_issue(sc, "i", 0, 10, NULL, NULL, NULL, NULL), 0);
    cr_assert_eq(parley_scenario_add_issue(sc, "j", 0, 10, NULL, NULL, NULL, NULL), 0);
    cr_assert_eq(parley_scenario_add_actor(sc, "a", 1, NULL, NULL), 0);
    parley_scenario_set_stake(sc, 0, 1, 7, 1);
    cr_assert_eq(parley_scenario_add_actor(sc, "b", 1, NULL, NULL), 0);
    cr_assert(parley_stake_at(sc, 0, 1)->present);
    cr_assert_eq(parley_stake_at(sc, 0, 1)->position.value, 7);
    cr_assert_not(parley_stake_at(sc, 1, 1)->present);
    parley_scenario_free(sc);
}

Test(scenario, duplicate_ids_and_bad_scales_are_refused)
{
    parley_scenario *sc = parley_scenario_new("s");
    parley_error err;
    cr_assert_eq(parley_scenario_add_actor(sc, "a", 1, NULL, &err), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_actor(sc, "a", 1, NULL, &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "\"a\"") != NULL);
    cr_assert_eq(parley_scenario_add_issue(sc, "i", 5, 5, NULL, NULL, NULL, &err),
                 PARLEY_EINVAL);
    cr_assert_eq(parley_scenario_add_issue(sc, "i", 0, NAN, NULL, NULL, NULL, &err),
                 PARLEY_EINVAL);
    cr_assert_eq(sc->n_issues, 0);
    parley_scenario_free(sc);
}

Test(scenario, validate_names_the_offending_value)
{
    parley_scenario *sc = build_full();
    parley_error err;
    parley_stake_at(sc, 1, 1)->salience.value = 1.5;
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_ERANGE);
    cr_assert_str_eq(err.path, "positions[b][war].salience");
    parley_stake_at(sc, 1, 1)->salience.value = 0.5;
    parley_stake_at(sc, 1, 1)->position.value = 2; /* scale is [-1, 1] */
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_ERANGE);
    cr_assert_str_eq(err.path, "positions[b][war].position");
    parley_stake_at(sc, 1, 1)->position.value = 0;
    sc->actors[0].capability.value = 0;
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_ERANGE);
    cr_assert_str_eq(err.path, "actors[0].capability");
    sc->actors[0].capability.value = 1;
    sc->issues[0].rule.threshold = 0.4;
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_ERANGE);
    cr_assert_str_eq(err.path, "issues[0].rule.threshold");
    sc->issues[0].rule.threshold = 0.74;
    /* A range that does not contain its value. */
    parley_stake_at(sc, 1, 0)->position.low = 61;
    cr_assert_eq(parley_scenario_validate(sc, &err), PARLEY_ERANGE);
    cr_assert_str_eq(err.path, "positions[b][tax].position");
    parley_scenario_free(sc);
}

Test(scenario, nearest_label)
{
    parley_scenario *sc = build_full();
    const parley_issue *tax = &sc->issues[0];
    cr_assert_eq(tax->n_labels, 3);
    cr_assert_str_eq(parley_issue_nearest_label(tax, 10), "none");
    cr_assert_str_eq(parley_issue_nearest_label(tax, 40), "half");
    cr_assert_str_eq(parley_issue_nearest_label(tax, 99), "all");
    parley_scenario_free(sc);
}

static void assert_value_equal(const parley_value *a, const parley_value *b)
{
    cr_assert_eq(a->value, b->value);
    cr_assert_eq(a->spread, b->spread);
    cr_assert_eq(a->sd, b->sd);
    cr_assert_eq(a->low, b->low);
    cr_assert_eq(a->high, b->high);
    cr_assert((a->note == NULL) == (b->note == NULL));
    if (a->note)
        cr_assert_str_eq(a->note, b->note);
}

Test(scenario, copy_is_deep_and_equal)
{
    parley_scenario *sc = build_full();
    parley_scenario *copy = parley_scenario_copy(sc);
    cr_assert_not_null(copy);
    cr_assert_str_eq(copy->name, sc->name);
    cr_assert_neq(copy->name, sc->name);
    cr_assert_eq(copy->issues[0].rule.n_veto, 1);
    cr_assert_eq(copy->issues[0].rule.veto[0], 1);
    cr_assert_eq(copy->issues[0].n_labels, 3);
    cr_assert_str_eq(copy->issues[0].labels[1].text, "half");
    assert_value_equal(&copy->actors[0].capability, &sc->actors[0].capability);
    for (size_t k = 0; k < 4; k++) {
        cr_assert_eq(copy->stakes[k].present, sc->stakes[k].present);
        assert_value_equal(&copy->stakes[k].position, &sc->stakes[k].position);
        assert_value_equal(&copy->stakes[k].salience, &sc->stakes[k].salience);
    }
    cr_assert_str_eq(parley_scenario_get_meta(copy, "procedure"), "COD");
    parley_scenario_free(sc);
    cr_assert_eq(parley_scenario_validate(copy, NULL), PARLEY_OK);
    parley_scenario_free(copy);
}

/* STYLE.md 5: every constructor returns NULL / PARLEY_ENOMEM when the n-th
 * allocation fails, for every n, and leaks nothing (ASan checks the leaks). */
Test(scenario, allocation_failures_are_clean)
{
    parley_scenario *sc = build_full();
    cr_assert_not_null(sc);
    int succeeded = 0;
    for (long n = 1; n < 500 && !succeeded; n++) {
        parley_alloc_fail_after(n);
        parley_scenario *copy = parley_scenario_copy(sc);
        parley_alloc_fail_after(0);
        if (copy) {
            succeeded = 1;
            cr_assert_eq(parley_scenario_validate(copy, NULL), PARLEY_OK);
        }
        parley_scenario_free(copy);
    }
    cr_assert(succeeded);
    parley_scenario_free(sc);

    succeeded = 0;
    for (long n = 1; n < 500 && !succeeded; n++) {
        parley_alloc_fail_after(n);
        parley_scenario *built = build_full();
        parley_alloc_fail_after(0);
        succeeded = built != NULL && built->actors[0].note != NULL &&
                    built->issues[0].rule.veto != NULL;
        parley_scenario_free(built);
    }
    cr_assert(succeeded);
}

Test(scenario, free_null_is_a_no_op)
{
    parley_scenario_free(NULL);
}

Test(error, format_has_every_known_part)
{
    parley_error err;
    char buf[1024];
    parley_error_clear(&err);
    parley_error_set(&err, PARLEY_ERANGE, "salience %g is outside [0, 1]", 1.5);
    parley_error_at(&err, "x.json", 12, 7, "positions[3].salience");
    cr_assert_str_eq(parley_error_format(&err, buf, sizeof buf),
                     "x.json:12:7: positions[3].salience: salience 1.5 is outside [0, 1]");
    parley_error_clear(&err);
    parley_error_set(&err, PARLEY_ENOMEM, "%s", "");
    cr_assert_str_eq(parley_error_format(&err, buf, sizeof buf), "out of memory");
    cr_assert_str_eq(parley_strerror(PARLEY_EUNDEF), "model not defined for this scenario");
    cr_assert_str_eq(parley_strerror(12345), "unknown error");
}
