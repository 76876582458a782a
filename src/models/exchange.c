/* exchange.c — the exchange model: actors trade voting positions across
 * issues, each giving way where it cares less in return for a move where it
 * cares more.
 *
 * Stokman & Van Oosten, "The exchange of voting positions: an
 * object-oriented model of policy networks", in Bueno de Mesquita & Stokman
 * (eds.), European Community Decision Making (1994), pp. 105-127; the equal
 * gain solution.  The algorithm is MODELS.md section 6, whose step numbers
 * (1-5) are cited below.  Notation: x round-start positions, v voting
 * positions, s salience, w = c s, W_d = sum_a w_ad, O_d = sum_a w_ad v_ad / W_d.
 *
 * Scales.  The gain of an exchange adds an outcome shift on one issue to an
 * outcome shift on another (3f), so the two issues' units must be the same:
 * every issue is mapped linearly onto 0-100 for the run (as in the source)
 * and back for the result.  Moves in the trace are in each issue's own
 * units; gains are salience times outcome shift on the 0-100 scale, and the
 * thresholds eps, eps_O and min_gain apply on that scale too.
 *
 * Speed.  A candidate's size depends on the state only through O_p, O_q,
 * v_jp and v_iq (step 3).  Executing a candidate on issues {p, q} changes
 * O_p, O_q and two votes on p and q, so exactly the candidates on an issue
 * pair that contains p or q can change (2m - 3 of the m(m-1)/2 pairs); all
 * others keep their sizes.  Candidates are kept grouped by issue pair, each
 * group with its best gain cached; an execution re-sizes the touched groups
 * (and drops the candidates that became impossible), then the next candidate
 * is the best of the group bests.  A heap over single candidates would not
 * save work: every candidate of a touched group depends on the O that moved.
 *
 * Actors with no stake in an issue count as w = 0 there and take no part in
 * exchanges on it; an issue where nobody has weight has no forecast. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "parley/rng.h"

enum { PARAM_ROUNDS, PARAM_MIN_GAIN, PARAM_RECHECK_SIDES };

static const parley_param params[] = {
    {"rounds", "number of rounds of exchanges (stops early when a round makes none)",
     PARLEY_PARAM_INT, 10, 1, 100000, NULL},
    {"min_gain",
     "smallest gain (salience x outcome shift on a 0-100 scale) worth an exchange",
     PARLEY_PARAM_REAL, 1e-10, 0, 1e9, NULL},
    {"recheck_sides",
     "drop an exchange once the outcome has moved behind a supplier's own position",
     PARLEY_PARAM_BOOL, 0, 0, 1, NULL},
    {NULL},
};

enum { EVENT_EXCHANGE, EVENT_ROUND, EVENT_OUTCOME };

/* exchange: actor gives way on issue towards other's position, other gives
 * way on issue2 towards actor's; moves in each issue's own units. */
static const parley_event_kind events[] = {
    {"exchange", {"move", "other_move", "gain", NULL}},
    {"round", {"exchanges", "candidates", NULL, NULL}},
    {"outcome", {"outcome", NULL, NULL, NULL}},
    {NULL, {NULL, NULL, NULL, NULL}},
};

#define EPS_MOVE 1e-10   /* eps of step 3f, on the 0-100 scale */
#define EPS_ROOM 1e-9    /* eps_O of step 3b, on the 0-100 scale */
#define TIE_SHARE 1e-12  /* step 4: gains this close (relative) are tied */
#define SCALE 100.0

enum { SIDE_LEFT = 0, SIDE_RIGHT = 1, SIDE_NONE = 2 };

/* A candidate of issue pair (p, q), p < q: j supplies p and demands q, i
 * supplies q and demands p (step 2).  gain < 0 marks it gone. */
typedef struct candidate {
    uint32_t i, j;
    double gain;
} candidate;

typedef struct pair_group {
    size_t p, q;
    size_t start, count; /* into exchange_state.candidates */
    double best;         /* highest gain in the group, -1 when empty */
} pair_group;

/* The size of a candidate in the current state (step 3). */
typedef struct sizing {
    double gain;
    double move_j, move_i;   /* vote moves, 0-100 scale */
    double shift_p, shift_q; /* outcome shifts */
    double dir_p, dir_q;     /* +1 or -1 */
} sizing;

typedef struct exchange_state {
    size_t n, m;
    /* issue-major: [d * n + a] */
    double *x, *v, *salience, *weight;
    unsigned char *stake, *side;
    double *weight_total, *outcome; /* per issue */
    double min_gain;
    int recheck_sides;
    candidate *candidates;
    size_t n_candidates, cap_candidates;
    pair_group *groups;
    size_t n_groups;
    size_t *group_of; /* m * m: group of the unordered pair */
    double *state;    /* n * m actor-major, for the result */
} exchange_state;

static void state_free(exchange_state *st)
{
    parley_free(st->x);
    parley_free(st->v);
    parley_free(st->salience);
    parley_free(st->weight);
    parley_free(st->stake);
    parley_free(st->side);
    parley_free(st->weight_total);
    parley_free(st->outcome);
    parley_free(st->candidates);
    parley_free(st->groups);
    parley_free(st->group_of);
    parley_free(st->state);
}

static int state_init(exchange_state *st, const parley_scenario *sc)
{
    size_t n = sc->n_actors, m = sc->n_issues, cells = n * m > 0 ? n * m : 1;
    size_t issues = m ? m : 1;
    memset(st, 0, sizeof *st);
    st->n = n;
    st->m = m;
    st->x = parley_malloc(cells * sizeof *st->x);
    st->v = parley_malloc(cells * sizeof *st->v);
    st->salience = parley_malloc(cells * sizeof *st->salience);
    st->weight = parley_malloc(cells * sizeof *st->weight);
    st->stake = parley_malloc(cells);
    st->side = parley_malloc(cells);
    st->weight_total = parley_malloc(issues * sizeof *st->weight_total);
    st->outcome = parley_malloc(issues * sizeof *st->outcome);
    st->n_groups = m * (m - (m > 0)) / 2;
    st->groups = parley_malloc((st->n_groups ? st->n_groups : 1) * sizeof *st->groups);
    st->group_of = parley_malloc(issues * issues * sizeof *st->group_of);
    st->state = parley_malloc(cells * sizeof *st->state);
    if (!st->x || !st->v || !st->salience || !st->weight || !st->stake || !st->side ||
        !st->weight_total || !st->outcome || !st->groups || !st->group_of || !st->state)
        return PARLEY_ENOMEM;
    for (size_t d = 0; d < m; d++) {
        const parley_issue *issue = &sc->issues[d];
        double total = 0;
        for (size_t a = 0; a < n; a++) {
            const parley_stake *stake = parley_stake_at(sc, a, d);
            size_t k = d * n + a;
            st->stake[k] = stake->present != 0;
            st->salience[k] = stake->present ? stake->salience.value : 0;
            st->weight[k] = sc->actors[a].capability.value * st->salience[k];
            st->x[k] = stake->present ? SCALE * (stake->position.value - issue->low) /
                                            (issue->high - issue->low)
                                      : 0;
            total += st->weight[k];
        }
        st->weight_total[d] = total;
    }
    size_t g = 0;
    for (size_t p = 0; p < m; p++)
        for (size_t q = p + 1; q < m; q++) {
            st->groups[g] = (pair_group){.p = p, .q = q, .best = -1};
            st->group_of[p * m + q] = st->group_of[q * m + p] = g;
            g++;
        }
    return PARLEY_OK;
}

/* Step 3 for candidate (i, j) of pair (p, q); 0 when it is not possible. */
static int size_candidate(const exchange_state *st, size_t p, size_t q, size_t i,
                          size_t j, sizing *out)
{
    size_t n = st->n;
    const double *x = st->x, *v = st->v, *s = st->salience, *w = st->weight;
    double target_p = x[p * n + i], target_q = x[q * n + j];
    double start_jp = x[p * n + j], start_iq = x[q * n + i];
    double dir_p = target_p > start_jp ? 1.0 : -1.0;
    double dir_q = target_q > start_iq ? 1.0 : -1.0;
    double left_p = (target_p - v[p * n + j]) * dir_p; /* 3a */
    double left_q = (target_q - v[q * n + i]) * dir_q;
    if (!(left_p > 0) || !(left_q > 0))
        return 0;
    double outcome_p = st->outcome[p], outcome_q = st->outcome[q];
    double room_p = (target_p - outcome_p) * dir_p; /* 3b */
    double room_q = (target_q - outcome_q) * dir_q;
    if (!(room_p > EPS_ROOM) || !(room_q > EPS_ROOM))
        return 0;
    if (st->recheck_sides &&
        (!((outcome_p - start_jp) * dir_p > 0) || !((outcome_q - start_iq) * dir_q > 0)))
        return 0;
    double w_jp = w[p * n + j], w_iq = w[q * n + i];
    if (!(w_jp > 0) || !(w_iq > 0))
        return 0;
    double total_p = st->weight_total[p], total_q = st->weight_total[q];
    double s_ip = s[p * n + i], s_jp = s[p * n + j];
    double s_iq = s[q * n + i], s_jq = s[q * n + j];
    double ratio = (s_ip + s_jp) / (s_iq + s_jq); /* 3c: dq = ratio dp */
    enum { BOUND_J_FULL, BOUND_I_FULL, BOUND_ROOM } bound = BOUND_J_FULL;
    double shift_p = left_p * w_jp / total_p; /* 3d */
    double shift_q = ratio * shift_p;
    if (shift_q * total_q / w_iq > left_q) {
        shift_q = left_q * w_iq / total_q;
        shift_p = shift_q / ratio;
        bound = BOUND_I_FULL;
    }
    if (shift_q > room_q) { /* 3e */
        shift_q = room_q;
        shift_p = shift_q / ratio;
        bound = BOUND_ROOM;
    }
    if (shift_p > room_p) {
        shift_p = room_p;
        shift_q = ratio * shift_p;
        bound = BOUND_ROOM;
    }
    /* The full move is taken exactly so that a vote lands on its target, not
     * an ulp past it; the other move never exceeds what is left. */
    double move_j = bound == BOUND_J_FULL ? left_p : fmin(shift_p * total_p / w_jp, left_p);
    double move_i = bound == BOUND_I_FULL ? left_q : fmin(shift_q * total_q / w_iq, left_q);
    double gain = shift_p * (s_ip * s_jq - s_iq * s_jp) / (s_iq + s_jq); /* 3f */
    if (!(move_i > EPS_MOVE) || !(move_j > EPS_MOVE) || !(gain > st->min_gain))
        return 0;
    *out = (sizing){gain, move_j, move_i, shift_p, shift_q, dir_p, dir_q};
    return 1;
}

/* Step 1: sides fixed for the round, from the round-start outcome. */
static void start_round(exchange_state *st)
{
    size_t n = st->n;
    for (size_t d = 0; d < st->m; d++) {
        double sum = 0;
        for (size_t a = 0; a < n; a++)
            sum += st->weight[d * n + a] * st->x[d * n + a];
        double outcome = st->weight_total[d] > 0 ? sum / st->weight_total[d] : 0;
        st->outcome[d] = outcome;
        for (size_t a = 0; a < n; a++) {
            size_t k = d * n + a;
            st->v[k] = st->x[k];
            unsigned char side = SIDE_NONE;
            if (st->stake[k] && st->weight_total[d] > 0) {
                if (st->x[k] < outcome)
                    side = SIDE_LEFT;
                else if (st->x[k] > outcome)
                    side = SIDE_RIGHT;
                else
                    side = st->recheck_sides ? SIDE_NONE : SIDE_LEFT;
            }
            st->side[k] = side;
        }
    }
}

/* Step 2 and the first sizing of step 4: every possible candidate, in
 * creation order, grouped by issue pair. */
static int build_candidates(exchange_state *st)
{
    size_t n = st->n;
    const double *s = st->salience;
    st->n_candidates = 0;
    for (size_t g = 0; g < st->n_groups; g++) {
        pair_group *group = &st->groups[g];
        size_t p = group->p, q = group->q;
        group->start = st->n_candidates;
        group->count = 0;
        group->best = -1;
        const unsigned char *side_p = st->side + p * n, *side_q = st->side + q * n;
        for (size_t a = 0; a < n; a++) {
            if (side_p[a] == SIDE_NONE || side_q[a] == SIDE_NONE)
                continue;
            for (size_t b = a + 1; b < n; b++) {
                if (side_p[b] == SIDE_NONE || side_q[b] == SIDE_NONE ||
                    side_p[a] == side_p[b] || side_q[a] == side_q[b])
                    continue;
                double a_over_b = s[p * n + a] * s[q * n + b];
                double b_over_a = s[p * n + b] * s[q * n + a];
                if (a_over_b == b_over_a)
                    continue;
                size_t i = a_over_b > b_over_a ? a : b, j = i == a ? b : a;
                sizing size;
                if (!size_candidate(st, p, q, i, j, &size))
                    continue;
                if (st->n_candidates == st->cap_candidates) {
                    size_t cap = st->cap_candidates ? 2 * st->cap_candidates : 1024;
                    candidate *grown =
                        parley_reallocarray(st->candidates, cap, sizeof *grown);
                    if (!grown)
                        return PARLEY_ENOMEM;
                    st->candidates = grown;
                    st->cap_candidates = cap;
                }
                st->candidates[st->n_candidates++] =
                    (candidate){(uint32_t)i, (uint32_t)j, size.gain};
                group->count++;
                if (size.gain > group->best)
                    group->best = size.gain;
            }
        }
    }
    return PARLEY_OK;
}

/* Re-sizes every candidate of a group from the current state, dropping (for
 * the rest of the round) those no longer possible, keeping creation order. */
static void resize_group(exchange_state *st, pair_group *group)
{
    candidate *c = st->candidates + group->start;
    size_t kept = 0;
    double best = -1;
    for (size_t k = 0; k < group->count; k++) {
        sizing size;
        if (c[k].gain < 0 || !size_candidate(st, group->p, group->q, c[k].i, c[k].j, &size))
            continue;
        c[kept] = c[k];
        c[kept].gain = size.gain;
        if (size.gain > best)
            best = size.gain;
        kept++;
    }
    group->count = kept;
    group->best = best;
}

/* Step 4's choice: the highest gain, ties drawn uniformly in creation
 * order.  NULL when the pool is empty. */
static candidate *choose(exchange_state *st, parley_rng *rng, pair_group **chosen_group)
{
    double highest = -1;
    for (size_t g = 0; g < st->n_groups; g++)
        if (st->groups[g].best > highest)
            highest = st->groups[g].best;
    if (highest < 0)
        return NULL;
    double floor_gain = highest - TIE_SHARE * fmax(1.0, highest);
    size_t ties = 0;
    candidate *first = NULL;
    for (size_t g = 0; g < st->n_groups; g++) {
        pair_group *group = &st->groups[g];
        if (group->best < floor_gain)
            continue;
        for (size_t k = 0; k < group->count; k++)
            if (st->candidates[group->start + k].gain >= floor_gain) {
                if (!first) {
                    first = &st->candidates[group->start + k];
                    *chosen_group = group;
                }
                ties++;
            }
    }
    if (ties == 1)
        return first;
    uint64_t pick = parley_rng_below(rng, ties);
    for (size_t g = 0; g < st->n_groups; g++) {
        pair_group *group = &st->groups[g];
        if (group->best < floor_gain)
            continue;
        for (size_t k = 0; k < group->count; k++)
            if (st->candidates[group->start + k].gain >= floor_gain && pick-- == 0) {
                *chosen_group = group;
                return &st->candidates[group->start + k];
            }
    }
    return NULL; /* not reached */
}

static double issue_outcome(const exchange_state *st, size_t d, const double *votes)
{
    double sum = 0;
    for (size_t a = 0; a < st->n; a++)
        sum += st->weight[d * st->n + a] * votes[d * st->n + a];
    return sum / st->weight_total[d];
}

static double to_scale(const parley_issue *issue, double normalised)
{
    return issue->low + normalised * (issue->high - issue->low) / SCALE;
}

/* Executes a chosen candidate and re-sizes the groups it touched. */
static void execute(exchange_state *st, pair_group *group, candidate *chosen,
                    sizing *done)
{
    size_t n = st->n, m = st->m, p = group->p, q = group->q;
    size_t i = chosen->i, j = chosen->j;
    size_candidate(st, p, q, i, j, done); /* its stored gain is this state's */
    double *vote_jp = &st->v[p * n + j], *vote_iq = &st->v[q * n + i];
    double target_p = st->x[p * n + i], target_q = st->x[q * n + j];
    *vote_jp += done->dir_p * done->move_j;
    *vote_iq += done->dir_q * done->move_i;
    /* votes move towards targets on the scale: keep them from rounding past */
    if ((*vote_jp - target_p) * done->dir_p > 0)
        *vote_jp = target_p;
    if ((*vote_iq - target_q) * done->dir_q > 0)
        *vote_iq = target_q;
    st->outcome[p] = issue_outcome(st, p, st->v);
    st->outcome[q] = issue_outcome(st, q, st->v);
    chosen->gain = -1; /* executed at most once a round */
    for (size_t r = 0; r < m; r++) {
        if (r != p)
            resize_group(st, &st->groups[st->group_of[p * m + r]]);
        if (r != q && r != p)
            resize_group(st, &st->groups[st->group_of[q * m + r]]);
    }
}

/* Step 5: the next round's positions; actor-issues that did not move keep
 * theirs exactly. */
static void next_positions(exchange_state *st)
{
    for (size_t k = 0; k < st->n * st->m; k++)
        if (st->v[k] != st->x[k]) {
            double pull = 0.1 + 0.4 * (1.0 - st->salience[k]);
            st->x[k] += pull * (st->v[k] - st->x[k]);
        }
}

static void fill_state(const exchange_state *st, const parley_scenario *sc)
{
    for (size_t a = 0; a < st->n; a++)
        for (size_t d = 0; d < st->m; d++) {
            size_t k = d * st->n + a;
            st->state[a * st->m + d] =
                st->stake[k] ? to_scale(&sc->issues[d], st->x[k]) : NAN;
        }
}

static int add_event(parley_result *result, unsigned round, int kind, int actor,
                     int other, int issue, int issue2, double v0, double v1, double v2)
{
    parley_event ev = {round, kind, actor, other, issue, issue2, {v0, v1, v2, 0}};
    return parley_result_add_event(result, &ev);
}

static int run(const parley_scenario *sc, const parley_run_opts *opts,
               parley_result *result, parley_error *err)
{
    if (sc->n_issues == 0)
        return parley_error_set(err, PARLEY_EUNDEF, "the scenario has no issues");
    if (sc->n_actors > UINT32_MAX)
        return parley_error_set(err, PARLEY_EUNDEF, "too many actors for the exchange model");
    exchange_state st;
    int rc = state_init(&st, sc);
    if (rc)
        goto fail;
    st.min_gain = opts->param[PARAM_MIN_GAIN];
    st.recheck_sides = opts->param[PARAM_RECHECK_SIDES] != 0;
    unsigned rounds = (unsigned)opts->param[PARAM_ROUNDS];
    int keep_history = (opts->flags & PARLEY_RUN_HISTORY) != 0;
    int trace = (opts->flags & PARLEY_RUN_TRACE) != 0;
    parley_rng rng;
    parley_rng_init(&rng, opts->seed, opts->stream);

    size_t forecasts = 0;
    for (size_t d = 0; d < sc->n_issues; d++)
        if (st.weight_total[d] > 0)
            forecasts++;
        else if ((rc = parley_result_set_issue_note(
                      result, d, "no actor with a stake and a salience above 0")))
            goto fail;
    if (forecasts == 0) {
        state_free(&st);
        parley_error_at(err, NULL, 0, 0, sc->issues[0].id);
        return parley_error_set(err, PARLEY_EUNDEF,
                                "no issue has an actor with a stake and a salience above 0");
    }
    fill_state(&st, sc);
    if ((rc = parley_result_record_state(result, st.state, keep_history)))
        goto fail;

    unsigned round = 0, exchanges = 0;
    do {
        round++;
        start_round(&st);
        if ((rc = build_candidates(&st)))
            goto fail;
        size_t candidates = st.n_candidates;
        exchanges = 0;
        pair_group *group = NULL;
        candidate *chosen;
        while ((chosen = choose(&st, &rng, &group))) {
            sizing done;
            size_t i = chosen->i, j = chosen->j, p = group->p, q = group->q;
            execute(&st, group, chosen, &done);
            exchanges++;
            if (trace &&
                (rc = add_event(result, round, EVENT_EXCHANGE, (int)j, (int)i, (int)p, (int)q,
                                done.move_j * (sc->issues[p].high - sc->issues[p].low) / SCALE,
                                done.move_i * (sc->issues[q].high - sc->issues[q].low) / SCALE,
                                done.gain)))
                goto fail;
        }
        for (size_t d = 0; d < sc->n_issues; d++) /* step 5: over the votes */
            if (st.weight_total[d] > 0) {
                result->forecast[d] = to_scale(&sc->issues[d], issue_outcome(&st, d, st.v));
                if (trace && (rc = add_event(result, round, EVENT_OUTCOME, -1, -1, (int)d, -1,
                                             result->forecast[d], 0, 0)))
                    goto fail;
            }
        if (trace && (rc = add_event(result, round, EVENT_ROUND, -1, -1, -1, -1,
                                     exchanges, (double)candidates, 0)))
            goto fail;
        next_positions(&st);
        fill_state(&st, sc);
        if ((rc = parley_result_record_state(result, st.state, keep_history)))
            goto fail;
        result->n_rounds = round;
        if (opts->on_round && opts->on_round(result, round, opts->userdata)) {
            state_free(&st);
            return parley_error_set(err, PARLEY_ECANCEL, "cancelled after round %u", round);
        }
    } while (round < rounds && exchanges > 0);

    /* A round without an exchange leaves x unchanged, so every later round
     * would repeat it exactly: stopping there gives the same forecast. */
    if (exchanges > 0)
        snprintf(result->stop_reason, sizeof result->stop_reason, "%u rounds", round);
    else if (round == 1)
        snprintf(result->stop_reason, sizeof result->stop_reason, "no exchange possible");
    else
        snprintf(result->stop_reason, sizeof result->stop_reason,
                 "no exchange possible after round %u", round - 1);
    state_free(&st);
    return PARLEY_OK;
fail:
    state_free(&st);
    return parley_error_set(err, rc, "out of memory");
}

static const char *issue_label(const parley_scenario *sc, int issue)
{
    if (issue < 0 || (size_t)issue >= sc->n_issues)
        return "?";
    return sc->issues[issue].name ? sc->issues[issue].name : sc->issues[issue].id;
}

static const char *actor_label(const parley_scenario *sc, int actor)
{
    if (actor < 0 || (size_t)actor >= sc->n_actors)
        return "?";
    return sc->actors[actor].name ? sc->actors[actor].name : sc->actors[actor].id;
}

static void describe(const parley_scenario *sc, const parley_event *ev, char *buf, size_t n)
{
    switch (ev->kind) {
    case EVENT_EXCHANGE:
        snprintf(buf, n, "%s moves %.1f toward %s on %s; %s moves %.1f toward %s on %s; "
                         "each gains %.2f",
                 actor_label(sc, ev->actor), ev->value[0], actor_label(sc, ev->other),
                 issue_label(sc, ev->issue), actor_label(sc, ev->other), ev->value[1],
                 actor_label(sc, ev->actor), issue_label(sc, ev->issue2), ev->value[2]);
        break;
    case EVENT_ROUND:
        snprintf(buf, n, "round %u: %.0f exchange%s (of %.0f possible at the start)",
                 ev->round, ev->value[0], ev->value[0] == 1 ? "" : "s", ev->value[1]);
        break;
    case EVENT_OUTCOME:
        snprintf(buf, n, "round %u: outcome on %s is %.2f", ev->round,
                 issue_label(sc, ev->issue), ev->value[0]);
        break;
    default:
        snprintf(buf, n, "unknown event");
        break;
    }
}

const parley_model parley_model_exchange = {
    .name = "exchange",
    .summary = "exchange of voting positions across issues, equal gain (multi-issue)",
    .reference = "Stokman & Van Oosten (1994), The exchange of voting positions, "
                 "in European Community Decision Making",
    .params = params,
    .events = events,
    .iterative = 1,
    .run = run,
    .describe = describe,
};
