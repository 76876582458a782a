/* run.c — POST /api/run: models on a posted scenario, answered at once.
 * Every model the page shows is fast on a scenario of the default's size
 * (milliseconds), so a run is done in the request thread; Monte Carlo and
 * sensitivity, which are not, are jobs (jobs.c). */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "parley/report.h"
#include "parley/store.h"
#include "web/web_internal.h"

#define MAX_RUN_MODELS 32

typedef struct run_set {
    size_t n;
    const parley_model *models[MAX_RUN_MODELS];
    parley_run_opts opts[MAX_RUN_MODELS];
    parley_result *results[MAX_RUN_MODELS];
    parley_report_run runs[MAX_RUN_MODELS];
    char messages[MAX_RUN_MODELS][600];
} run_set;

/* "models": [names] (absent: every model), each with its "params"[name]. */
static int select_models(json_t *body, run_set *set, web_response *res)
{
    json_t *names = json_object_get(body, "models");
    json_t *params = json_object_get(body, "params");
    if (names && (!json_is_array(names) || json_array_size(names) == 0 ||
                  json_array_size(names) > MAX_RUN_MODELS)) {
        web_reply_error(res, 400, "invalid", "models", "expected a non-empty array of names");
        return -1;
    }
    if (params && !json_is_object(params)) {
        web_reply_error(res, 400, "invalid", "params", "expected an object by model name");
        return -1;
    }
    const parley_model *const *all = parley_models();
    size_t n = names ? json_array_size(names) : 0;
    if (!names)
        while (all[n] && n < MAX_RUN_MODELS)
            n++;
    for (size_t k = 0; k < n; k++) {
        const parley_model *m = all[k];
        if (names) {
            json_t *wrap = json_pack("{sO}", "model", json_array_get(names, k));
            m = wrap ? web_body_model(wrap, "model", res) : NULL;
            json_decref(wrap);
            if (!m)
                return -1;
        }
        set->models[k] = m;
        parley_run_opts_init(&set->opts[k], m);
        if (web_apply_params(json_object_get(params, m->name), m, &set->opts[k], res))
            return -1;
    }
    set->n = n;
    return 0;
}

/* A per-model switch: absent gives def, true or false all models, an
 * array of names those models. */
static int switched_on(json_t *spec, const char *model, int def)
{
    if (!spec)
        return def;
    if (json_is_boolean(spec))
        return json_is_true(spec);
    for (size_t k = 0; k < json_array_size(spec); k++) {
        const char *name = json_string_value(json_array_get(spec, k));
        if (name && strcmp(name, model) == 0)
            return 1;
    }
    return 0;
}

/* "trace" and "history" are per-model switches: a trace can run to
 * megabytes and every round's positions to tens of kilobytes, and the page
 * draws one model's path, so what-if runs ask for that model's only. */
static int apply_seed_and_flags(json_t *body, run_set *set, web_response *res)
{
    uint64_t seed;
    if (web_body_u64(body, "seed", 0, UINT64_MAX >> 1, &seed, res))
        return -1;
    static const char *const keys[] = {"trace", "history"};
    for (size_t k = 0; k < 2; k++) {
        json_t *spec = json_object_get(body, keys[k]);
        if (spec && !json_is_boolean(spec) && !json_is_array(spec)) {
            web_reply_error(res, 400, "invalid", keys[k], "expected true, false or model names");
            return -1;
        }
    }
    for (size_t k = 0; k < set->n; k++) {
        const char *name = set->models[k]->name;
        set->opts[k].seed = seed;
        if (switched_on(json_object_get(body, "trace"), name, 0))
            set->opts[k].flags |= PARLEY_RUN_TRACE;
        if (!switched_on(json_object_get(body, "history"), name, 1))
            set->opts[k].flags &= ~(unsigned)PARLEY_RUN_HISTORY;
    }
    return 0;
}

static int run_all(const parley_scenario *sc, run_set *set)
{
    for (size_t k = 0; k < set->n; k++) {
        set->results[k] = parley_result_new();
        if (!set->results[k])
            return PARLEY_ENOMEM;
        parley_error err;
        parley_error_clear(&err);
        int code = parley_model_run(set->models[k], sc, &set->opts[k], set->results[k], &err);
        if (code == PARLEY_ENOMEM)
            return code;
        snprintf(set->messages[k], sizeof set->messages[k], "%s",
                 err.message[0] ? err.message : parley_strerror(code));
        set->runs[k] = (parley_report_run){set->models[k], &set->opts[k], set->results[k],
                                           code, set->messages[k]};
    }
    return PARLEY_OK;
}

/* "events_for": {"actor": id, "round": n} keeps only the trace events of
 * that round that involve that actor, so that the page's hover asks for a
 * few sentences instead of a whole trace. */
static int filter_events(json_t *body, const parley_scenario *sc, run_set *set,
                         web_response *res)
{
    json_t *filter = json_object_get(body, "events_for");
    if (!filter)
        return 0;
    long actor = parley_scenario_find_actor(
        sc, json_string_value(json_object_get(filter, "actor")) ? json_string_value(
                json_object_get(filter, "actor")) : "");
    json_t *round = json_object_get(filter, "round");
    if (actor < 0 || !json_is_integer(round)) {
        web_reply_error(res, 400, "invalid", "events_for",
                        "expected {\"actor\": an actor's id, \"round\": a round}");
        return -1;
    }
    for (size_t k = 0; k < set->n; k++) {
        parley_result *r = set->results[k];
        size_t kept = 0;
        for (size_t e = 0; r && e < r->n_events; e++) {
            const parley_event *ev = &r->events[e];
            if ((json_int_t)ev->round == json_integer_value(round) &&
                (ev->actor == actor || ev->other == actor))
                r->events[kept++] = *ev;
        }
        if (r)
            r->n_events = kept;
    }
    return 0;
}

/* Stores the runs that succeeded; their ids go to "stored". */
static int store_runs(const web_context *ctx, const parley_scenario *sc, run_set *set,
                      json_t *root, web_response *res)
{
    parley_store *store = web_store_open(ctx, PARLEY_STORE_CREATE, res);
    if (!store)
        return -1;
    json_t *ids = json_array();
    json_object_set_new(root, "stored", ids);
    for (size_t k = 0; k < set->n; k++) {
        if (set->runs[k].status != PARLEY_OK)
            continue;
        int64_t id = 0;
        parley_error err;
        parley_error_clear(&err);
        if (parley_store_save_run(store, sc, set->models[k], &set->opts[k], set->results[k],
                                  NULL, NULL, &id, &err) != PARLEY_OK) {
            parley_store_close(store);
            web_reply_parley_error(res, &err);
            return -1;
        }
        json_array_append_new(ids, json_integer(id));
    }
    parley_store_close(store);
    return 0;
}

static void reply_runs(const web_context *ctx, json_t *body, const parley_scenario *sc,
                       run_set *set, web_response *res)
{
    char *text = NULL;
    parley_error err;
    if (parley_report_runs_json(sc, set->runs, set->n, &text, &err) != PARLEY_OK) {
        web_reply_parley_error(res, &err);
        return;
    }
    if (!json_is_true(json_object_get(body, "store"))) {
        web_reply_json(res, 200, text);
        return;
    }
    json_t *root = json_loads(text, 0, NULL);
    parley_free(text);
    if (!root || store_runs(ctx, sc, set, root, res)) {
        if (!root)
            web_reply_error(res, 500, "internal", NULL, "could not re-read the runs");
        json_decref(root);
        return;
    }
    web_reply_json(res, 200, web_dump(root));
}

void web_post_run(const web_context *ctx, const web_request *req,
                  const char *const *captures, web_response *res)
{
    (void)captures;
    json_t *body = web_parse_body(req, res);
    if (!body)
        return;
    run_set *set = parley_calloc(1, sizeof *set);
    parley_scenario *sc = NULL;
    if (!set) {
        web_reply_error(res, 500, "out_of_memory", NULL, "out of memory");
        goto done;
    }
    if (select_models(body, set, res) || apply_seed_and_flags(body, set, res))
        goto done;
    sc = web_body_scenario(body, res);
    if (!sc)
        goto done;
    if (run_all(sc, set) != PARLEY_OK) {
        web_reply_error(res, 500, "out_of_memory", NULL, "out of memory");
        goto done;
    }
    if (filter_events(body, sc, set, res) == 0)
        reply_runs(ctx, body, sc, set, res);
done:
    if (set)
        for (size_t k = 0; k < set->n; k++)
            parley_result_free(set->results[k]);
    parley_free(set);
    parley_scenario_free(sc);
    json_decref(body);
}
