/* smp.c — KTAB's spatial model of politics (SMP).
 *
 * Wise, Lester, Efird et al., KTAB, the KAPSARC Toolkit for Behavioral
 * Analysis (2015-2017), program smpc; the algorithm with KTAB's defaults is
 * written out in SMP-SPEC.md, whose section numbers (§) are cited below.
 * Every actor challenges the rival whose defeat it expects to gain most from
 * (§4-5), proposes a bargain interpolated between the two positions (§6),
 * and moves to the bargain its own queue's probabilistic Condorcet election
 * favours (§7); risk attitudes come from how likely each actor's position is
 * to win (§2.3).  Turns repeat until the movement falls below 2% of the
 * first turn's (§9).
 *
 * Exactness.  Every sum and product keeps the spec's order, so positions
 * match KTAB's at every turn (tests/test_smp.c checks 4 decimals) and runs
 * are bit-identical for any number of threads: threads only split
 * independent actors or pairs, each writing its own slot.
 *
 * Speed.  KTAB builds the n x n matrix A^h for each of n estimators (n^3)
 * and evaluates challenges through generic matrices (n^4 per turn).  Here:
 *  - A^h_ij = u(D_ij, r_hi) depends on h only through r_hi, and initiator i
 *    needs only A^i, so its entries are computed on the fly from D
 *    (n^2 per initiator, n^3 per turn, O(n) memory per thread);
 *  - the third-party loop of E(i;i;i->j) is O(n); it runs for a block of
 *    targets j at once so that the n sequential sums of different j
 *    proceed in SIMD lanes, each in ascending n as the spec requires;
 *  - a bargain's utility to every voter (§7.2) is computed once, not once
 *    per queue, with voters in SIMD lanes: n^2 per bargain, n^3 per turn;
 *  - the status-quo utility is the same in every queue: n^2 per turn;
 *  - targets are evaluated in decreasing order of an upper bound on their
 *    gain (§4 with P = 1) and the search stops when no bound left can
 *    beat the best gain (smp_challenge.c); with 320 random actors about
 *    one target in five is evaluated;
 *  - the coalition sums of the big elections (§2.3, §10) and of §7.2 keep
 *    blocks of partial sums in registers while the voters run, so memory
 *    is read once per block rather than once per pair;
 *  - the hot loops are compiled for AVX2 too (pce.h, PARLEY_SIMD_CLONES);
 *    both paths do the same IEEE operations, without FMA.
 * None of this changes a bit: tests/test_smp.c compares every result with
 * a fixture written by the straightforward code before these changes.
 * A turn is O(n^3); bench/bench_smp.c measures it.
 *
 * Scales.  SMP works on [0,1]: x = (v - low) / (high - low), and for a
 * 0..100 scale exactly v / 100.0 as KTAB divides (§1), so the bits match.
 * An actor with no stake in an issue gets salience 0 there and sits at the
 * issue's status quo, else the scale's midpoint: SMP needs a point on every
 * dimension; it does not affect the actor's own utilities (salience 0
 * weighs that dimension out) but others measure their distance to it, and
 * the status quo is where an actor that takes no part leaves the issue.
 * Its positions there are reported as NaN (no stake).  KTAB requires each
 * actor's saliences to add up to at most 1; where a scenario's do not, all
 * saliences are divided by the largest total, which keeps their ratios.
 *
 * Forecast.  smpc prints no summary.  The forecast of each issue is the
 * final position that §10's election ranks most likely to win (positions
 * within 1e-3 count as one): a point the model itself says prevails, held
 * by an actual coalition of actors, and the same point on every issue, so
 * a multi-dimensional forecast is a coherent package rather than a mean
 * that nobody holds.  The issue note gives its probability.
 *
 * Options.  KTAB's parameters that SMP-SPEC and KTAB's kmodel.cpp define,
 * with KTAB's defaults (the reference runs use only the defaults):
 *   vote_rule     how a voter's utility difference becomes a vote (pce.h),
 *                 in challenges and in every election;
 *   victory_prob  how coalition strengths become P(a beats b) in elections;
 *                 KTAB's challenge P stays linear (probEduChlg);
 *   pce           conditional or Markov elections (pce.h);
 *   risk_adjust   how h estimates i's risk attitude: r_hi = R_i (full),
 *                 (R_h + 2R_i)/3, (R_h + R_i)/2, (2R_h + R_i)/3 (one_third),
 *                 R_h (none) (Model::estNRA);
 *   risk_range    R from win probability over [0,1] (min), [-1/2,1] (mid),
 *                 [-1,1] (max) (Model::bigRfromProb);
 *   third_party   what a third party expects to keep when it joins a side:
 *                 its own position in neither (full commit), only when its
 *                 side wins (semi) or always (none) (thirdPartyVoteSU);
 *   transitions   deterministic: the most likely bargain of each queue;
 *                 stochastic: a bargain drawn with its PCE probability from
 *                 the run's stream (seed, stream), one draw per actor in
 *                 actor order, so a seed gives one run on any thread count.
 * Bargains are always S2P2 interpolations from the initiator's view
 * (InitOnlyInterp) and ideals track positions (identity accommodation). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "parley/rng.h"
#include "pce.h"
#include "model_util.h"
#include "smp_internal.h"

static const char *const vote_names[] = {"binary", "prop_bin", "prop", "prop_cubic",
                                         "cubic", "asym_prospect", NULL};
static const char *const victory_names[] = {"linear", "square", "quartic", NULL};
static const char *const pce_names[] = {"conditional", "markov_incentive",
                                        "markov_uniform", NULL};
static const char *const adjust_names[] = {"full", "two_thirds", "half", "one_third",
                                           "none", NULL};
static const char *const range_names[] = {"min", "mid", "max", NULL};
static const char *const commit_names[] = {"none", "semi", "full", NULL};
static const char *const transition_names[] = {"deterministic", "stochastic", NULL};

enum { P_VOTE, P_VICTORY, P_PCE, P_ADJUST, P_RANGE, P_COMMIT, P_TRANSITIONS, P_TURNS };

static const parley_param params[] = {
    {"vote_rule", "how a utility difference becomes a vote", PARLEY_PARAM_CHOICE,
     PARLEY_VOTE_PROP, 0, 5, vote_names},
    {"victory_prob", "P(a beats b) from coalition strengths: C, C^2 or C^4",
     PARLEY_PARAM_CHOICE, PARLEY_VICTORY_LINEAR, 0, 2, victory_names},
    {"pce", "probabilistic Condorcet election: conditional or Markov",
     PARLEY_PARAM_CHOICE, PARLEY_PCE_CONDITIONAL, 0, 2, pce_names},
    {"risk_adjust", "how one actor estimates another's risk attitude",
     PARLEY_PARAM_CHOICE, SMP_ADJUST_ONE_THIRD, 0, 4, adjust_names},
    {"risk_range", "range of risk attitudes: [0,1], [-0.5,1] or [-1,1]",
     PARLEY_PARAM_CHOICE, SMP_RANGE_MID, 0, 2, range_names},
    {"third_party", "third parties' commitment when joining a side",
     PARLEY_PARAM_CHOICE, SMP_COMMIT_SEMI, 0, 2, commit_names},
    {"transitions", "each actor takes its most likely bargain, or draws one",
     PARLEY_PARAM_CHOICE, 0, 0, 1, transition_names},
    {"max_turns", "stop after this many turns", PARLEY_PARAM_INT, 100, 1, 10000, NULL},
    {NULL},
};

enum { EV_RISK, EV_CHALLENGE, EV_MOVE, EV_STAY };
static const parley_event_kind events[] = {
    {"risk", {"risk_attitude", "p_win", NULL, NULL}},
    {"challenge", {"p_win", "gain", NULL, NULL}},
    {"move", {"position", "p_choice", "initiator", "from"}},
    {"stay", {"p_choice", NULL, NULL, NULL}},
    {NULL, {NULL, NULL, NULL, NULL}},
};

static double to_unit(const parley_issue *issue, double v)
{
    if (issue->low == 0 && issue->high == 100)
        return v / 100.0;
    return (v - issue->low) / (issue->high - issue->low);
}

static double from_unit(const parley_issue *issue, double x)
{
    if (issue->low == 0 && issue->high == 100)
        return x * 100.0;
    /* Rounding may step a hair outside the scale; positions never may. */
    double v = issue->low + x * (issue->high - issue->low);
    return v < issue->low ? issue->low : v > issue->high ? issue->high : v;
}

static void load_scenario(const parley_scenario *sc, smp_run *run)
{
    size_t n = run->n, k = run->k;
    double largest = 0;
    for (size_t a = 0; a < n; a++) {
        double total = 0;
        for (size_t d = 0; d < k; d++) {
            const parley_issue *issue = &sc->issues[d];
            const parley_stake *stake = parley_stake_at(sc, a, d);
            double position = stake->present ? stake->position.value
                              : issue->has_status_quo ? issue->status_quo.value
                                                      : (issue->low + issue->high) / 2;
            run->x[a * k + d] = to_unit(issue, position);
            run->salience[a * k + d] = stake->present ? stake->salience.value : 0.0;
            total = total + run->salience[a * k + d];
        }
        largest = total > largest ? total : largest;
    }
    if (largest > 1)
        for (size_t v = 0; v < n * k; v++)
            run->salience[v] /= largest;
    for (size_t a = 0; a < n; a++) {
        double total = 0, squares = 0;
        for (size_t d = 0; d < k; d++) {
            double s = run->salience[a * k + d];
            total = total + s;
            squares = squares + s * s;
        }
        run->total_salience[a] = total;
        run->salience_squares[a] = squares;
        run->capability[a] = sc->actors[a].capability.value;
        run->power[a] = total * run->capability[a];
    }
}

static void record_positions(const parley_scenario *sc, const smp_run *run, double *out)
{
    for (size_t a = 0; a < run->n; a++)
        for (size_t d = 0; d < run->k; d++)
            out[a * run->k + d] = parley_stake_at(sc, a, d)->present
                                      ? from_unit(&sc->issues[d], run->x[a * run->k + d])
                                      : NAN;
}

static int add_event(parley_result *result, unsigned round, int kind, int actor, int other,
                     int issue, double v0, double v1, double v2, double v3)
{
    parley_event ev = {.round = round, .kind = kind, .actor = actor, .other = other,
                       .issue = issue, .issue2 = -1, .value = {v0, v1, v2, v3}};
    return parley_result_add_event(result, &ev);
}

/* Trace of one turn: risk attitudes and win chances of the state it starts
 * from, each challenge, each actor's choice. */
static int trace_turn(const parley_scenario *sc, const smp_run *run, unsigned turn,
                      const double *old_x, parley_result *result)
{
    size_t n = run->n, k = run->k;
    for (size_t a = 0; a < n; a++)
        if (add_event(result, turn, EV_RISK, (int)a, -1, -1, run->risk[a],
                      run->win_prob[a], 0, 0))
            return PARLEY_ENOMEM;
    for (size_t a = 0; a < n; a++)
        if (run->target[a] >= 0 &&
            add_event(result, turn, EV_CHALLENGE, (int)a, run->target[a], -1,
                      run->challenge_p[a], run->challenge_gain[a], 0, 0))
            return PARLEY_ENOMEM;
    for (size_t a = 0; a < n; a++) {
        long from = run->chosen[a];
        if (from < 0) {
            if (add_event(result, turn, EV_STAY, (int)a, -1, -1, run->chosen_p[a], 0, 0, 0))
                return PARLEY_ENOMEM;
            continue;
        }
        int initiator = (size_t)from == a;
        int other = initiator ? run->target[a] : (int)from;
        for (size_t d = 0; d < k; d++) {
            if (!parley_stake_at(sc, a, d)->present)
                continue;
            const parley_issue *issue = &sc->issues[d];
            if (add_event(result, turn, EV_MOVE, (int)a, other, (int)d,
                          from_unit(issue, run->x[a * k + d]), run->chosen_p[a],
                          initiator, from_unit(issue, old_x[a * k + d])))
                return PARLEY_ENOMEM;
        }
    }
    return PARLEY_OK;
}

/* §10: the most likely final position; sets the forecast of every issue. */
static int set_forecast(const parley_scenario *sc, const smp_run *run,
                        parley_result *result)
{
    size_t best = 0;
    for (size_t a = 1; a < run->n; a++)
        if (run->win_prob[a] > run->win_prob[best])
            best = a;
    size_t holders = 0;
    for (size_t a = 0; a < run->n; a++)
        holders += run->win_prob[a] == run->win_prob[best] &&
                   smp_distance(run, a, best) < SMP_POSITION_TOLERANCE;
    for (size_t d = 0; d < run->k; d++) {
        result->forecast[d] = from_unit(&sc->issues[d], run->x[best * run->k + d]);
        if (parley_result_set_issue_note(
                result, d,
                "final position of %s and %zu other actor(s), the most likely to win "
                "(p %.3f)",
                sc->actors[best].name, holders - 1, run->win_prob[best]))
            return PARLEY_ENOMEM;
    }
    return PARLEY_OK;
}

static int run_smp(const parley_scenario *sc, const parley_run_opts *opts,
                   parley_result *result, parley_error *err)
{
    if (sc->n_issues == 0)
        return parley_error_set(err, PARLEY_EUNDEF, "the scenario has no issues");
    if (sc->n_actors < 2)
        return parley_error_set(err, PARLEY_EUNDEF,
                                "the spatial model needs at least two actors");
    smp_config config = {
        .vote = (parley_vote_rule)opts->param[P_VOTE],
        .victory = (parley_victory_model)opts->param[P_VICTORY],
        .pce = (parley_pce_model)opts->param[P_PCE],
        .adjust = (int)opts->param[P_ADJUST],
        .range = (int)opts->param[P_RANGE],
        .commit = (int)opts->param[P_COMMIT],
        .stochastic = opts->param[P_TRANSITIONS] != 0,
    };
    unsigned max_turns = (unsigned)opts->param[P_TURNS];
    int keep_history = (opts->flags & PARLEY_RUN_HISTORY) != 0;
    int tracing = (opts->flags & PARLEY_RUN_TRACE) != 0;
    smp_run *run = smp_run_new(sc->n_actors, sc->n_issues, &config);
    double *shown = parley_malloc(sc->n_actors * sc->n_issues * sizeof *shown);
    double *old_x = parley_malloc(sc->n_actors * sc->n_issues * sizeof *old_x);
    int rc = PARLEY_ENOMEM;
    if (!run || !shown || !old_x)
        goto fail;
    parley_rng rng;
    parley_rng_init(&rng, opts->seed, opts->stream);
    load_scenario(sc, run);
    smp_assess_state(run, tracing);
    /* State 0 is the input itself, not its round trip through [0, 1]. */
    parley_scenario_positions(sc, shown);
    if (parley_result_record_state(result, shown, keep_history))
        goto fail;
    double first_step = 0;
    unsigned turn = 0;
    for (;;) {
        turn++;
        memcpy(old_x, run->x, run->n * run->k * sizeof *old_x);
        smp_turn(run, config.stochastic ? &rng : NULL);
        if (tracing && (rc = trace_turn(sc, run, turn, old_x, result)))
            goto fail;
        rc = PARLEY_ENOMEM;
        double step = 0; /* §9: summed Euclidean moves on [0,1] */
        for (size_t a = 0; a < run->n; a++) {
            double squares = 0;
            for (size_t d = 0; d < run->k; d++) {
                double delta = run->x[a * run->k + d] - old_x[a * run->k + d];
                squares += delta * delta;
            }
            step += sqrt(squares);
        }
        if (turn == 1)
            first_step = step;
        double ratio = step / (first_step + 1e-4);
        int last = turn >= max_turns || (turn >= 2 && ratio < 0.02);
        smp_assess_state(run, tracing || last);
        record_positions(sc, run, shown);
        if (parley_result_record_state(result, shown, keep_history))
            goto fail;
        result->n_rounds = turn;
        if (turn >= 2 && ratio < 0.02)
            snprintf(result->stop_reason, sizeof result->stop_reason,
                     "converged at turn %u: ratio %.4g < 0.02", turn, ratio);
        else if (last)
            snprintf(result->stop_reason, sizeof result->stop_reason,
                     "%u turns (the maximum)", turn);
        if (opts->on_round && opts->on_round(result, turn, opts->userdata)) {
            rc = parley_error_set(err, PARLEY_ECANCEL, "cancelled at turn %u", turn);
            goto done;
        }
        if (last)
            break;
    }
    if ((rc = set_forecast(sc, run, result)))
        goto fail;
    rc = PARLEY_OK;
    goto done;
fail:
    rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
done:
    smp_run_free(run);
    parley_free(shown);
    parley_free(old_x);
    return rc;
}

static const char *actor_name(const parley_scenario *sc, int a)
{
    return a >= 0 && (size_t)a < sc->n_actors ? sc->actors[a].name : "?";
}

static const char *issue_name(const parley_scenario *sc, int d)
{
    return d >= 0 && (size_t)d < sc->n_issues ? sc->issues[d].name : "?";
}

static void describe(const parley_scenario *sc, const parley_event *ev, char *buf, size_t n)
{
    switch (ev->kind) {
    case EV_RISK:
        snprintf(buf, n,
                 "turn %u: %s's risk attitude is %+.3f (-0.5 risk-seeking .. +1 "
                 "risk-averse); its position's chance to win is %.4f",
                 ev->round, actor_name(sc, ev->actor), ev->value[0], ev->value[1]);
        break;
    case EV_CHALLENGE:
        snprintf(buf, n, "turn %u: %s challenges %s (p win %.2f, gain %.3f)", ev->round,
                 actor_name(sc, ev->actor), actor_name(sc, ev->other), ev->value[0],
                 ev->value[1]);
        break;
    case EV_MOVE:
        if (ev->value[2] != 0)
            snprintf(buf, n,
                     "turn %u: %s takes its own bargain with %s (p %.2f) and moves "
                     "from %.1f to %.1f on %s",
                     ev->round, actor_name(sc, ev->actor), actor_name(sc, ev->other),
                     ev->value[1], ev->value[3], ev->value[0], issue_name(sc, ev->issue));
        else
            snprintf(buf, n,
                     "turn %u: %s accepts %s's bargain (p %.2f) and moves from %.1f "
                     "to %.1f on %s",
                     ev->round, actor_name(sc, ev->actor), actor_name(sc, ev->other),
                     ev->value[1], ev->value[3], ev->value[0], issue_name(sc, ev->issue));
        break;
    case EV_STAY:
        snprintf(buf, n, "turn %u: %s keeps its position (status quo chosen, p %.2f)",
                 ev->round, actor_name(sc, ev->actor), ev->value[0]);
        break;
    default:
        snprintf(buf, n, "turn %u: unknown event", ev->round);
    }
}

const parley_model parley_model_smp = {
    .name = "smp",
    .summary = "KTAB's spatial model of politics: challenges, bargains, PCE queues",
    .reference = "Wise et al., KTAB Spatial Model of Politics (KAPSARC 2015-2017); "
                 "SMP-SPEC.md",
    .params = params,
    .events = events,
    .iterative = 1,
    .run = run_smp,
    .describe = describe,
};
