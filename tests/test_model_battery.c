/* test_model_battery.c — one battery run over every registered model
 * (STYLE.md 14): whatever a model does, it must be deterministic, leave a
 * unanimous scenario where it is, stay on each issue's scale, report its
 * input as state 0, give the same forecast with and without history and
 * trace, and fail cleanly when memory runs out. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/model.h"

/* n actors on m issues with a status quo each; positions spread over each
 * issue's own scale [10 i, 10 i + 100], deterministic but irregular.  When
 * unanimous, every actor stands at 37 on the scale's frame. */
static parley_scenario *scenario(size_t n, size_t m, int unanimous)
{
    parley_scenario *sc = parley_scenario_new("battery");
    for (size_t i = 0; i < m; i++) {
        char id[16];
        snprintf(id, sizeof id, "issue%zu", i);
        double low = 10.0 * (double)i;
        cr_assert_eq(parley_scenario_add_issue(sc, id, low, low + 100, "left", "right",
                                               NULL, NULL), 0);
        sc->issues[i].has_status_quo = 1;
        sc->issues[i].status_quo.value = low + 5 + 7 * (double)i;
    }
    for (size_t a = 0; a < n; a++) {
        char id[16];
        snprintf(id, sizeof id, "actor%zu", a);
        cr_assert_eq(parley_scenario_add_actor(sc, id, 1.0 + (double)((a * 7) % 5), NULL,
                                               NULL), 0);
        for (size_t i = 0; i < m; i++) {
            double low = sc->issues[i].low;
            double offset = unanimous ? 37 : (double)((a * 37 + i * 53 + 11) % 101);
            double salience = 0.1 + 0.9 * (double)((a * 13 + i * 29) % 10) / 9.0;
            parley_scenario_set_stake(sc, a, i, low + offset, salience);
        }
    }
    cr_assert_eq(parley_scenario_validate(sc, NULL), PARLEY_OK);
    return sc;
}

static int run(const parley_model *m, const parley_scenario *sc, unsigned flags,
               parley_result *r)
{
    parley_run_opts opts;
    parley_run_opts_init(&opts, m);
    opts.flags = flags;
    opts.seed = 42;
    return parley_model_run(m, sc, &opts, r, NULL);
}

Test(battery, deterministic_and_independent_of_history_and_trace)
{
    parley_scenario *sc = scenario(7, 3, 0);
    for (const parley_model *const *m = parley_models(); *m; m++) {
        parley_result *a = parley_result_new(), *b = parley_result_new(),
                      *c = parley_result_new();
        int rc = run(*m, sc, PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE, a);
        cr_assert(rc == PARLEY_OK || rc == PARLEY_EUNDEF, "%s: %d", (*m)->name, rc);
        cr_assert_eq(run(*m, sc, PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE, b), rc);
        cr_assert_eq(run(*m, sc, 0, c), rc);
        for (size_t i = 0; i < sc->n_issues; i++) {
            cr_assert_eq(memcmp(&a->forecast[i], &b->forecast[i], sizeof(double)), 0,
                         "%s: issue %zu differs between two runs", (*m)->name, i);
            cr_assert_eq(memcmp(&a->forecast[i], &c->forecast[i], sizeof(double)), 0,
                         "%s: issue %zu differs without history", (*m)->name, i);
            double f = a->forecast[i];
            cr_assert(isnan(f) || (f >= sc->issues[i].low && f <= sc->issues[i].high),
                      "%s: forecast %g off the scale", (*m)->name, f);
        }
        cr_assert_eq(a->n_rounds, c->n_rounds, "%s", (*m)->name);
        cr_assert_eq(a->n_events, b->n_events, "%s", (*m)->name);
        if (rc == PARLEY_OK) {
            cr_assert_eq(a->n_states, a->n_rounds + 1, "%s keeps every state", (*m)->name);
            cr_assert_neq(a->stop_reason[0], '\0', "%s says why it stopped", (*m)->name);
            for (size_t t = 0; t < a->n_states; t++)
                for (size_t x = 0; x < sc->n_actors; x++)
                    for (size_t i = 0; i < sc->n_issues; i++) {
                        double p = parley_result_position(a, t, x, i);
                        cr_assert(p >= sc->issues[i].low && p <= sc->issues[i].high,
                                  "%s: actor %zu leaves the scale in round %zu", (*m)->name,
                                  x, t);
                        if (t == 0)
                            cr_assert_eq(p, parley_stake_at(sc, x, i)->position.value,
                                         "%s: state 0 is the input", (*m)->name);
                    }
        }
        parley_result_free(a);
        parley_result_free(b);
        parley_result_free(c);
    }
    parley_scenario_free(sc);
}

Test(battery, unanimity_does_not_move)
{
    parley_scenario *sc = scenario(5, 2, 1);
    for (const parley_model *const *m = parley_models(); *m; m++) {
        parley_result *r = parley_result_new();
        int rc = run(*m, sc, PARLEY_RUN_HISTORY, r);
        cr_assert(rc == PARLEY_OK || rc == PARLEY_EUNDEF, "%s: %d", (*m)->name, rc);
        for (size_t i = 0; i < sc->n_issues && rc == PARLEY_OK; i++) {
            double expected = sc->issues[i].low + 37;
            cr_assert(isnan(r->forecast[i]) || fabs(r->forecast[i] - expected) < 1e-9,
                      "%s: issue %zu moved to %g", (*m)->name, i, r->forecast[i]);
            for (size_t t = 0; t < r->n_states; t++)
                for (size_t x = 0; x < sc->n_actors; x++)
                    cr_assert_float_eq(parley_result_position(r, t, x, i), expected, 1e-9,
                                       "%s", (*m)->name);
        }
        parley_result_free(r);
    }
    parley_scenario_free(sc);
}

Test(battery, out_of_memory_fails_cleanly)
{
    parley_scenario *sc = scenario(4, 2, 0);
    for (const parley_model *const *m = parley_models(); *m; m++) {
        int done = 0;
        for (long n = 1; n < 100000 && !done; n++) {
            parley_result *r = parley_result_new();
            if (!r)
                continue;
            parley_alloc_fail_after(n);
            int rc = run(*m, sc, PARLEY_RUN_HISTORY | PARLEY_RUN_TRACE, r);
            parley_alloc_fail_after(0);
            cr_assert(rc == PARLEY_OK || rc == PARLEY_EUNDEF || rc == PARLEY_ENOMEM,
                      "%s: allocation %ld failing gave %d", (*m)->name, n, rc);
            done = rc != PARLEY_ENOMEM;
            parley_result_free(r);
        }
        cr_assert(done, "%s never succeeded", (*m)->name);
    }
    parley_scenario_free(sc);
}

Test(battery, registry_is_well_formed)
{
    size_t count = 0;
    for (const parley_model *const *m = parley_models(); *m; m++, count++) {
        cr_assert_not_null((*m)->name);
        cr_assert_not_null((*m)->summary);
        cr_assert_not_null((*m)->params);
        cr_assert_not_null((*m)->events);
        cr_assert_not_null((*m)->run);
        cr_assert_eq(parley_model_find((*m)->name), *m);
        cr_assert_leq(parley_model_count_params(*m), PARLEY_MAX_PARAMS);
        for (const parley_param *p = (*m)->params; p->name; p++) {
            cr_assert_not_null(p->summary, "%s.%s", (*m)->name, p->name);
            if (p->type == PARLEY_PARAM_INT || p->type == PARLEY_PARAM_REAL)
                cr_assert(p->def >= p->min && p->def <= p->max, "%s.%s default in range",
                          (*m)->name, p->name);
        }
    }
    cr_assert_geq(count, 3);
    cr_assert_null(parley_model_find("no-such-model"));
}
