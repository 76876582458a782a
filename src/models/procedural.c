/* procedural.c — the procedural model: the decision rule first, bargaining
 * second.
 *
 * Procedural models of EU decision making (Steunenberg, "Decision making
 * under different institutional arrangements", JITE 150, 1994; Tsebelis &
 * Garrett; compared with bargaining models in Thomson et al., The European
 * Union Decides, 2006, ch. 10) hold that only what the rule can enact
 * against the reference point d can become law.  Here, per issue:
 *
 *   1. W(d): the points a winning coalition prefers to d (winset.c), with
 *      the issue's rule: majority (more than half the vote weight; rule
 *      "none" is read as majority), qualified (at least the threshold of the
 *      vote weight, or a double majority when the metadata say so:
 *      parley/institutions.h), unanimity (every voter with a stake); veto
 *      players must be in the coalition.  Voters are the actors with a
 *      "vote_weight:" metadata entry when any has one, else every actor with
 *      its capability as its vote.
 *   2. The bargain inside W(d) or d, with weights w_i = c_i s_i:
 *      bargain=compromise: the weighted mean projected onto the closure of
 *      W(d) and d (its nearest point); bargain=nash: the asymmetric Nash
 *      bargain among those who gain on the whole of W(d) (winset.h).
 *   3. W(d) empty: the forecast is d, with a note.  No reference point: the
 *      weighted mean, unconstrained, with a note (a forecast for every issue
 *      keeps the model comparable on the same issues as the others).
 *
 * Voters without a stake: absent=follow leaves them out of the totals (they
 * go along with what the others decide); absent=against counts their weight
 * in the totals of majority and qualified votes without their support. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/institutions.h"
#include "parley/model.h"
#include "model_util.h"
#include "winset.h"

static const char *const bargain_names[] = {"compromise", "nash", NULL};
static const char *const absent_names[] = {"follow", "against", NULL};
enum { BARGAIN_COMPROMISE, BARGAIN_NASH };
enum { ABSENT_FOLLOW, ABSENT_AGAINST };
enum { PARAM_BARGAIN, PARAM_ABSENT };

static const parley_param params[] = {
    {"bargain", "bargain inside the winset: compromise (projected weighted mean) or nash",
     PARLEY_PARAM_CHOICE, BARGAIN_COMPROMISE, 0, 1, bargain_names},
    {"absent", "voters without a stake: follow (left out of the totals) or against",
     PARLEY_PARAM_CHOICE, ABSENT_FOLLOW, 0, 1, absent_names},
    {NULL},
};
static const parley_event_kind events[] = {{NULL}};

/* A number from metadata "<prefix><actor id>", or NaN. */
static double meta_number(const parley_scenario *sc, const char *prefix, const char *id)
{
    char key[160];
    snprintf(key, sizeof key, "%s%s", prefix, id);
    const char *text = parley_scenario_get_meta(sc, key);
    if (!text)
        return NAN;
    char *end = NULL;
    double value = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(value) ? value : NAN;
}

static int has_vote_weights(const parley_scenario *sc)
{
    for (size_t a = 0; a < sc->n_actors; a++)
        if (!isnan(meta_number(sc, PARLEY_META_VOTE_WEIGHT, sc->actors[a].id)))
            return 1;
    return 0;
}

static int is_veto(const parley_rule *rule, size_t actor)
{
    for (size_t k = 0; k < rule->n_veto; k++)
        if (rule->veto[k] == actor)
            return 1;
    return 0;
}

static void set_rule(const parley_scenario *sc, const parley_issue *is, parley_winset_rule *rule)
{
    *rule = (parley_winset_rule){0};
    const char *qualified = parley_scenario_get_meta(sc, PARLEY_META_QUALIFIED);
    int dual = qualified && strcmp(qualified, PARLEY_QUALIFIED_DOUBLE) == 0;
    switch (is->rule.kind) {
    case PARLEY_RULE_QUALIFIED:
        if (dual) {
            rule->count_share = 0.55;     /* Art. 16(4) TEU */
            rule->population_share = 0.65;
            rule->blocking_min = 4;
        } else {
            rule->weight_share = is->rule.threshold;
        }
        break;
    case PARLEY_RULE_UNANIMITY:
        break; /* every voter with a stake is made a veto player */
    case PARLEY_RULE_NONE:
    case PARLEY_RULE_MAJORITY:
    default:
        rule->weight_share = 0.5;
        rule->strict = 1;
        break;
    }
}

/* Fills voters and bargainers for one issue; returns the weighted mean of
 * the bargainers (NaN when none has weight). */
static double gather(const parley_scenario *sc, size_t issue, int absent_against,
                     parley_winset_voter *voters, size_t *n_voters,
                     parley_bargainer *bargainers, size_t *n_bargainers,
                     parley_winset_rule *rule)
{
    const parley_issue *is = &sc->issues[issue];
    int weights_given = has_vote_weights(sc);
    int unanimity = is->rule.kind == PARLEY_RULE_UNANIMITY;
    double weighted_sum = 0, weight_total = 0;
    *n_voters = *n_bargainers = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_actor *actor = &sc->actors[a];
        const parley_stake *stake = parley_stake_at(sc, a, issue);
        double vote = weights_given ? meta_number(sc, PARLEY_META_VOTE_WEIGHT, actor->id)
                                    : actor->capability.value;
        double population = meta_number(sc, PARLEY_META_POPULATION, actor->id);
        if (isnan(population))
            population = 0;
        int votes = !isnan(vote), veto = is_veto(&is->rule, a);
        if (!stake->present) {
            if (votes && absent_against && !unanimity) {
                rule->absent_weight += vote;
                rule->absent_population += population;
                rule->absent_count++;
            }
            continue;
        }
        double weight = actor->capability.value * stake->salience.value;
        if (weight > 0) {
            bargainers[*n_bargainers].position = stake->position.value;
            bargainers[*n_bargainers].weight = weight;
            (*n_bargainers)++;
            weighted_sum += weight * stake->position.value;
            weight_total += weight;
        }
        if (!votes && !veto)
            continue;
        parley_winset_voter *voter = &voters[(*n_voters)++];
        voter->position = stake->position.value;
        voter->weight = votes ? vote : 0;
        voter->population = votes ? population : 0;
        voter->votes = votes;
        voter->veto = veto || (unanimity && votes);
    }
    return weight_total > 0 ? weighted_sum / weight_total : NAN;
}

static int forecast_issue(const parley_scenario *sc, const parley_run_opts *opts,
                          size_t issue, parley_result *result)
{
    const parley_issue *is = &sc->issues[issue];
    if (sc->n_actors > PARLEY_WINSET_MAX_VOTERS)
        return parley_result_set_issue_note(result, issue,
                                            "more than %d actors: the winset is not computed",
                                            PARLEY_WINSET_MAX_VOTERS);
    parley_winset_voter voters[PARLEY_WINSET_MAX_VOTERS];
    parley_bargainer bargainers[PARLEY_WINSET_MAX_VOTERS];
    size_t order[PARLEY_WINSET_MAX_VOTERS];
    size_t n_voters = 0, n_bargainers = 0;
    parley_winset_rule rule;
    set_rule(sc, is, &rule);
    double mean = gather(sc, issue, (int)opts->param[PARAM_ABSENT] == ABSENT_AGAINST, voters,
                         &n_voters, bargainers, &n_bargainers, &rule);
    if (isnan(mean))
        return parley_result_set_issue_note(result, issue,
                                            "no actor with a stake and a salience above 0");
    if (!is->has_status_quo) {
        result->forecast[issue] = mean;
        return parley_result_set_issue_note(
            result, issue, "no reference point: the unconstrained weighted mean");
    }
    double reference = is->status_quo.value;
    parley_winset ws;
    parley_winset_compute(voters, n_voters, reference, &rule, order, &ws);
    if (parley_winset_empty(&ws)) {
        result->forecast[issue] = reference;
        return parley_result_set_issue_note(
            result, issue,
            "the %s rule can enact nothing against the reference point %g: the forecast "
            "is the reference point",
            parley_rule_kind_name(is->rule.kind), reference);
    }
    double projected = parley_winset_project(&ws, mean);
    if ((int)opts->param[PARAM_BARGAIN] == BARGAIN_NASH) {
        double nash = parley_winset_nash(&ws, bargainers, n_bargainers, mean);
        if (!isnan(nash)) {
            result->forecast[issue] = nash;
            return PARLEY_OK;
        }
        result->forecast[issue] = projected;
        return parley_result_set_issue_note(
            result, issue,
            "nobody with weight gains on the whole winset: the projected weighted mean");
    }
    result->forecast[issue] = projected;
    return PARLEY_OK;
}

static int run(const parley_scenario *sc, const parley_run_opts *opts,
               parley_result *result, parley_error *err)
{
    return parley_model_forecast_each_issue(sc, opts, result, err, forecast_issue);
}

const parley_model parley_model_procedural = {
    .name = "procedural",
    .summary = "bargain inside what the decision rule can enact against the status quo",
    .reference = "Steunenberg (1994); Tsebelis (2002), Veto Players; Thomson et al. (2006)",
    .params = params,
    .events = events,
    .iterative = 0,
    .run = run,
    .describe = NULL,
};
