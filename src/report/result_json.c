/* result_json.c — a run as JSON (parley/report.h).  The store and the web UI
 * reuse this, so it carries everything: parameters by name, seed, forecasts
 * with their issue's words, per-round positions and the trace. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/report.h"
#include "json_util.h"

static json_t *json_id(const char *id)
{
    return id ? json_string(id) : json_null();
}

static json_t *params_json(const parley_model *model, const parley_run_opts *opts)
{
    json_t *params = json_object();
    for (size_t k = 0; params && model->params[k].name && k < PARLEY_MAX_PARAMS; k++) {
        const parley_param *p = &model->params[k];
        double value = opts->param[k];
        json_t *v = NULL;
        char text[64];
        switch (p->type) {
        case PARLEY_PARAM_INT:
            v = json_integer((json_int_t)value);
            break;
        case PARLEY_PARAM_REAL:
            v = rj_number(value);
            break;
        case PARLEY_PARAM_BOOL:
            v = json_boolean(value != 0);
            break;
        case PARLEY_PARAM_CHOICE:
            v = json_string(parley_param_format(p, value, text, sizeof text));
            break;
        }
        if (rj_set(params, p->name, v)) {
            json_decref(params);
            return NULL;
        }
    }
    return params;
}

static json_t *forecasts_json(const parley_scenario *sc, const parley_result *result)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        double x = i < result->n_issues ? result->forecast[i] : NAN;
        const char *note = i < result->n_issues ? result->issue_note[i] : NULL;
        const char *label = isnan(x) ? NULL : parley_issue_nearest_label(issue, x);
        json_t *item = json_object();
        int bad = !item || rj_set(item, "issue", json_string(issue->id)) ||
                  rj_set(item, "name", json_id(issue->name ? issue->name : issue->id)) ||
                  rj_set(item, "forecast", rj_number(x)) ||
                  rj_set(item, "label", json_id(label)) ||
                  rj_set(item, "note", json_id(note)) ||
                  rj_set(item, "status_quo",
                         issue->has_status_quo ? rj_number(issue->status_quo.value)
                                               : json_null());
        if (!bad && issue->has_outcome)
            bad = rj_set(item, "outcome", rj_number(issue->outcome));
        if (bad)
            json_decref(item);
        if (bad || json_array_append_new(list, item)) { /* _new takes item even on failure */
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static json_t *ids_json(size_t n, const char *(*id_at)(const parley_scenario *, size_t),
                        const parley_scenario *sc)
{
    json_t *list = json_array();
    for (size_t k = 0; list && k < n; k++)
        if (json_array_append_new(list, json_string(id_at(sc, k)))) {
            json_decref(list);
            return NULL;
        }
    return list;
}

static const char *actor_at(const parley_scenario *sc, size_t k)
{
    return sc->actors[k].id;
}

static const char *issue_at(const parley_scenario *sc, size_t k)
{
    return sc->issues[k].id;
}

/* One state: {"round": t, "positions": [[x per issue] per actor]}. */
static json_t *state_json(const parley_result *result, size_t t, size_t round)
{
    json_t *rows = json_array();
    for (size_t a = 0; rows && a < result->n_actors; a++) {
        json_t *row = json_array();
        int bad = !row;
        for (size_t i = 0; !bad && i < result->n_issues; i++)
            bad = json_array_append_new(row, rj_number(parley_result_position(result, t, a, i)));
        if (bad)
            json_decref(row);
        if (bad || json_array_append_new(rows, row)) {
            json_decref(rows);
            return NULL;
        }
    }
    json_t *state = json_object();
    if (!state || !rows || rj_set(state, "round", json_integer((json_int_t)round))) {
        json_decref(state);
        json_decref(rows);
        return NULL;
    }
    if (rj_set(state, "positions", rows)) {
        json_decref(state);
        return NULL;
    }
    return state;
}

static json_t *states_json(const parley_result *result)
{
    json_t *states = json_array();
    int full = result->n_states == result->n_rounds + 1;
    for (size_t t = 0; states && t < result->n_states; t++) {
        size_t round = full ? t : (t == 0 ? 0 : result->n_rounds);
        if (json_array_append_new(states, state_json(result, t, round))) {
            json_decref(states);
            return NULL;
        }
    }
    return states;
}

static json_t *event_json(const parley_scenario *sc, const parley_model *model,
                          const parley_event *ev)
{
    size_t n_kinds = 0;
    while (model->events[n_kinds].name)
        n_kinds++;
    const parley_event_kind *kind =
        ev->kind >= 0 && (size_t)ev->kind < n_kinds ? &model->events[ev->kind] : NULL;
    json_t *item = json_object(), *values = json_object();
    int bad = !item || !values;
    for (size_t k = 0; !bad && kind && k < 4; k++)
        if (kind->value_names[k])
            bad = rj_set(values, kind->value_names[k], rj_number(ev->value[k]));
    const char *actor = ev->actor >= 0 && (size_t)ev->actor < sc->n_actors
                            ? sc->actors[ev->actor].id : NULL;
    const char *other = ev->other >= 0 && (size_t)ev->other < sc->n_actors
                            ? sc->actors[ev->other].id : NULL;
    const char *issue = ev->issue >= 0 && (size_t)ev->issue < sc->n_issues
                            ? sc->issues[ev->issue].id : NULL;
    const char *issue2 = ev->issue2 >= 0 && (size_t)ev->issue2 < sc->n_issues
                             ? sc->issues[ev->issue2].id : NULL;
    if (!bad)
        bad = rj_set(item, "round", json_integer(ev->round)) ||
              rj_set(item, "kind", kind ? json_string(kind->name) : json_integer(ev->kind)) ||
              rj_set(item, "actor", json_id(actor)) || rj_set(item, "other", json_id(other)) ||
              rj_set(item, "issue", json_id(issue)) || rj_set(item, "issue2", json_id(issue2));
    if (!bad) {
        bad = rj_set(item, "values", values);
        values = NULL;
    }
    if (!bad && model->describe) {
        char sentence[512];
        sentence[0] = '\0';
        model->describe(sc, ev, sentence, sizeof sentence);
        bad = rj_set(item, "text", json_string(sentence));
    }
    json_decref(values);
    if (bad) {
        json_decref(item);
        return NULL;
    }
    return item;
}

static json_t *events_json(const parley_scenario *sc, const parley_model *model,
                           const parley_result *result)
{
    json_t *list = json_array();
    for (size_t e = 0; list && e < result->n_events; e++) {
        json_t *item = event_json(sc, model, &result->events[e]);
        if (!item || json_array_append_new(list, item)) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

json_t *rj_run(const parley_scenario *sc, const parley_model *model,
               const parley_run_opts *opts, const parley_result *result)
{
    parley_run_opts defaults;
    if (!opts) {
        parley_run_opts_init(&defaults, model);
        opts = &defaults;
    }
    json_t *run = json_object();
    if (!run)
        return NULL;
    int ok = !rj_set(run, "scenario", json_id(sc->id)) &&
             !rj_set(run, "scenario_name", json_id(sc->name)) &&
             !rj_set(run, "model", json_string(model->name)) &&
             !rj_set(run, "status", json_string("ok")) &&
             !rj_set(run, "params", params_json(model, opts)) &&
             !rj_set(run, "seed", rj_u64(opts->seed)) &&
             !rj_set(run, "stream", rj_u64(opts->stream)) &&
             !rj_set(run, "iterative", json_boolean(model->iterative)) &&
             !rj_set(run, "forecasts", forecasts_json(sc, result)) &&
             !rj_set(run, "n_rounds", json_integer((json_int_t)result->n_rounds)) &&
             !rj_set(run, "stop_reason", json_string(result->stop_reason)) &&
             !rj_set(run, "actors", ids_json(sc->n_actors, actor_at, sc)) &&
             !rj_set(run, "issues", ids_json(sc->n_issues, issue_at, sc)) &&
             !rj_set(run, "history", json_boolean(result->n_states > 0 &&
                                                  result->n_states == result->n_rounds + 1)) &&
             !rj_set(run, "states", states_json(result)) &&
             !rj_set(run, "events", events_json(sc, model, result));
    if (!ok) {
        json_decref(run);
        return NULL;
    }
    return run;
}

int parley_result_to_json(const parley_scenario *sc, const parley_model *model,
                          const parley_run_opts *opts, const parley_result *result,
                          char **out, parley_error *err)
{
    *out = NULL;
    if (result->n_actors != sc->n_actors || result->n_issues != sc->n_issues)
        return parley_error_set(err, PARLEY_EINVAL,
                                "the result (%zu actors, %zu issues) is not of this scenario "
                                "(%zu actors, %zu issues)",
                                result->n_actors, result->n_issues, sc->n_actors,
                                sc->n_issues);
    return rj_dump(rj_run(sc, model, opts, result), out, err);
}

int parley_report_runs_json(const parley_scenario *sc, const parley_report_run *runs,
                            size_t n_runs, char **out, parley_error *err)
{
    *out = NULL;
    json_t *top = json_object(), *scenario = json_object(), *list = json_array();
    int bad = !top || !scenario || !list ||
              rj_set(scenario, "id", json_id(sc->id)) ||
              rj_set(scenario, "name", json_id(sc->name)) ||
              rj_set(scenario, "date", json_id(sc->date)) ||
              rj_set(scenario, "n_actors", json_integer((json_int_t)sc->n_actors)) ||
              rj_set(scenario, "n_issues", json_integer((json_int_t)sc->n_issues));
    for (size_t r = 0; !bad && r < n_runs; r++) {
        json_t *run;
        if (runs[r].status == PARLEY_OK) {
            run = rj_run(sc, runs[r].model, runs[r].opts, runs[r].result);
        } else {
            run = json_object();
            if (run &&
                (rj_set(run, "model", json_string(runs[r].model->name)) ||
                 rj_set(run, "status", json_string(runs[r].status == PARLEY_EUNDEF
                                                       ? "undefined" : "failed")) ||
                 rj_set(run, "message", json_string(runs[r].message
                                                        ? runs[r].message
                                                        : parley_strerror(runs[r].status))))) {
                json_decref(run);
                run = NULL;
            }
        }
        bad = !run || json_array_append_new(list, run);
    }
    if (bad) {
        json_decref(top);
        json_decref(scenario);
        json_decref(list);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    if (rj_set(top, "scenario", scenario)) {
        json_decref(top);
        json_decref(list);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    if (rj_set(top, "runs", list)) {
        json_decref(top);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    return rj_dump(top, out, err);
}
