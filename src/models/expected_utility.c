/* expected_utility.c — Bueno de Mesquita's expected-utility model.
 *
 * Bueno de Mesquita, "Political forecasting: an expected utility method", in
 * Bueno de Mesquita & Stokman (eds.), European Community Decision Making
 * (1994); replicated by Scholz, Calbert & Smith, "Unravelling Bueno de
 * Mesquita's group decision model", Journal of Theoretical Politics 23(4)
 * (2011).  The reading of the ambiguous paper is MODELS.md section 4's; the
 * round itself (steps 1-7, eqs. 25, 31, 32-35) is in eu_round.c, its fast
 * vote sums in eu_votes.c.  This file runs the rounds:
 *
 *   each issue on its own, all issues of the scenario in one run;  w_i = c_i s_i
 *   over the actors with a stake; R = the range of the initial positions (or
 *   of the current ones, or the issue's scale); every round, every actor
 *   weighs every other's challenge and all moves apply at once (eu_round.c);
 *   step 8: stop after a fixed number of rounds (8, as in the paper), or when
 *   an issue's weighted median moves by no more than a tolerance (off by
 *   default: it would stop the emission-standards case at round 4, while the
 *   paper stresses that the median later falls to 7.47).
 *
 * The forecast of each issue is the weighted median (the lower one on ties)
 * of the positions after the last round.  Each round's positions are kept as
 * the result's states, and its weighted median and c s-weighted mean as
 * "round" events (with PARLEY_RUN_HISTORY or PARLEY_RUN_TRACE); with
 * PARLEY_RUN_TRACE the risk exponents, every ordered pair's class and offer
 * and every move are events too.
 *
 * Reproduces MODELS.md's figures for Scholz et al.'s Table 2 to 4 decimals:
 * 13 of the 16 printed one-decimal figures (tests/test_eu.c). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "eu_internal.h"
#include "model_util.h"

static const char *const risk_names[] = {"each_round", "first_round", "neutral", NULL};
enum { RISK_EACH_ROUND, RISK_FIRST_ROUND, RISK_NEUTRAL };
static const char *const range_names[] = {"positions", "current", "scale", NULL};
enum { RANGE_INITIAL_POSITIONS, RANGE_CURRENT_POSITIONS, RANGE_SCALE };
static const char *const salience_names[] = {"challenged", "challenger", NULL};
static const char *const exponent_names[] = {"mover", "own", NULL};
static const char *const denominator_names[] = {"global", "pair", NULL};
static const char *const compromise_names[] = {"lowest_point", "smallest_move", NULL};

enum {
    PARAM_ROUNDS,
    PARAM_TOLERANCE,
    PARAM_Q,
    PARAM_RISK,
    PARAM_RANGE,
    PARAM_SALIENCE,
    PARAM_EXPONENT,
    PARAM_DENOMINATOR,
    PARAM_COMPROMISE
};

static const parley_param params[] = {
    {"rounds", "rounds to run (the paper runs 8)", PARLEY_PARAM_INT, 8, 1, 100000, NULL},
    {"tolerance",
     "stop an issue once its weighted median moves by at most this much in a round "
     "(0: never, the default)",
     PARLEY_PARAM_REAL, 0, 0, 1e300, NULL},
    {"q",
     "Q of eq. 25, the weight of the status quo against the expected change: 1 "
     "(default) or 0.5 (Bueno de Mesquita & Lalman 1986)",
     PARLEY_PARAM_REAL, 1, 0, 1, NULL},
    {"risk",
     "risk exponents (eqs. 32-34): recomputed from r = 1 each round (default), "
     "computed in round 1 and kept, or neutral (all r = 1)",
     PARLEY_PARAM_CHOICE, RISK_EACH_ROUND, 0, 2, risk_names},
    {"range",
     "R, the distance that counts as 1: the range of the initial positions "
     "(default), of the current positions, or the issue's scale",
     PARLEY_PARAM_CHOICE, RANGE_INITIAL_POSITIONS, 0, 2, range_names},
    {"salience",
     "whose salience s weighs the contest in E_i(U_ij) (eq. 25): the challenged "
     "actor j's (default) or the challenger i's",
     PARLEY_PARAM_CHOICE, PARLEY_EU_SALIENCE_CHALLENGED, 0, 1, salience_names},
    {"exponent",
     "whose risk exponent pass 2 uses for both expected utilities of a pair: the "
     "actor whose move is decided (default), or each actor its own",
     PARLEY_PARAM_CHOICE, PARLEY_EU_EXPONENT_MOVER, 0, 1, exponent_names},
    {"denominator",
     "of P_i (eq. 31): all votes over all pairs, D (default, reproduces Table 2), or "
     "the pair's own votes (as printed; P_i + P_j = 1)",
     PARLEY_PARAM_CHOICE, PARLEY_EU_DENOMINATOR_GLOBAL, 0, 1, denominator_names},
    {"compromise",
     "which of several compromise offers an actor takes: the lowest weighted point "
     "(|a| x_i + |b| x_j)/(|a| + |b|) (default, Scholz's code) or the smallest move",
     PARLEY_PARAM_CHOICE, PARLEY_EU_COMPROMISE_LOWEST_POINT, 0, 1, compromise_names},
    {NULL},
};

/* Event kinds: the pair classes come first, in parley_eu_class's order. */
enum { EVENT_PAIR_FIRST = 0, EVENT_RISK = 5, EVENT_MOVE, EVENT_ROUND };
static const parley_event_kind events[] = {
    {"conflict", {"e_proposer", "e_mover", "from", "to"}},
    {"compromise", {"e_proposer", "e_mover", "from", "to"}},
    {"capitulation", {"e_proposer", "e_mover", "from", "to"}},
    {"status_quo", {"e_proposer", "e_mover", "from", "to"}},
    {"no_challenge", {"e_proposer", "e_mover", "from", "to"}},
    {"risk", {"risk_exponent", "security", NULL, NULL}},
    {"move", {"from", "to", "e_proposer", "e_mover"}},
    {"round", {"median", "mean", "moved", NULL}, 1},
    {NULL, {NULL}},
};

/* ---- describe ------------------------------------------------------------ */

static const char *actor_name(const parley_scenario *sc, int actor)
{
    if (actor < 0 || (size_t)actor >= sc->n_actors)
        return "?";
    const parley_actor *a = &sc->actors[actor];
    return a->name ? a->name : a->id;
}

static void describe(const parley_scenario *sc, const parley_event *ev, char *buf, size_t n)
{
    char where[200] = "";
    if (sc->n_issues > 1 && ev->issue >= 0 && (size_t)ev->issue < sc->n_issues) {
        const parley_issue *issue = &sc->issues[ev->issue];
        snprintf(where, sizeof where, " on %s", issue->name ? issue->name : issue->id);
    }
    const char *actor = actor_name(sc, ev->actor), *other = actor_name(sc, ev->other);
    const double *v = ev->value;
    switch (ev->kind) {
    case PARLEY_EU_CONFLICT:
        if (v[2] != v[3])
            snprintf(buf, n,
                     "round %u%s: %s and %s are in conflict, and %s loses: %s would move "
                     "from %.2f to %.2f (E_%s = %.4f, E_%s = %.4f)",
                     ev->round, where, actor, other, other, other, v[2], v[3], actor, v[0],
                     other, v[1]);
        else
            snprintf(buf, n,
                     "round %u%s: %s and %s are in conflict, and %s wins: it stays at %.2f "
                     "(E_%s = %.4f, E_%s = %.4f)",
                     ev->round, where, actor, other, other, v[2], actor, v[0], other, v[1]);
        break;
    case PARLEY_EU_COMPROMISE:
        snprintf(buf, n,
                 "round %u%s: %s's offer to %s is a compromise: %s would move from %.2f to "
                 "%.2f (E_%s = %.4f, E_%s = %.4f)",
                 ev->round, where, actor, other, other, v[2], v[3], actor, v[0], other, v[1]);
        break;
    case PARLEY_EU_CAPITULATION:
        snprintf(buf, n,
                 "round %u%s: %s's offer to %s is a capitulation: %s would move all the "
                 "way from %.2f to %.2f (E_%s = %.4f, E_%s = %.4f)",
                 ev->round, where, actor, other, other, v[2], v[3], actor, v[0], other, v[1]);
        break;
    case PARLEY_EU_STATUS_QUO:
        snprintf(buf, n,
                 "round %u%s: neither %s nor %s expects to gain from a challenge: status quo, "
                 "%s stays at %.2f (E_%s = %.4f, E_%s = %.4f)",
                 ev->round, where, actor, other, other, v[2], actor, v[0], other, v[1]);
        break;
    case PARLEY_EU_NO_CHALLENGE:
        if (v[0] == 0 && v[1] == 0) /* eu_round.c: equal positions do not contest */
            snprintf(buf, n, "round %u%s: %s and %s both stand at %.2f: no challenge",
                     ev->round, where, actor, other, v[2]);
        else
            snprintf(buf, n,
                     "round %u%s: %s has nothing to gain by challenging %s, who stays at "
                     "%.2f (E_%s = %.4f, E_%s = %.4f)",
                     ev->round, where, actor, other, v[2], actor, v[0], other, v[1]);
        break;
    case EVENT_RISK:
        snprintf(buf, n,
                 "round %u%s: %s's risk exponent is %.4f (security %.4f; below 1 is "
                 "risk-acceptant, above 1 risk-averse)",
                 ev->round, where, actor, v[0], v[1]);
        break;
    case EVENT_MOVE:
        snprintf(buf, n, "round %u%s: %s takes %s's offer and moves from %.2f to %.2f",
                 ev->round, where, actor, other, v[0], v[1]);
        break;
    case EVENT_ROUND:
        snprintf(buf, n,
                 "round %u%s: weighted median %.4f, weighted mean %.4f (%.0f actors moved)",
                 ev->round, where, v[0], v[1], v[2]);
        break;
    default:
        snprintf(buf, n, "round %u: unknown event %d", ev->round, ev->kind);
        break;
    }
}

/* ---- run ------------------------------------------------------------------ */

/* One issue's actors with a stake, in scenario order, and the round's
 * buffers (all of n_actors). */
typedef struct issue_round {
    size_t n;
    size_t *actor;         /* scenario index of each */
    double *position, *salience, *weight;
    double *next_position, *risk_exponent, *security;
    size_t *offer_taken;
} issue_round;

typedef struct trace_context {
    parley_result *result;
    const issue_round *round;
    unsigned round_number;
    int issue;
    int failed;
} trace_context;

static void trace_pair(void *userdata, const parley_eu_pair *pair)
{
    trace_context *trace = userdata;
    const issue_round *ir = trace->round;
    parley_event ev = {
        .round = trace->round_number,
        .kind = EVENT_PAIR_FIRST + (int)pair->kind,
        .actor = (int)ir->actor[pair->proposer],
        .other = (int)ir->actor[pair->mover],
        .issue = trace->issue,
        .issue2 = -1,
        .value = {pair->e_proposer, pair->e_mover, ir->position[pair->mover], pair->offer},
    };
    if (!trace->failed && parley_result_add_event(trace->result, &ev))
        trace->failed = 1;
}

static int add_event(parley_result *result, unsigned round, int kind, int actor, int other,
                     int issue, double v0, double v1, double v2, double v3)
{
    parley_event ev = {round, kind, actor, other, issue, -1, {v0, v1, v2, v3}};
    return parley_result_add_event(result, &ev);
}

typedef struct run_buffers {
    double *state;          /* n_actors * n_issues, current positions */
    double *kept_risk;      /* n_actors * n_issues, for risk = first_round */
    double *initial_range;  /* n_issues */
    double *last_median;    /* n_issues */
    unsigned char *settled; /* n_issues: stopped by the tolerance */
    issue_round round;
    parley_eu_work *work;
} run_buffers;

static void free_buffers(run_buffers *b)
{
    parley_free(b->state);
    parley_free(b->kept_risk);
    parley_free(b->initial_range);
    parley_free(b->last_median);
    parley_free(b->settled);
    parley_free(b->round.actor);
    parley_free(b->round.position);
    parley_free(b->round.salience);
    parley_free(b->round.weight);
    parley_free(b->round.next_position);
    parley_free(b->round.risk_exponent);
    parley_free(b->round.security);
    parley_free(b->round.offer_taken);
    parley_eu_work_free(b->work);
}

static int alloc_buffers(run_buffers *b, size_t n_actors, size_t n_issues)
{
    size_t cells = n_actors * n_issues;
    if (cells == 0)
        cells = 1;
    size_t actors = n_actors ? n_actors : 1, issues = n_issues ? n_issues : 1;
    memset(b, 0, sizeof *b);
    b->state = parley_calloc(cells, sizeof(double));
    b->kept_risk = parley_calloc(cells, sizeof(double));
    b->initial_range = parley_calloc(issues, sizeof(double));
    b->last_median = parley_calloc(issues, sizeof(double));
    b->settled = parley_calloc(issues, 1);
    b->round.actor = parley_calloc(actors, sizeof(size_t));
    b->round.position = parley_calloc(actors, sizeof(double));
    b->round.salience = parley_calloc(actors, sizeof(double));
    b->round.weight = parley_calloc(actors, sizeof(double));
    b->round.next_position = parley_calloc(actors, sizeof(double));
    b->round.risk_exponent = parley_calloc(actors, sizeof(double));
    b->round.security = parley_calloc(actors, sizeof(double));
    b->round.offer_taken = parley_calloc(actors, sizeof(size_t));
    b->work = parley_eu_work_new(n_actors);
    if (!b->state || !b->kept_risk || !b->initial_range || !b->last_median || !b->settled ||
        !b->round.actor || !b->round.position || !b->round.salience || !b->round.weight ||
        !b->round.next_position || !b->round.risk_exponent || !b->round.security ||
        !b->round.offer_taken || !b->work) {
        free_buffers(b);
        return PARLEY_ENOMEM;
    }
    return PARLEY_OK;
}

/* Gathers issue i's actors with a stake at their current positions. */
static void gather(const parley_scenario *sc, const double *state, size_t issue,
                   issue_round *ir)
{
    ir->n = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_stake *stake = parley_stake_at(sc, a, issue);
        if (!stake->present)
            continue;
        ir->actor[ir->n] = a;
        ir->position[ir->n] = state[a * sc->n_issues + issue];
        ir->salience[ir->n] = stake->salience.value;
        ir->weight[ir->n] = sc->actors[a].capability.value * stake->salience.value;
        ir->n++;
    }
}

static double weighted_mean(const issue_round *ir, const double *position)
{
    double sum = 0, weight_total = 0;
    for (size_t k = 0; k < ir->n; k++) {
        sum += ir->weight[k] * position[k];
        weight_total += ir->weight[k];
    }
    return weight_total > 0 ? sum / weight_total : NAN;
}

static double position_range(const double *position, size_t n)
{
    double low = INFINITY, high = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        low = fmin(low, position[k]);
        high = fmax(high, position[k]);
    }
    return n ? high - low : 0.0;
}

/* One round on one issue: moves the actors in b->state, records events.
 * Returns PARLEY_OK or PARLEY_ENOMEM. */
static int run_issue_round(const parley_scenario *sc, const parley_run_opts *opts,
                           const parley_eu_options *eu, unsigned round, size_t issue,
                           run_buffers *b, parley_result *result)
{
    issue_round *ir = &b->round;
    int risk_mode = (int)opts->param[PARAM_RISK];
    int range_mode = (int)opts->param[PARAM_RANGE];
    int tracing = (opts->flags & PARLEY_RUN_TRACE) != 0;
    gather(sc, b->state, issue, ir);
    double median = parley_eu_weighted_median(b->work, ir->n, ir->position, ir->weight);
    double range = range_mode == RANGE_SCALE ? sc->issues[issue].high - sc->issues[issue].low
                   : range_mode == RANGE_CURRENT_POSITIONS ? position_range(ir->position, ir->n)
                                                           : b->initial_range[issue];
    size_t moved = 0;
    memcpy(ir->next_position, ir->position, ir->n * sizeof(double));
    /* Nothing to bargain over: fewer than two actors, no weight, or everyone
     * at one position (R = 0). */
    if (ir->n >= 2 && !isnan(median) && range > 0) {
        int compute = risk_mode == RISK_EACH_ROUND || (risk_mode == RISK_FIRST_ROUND && round == 1);
        for (size_t k = 0; k < ir->n; k++)
            ir->risk_exponent[k] = risk_mode == RISK_NEUTRAL
                                       ? 1.0
                                       : b->kept_risk[ir->actor[k] * sc->n_issues + issue];
        parley_eu_actors actors = {ir->n, ir->position, ir->salience, ir->weight, range};
        parley_eu_outcome outcome = {ir->next_position, ir->offer_taken, ir->risk_exponent,
                                     ir->security};
        trace_context trace = {result, ir, round, (int)issue, 0};
        parley_eu_round(b->work, &actors, median, eu, compute, &outcome,
                        tracing ? trace_pair : NULL, &trace);
        if (trace.failed)
            return PARLEY_ENOMEM;
        for (size_t k = 0; k < ir->n; k++) {
            size_t a = ir->actor[k];
            b->kept_risk[a * sc->n_issues + issue] = ir->risk_exponent[k];
            if (tracing && compute &&
                add_event(result, round, EVENT_RISK, (int)a, -1, (int)issue,
                          ir->risk_exponent[k], ir->security[k], NAN, NAN))
                return PARLEY_ENOMEM;
        }
        for (size_t k = 0; k < ir->n; k++) {
            size_t from = ir->offer_taken[k];
            if (from == (size_t)-1)
                continue;
            moved += ir->next_position[k] != ir->position[k];
            /* the expected utilities are in the pair event; repeated here so
             * that a move reads on its own */
            if (tracing && add_event(result, round, EVENT_MOVE, (int)ir->actor[k],
                                     (int)ir->actor[from], (int)issue, ir->position[k],
                                     ir->next_position[k], NAN, NAN))
                return PARLEY_ENOMEM;
        }
    }
    for (size_t k = 0; k < ir->n; k++)
        b->state[ir->actor[k] * sc->n_issues + issue] = ir->next_position[k];
    double new_median = parley_eu_weighted_median(b->work, ir->n, ir->next_position, ir->weight);
    if (opts->flags & (PARLEY_RUN_TRACE | PARLEY_RUN_HISTORY)) {
        if (add_event(result, round, EVENT_ROUND, -1, -1, (int)issue, new_median,
                      weighted_mean(ir, ir->next_position), (double)moved, NAN))
            return PARLEY_ENOMEM;
    }
    double tolerance = opts->param[PARAM_TOLERANCE];
    if (tolerance > 0 && fabs(new_median - b->last_median[issue]) <= tolerance)
        b->settled[issue] = 1;
    b->last_median[issue] = new_median;
    return PARLEY_OK;
}

static int run(const parley_scenario *sc, const parley_run_opts *opts, parley_result *result,
               parley_error *err)
{
    size_t n_actors = sc->n_actors, n_issues = sc->n_issues;
    if (n_issues == 0)
        return parley_error_set(err, PARLEY_EUNDEF, "the scenario has no issues");
    parley_eu_options eu = {
        .q = opts->param[PARAM_Q],
        .salience_of = (int)opts->param[PARAM_SALIENCE],
        .exponent_of = (int)opts->param[PARAM_EXPONENT],
        .denominator = (int)opts->param[PARAM_DENOMINATOR],
        .compromise_rule = (int)opts->param[PARAM_COMPROMISE],
    };
    unsigned rounds = (unsigned)opts->param[PARAM_ROUNDS];
    int keep_history = (opts->flags & PARLEY_RUN_HISTORY) != 0;
    run_buffers b;
    if (alloc_buffers(&b, n_actors, n_issues))
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    int rc = PARLEY_OK;
    parley_scenario_positions(sc, b.state);
    for (size_t i = 0; i < n_issues; i++) {
        gather(sc, b.state, i, &b.round);
        b.initial_range[i] = position_range(b.round.position, b.round.n);
        b.last_median[i] =
            parley_eu_weighted_median(b.work, b.round.n, b.round.position, b.round.weight);
    }
    /* risk = neutral, or an issue skipped in round 1 under first_round */
    for (size_t k = 0; k < n_actors * n_issues; k++)
        b.kept_risk[k] = 1.0;
    if ((rc = parley_result_record_state(result, b.state, keep_history)))
        goto fail;
    unsigned round = 0;
    size_t settled = 0;
    while (round < rounds && settled < n_issues) {
        round++;
        for (size_t i = 0; i < n_issues; i++) {
            if (b.settled[i])
                continue;
            if ((rc = run_issue_round(sc, opts, &eu, round, i, &b, result)))
                goto fail;
            settled += b.settled[i];
        }
        result->n_rounds = round;
        if ((rc = parley_result_record_state(result, b.state, keep_history)))
            goto fail;
        if (opts->on_round && opts->on_round(result, round, opts->userdata)) {
            rc = PARLEY_ECANCEL;
            parley_error_set(err, rc, "cancelled after round %u", round);
            goto cancelled;
        }
    }
    if (settled == n_issues)
        snprintf(result->stop_reason, sizeof result->stop_reason,
                 "every issue's weighted median moved by at most %g: stopped after %u "
                 "rounds",
                 opts->param[PARAM_TOLERANCE], round);
    else
        snprintf(result->stop_reason, sizeof result->stop_reason, "fixed %u rounds%s", round,
                 settled ? " (some issues stopped earlier by the tolerance)" : "");
    /* The forecast: each issue's weighted median after the last round. */
    size_t forecasts = 0;
    for (size_t i = 0; i < n_issues; i++) {
        gather(sc, b.state, i, &b.round);
        double median =
            parley_eu_weighted_median(b.work, b.round.n, b.round.position, b.round.weight);
        if (isnan(median)) {
            if ((rc = parley_result_set_issue_note(
                     result, i, "no actor with a stake and a salience above 0")))
                goto fail;
        } else {
            result->forecast[i] = median;
            forecasts++;
        }
    }
    free_buffers(&b);
    if (forecasts == 0) {
        parley_error_at(err, NULL, 0, 0, sc->issues[0].id);
        return parley_error_set(err, PARLEY_EUNDEF, "%s", result->issue_note[0]);
    }
    return PARLEY_OK;
fail:
    parley_error_set(err, rc, "out of memory");
cancelled:
    free_buffers(&b);
    return rc;
}

const parley_model parley_model_eu = {
    .name = "eu",
    .summary = "Bueno de Mesquita's expected-utility model: rounds of challenges, "
               "forecast = weighted median after the last round",
    .reference = "Bueno de Mesquita (1994); Scholz, Calbert & Smith (2011), J. Theoretical "
                 "Politics 23(4)",
    .params = params,
    .events = events,
    .iterative = 1,
    .run = run,
    .describe = describe,
};
