/* test_smp.c — the spatial model against KTAB's own runs.
 *
 * The reference files in tests/data/ktab-reference/ were written by KTAB's
 * smpc (commit 3b5b063, default parameters; see the README there): every
 * turn's positions to 4 decimals on the 0-100 scale, risk attitudes (3
 * decimals), winning probabilities and each actor's chosen target with its
 * P and gain (4 decimals).  None of them comes from this code. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>

#include "parley/format.h"
#include "parley/model.h"
#include "parley/rng.h"
#include "support.h"

extern const parley_model parley_model_smp;

/* libgomp comes in through libparley; the tests are not linked with
 * OpenMP themselves, so its two calls are looked up at run time. */
static int omp_max_threads(void)
{
    int (*get)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "omp_get_max_threads");
    cr_assert_not_null(get, "libgomp is not loaded");
    return get();
}

static void omp_threads(int n)
{
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    cr_assert_not_null(set, "libgomp is not loaded");
    set(n);
}

typedef struct row {
    int turn, a, b, c;
    double value, value2;
} row;

/* Reads a reference CSV: "scenario,i1,i2[,i3],v[,v2]" with `ints` integer
 * fields after the scenario name and `reals` numbers. */
static row *read_reference(const char *name, int ints, int reals, size_t *count)
{
    char path[256];
    snprintf(path, sizeof path, "ktab-reference/%s", name);
    char *text = test_read_file(test_data(path), NULL);
    cr_assert_not_null(text, "cannot read %s", path);
    size_t cap = 1024, n = 0;
    row *rows = malloc(cap * sizeof *rows);
    char *save = NULL;
    int header = 1;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (header) {
            header = 0;
            continue;
        }
        char *field = strchr(line, ',');
        cr_assert_not_null(field);
        int v[4] = {0};
        double x[2] = {0};
        for (int f = 0; f < ints; f++) {
            v[f] = (int)strtol(field + 1, &field, 10);
        }
        for (int f = 0; f < reals; f++) {
            cr_assert_eq(*field, ',');
            x[f] = strtod(field + 1, &field);
        }
        if (n == cap)
            rows = realloc(rows, (cap *= 2) * sizeof *rows);
        rows[n++] = (row){v[0], v[1], v[2], v[3], x[0], x[1]};
    }
    free(text);
    *count = n;
    return rows;
}

static parley_scenario *load_ktab(const char *file)
{
    parley_scenario *sc = NULL;
    parley_error err = {0};
    int rc = parley_scenario_load(test_data(file), PARLEY_FORMAT_KTAB, &sc, &err);
    cr_assert_eq(rc, PARLEY_OK, "loading %s: %s", file, err.message);
    return sc;
}

static parley_result *run_smp(const parley_scenario *sc, unsigned flags)
{
    parley_run_opts opts;
    parley_run_opts_init(&opts, &parley_model_smp);
    opts.flags = flags;
    parley_result *result = parley_result_new();
    parley_error err = {0};
    int rc = parley_model_run(&parley_model_smp, sc, &opts, result, &err);
    cr_assert_eq(rc, PARLEY_OK, "smp failed: %s", err.message);
    return result;
}

/* Positions at every turn and the number of turns. */
static void check_positions(const char *scenario_file, const char *reference)
{
    parley_scenario *sc = load_ktab(scenario_file);
    parley_result *result = run_smp(sc, PARLEY_RUN_HISTORY);
    size_t count;
    row *rows = read_reference(reference, 3, 1, &count);
    int last_turn = 0;
    double worst = 0;
    for (size_t r = 0; r < count; r++) {
        last_turn = rows[r].turn > last_turn ? rows[r].turn : last_turn;
        if ((size_t)rows[r].turn >= result->n_states)
            continue;
        double ours = parley_result_position(result, (size_t)rows[r].turn,
                                             (size_t)rows[r].a, (size_t)rows[r].b);
        double off = fabs(ours - rows[r].value);
        worst = off > worst ? off : worst;
        cr_expect(off < 1e-4, "%s turn %d actor %d dim %d: ours %.6f, KTAB %.4f",
                  reference, rows[r].turn, rows[r].a, rows[r].b, ours, rows[r].value);
    }
    cr_expect_eq(result->n_states, (size_t)last_turn + 1, "%s: %zu states, KTAB %d",
                 reference, result->n_states, last_turn + 1);
    cr_expect_eq(result->n_rounds, (size_t)last_turn);
    cr_expect(strstr(result->stop_reason, "converged") != NULL, "%s", result->stop_reason);
    cr_log_info("%s: %zu turns, largest difference %.2g", reference, result->n_rounds, worst);
    free(rows);
    parley_result_free(result);
    parley_scenario_free(sc);
}

Test(smp, dummy_3dim_positions_every_turn)
{
    check_positions("ktab-dummyData_3Dim.csv", "dummyData_3Dim-positions.csv");
}

Test(smp, soe_policy_positions_every_turn)
{
    check_positions("ktab-SOE-Policy.csv", "SOE-Policy-positions.csv");
}

/* Risk attitudes, win probabilities and challenges, from the trace: the
 * events of round t describe the state of turn t-1 and its challenges. */
static void check_trace(const char *scenario_file, const char *prefix)
{
    parley_scenario *sc = load_ktab(scenario_file);
    parley_result *result = run_smp(sc, PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE);
    char name[128];
    size_t n_risk, n_win, n_chal;
    snprintf(name, sizeof name, "%s-riskattitudes.csv", prefix);
    row *risk = read_reference(name, 2, 1, &n_risk);
    snprintf(name, sizeof name, "%s-winprob.csv", prefix);
    row *win = read_reference(name, 2, 1, &n_win);
    snprintf(name, sizeof name, "%s-challenges.csv", prefix);
    row *chal = read_reference(name, 3, 2, &n_chal);
    size_t checked_risk = 0, checked_chal = 0;
    for (size_t e = 0; e < result->n_events; e++) {
        const parley_event *ev = &result->events[e];
        int turn = (int)ev->round - 1;
        if (ev->kind == 0) {
            for (size_t r = 0; r < n_risk; r++)
                if (risk[r].turn == turn && risk[r].a == ev->actor) {
                    cr_expect(fabs(ev->value[0] - risk[r].value) < 0.0006,
                              "%s turn %d actor %d: R %.4f, KTAB %.3f", prefix, turn,
                              ev->actor, ev->value[0], risk[r].value);
                    checked_risk++;
                }
            for (size_t r = 0; r < n_win; r++)
                if (win[r].turn == turn && win[r].a == ev->actor)
                    cr_expect(fabs(ev->value[1] - win[r].value) < 0.00006,
                              "%s turn %d actor %d: win %.5f, KTAB %.4f", prefix, turn,
                              ev->actor, ev->value[1], win[r].value);
        }
        if (ev->kind == 1) {
            int found = 0;
            for (size_t r = 0; r < n_chal; r++)
                if (chal[r].turn == turn && chal[r].a == ev->actor) {
                    found = 1;
                    cr_expect_eq(ev->other, chal[r].b, "%s turn %d: %d targets %d, KTAB %d",
                                 prefix, turn, ev->actor, ev->other, chal[r].b);
                    cr_expect(fabs(ev->value[0] - chal[r].value) < 0.00006);
                    cr_expect(fabs(ev->value[1] - chal[r].value2) < 0.00006,
                              "%s turn %d actor %d: gain %.5f, KTAB %.4f", prefix, turn,
                              ev->actor, ev->value[1], chal[r].value2);
                    checked_chal++;
                }
            cr_expect(found, "%s turn %d: actor %d challenges but KTAB's did not", prefix,
                      turn, ev->actor);
        }
    }
    /* every KTAB challenge of the turns we ran was matched */
    size_t expected_chal = 0;
    for (size_t r = 0; r < n_chal; r++)
        expected_chal += (size_t)chal[r].turn < result->n_rounds;
    cr_expect_eq(checked_chal, expected_chal);
    cr_expect_gt(checked_risk, 0);
    free(risk);
    free(win);
    free(chal);
    parley_result_free(result);
    parley_scenario_free(sc);
}

Test(smp, dummy_3dim_risk_winprob_challenges)
{
    check_trace("ktab-dummyData_3Dim.csv", "dummyData_3Dim");
}

Test(smp, soe_policy_risk_winprob_challenges)
{
    check_trace("ktab-SOE-Policy.csv", "SOE-Policy");
}

/* Stochastic transitions: a seed gives one run on any thread count, and
 * another seed (almost surely) another path. */
Test(smp, stochastic_runs_follow_the_seed)
{
    parley_scenario *sc = load_ktab("ktab-dummyData_3Dim.csv");
    parley_run_opts opts;
    parley_run_opts_init(&opts, &parley_model_smp);
    parley_error err = {0};
    cr_assert_eq(parley_run_opts_set(&opts, &parley_model_smp, "transitions=stochastic", &err),
                 PARLEY_OK);
    parley_result *r[3];
    int threads = omp_max_threads();
    for (int k = 0; k < 3; k++) {
        omp_threads(k == 1 ? 1 : 3);
        opts.seed = k == 2 ? 99 : 7;
        r[k] = parley_result_new();
        cr_assert_eq(parley_model_run(&parley_model_smp, sc, &opts, r[k], &err), PARLEY_OK);
    }
    omp_threads(threads);
    size_t per = r[0]->n_actors * r[0]->n_issues;
    cr_assert_eq(r[0]->n_states, r[1]->n_states);
    cr_expect(memcmp(r[0]->positions, r[1]->positions, r[0]->n_states * per * sizeof(double)) == 0);
    int differ = r[0]->n_states != r[2]->n_states ||
                 memcmp(r[0]->positions, r[2]->positions, r[0]->n_states * per * sizeof(double));
    cr_expect(differ, "seeds 7 and 99 gave the same stochastic run");
    for (int k = 0; k < 3; k++)
        parley_result_free(r[k]);
    parley_scenario_free(sc);
}

/* The trace explains moves in words, and the forecast is an actor's final
 * position. */
Test(smp, trace_sentences_and_forecast)
{
    parley_scenario *sc = load_ktab("ktab-SOE-Policy.csv");
    parley_result *result = run_smp(sc, PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE);
    int saw_challenge = 0, saw_move = 0;
    char text[256];
    for (size_t e = 0; e < result->n_events; e++) {
        parley_model_smp.describe(sc, &result->events[e], text, sizeof text);
        if (result->events[e].kind == 1 && !saw_challenge) {
            cr_expect(strstr(text, " challenges ") != NULL, "%s", text);
            saw_challenge = 1;
        }
        if (result->events[e].kind == 2 && !saw_move) {
            cr_expect(strstr(text, "moves from") != NULL && strstr(text, "on ") != NULL,
                      "%s", text);
            saw_move = 1;
        }
    }
    cr_expect(saw_challenge && saw_move);
    size_t last = result->n_states - 1;
    int held = 0;
    for (size_t a = 0; a < result->n_actors; a++)
        held |= fabs(parley_result_position(result, last, a, 0) - result->forecast[0]) < 1e-9;
    cr_expect(held, "forecast %.4f is nobody's final position", result->forecast[0]);
    cr_expect_not_null(result->issue_note[0]);
    parley_result_free(result);
    parley_scenario_free(sc);
}

/* A general scale maps to [0,1] and back; an actor without a stake shows
 * NaN; a scenario with one actor has no model. */
Test(smp, scales_and_missing_stakes)
{
    parley_scenario *sc = parley_scenario_new("scaled");
    parley_error err = {0};
    cr_assert_eq(parley_scenario_add_issue(sc, "tax", -10, 30, NULL, NULL, NULL, &err), 0);
    cr_assert_eq(parley_scenario_add_issue(sc, "aid", 0, 100, NULL, NULL, NULL, &err), 0);
    const char *ids[] = {"a", "b", "c", "d"};
    const double cap[] = {40, 30, 20, 10}, tax[] = {-10, 10, 30, 0}, aid[] = {20, 50, 80, 65};
    for (size_t a = 0; a < 4; a++) {
        cr_assert_eq(parley_scenario_add_actor(sc, ids[a], cap[a], NULL, &err), 0);
        parley_scenario_set_stake(sc, a, 0, tax[a], 0.4);
        if (a != 3)
            parley_scenario_set_stake(sc, a, 1, aid[a], 0.5);
    }
    parley_result *result = run_smp(sc, PARLEY_RUN_HISTORY);
    cr_expect(isnan(parley_result_position(result, 0, 3, 1)));
    cr_expect_float_eq(parley_result_position(result, 0, 0, 0), -10, 1e-12);
    for (size_t t = 0; t < result->n_states; t++)
        for (size_t a = 0; a < 4; a++) {
            double v = parley_result_position(result, t, a, 0);
            cr_expect(v >= -10 - 1e-9 && v <= 30 + 1e-9, "tax %.3f off the scale", v);
        }
    cr_expect(result->forecast[0] >= -10 && result->forecast[0] <= 30);
    parley_result_free(result);
    parley_scenario_free(sc);
}

/* Regression fixture: tests/data/smp-fixture.csv was written by this
 * test's writer mode (PARLEY_SMP_WRITE_FIXTURE=1) running the model as
 * committed in 129270f, BEFORE the speed work of the next commits, so it
 * pins the results of the straightforward code that passed the KTAB
 * reference tests above.  Every value is printed with %.17g and compared as
 * text: equal text is equal bits.  It covers the shipped 40- and 80-actor
 * scenarios, a random 160-actor one (the generator of bench_smp.c), and two
 * runs with non-default rules (other votes, victory models, Markov
 * elections, risk estimates, commitments, stochastic transitions). */
typedef struct fixture_case {
    const char *name, *file; /* file NULL: random_scenario(160) */
    const char *options;     /* ';'-separated assignments */
    unsigned flags;
    uint64_t seed;
} fixture_case;

static const fixture_case fixture_cases[] = {
    {"a040", "ktab-dummyData-a040.csv", "", PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE, 0},
    {"a080", "ktab-dummyData-a080.csv", "", PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE, 0},
    {"random160", NULL, "", PARLEY_RUN_HISTORY, 0},
    {"a040-rules", "ktab-dummyData-a040.csv",
     "vote_rule=cubic;victory_prob=square;pce=markov_incentive;risk_adjust=half;"
     "third_party=full",
     PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE, 0},
    {"soe-stochastic", "ktab-SOE-Policy.csv",
     "vote_rule=binary;pce=markov_uniform;risk_range=max;risk_adjust=none;"
     "third_party=none;transitions=stochastic",
     PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE, 7},
};

/* bench_smp.c's random scenario: positions, saliences and capabilities in
 * KTAB's ranges from a fixed Philox stream.  A frozen copy, not shared
 * code: the fixture was written from this generator, so it must not
 * follow later changes to the benchmark's. */
static parley_scenario *random_scenario(size_t n, size_t k, uint64_t seed)
{
    parley_rng rng;
    parley_rng_init(&rng, seed, n);
    parley_scenario *sc = parley_scenario_new("random");
    parley_error err = {0};
    char id[32];
    for (size_t d = 0; d < k; d++) {
        snprintf(id, sizeof id, "dim%zu", d);
        parley_scenario_add_issue(sc, id, 0, 100, NULL, NULL, NULL, &err);
    }
    for (size_t a = 0; a < n; a++) {
        snprintf(id, sizeof id, "actor%zu", a);
        double capability = round(10 + 190 * parley_rng_uniform(&rng));
        parley_scenario_add_actor(sc, id, capability, NULL, &err);
        double total = 30 + 70 * parley_rng_uniform(&rng), weights[16], sum = 0;
        for (size_t d = 0; d < k; d++)
            sum += weights[d] = parley_rng_uniform(&rng);
        for (size_t d = 0; d < k; d++) {
            double position = round(10000 * parley_rng_uniform(&rng)) / 100;
            double salience = floor(100 * total * weights[d] / sum) / 100;
            parley_scenario_set_stake(sc, a, d, position, salience / 100.0);
        }
    }
    return sc;
}

static void emit(FILE *out, const char *name, const char *kind, size_t turn, size_t index,
                 double value)
{
    fprintf(out, "%s,%s,%zu,%zu,%.17g\n", name, kind, turn, index, value);
}

/* One case's lines: the number of turns, the final positions, a sum of
 * each turn's positions, the forecast, and per-turn sums of the trace. */
static void fixture_lines(const fixture_case *fc, FILE *out)
{
    parley_scenario *sc = fc->file ? load_ktab(fc->file) : random_scenario(160, 3, 2024);
    parley_run_opts opts;
    parley_run_opts_init(&opts, &parley_model_smp);
    parley_error err = {0};
    char options[256];
    snprintf(options, sizeof options, "%s", fc->options);
    char *save = NULL;
    for (char *a = strtok_r(options, ";", &save); a; a = strtok_r(NULL, ";", &save))
        cr_assert_eq(parley_run_opts_set(&opts, &parley_model_smp, a, &err), PARLEY_OK, "%s",
                     a);
    opts.flags = fc->flags;
    opts.seed = fc->seed;
    parley_result *r = parley_result_new();
    cr_assert_eq(parley_model_run(&parley_model_smp, sc, &opts, r, &err), PARLEY_OK, "%s",
                 err.message);
    size_t per = r->n_actors * r->n_issues, last = r->n_states - 1;
    emit(out, fc->name, "turns", r->n_rounds, 0, (double)r->n_rounds);
    for (size_t v = 0; v < per; v++)
        emit(out, fc->name, "pos", last, v, r->positions[last * per + v]);
    for (size_t t = 0; t < r->n_states; t++) {
        double sum = 0;
        for (size_t v = 0; v < per; v++)
            sum += isnan(r->positions[t * per + v]) ? 0 : r->positions[t * per + v];
        emit(out, fc->name, "sumpos", t, 0, sum);
    }
    for (size_t d = 0; d < r->n_issues; d++)
        emit(out, fc->name, "forecast", last, d, r->forecast[d]);
    /* per round and event kind: sums of the values and of (actor, other) */
    enum { KINDS = 4, FIELDS = 5 };
    static const char *const names[KINDS] = {"risk", "challenge", "move", "stay"};
    for (size_t t = 1; t <= r->n_rounds && r->n_events > 0; t++)
        for (int kind = 0; kind < KINDS; kind++) {
            double sum[FIELDS] = {0};
            for (size_t e = 0; e < r->n_events; e++) {
                const parley_event *ev = &r->events[e];
                if (ev->round != t || ev->kind != kind)
                    continue;
                for (int f = 0; f < 4; f++)
                    sum[f] += ev->value[f];
                sum[4] += (double)((ev->actor + 1) * (ev->other + 2));
            }
            for (size_t f = 0; f < FIELDS; f++)
                emit(out, fc->name, names[kind], t, f, sum[f]);
        }
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(smp, same_bits_as_the_stored_fixture, .timeout = 120)
{
    const size_t cases = sizeof fixture_cases / sizeof *fixture_cases;
    if (getenv("PARLEY_SMP_WRITE_FIXTURE")) {
        FILE *out = fopen(test_data("smp-fixture.csv"), "w");
        cr_assert_not_null(out);
        fprintf(out, "case,kind,turn,index,value\n");
        for (size_t c = 0; c < cases; c++)
            fixture_lines(&fixture_cases[c], out);
        fclose(out);
        return;
    }
    char *expected = test_read_file(test_data("smp-fixture.csv"), NULL);
    cr_assert_not_null(expected, "tests/data/smp-fixture.csv is missing");
    char *ours = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&ours, &size);
    fprintf(out, "case,kind,turn,index,value\n");
    for (size_t c = 0; c < cases; c++)
        fixture_lines(&fixture_cases[c], out);
    fclose(out);
    /* report the first differing line, not the whole text */
    char *e = expected, *o = ours;
    while (*e && *e == *o) {
        e++;
        o++;
    }
    while (e > expected && e[-1] != '\n') {
        e--;
        o--;
    }
    cr_expect(*e == '\0' && *o == '\0', "first difference:\n fixture: %.60s\n ours:    %.60s",
              e, o);
    free(expected);
    free(ours);
}

/* The same result, to the bit, with 1 thread and with several, on a
 * shipped scenario and on one large enough (>= SMP_PARALLEL_MIN actors)
 * for the loops over actors to use threads. */
Test(smp, identical_for_any_thread_count, .timeout = 60)
{
    parley_scenario *scenarios[] = {load_ktab("ktab-SOE-Policy.csv"),
                                    random_scenario(160, 3, 2024)};
    int threads = omp_max_threads();
    for (size_t s = 0; s < 2; s++) {
        omp_threads(1);
        parley_result *one = run_smp(scenarios[s], PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE);
        omp_threads(3);
        parley_result *three = run_smp(scenarios[s], PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE);
        cr_assert_eq(one->n_states, three->n_states);
        size_t values = one->n_states * one->n_actors * one->n_issues;
        cr_expect(memcmp(one->positions, three->positions, values * sizeof(double)) == 0);
        cr_expect(memcmp(one->forecast, three->forecast, one->n_issues * sizeof(double)) == 0);
        cr_assert_eq(one->n_events, three->n_events);
        for (size_t e = 0; e < one->n_events; e++)
            cr_expect(memcmp(one->events[e].value, three->events[e].value,
                             sizeof one->events[e].value) == 0 &&
                          one->events[e].other == three->events[e].other,
                      "scenario %zu: event %zu differs", s, e);
        parley_result_free(one);
        parley_result_free(three);
        parley_scenario_free(scenarios[s]);
    }
    omp_threads(threads);
}
