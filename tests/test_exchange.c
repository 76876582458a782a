/* test_exchange.c — the exchange model (src/models/exchange.c, MODELS.md
 * section 6).
 *
 * Reference values: the two-actor case is worked by hand below; the
 * three-actor case is MODELS.md's (its figures were also reproduced, to more
 * digits, by a short exact-rational Python transcription of MODELS.md run
 * once, not by the code under test).  The fast model is checked exchange for
 * exchange against a straightforward implementation kept here, which
 * re-sizes every remaining candidate after every exchange (step 4 read
 * literally), and its results are replayed against the model's invariants. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "parley/rng.h"

extern const parley_model parley_model_exchange;
static const parley_model *const model = &parley_model_exchange;

/* ---- building scenarios ------------------------------------------------ */

/* position/salience actor-major [a * m + d]; NaN position: no stake. */
static parley_scenario *make_scenario(size_t n, size_t m, const double *capability,
                                      const double *position, const double *salience,
                                      const double *low, const double *high)
{
    parley_scenario *sc = parley_scenario_new("test");
    cr_assert_not_null(sc);
    for (size_t a = 0; a < n; a++) {
        char id[32];
        snprintf(id, sizeof id, "%c%zu", (int)('A' + a % 26), a / 26);
        if (n <= 26)
            id[1] = '\0';
        cr_assert_eq(parley_scenario_add_actor(sc, id, capability[a], NULL, NULL), PARLEY_OK);
    }
    for (size_t d = 0; d < m; d++) {
        char id[32];
        snprintf(id, sizeof id, "%c%zu", (int)('p' + d % 10), d / 10);
        if (m <= 10)
            id[1] = '\0';
        cr_assert_eq(parley_scenario_add_issue(sc, id, low ? low[d] : 0, high ? high[d] : 100,
                                               NULL, NULL, NULL, NULL),
                     PARLEY_OK);
    }
    for (size_t a = 0; a < n; a++)
        for (size_t d = 0; d < m; d++)
            if (!isnan(position[a * m + d]))
                parley_scenario_set_stake(sc, a, d, position[a * m + d], salience[a * m + d]);
    return sc;
}

static parley_result *run_model(const parley_scenario *sc, unsigned rounds, uint64_t seed,
                                int recheck_sides)
{
    parley_run_opts opts;
    parley_run_opts_init(&opts, model);
    opts.flags = PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE;
    opts.seed = seed;
    opts.param[parley_model_find_param(model, "rounds")] = rounds;
    opts.param[parley_model_find_param(model, "recheck_sides")] = recheck_sides;
    parley_result *r = parley_result_new();
    cr_assert_not_null(r);
    parley_error err;
    int rc = parley_model_run(model, sc, &opts, r, &err);
    cr_assert_eq(rc, PARLEY_OK, "run failed: %s", err.message);
    return r;
}

static int kind_of(const char *name)
{
    for (int k = 0; model->events[k].name; k++)
        if (strcmp(model->events[k].name, name) == 0)
            return k;
    cr_assert_fail("no event kind %s", name);
    return -1;
}

/* The k-th event of a kind (0-based), or NULL. */
static const parley_event *nth_event(const parley_result *r, const char *kind, size_t k)
{
    int want = kind_of(kind);
    for (size_t e = 0; e < r->n_events; e++)
        if (r->events[e].kind == want && k-- == 0)
            return &r->events[e];
    return NULL;
}

static size_t count_events(const parley_result *r, const char *kind, unsigned round)
{
    int want = kind_of(kind);
    size_t count = 0;
    for (size_t e = 0; e < r->n_events; e++)
        if (r->events[e].kind == want && (round == 0 || r->events[e].round == round))
            count++;
    return count;
}

static double outcome_in_round(const parley_result *r, unsigned round, int issue)
{
    int want = kind_of("outcome");
    for (size_t e = 0; e < r->n_events; e++)
        if (r->events[e].kind == want && r->events[e].round == round &&
            r->events[e].issue == issue)
            return r->events[e].value[0];
    cr_assert_fail("no outcome for round %u issue %d", round, issue);
    return NAN;
}

#define CLOSE(got, want, tol)                                                     \
    cr_assert(fabs((got) - (want)) <= (tol), "%s = %.12g, expected %.12g", #got, \
              (double)(got), (double)(want))

/* ---- a case worked by hand ---------------------------------------------- */

/* Two actors, two issues; issue q is on a 0-10 scale (the model works on
 * 0-100 internally: 7 and 1 become 70 and 10).
 *
 *          c    p: x   s     q (0-10): x   s
 *   A      2       20  .8              7   .2
 *   B      1       80  .2              1   .6
 *
 * w_Ap = 1.6, w_Bp = .2, W_p = 1.8, O_p = (32 + 16)/1.8 = 26.667;
 * w_Aq = .4, w_Bq = .6, W_q = 1, O_q = 28 + 6 = 34 (3.4 on 0-10).
 * Sides: on p A left, B right; on q A right (70 > 34), B left: a candidate.
 * s_Ap s_Bq = .48 > s_Bp s_Aq = .04, so i = A (demands p), j = B (supplies p,
 * towards 20); A supplies q towards 10.  r = (.8 + .2)/(.2 + .6) = 1.25.
 * B fully: Delta_B = 60, dp = 60 * .2/1.8 = 20/3, dq = r dp = 25/3, implied
 * Delta_A = dq * 1/.4 = 20.833 <= 60 (A's distance to 10): j's full move
 * stands.  Rooms: rho_p = 26.667 - 20 = 20/3 (not exceeded: dp = rho_p, as
 * always with two actors), rho_q = 34 - 10 = 24 > 25/3.
 * Gains: G_A = dp s_Ap - dq s_Aq = 16/3 - 5/3 = 11/3; G_B = dq s_Bq - dp s_Bp
 * = 5 - 4/3 = 11/3; both 3.6667.
 * Round 1 forecast: O_p = 20, O_q = 34 - 25/3 = 25.667 (2.5667 on 0-10).
 * Next positions: f = .1 + .4 (1 - s): B on p f = .42, 80 - .42 * 60 = 54.8;
 * A on q f = .42, 70 - .42 * 20.833 = 61.25 (6.125 on 0-10).
 * Round 2: O_p = (32 + .2 * 54.8)/1.8 = 23.867, O_q = 24.5 + 6 = 30.5; B fully
 * again: Delta_B = 34.8, dp = 34.8 * .2/1.8 = 3.8667, dq = 4.8333, Delta_A =
 * 12.083 (1.2083 on 0-10), G = dp (.48 - .04)/.8 = 2.12667. */
static parley_scenario *two_actor_case(void)
{
    const double capability[] = {2, 1};
    const double position[] = {20, 7, 80, 1};
    const double salience[] = {.8, .2, .2, .6};
    const double low[] = {0, 0}, high[] = {100, 10};
    return make_scenario(2, 2, capability, position, salience, low, high);
}

Test(exchange, two_actors_by_hand)
{
    parley_scenario *sc = two_actor_case();
    parley_result *r = run_model(sc, 2, 0, 0);
    cr_assert_eq(r->n_rounds, 2);
    cr_assert_str_eq(r->stop_reason, "2 rounds");
    cr_assert_eq(count_events(r, "exchange", 1), 1);
    const parley_event *ex = nth_event(r, "exchange", 0);
    cr_assert_eq(ex->actor, 1); /* B gives way on p */
    cr_assert_eq(ex->other, 0);
    cr_assert_eq(ex->issue, 0);
    cr_assert_eq(ex->issue2, 1);
    CLOSE(ex->value[0], 60.0, 1e-9);
    CLOSE(ex->value[1], 20.833333333333333 / 10, 1e-9);
    CLOSE(ex->value[2], 11.0 / 3, 1e-9);
    CLOSE(outcome_in_round(r, 1, 0), 20.0, 1e-9);
    CLOSE(outcome_in_round(r, 1, 1), 2.5666666666666667, 1e-9);
    CLOSE(parley_result_position(r, 1, 1, 0), 54.8, 1e-9);
    CLOSE(parley_result_position(r, 1, 0, 1), 6.125, 1e-9);
    CLOSE(parley_result_position(r, 1, 0, 0), 20.0, 0);  /* did not move */
    CLOSE(parley_result_position(r, 1, 1, 1), 1.0, 0);
    ex = nth_event(r, "exchange", 1);
    cr_assert_eq(ex->round, 2);
    CLOSE(ex->value[0], 34.8, 1e-9);
    CLOSE(ex->value[1], 1.2083333333333333, 1e-9);
    CLOSE(ex->value[2], 2.1266666666666667, 1e-9);
    CLOSE(r->forecast[0], 20.0, 1e-9);

    char sentence[256];
    model->describe(sc, nth_event(r, "exchange", 0), sentence, sizeof sentence);
    cr_assert_str_eq(sentence, "B moves 60.0 toward A on p; A moves 2.1 toward B on q; "
                               "each gains 3.67");
    model->describe(sc, nth_event(r, "round", 0), sentence, sizeof sentence);
    cr_assert_str_eq(sentence, "round 1: 1 exchange (of 1 possible at the start)");
    parley_result_free(r);
    parley_scenario_free(sc);
}

/* ---- MODELS.md's three-actor case ---------------------------------------- */

static parley_scenario *three_actor_case(void)
{
    const double capability[] = {1, 1, 1};
    const double position[] = {40, 60, 50, 70, 100, 30};
    const double salience[] = {.2, .1, .1, .3, .1, .5};
    return make_scenario(3, 2, capability, position, salience, NULL, NULL);
}

Test(exchange, models_md_three_actors)
{
    parley_scenario *sc = three_actor_case();
    parley_result *r = run_model(sc, 3, 0, 0);
    cr_assert_eq(r->n_rounds, 3);
    /* round 1: A-C (C gives way on p, A on q), then B-C */
    cr_assert_eq(count_events(r, "exchange", 1), 2);
    const parley_event *ex = nth_event(r, "exchange", 0);
    cr_assert(ex->actor == 2 && ex->other == 0 && ex->issue == 0 && ex->issue2 == 1);
    CLOSE(ex->value[0], 80.0 / 3, 1e-9); /* C 100 -> 73 1/3 */
    CLOSE(ex->value[1], 30.0, 1e-9);     /* A 60 -> 30 */
    CLOSE(ex->value[2], 1.0, 1e-12);
    ex = nth_event(r, "exchange", 1);
    cr_assert(ex->actor == 2 && ex->other == 1 && ex->issue == 0 && ex->issue2 == 1);
    CLOSE(ex->value[0], 10.0 / 3, 1e-9); /* C -> 70 */
    CLOSE(ex->value[1], 0.625, 1e-9);    /* B -> 69.375 */
    CLOSE(ex->value[2], 1.0 / 48, 1e-12);
    CLOSE(outcome_in_round(r, 1, 0), 50.0, 1e-9);
    CLOSE(outcome_in_round(r, 1, 1), 43.125, 1e-9);
    CLOSE(parley_result_position(r, 1, 2, 0), 86.2, 1e-9);
    CLOSE(parley_result_position(r, 1, 0, 1), 46.2, 1e-9);
    CLOSE(parley_result_position(r, 1, 1, 1), 69.7625, 1e-9);
    /* rounds 2-3 (MODELS.md to 4 places; the exact values 43.1416666...
     * and 43.6366666... are from the exact-rational transcription) */
    cr_assert_eq(count_events(r, "exchange", 2), 2);
    CLOSE(outcome_in_round(r, 2, 0), 50.0, 1e-9);
    CLOSE(outcome_in_round(r, 2, 1), 43.141666666666667, 1e-9);
    cr_assert_eq(count_events(r, "exchange", 3), 1);
    CLOSE(outcome_in_round(r, 3, 0), 50.0, 1e-9);
    CLOSE(outcome_in_round(r, 3, 1), 43.636666666666667, 1e-9);
    CLOSE(r->forecast[1], 43.636666666666667, 1e-9);
    parley_result_free(r);
    parley_scenario_free(sc);
}

/* ---- a straightforward implementation, for comparison ------------------- */

/* MODELS.md section 6 read literally, actor-major, with a plain list of
 * candidates that is re-sized in full after every exchange and outcomes
 * summed afresh.  Runs every round (no early stop). */
typedef struct ref_exchange {
    unsigned round;
    int j, i, p, q;          /* j supplies p, i supplies q */
    double move_j, move_i;   /* own units */
    double gain;
} ref_exchange;

typedef struct ref_run {
    size_t n_exchanges;
    ref_exchange exchanges[4096];
    double forecast[16];
    double positions[64 * 16]; /* after the last round, own units */
} ref_run;

typedef struct ref_candidate {
    int p, q, i, j, alive;
} ref_candidate;

typedef struct ref_world {
    int n, m;
    double x[64 * 16], v[64 * 16], s[64 * 16], w[64 * 16];
    int stake[64 * 16];
    double W[16], O[16];
    double min_gain;
    int recheck;
} ref_world;

static void ref_outcomes(ref_world *st)
{
    for (int d = 0; d < st->m; d++) {
        double sum = 0;
        for (int a = 0; a < st->n; a++)
            sum += st->w[a * st->m + d] * st->v[a * st->m + d];
        st->O[d] = st->W[d] > 0 ? sum / st->W[d] : 0;
    }
}

static int ref_size(const ref_world *st, const ref_candidate *c, double *gain,
                    double *move_j, double *move_i)
{
    int m = st->m, p = c->p, q = c->q, i = c->i, j = c->j;
    double tp = st->x[i * m + p], tq = st->x[j * m + q];
    double sp = tp > st->x[j * m + p] ? 1 : -1, sq = tq > st->x[i * m + q] ? 1 : -1;
    if ((tp - st->v[j * m + p]) * sp <= 0 || (tq - st->v[i * m + q]) * sq <= 0)
        return 0;
    double rp = (tp - st->O[p]) * sp, rq = (tq - st->O[q]) * sq;
    if (rp <= 1e-9 || rq <= 1e-9)
        return 0;
    if (st->recheck && ((st->O[p] - st->x[j * m + p]) * sp <= 0 ||
                        (st->O[q] - st->x[i * m + q]) * sq <= 0))
        return 0;
    double wjp = st->w[j * m + p], wiq = st->w[i * m + q];
    if (wjp <= 0 || wiq <= 0)
        return 0;
    double sip = st->s[i * m + p], sjp = st->s[j * m + p];
    double siq = st->s[i * m + q], sjq = st->s[j * m + q];
    double r = (sip + sjp) / (siq + sjq);
    double dj = fabs(tp - st->v[j * m + p]);
    double dp = dj * wjp / st->W[p], dq = r * dp;
    if (dq * st->W[q] / wiq > fabs(tq - st->v[i * m + q])) {
        dq = fabs(tq - st->v[i * m + q]) * wiq / st->W[q];
        dp = dq / r;
    }
    if (dq > rq) {
        dq = rq;
        dp = dq / r;
    }
    if (dp > rp) {
        dp = rp;
        dq = r * dp;
    }
    *move_j = dp * st->W[p] / wjp;
    *move_i = dq * st->W[q] / wiq;
    *gain = dp * (sip * sjq - siq * sjp) / (siq + sjq);
    return *move_i > 1e-10 && *move_j > 1e-10 && *gain > st->min_gain;
}

static void ref_model(const parley_scenario *sc, unsigned rounds, uint64_t seed,
                      int recheck, ref_run *out)
{
    static ref_world st; /* large; tests run one at a time */
    static ref_candidate cand[64 * 64 * 16 * 16 / 2];
    int n = (int)sc->n_actors, m = (int)sc->n_issues;
    cr_assert(n <= 64 && m <= 16);
    memset(&st, 0, sizeof st);
    st.n = n;
    st.m = m;
    st.min_gain = 1e-10;
    st.recheck = recheck;
    for (int a = 0; a < n; a++)
        for (int d = 0; d < m; d++) {
            const parley_stake *stake = parley_stake_at(sc, (size_t)a, (size_t)d);
            const parley_issue *is = &sc->issues[d];
            st.stake[a * m + d] = stake->present;
            st.s[a * m + d] = stake->present ? stake->salience.value : 0;
            st.w[a * m + d] = sc->actors[a].capability.value * st.s[a * m + d];
            st.x[a * m + d] = stake->present ? 100 * (stake->position.value - is->low) /
                                                   (is->high - is->low)
                                             : 0;
            st.W[d] += st.w[a * m + d];
        }
    parley_rng rng;
    parley_rng_init(&rng, seed, 0);
    out->n_exchanges = 0;
    for (unsigned round = 1; round <= rounds; round++) {
        memcpy(st.v, st.x, sizeof st.v);
        ref_outcomes(&st);
        int side[64 * 16]; /* -1 left, 1 right, 0 none */
        for (int a = 0; a < n; a++)
            for (int d = 0; d < m; d++) {
                double xa = st.x[a * m + d];
                int k = a * m + d;
                side[k] = !st.stake[k] || st.W[d] <= 0 ? 0
                          : xa < st.O[d]               ? -1
                          : xa > st.O[d]               ? 1
                          : recheck                    ? 0
                                                       : -1;
            }
        size_t n_cand = 0;
        for (int p = 0; p < m; p++)
            for (int q = p + 1; q < m; q++)
                for (int a = 0; a < n; a++)
                    for (int b = a + 1; b < n; b++) {
                        if (!side[a * m + p] || !side[b * m + p] || !side[a * m + q] ||
                            !side[b * m + q] || side[a * m + p] == side[b * m + p] ||
                            side[a * m + q] == side[b * m + q])
                            continue;
                        double ab = st.s[a * m + p] * st.s[b * m + q];
                        double ba = st.s[b * m + p] * st.s[a * m + q];
                        if (ab == ba)
                            continue;
                        int i = ab > ba ? a : b;
                        cand[n_cand++] = (ref_candidate){p, q, i, i == a ? b : a, 1};
                    }
        for (;;) {
            double best = -1;
            for (size_t k = 0; k < n_cand; k++) {
                double g, mj, mi;
                if (!cand[k].alive)
                    continue;
                if (!ref_size(&st, &cand[k], &g, &mj, &mi)) {
                    cand[k].alive = 0;
                    continue;
                }
                best = fmax(best, g);
            }
            if (best < 0)
                break;
            double floor_gain = best - 1e-12 * fmax(1, best);
            uint64_t ties = 0;
            for (size_t k = 0; k < n_cand; k++) {
                double g, mj, mi;
                if (cand[k].alive && ref_size(&st, &cand[k], &g, &mj, &mi) && g >= floor_gain)
                    ties++;
            }
            uint64_t pick = ties > 1 ? parley_rng_below(&rng, ties) : 0;
            for (size_t k = 0; k < n_cand; k++) {
                double g, mj, mi;
                if (!cand[k].alive || !ref_size(&st, &cand[k], &g, &mj, &mi) ||
                    g < floor_gain || pick-- != 0)
                    continue;
                ref_candidate *c = &cand[k];
                double sp = st.x[c->i * m + c->p] > st.x[c->j * m + c->p] ? 1 : -1;
                double sq = st.x[c->j * m + c->q] > st.x[c->i * m + c->q] ? 1 : -1;
                st.v[c->j * m + c->p] += sp * mj;
                st.v[c->i * m + c->q] += sq * mi;
                ref_outcomes(&st);
                c->alive = 0;
                cr_assert(out->n_exchanges < 4096);
                out->exchanges[out->n_exchanges++] = (ref_exchange){
                    round, c->j, c->i, c->p, c->q,
                    mj * (sc->issues[c->p].high - sc->issues[c->p].low) / 100,
                    mi * (sc->issues[c->q].high - sc->issues[c->q].low) / 100, g};
                break;
            }
        }
        for (int d = 0; d < m; d++)
            out->forecast[d] = sc->issues[d].low +
                               st.O[d] * (sc->issues[d].high - sc->issues[d].low) / 100;
        for (int k = 0; k < n * m; k++)
            st.x[k] += (0.1 + 0.4 * (1 - st.s[k])) * (st.v[k] - st.x[k]);
    }
    for (int a = 0; a < n; a++)
        for (int d = 0; d < m; d++)
            out->positions[a * m + d] =
                sc->issues[d].low + st.x[a * m + d] * (sc->issues[d].high - sc->issues[d].low) / 100;
}

/* A random scenario: some stakes missing, some saliences 0, own scales, and
 * (when rounded) positions on a coarse grid so that actors sit exactly on an
 * outcome now and then. */
static parley_scenario *random_scenario(parley_rng *rng, size_t n, size_t m, int rounded)
{
    double capability[64], position[64 * 16], salience[64 * 16], low[16], high[16];
    for (size_t d = 0; d < m; d++) {
        low[d] = rounded ? 0 : -50 + 100 * parley_rng_uniform(rng);
        high[d] = rounded ? 100 : low[d] + 1 + 199 * parley_rng_uniform(rng);
    }
    for (size_t a = 0; a < n; a++) {
        capability[a] = rounded ? 1 : 0.1 + parley_rng_uniform(rng);
        for (size_t d = 0; d < m; d++) {
            double u = parley_rng_uniform(rng);
            position[a * m + d] = low[d] + u * (high[d] - low[d]);
            salience[a * m + d] = parley_rng_uniform(rng);
            if (rounded) {
                position[a * m + d] = round(position[a * m + d] / 25) * 25;
                salience[a * m + d] = round(salience[a * m + d] * 4) / 4;
            }
            double coin = parley_rng_uniform(rng);
            if (coin < 0.08)
                position[a * m + d] = NAN;
            else if (coin < 0.14)
                salience[a * m + d] = 0;
        }
    }
    return make_scenario(n, m, capability, position, salience, low, high);
}

static void compare_with_reference(const parley_scenario *sc, unsigned rounds,
                                   uint64_t seed, int recheck)
{
    static ref_run ref;
    ref_model(sc, rounds, seed, recheck, &ref);
    parley_result *r = run_model(sc, rounds, seed, recheck);
    cr_assert_eq(count_events(r, "exchange", 0), ref.n_exchanges,
                 "%zu exchanges, reference %zu", count_events(r, "exchange", 0),
                 ref.n_exchanges);
    for (size_t k = 0; k < ref.n_exchanges; k++) {
        const parley_event *ex = nth_event(r, "exchange", k);
        const ref_exchange *want = &ref.exchanges[k];
        cr_assert(ex->round == want->round && ex->actor == want->j && ex->other == want->i &&
                      ex->issue == want->p && ex->issue2 == want->q,
                  "exchange %zu differs: round %u %d/%d on %d/%d, reference round %u "
                  "%d/%d on %d/%d",
                  k, ex->round, ex->actor, ex->other, ex->issue, ex->issue2, want->round,
                  want->j, want->i, want->p, want->q);
        CLOSE(ex->value[0], want->move_j, 1e-8 * (1 + fabs(want->move_j)));
        CLOSE(ex->value[1], want->move_i, 1e-8 * (1 + fabs(want->move_i)));
        CLOSE(ex->value[2], want->gain, 1e-9 * (1 + want->gain));
    }
    size_t last = r->n_states - 1;
    for (size_t d = 0; d < sc->n_issues; d++) {
        if (isnan(r->forecast[d]))
            continue;
        CLOSE(r->forecast[d], ref.forecast[d], 1e-8);
        for (size_t a = 0; a < sc->n_actors; a++)
            if (parley_stake_at(sc, a, d)->present)
                CLOSE(parley_result_position(r, last, a, d), ref.positions[a * sc->n_issues + d],
                      1e-8);
    }
    parley_result_free(r);
}

Test(exchange, fast_matches_full_recompute)
{
    parley_rng rng;
    parley_rng_init(&rng, 20240607, 1);
    for (int trial = 0; trial < 60; trial++) {
        size_t n = 2 + parley_rng_below(&rng, 14), m = 1 + parley_rng_below(&rng, 6);
        int rounded = trial % 3 == 2;
        parley_scenario *sc = random_scenario(&rng, n, m, rounded);
        compare_with_reference(sc, 6, (uint64_t)trial, trial % 2);
        parley_scenario_free(sc);
    }
}

Test(exchange, fast_matches_full_recompute_larger)
{
    parley_rng rng;
    parley_rng_init(&rng, 77, 2);
    for (int trial = 0; trial < 4; trial++) {
        parley_scenario *sc = random_scenario(&rng, 40, 6, trial == 3);
        compare_with_reference(sc, 10, 5, trial == 1);
        parley_scenario_free(sc);
    }
}

/* ---- properties, by replaying a run's trace ------------------------------ */

static double norm(const parley_scenario *sc, size_t d, double x)
{
    return 100 * (x - sc->issues[d].low) / (sc->issues[d].high - sc->issues[d].low);
}

/* Replays every round from the recorded history and trace and checks: only
 * actors with a stake and on opposite sides exchange; both partners gain,
 * equally; votes move towards the partner and stay between the two
 * positions (so on the scale); no outcome passes the demander's position;
 * the round's outcomes and the next round's positions follow (step 5). */
static void check_properties(const parley_scenario *sc, const parley_result *r)
{
    size_t n = sc->n_actors, m = sc->n_issues;
    static double x[64 * 16], v[64 * 16], w[64 * 16], s[64 * 16], W[16], O[16];
    int exchange_kind = kind_of("exchange");
    cr_assert_eq(r->n_states, r->n_rounds + 1);
    for (size_t d = 0; d < m; d++) {
        W[d] = 0;
        for (size_t a = 0; a < n; a++) {
            const parley_stake *st = parley_stake_at(sc, a, d);
            s[a * m + d] = st->present ? st->salience.value : 0;
            w[a * m + d] = sc->actors[a].capability.value * s[a * m + d];
            W[d] += w[a * m + d];
        }
    }
    for (unsigned round = 1; round <= r->n_rounds; round++) {
        for (size_t a = 0; a < n; a++)
            for (size_t d = 0; d < m; d++) {
                double pos = parley_result_position(r, round - 1, a, d);
                cr_assert(parley_stake_at(sc, a, d)->present ? !isnan(pos) : isnan(pos));
                if (!isnan(pos))
                    cr_assert(pos >= sc->issues[d].low && pos <= sc->issues[d].high,
                              "position %g off the scale", pos);
                x[a * m + d] = v[a * m + d] = isnan(pos) ? 0 : norm(sc, d, pos);
            }
        double start_outcome[16];
        for (size_t d = 0; d < m; d++) {
            double sum = 0;
            for (size_t a = 0; a < n; a++)
                sum += w[a * m + d] * x[a * m + d];
            O[d] = start_outcome[d] = W[d] > 0 ? sum / W[d] : NAN;
        }
        for (size_t e = 0; e < r->n_events; e++) {
            const parley_event *ex = &r->events[e];
            if (ex->kind != exchange_kind || ex->round != round)
                continue;
            size_t j = (size_t)ex->actor, i = (size_t)ex->other;
            size_t p = (size_t)ex->issue, q = (size_t)ex->issue2;
            cr_assert(parley_stake_at(sc, i, p)->present && parley_stake_at(sc, j, p)->present &&
                      parley_stake_at(sc, i, q)->present && parley_stake_at(sc, j, q)->present);
            cr_assert((x[i * m + p] <= start_outcome[p]) != (x[j * m + p] <= start_outcome[p]));
            cr_assert((x[i * m + q] <= start_outcome[q]) != (x[j * m + q] <= start_outcome[q]));
            double dir_p = x[i * m + p] > x[j * m + p] ? 1 : -1;
            double dir_q = x[j * m + q] > x[i * m + q] ? 1 : -1;
            double move_j = ex->value[0] * 100 / (sc->issues[p].high - sc->issues[p].low);
            double move_i = ex->value[1] * 100 / (sc->issues[q].high - sc->issues[q].low);
            cr_assert(move_j > 0 && move_i > 0);
            v[j * m + p] += dir_p * move_j;
            v[i * m + q] += dir_q * move_i;
            /* between the supplier's start and the demander's position */
            cr_assert((v[j * m + p] - x[i * m + p]) * dir_p <= 1e-9);
            cr_assert((v[i * m + q] - x[j * m + q]) * dir_q <= 1e-9);
            double shift_p = move_j * w[j * m + p] / W[p];
            double shift_q = move_i * w[i * m + q] / W[q];
            double gain_i = shift_p * s[i * m + p] - shift_q * s[i * m + q];
            double gain_j = shift_q * s[j * m + q] - shift_p * s[j * m + p];
            cr_assert(gain_i > 0 && gain_j > 0, "gains %g %g", gain_i, gain_j);
            CLOSE(gain_i, gain_j, 1e-9 * (1 + gain_i));
            CLOSE(gain_i, ex->value[2], 1e-9 * (1 + gain_i));
            O[p] += dir_p * shift_p;
            O[q] += dir_q * shift_q;
            cr_assert((x[i * m + p] - O[p]) * dir_p >= -1e-9, "outcome passed the demander");
            cr_assert((x[j * m + q] - O[q]) * dir_q >= -1e-9, "outcome passed the demander");
        }
        for (size_t d = 0; d < m; d++) {
            if (W[d] <= 0)
                continue;
            CLOSE(norm(sc, d, outcome_in_round(r, round, (int)d)), O[d], 1e-8);
            for (size_t a = 0; a < n; a++) {
                if (!parley_stake_at(sc, a, d)->present)
                    continue;
                size_t k = a * m + d;
                double next = x[k] + (0.1 + 0.4 * (1 - s[k])) * (v[k] - x[k]);
                CLOSE(norm(sc, d, parley_result_position(r, round, a, d)), next, 1e-8);
            }
        }
    }
    for (size_t d = 0; d < m; d++)
        if (!isnan(r->forecast[d]))
            cr_assert(r->forecast[d] >= sc->issues[d].low - 1e-9 &&
                      r->forecast[d] <= sc->issues[d].high + 1e-9);
}

Test(exchange, properties_on_random_scenarios)
{
    parley_rng rng;
    parley_rng_init(&rng, 99, 3);
    for (int trial = 0; trial < 40; trial++) {
        size_t n = 2 + parley_rng_below(&rng, 30), m = 2 + parley_rng_below(&rng, 6);
        parley_scenario *sc = random_scenario(&rng, n, m, trial % 4 == 3);
        parley_result *r = run_model(sc, 10, 1, trial % 2);
        check_properties(sc, r);
        parley_result_free(r);
        parley_scenario_free(sc);
    }
}

Test(exchange, one_issue_makes_no_exchange)
{
    parley_rng rng;
    parley_rng_init(&rng, 5, 0);
    parley_scenario *sc = random_scenario(&rng, 12, 1, 0);
    parley_result *r = run_model(sc, 10, 0, 0);
    cr_assert_eq(count_events(r, "exchange", 0), 0);
    cr_assert_eq(r->n_rounds, 1);
    cr_assert_str_eq(r->stop_reason, "no exchange possible");
    /* then the forecast is the weighted mean of the positions */
    double sum = 0, total = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_stake *st = parley_stake_at(sc, a, 0);
        if (!st->present)
            continue;
        double weight = sc->actors[a].capability.value * st->salience.value;
        sum += weight * st->position.value;
        total += weight;
    }
    CLOSE(r->forecast[0], sum / total, 1e-9);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(exchange, stops_when_a_round_makes_no_exchange)
{
    /* two actors on the same side of nothing: after enough rounds the
     * two-actor case runs out of room (each round halves the gap or so);
     * whichever round first makes no exchange, the run says so and its
     * result equals the full reference run of 60 rounds. */
    parley_scenario *sc = two_actor_case();
    parley_result *r = run_model(sc, 60, 0, 0);
    static ref_run ref;
    ref_model(sc, 60, 0, 0, &ref);
    cr_assert_lt(r->n_rounds, 60);
    char want[160];
    snprintf(want, sizeof want, "no exchange possible after round %zu", r->n_rounds - 1);
    cr_assert_str_eq(r->stop_reason, want);
    cr_assert_eq(count_events(r, "exchange", (unsigned)r->n_rounds), 0);
    CLOSE(r->forecast[0], ref.forecast[0], 1e-9);
    CLOSE(r->forecast[1], ref.forecast[1], 1e-9);
    parley_result_free(r);
    parley_scenario_free(sc);
}

static int same_run(const parley_result *a, const parley_result *b)
{
    if (a->n_events != b->n_events || a->n_states != b->n_states)
        return 0;
    if (memcmp(a->events, b->events, a->n_events * sizeof *a->events) != 0)
        return 0;
    return memcmp(a->positions, b->positions,
                  a->n_states * a->n_actors * a->n_issues * sizeof(double)) == 0;
}

Test(exchange, same_seed_same_run_other_seed_differs_only_in_ties)
{
    parley_rng rng;
    parley_rng_init(&rng, 1234, 0);
    for (int trial = 0; trial < 10; trial++) {
        /* continuous positions and saliences: no ties */
        parley_scenario *sc = random_scenario(&rng, 20, 4, 0);
        parley_result *first = run_model(sc, 10, 7, 0);
        parley_result *again = run_model(sc, 10, 7, 0);
        parley_result *other = run_model(sc, 10, 8, 0);
        cr_assert(same_run(first, again));
        cr_assert(same_run(first, other));
        parley_result_free(first);
        parley_result_free(again);
        parley_result_free(other);
        parley_scenario_free(sc);
    }
    /* A and B are twins: A-C and B-C tie exactly, and the seed picks one */
    const double capability[] = {1, 1, 1};
    const double position[] = {40, 60, 40, 60, 100, 30};
    const double salience[] = {.2, .1, .2, .1, .1, .5};
    parley_scenario *sc = make_scenario(3, 2, capability, position, salience, NULL, NULL);
    int picked[2] = {0, 0};
    for (uint64_t seed = 0; seed < 24; seed++) {
        parley_result *r = run_model(sc, 3, seed, 0);
        parley_result *again = run_model(sc, 3, seed, 0);
        cr_assert(same_run(r, again));
        int partner = nth_event(r, "exchange", 0)->other;
        cr_assert(partner == 0 || partner == 1);
        picked[partner]++;
        compare_with_reference(sc, 3, seed, 0);
        parley_result_free(r);
        parley_result_free(again);
    }
    cr_assert(picked[0] > 0 && picked[1] > 0, "A first %d times, B first %d times",
              picked[0], picked[1]);
    parley_scenario_free(sc);
}

Test(exchange, actor_without_stake_takes_no_part)
{
    /* C, the only partner for A and B, has no stake in q: no exchange */
    const double capability[] = {1, 1, 1};
    const double position[] = {40, 60, 50, 70, 100, NAN};
    const double salience[] = {.2, .1, .1, .3, .1, 0};
    parley_scenario *sc = make_scenario(3, 2, capability, position, salience, NULL, NULL);
    parley_result *r = run_model(sc, 10, 0, 0);
    cr_assert_eq(count_events(r, "exchange", 0), 0);
    cr_assert(isnan(parley_result_position(r, 1, 2, 1)));
    CLOSE(r->forecast[1], (60 * .1 + 70 * .3) / .4, 1e-9);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(exchange, undefined_without_weight)
{
    const double capability[] = {1, 1};
    const double position[] = {40, 60, 50, 70};
    const double salience[] = {0, 0, 0, 0};
    parley_scenario *sc = make_scenario(2, 2, capability, position, salience, NULL, NULL);
    parley_result *r = parley_result_new();
    parley_error err;
    cr_assert_eq(parley_model_run(model, sc, NULL, r, &err), PARLEY_EUNDEF);
    parley_result_free(r);
    parley_scenario_free(sc);
}

static int stop_after_two(const parley_result *result, unsigned round, void *userdata)
{
    (void)result;
    ++*(int *)userdata;
    return round == 2;
}

Test(exchange, callback_each_round_and_cancel)
{
    parley_scenario *sc = three_actor_case();
    parley_run_opts opts;
    parley_run_opts_init(&opts, model);
    int calls = 0;
    opts.on_round = stop_after_two;
    opts.userdata = &calls;
    parley_result *r = parley_result_new();
    parley_error err;
    cr_assert_eq(parley_model_run(model, sc, &opts, r, &err), PARLEY_ECANCEL);
    cr_assert_eq(calls, 2);
    cr_assert_eq(r->n_rounds, 2);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(exchange, out_of_memory_at_every_allocation)
{
    parley_scenario *sc = three_actor_case();
    parley_result *r = parley_result_new();
    parley_run_opts opts;
    parley_run_opts_init(&opts, model);
    opts.flags |= PARLEY_RUN_TRACE;
    int rc = PARLEY_ENOMEM;
    long attempt;
    for (attempt = 1; attempt < 200 && rc != PARLEY_OK; attempt++) {
        parley_error err;
        parley_alloc_fail_after(attempt);
        rc = parley_model_run(model, sc, &opts, r, &err);
        parley_alloc_fail_after(0);
        cr_assert(rc == PARLEY_OK || rc == PARLEY_ENOMEM, "attempt %ld: %d", attempt, rc);
    }
    cr_assert_eq(rc, PARLEY_OK);
    cr_assert_gt(attempt, 2);
    CLOSE(r->forecast[1], 43.125 + 0 * attempt, 100); /* ran to the end */
    parley_result_free(r);
    parley_scenario_free(sc);
}
