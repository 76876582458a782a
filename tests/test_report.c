/* test_report.c — the JSON and text of a run (parley/report.h). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/report.h"

/* Two actors, two issues; b has no stake in "y". */
static parley_scenario *scenario(void)
{
    parley_scenario *sc = parley_scenario_new("two");
    cr_assert(sc);
    cr_assert_eq(parley_scenario_add_issue(sc, "x", 0, 100, "nothing", "everything", NULL, NULL), 0);
    cr_assert_eq(parley_scenario_add_issue(sc, "y", 0, 10, "low", "high", NULL, NULL), 0);
    cr_assert_eq(parley_scenario_add_actor(sc, "a", 1, NULL, NULL), 0);
    cr_assert_eq(parley_scenario_add_actor(sc, "b", 3, NULL, NULL), 0);
    parley_scenario_set_stake(sc, 0, 0, 0, 1);
    parley_scenario_set_stake(sc, 1, 0, 100, 1);
    parley_scenario_set_stake(sc, 0, 1, 10, 1);
    return sc;
}

/* A hand-made result: forecast 75 on x, none on y (with a note); two states;
 * one event of a made-up model. */
static const parley_event_kind kinds[] = {{"offer", {"gain", NULL, NULL, NULL}}, {NULL}};
static const char *const shapes[] = {"round", "square", NULL};
static const parley_param params[] = {
    {"rounds", "how many", PARLEY_PARAM_INT, 8, 1, 100, NULL},
    {"q", "a share", PARLEY_PARAM_REAL, 0.5, 0, 1, NULL},
    {"shape", "which", PARLEY_PARAM_CHOICE, 1, 0, 1, shapes},
    {NULL}};
static int no_run(const parley_scenario *sc, const parley_run_opts *o, parley_result *r,
                  parley_error *e)
{
    (void)sc, (void)o, (void)r, (void)e;
    return PARLEY_OK;
}
static const parley_model fake = {"fake", "for tests", "none", params, kinds, 1, no_run, NULL};

static parley_result *result(void)
{
    parley_result *r = parley_result_new();
    cr_assert(r);
    cr_assert_eq(parley_result_reset(r, 2, 2), 0);
    double s0[] = {0, 10, 100, NAN}, s1[] = {70, 10, 80, NAN};
    cr_assert_eq(parley_result_push_state(r, s0), 0);
    cr_assert_eq(parley_result_push_state(r, s1), 0);
    r->n_rounds = 1;
    snprintf(r->stop_reason, sizeof r->stop_reason, "fixed 1 round");
    r->forecast[0] = 75;
    cr_assert_eq(parley_result_set_issue_note(r, 1, "too few actors"), 0);
    parley_event ev = {1, 0, 1, 0, 0, -1, {2.5, 0, 0, 0}};
    cr_assert_eq(parley_result_add_event(r, &ev), 0);
    return r;
}

Test(report, result_json_holds_everything)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    parley_run_opts opts;
    parley_run_opts_init(&opts, &fake);
    opts.seed = 42;
    opts.param[0] = 12;
    char *text = NULL;
    parley_error err;
    cr_assert_eq(parley_result_to_json(sc, &fake, &opts, r, &text, &err), PARLEY_OK);
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    cr_assert(root, "%s: %s", jerr.text, text);
    cr_assert_str_eq(json_string_value(json_object_get(root, "scenario")), "two");
    cr_assert_str_eq(json_string_value(json_object_get(root, "model")), "fake");
    json_t *p = json_object_get(root, "params");
    cr_assert_eq(json_integer_value(json_object_get(p, "rounds")), 12);
    cr_assert_float_eq(json_number_value(json_object_get(p, "q")), 0.5, 1e-15);
    cr_assert_str_eq(json_string_value(json_object_get(p, "shape")), "square");
    cr_assert_eq(json_integer_value(json_object_get(root, "seed")), 42);
    json_t *f = json_object_get(root, "forecasts");
    cr_assert_eq(json_array_size(f), 2);
    json_t *x = json_array_get(f, 0), *y = json_array_get(f, 1);
    cr_assert_str_eq(json_string_value(json_object_get(x, "issue")), "x");
    cr_assert_float_eq(json_number_value(json_object_get(x, "forecast")), 75, 1e-12);
    cr_assert_str_eq(json_string_value(json_object_get(x, "label")), "everything");
    cr_assert(json_is_null(json_object_get(y, "forecast")));
    cr_assert(json_is_null(json_object_get(y, "label")));
    cr_assert_str_eq(json_string_value(json_object_get(y, "note")), "too few actors");
    cr_assert_eq(json_integer_value(json_object_get(root, "n_rounds")), 1);
    cr_assert_str_eq(json_string_value(json_object_get(root, "stop_reason")), "fixed 1 round");
    json_t *states = json_object_get(root, "states");
    cr_assert_eq(json_array_size(states), 2);
    json_t *last = json_array_get(states, 1);
    cr_assert_eq(json_integer_value(json_object_get(last, "round")), 1);
    json_t *b_row = json_array_get(json_object_get(last, "positions"), 1);
    cr_assert_float_eq(json_number_value(json_array_get(b_row, 0)), 80, 1e-12);
    cr_assert(json_is_null(json_array_get(b_row, 1)), "no stake is null");
    json_t *ev = json_array_get(json_object_get(root, "events"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(ev, "kind")), "offer");
    cr_assert_str_eq(json_string_value(json_object_get(ev, "actor")), "b");
    cr_assert_str_eq(json_string_value(json_object_get(ev, "other")), "a");
    cr_assert(json_is_null(json_object_get(ev, "issue2")));
    cr_assert_float_eq(json_number_value(json_object_get(json_object_get(ev, "values"), "gain")),
                       2.5, 1e-15);
    json_decref(root);
    parley_free(text);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(report, numbers_keep_full_precision)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    r->forecast[0] = 1.0 / 3.0;
    char *text = NULL;
    cr_assert_eq(parley_result_to_json(sc, &fake, NULL, r, &text, NULL), PARLEY_OK);
    json_t *root = json_loads(text, 0, NULL);
    json_t *x = json_array_get(json_object_get(root, "forecasts"), 0);
    cr_assert_eq(json_number_value(json_object_get(x, "forecast")), 1.0 / 3.0);
    json_decref(root);
    parley_free(text);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(report, table_and_trace_text)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    parley_report_run runs[] = {{&fake, NULL, r, PARLEY_OK, NULL},
                                {&fake, NULL, NULL, PARLEY_EUNDEF, "needs a status quo"}};
    char *text = NULL;
    cr_assert_eq(parley_report_table(sc, runs, 2, &text, NULL), PARLEY_OK);
    cr_assert(strstr(text, "2 actors, 2 issues, 2 models"), "%s", text);
    cr_assert(strstr(text, "everything"));
    cr_assert(strstr(text, "75.0"), "one decimal on a 0-100 scale: %s", text);
    cr_assert(strstr(text, "no forecast [1]"), "%s", text);
    cr_assert(strstr(text, "[1] too few actors"));
    cr_assert(strstr(text, "fake: no forecast: needs a status quo"));
    parley_free(text);
    cr_assert_eq(parley_report_trace(sc, &runs[0], &text, NULL), PARLEY_OK);
    cr_assert(strstr(text, "fake: 1 round, fixed 1 round"), "%s", text);
    cr_assert(strstr(text, "round 1\n  offer actor=b other=a issue=x gain=2.5"), "%s", text);
    cr_assert(strstr(text, "positions on x by round"), "%s", text);
    parley_free(text);
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(report, out_of_memory_leaks_nothing)
{
    parley_scenario *sc = scenario();
    parley_result *r = result();
    parley_report_run run = {&fake, NULL, r, PARLEY_OK, NULL};
    for (long n = 1; n < 100; n++) {
        char *text = NULL;
        parley_alloc_fail_after(n);
        int rc = parley_report_table(sc, &run, 1, &text, NULL);
        int rc2 = rc == PARLEY_OK ? parley_report_trace(sc, &run, &text, NULL) : rc;
        parley_alloc_fail_after(0);
        parley_free(text);
        if (rc == PARLEY_OK && rc2 == PARLEY_OK)
            break;
        cr_assert(rc == PARLEY_ENOMEM || rc2 == PARLEY_ENOMEM);
    }
    parley_result_free(r);
    parley_scenario_free(sc);
}

Test(report, models_json_describes_params)
{
    const parley_model *models[] = {&fake, NULL};
    char *text = NULL;
    cr_assert_eq(parley_models_to_json(models, &text, NULL), PARLEY_OK);
    json_t *root = json_loads(text, 0, NULL);
    json_t *m = json_array_get(root, 0);
    json_t *shape = json_array_get(json_object_get(m, "params"), 2);
    cr_assert_str_eq(json_string_value(json_object_get(shape, "type")), "choice");
    cr_assert_str_eq(json_string_value(json_object_get(shape, "default")), "square");
    cr_assert_eq(json_array_size(json_object_get(shape, "choices")), 2);
    json_decref(root);
    parley_free(text);
}
