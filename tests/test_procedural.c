/* test_procedural.c — the procedural model (src/models/procedural.c) on
 * scenarios small enough to work by hand (the winset figures are those of
 * tests/test_winset.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/institutions.h"
#include "parley/model.h"

static const parley_model *procedural(void)
{
    const parley_model *m = parley_model_find("procedural");
    cr_assert(m);
    return m;
}

/* Four actors, capabilities 29, 27, 12, 10 at 80, 60, 40, 30, salience 1,
 * status quo 20, qualified majority 0.74. */
static parley_scenario *qmv_scenario(void)
{
    parley_scenario *sc = parley_scenario_new("qmv");
    cr_assert(sc);
    cr_assert_eq(parley_scenario_add_issue(sc, "x", 0, 100, "none", "all", NULL, NULL), 0);
    const char *ids[] = {"de", "es", "nl", "at"};
    double capability[] = {29, 27, 12, 10}, position[] = {80, 60, 40, 30};
    for (size_t a = 0; a < 4; a++) {
        cr_assert_eq(parley_scenario_add_actor(sc, ids[a], capability[a], NULL, NULL), 0);
        parley_scenario_set_stake(sc, a, 0, position[a], 1);
    }
    sc->issues[0].has_status_quo = 1;
    sc->issues[0].status_quo.value = 20;
    sc->issues[0].rule.kind = PARLEY_RULE_QUALIFIED;
    sc->issues[0].rule.threshold = 0.74;
    return sc;
}

static double forecast(const parley_scenario *sc, const char *assignment, char **note)
{
    const parley_model *m = procedural();
    parley_run_opts opts;
    parley_run_opts_init(&opts, m);
    parley_error err;
    if (assignment)
        cr_assert_eq(parley_run_opts_set(&opts, m, assignment, &err), PARLEY_OK, "%s",
                     err.message);
    parley_result *result = parley_result_new();
    cr_assert(result);
    cr_assert_eq(parley_model_run(m, sc, &opts, result, &err), PARLEY_OK, "%s", err.message);
    double value = result->forecast[0];
    if (note)
        *note = result->issue_note[0] ? strdup(result->issue_note[0]) : NULL;
    parley_result_free(result);
    return value;
}

Test(procedural, weighted_qmv_cuts_the_compromise_to_the_winset)
{
    parley_scenario *sc = qmv_scenario();
    /* Weighted mean 4720/78 = 60.51 lies beyond W(20) = (20, 60). */
    cr_assert_float_eq(forecast(sc, NULL, NULL), 60, 1e-9);
    cr_assert_float_eq(forecast(sc, "bargain=nash", NULL), 3600.0 / 68, 1e-6);
    /* At threshold 0.70, W(20) = (20, 100) holds the mean. */
    sc->issues[0].rule.threshold = 0.70;
    cr_assert_float_eq(forecast(sc, NULL, NULL), 4720.0 / 78, 1e-9);
    parley_scenario_free(sc);
}

Test(procedural, unanimity_with_a_dissenter_keeps_the_status_quo)
{
    parley_scenario *sc = qmv_scenario();
    sc->issues[0].rule.kind = PARLEY_RULE_UNANIMITY;
    parley_scenario_set_stake(sc, 3, 0, 10, 1); /* at 10, below d = 20 */
    char *note = NULL;
    cr_assert_float_eq(forecast(sc, NULL, &note), 20, 1e-12);
    cr_assert(note && strstr(note, "reference point"), "%s", note ? note : "(none)");
    free(note);
    /* Back at 30: all four above d, reaches 140, 100, 60, 40: W = (20, 40). */
    parley_scenario_set_stake(sc, 3, 0, 30, 1);
    cr_assert_float_eq(forecast(sc, NULL, NULL), 40, 1e-9);
    parley_scenario_free(sc);
}

Test(procedural, a_veto_player_outside_the_vote)
{
    parley_scenario *sc = qmv_scenario();
    /* Vote weights from metadata: "at" is no voter now but holds a veto. */
    const char *weights[][2] = {{"vote_weight:de", "29"}, {"vote_weight:es", "27"},
                                {"vote_weight:nl", "12"}};
    for (size_t k = 0; k < 3; k++)
        cr_assert_eq(parley_scenario_set_meta(sc, weights[k][0], weights[k][1], NULL), 0);
    sc->issues[0].rule.veto = malloc(sizeof(size_t));
    sc->issues[0].rule.veto[0] = 3;
    sc->issues[0].rule.n_veto = 1;
    /* Voters 29, 27, 12 (68): 29 + 27 = 56 >= 0.74 * 68 = 50.32, so W would
     * reach 100, but the veto player at 30 (reach 40) cuts it to (20, 40);
     * the mean 60.51 projects to 40. */
    cr_assert_float_eq(forecast(sc, NULL, NULL), 40, 1e-9);
    parley_scenario_free(sc);
}

Test(procedural, no_reference_point_gives_the_weighted_mean)
{
    parley_scenario *sc = qmv_scenario();
    sc->issues[0].has_status_quo = 0;
    char *note = NULL;
    cr_assert_float_eq(forecast(sc, NULL, &note), 4720.0 / 78, 1e-9);
    cr_assert(note && strstr(note, "no reference point"));
    free(note);
    parley_scenario_free(sc);
}

Test(procedural, absent_voters_against_raise_the_bar)
{
    parley_scenario *sc = qmv_scenario();
    sc->issues[0].rule.kind = PARLEY_RULE_MAJORITY;
    cr_assert_eq(parley_scenario_add_actor(sc, "big", 60, NULL, NULL), 0);
    /* follow: 78 with a stake; 29 + 27 = 56 > 39: W = (20, 100), mean kept. */
    cr_assert_float_eq(forecast(sc, NULL, NULL), 4720.0 / 78, 1e-9);
    /* against: 138 in all; 29+27+12 = 68 < 69, all four 78 > 69: W = (20, 40). */
    cr_assert_float_eq(forecast(sc, "absent=against", NULL), 40, 1e-9);
    parley_scenario_free(sc);
}

Test(procedural, double_majority_from_metadata)
{
    parley_scenario *sc = qmv_scenario();
    const char *meta[][2] = {{"vote_weight:de", "29"}, {"vote_weight:es", "27"},
                             {"vote_weight:nl", "12"}, {"vote_weight:at", "10"},
                             {"population:de", "82"},  {"population:es", "46"},
                             {"population:nl", "17"},  {"population:at", "9"},
                             {PARLEY_META_QUALIFIED, PARLEY_QUALIFIED_DOUBLE}};
    for (size_t k = 0; k < sizeof meta / sizeof *meta; k++)
        cr_assert_eq(parley_scenario_set_meta(sc, meta[k][0], meta[k][1], NULL), 0);
    /* Four voters with a stake: three opponents are fewer than the blocking
     * minority of four, so "de" alone (reach 140) wins: W(20) = (20, 140)
     * and the mean 60.51 stands.  Without the clause de + es would be 2 of
     * 4, under 55 %. */
    cr_assert_float_eq(forecast(sc, NULL, NULL), 4720.0 / 78, 1e-9);
    parley_scenario_free(sc);
}
