/* request_json.c — reading request bodies: JSON objects, the scenario in
 * them, a model by name, its parameters. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/format.h"
#include "parley/model.h"
#include "parley/report.h"
#include "report/json_util.h"
#include "web/web_internal.h"

json_t *web_parse_body(const web_request *req, web_response *res)
{
    json_error_t jerr;
    json_t *body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body) {
        web_reply_error(res, 400, "bad_json", NULL, "line %d, column %d: %s", jerr.line,
                        jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(body)) {
        json_decref(body);
        web_reply_error(res, 400, "bad_json", NULL, "expected a JSON object");
        return NULL;
    }
    return body;
}

parley_scenario *web_parse_scenario(const char *text, size_t len, const char *name,
                                   parley_error *err)
{
    parley_scenario **list = NULL;
    size_t count = 0;
    parley_error_clear(err);
    if (parley_scenarios_parse(text, len, name, PARLEY_FORMAT_JSON, &list, &count, err) !=
        PARLEY_OK)
        return NULL;
    parley_scenario *sc = list[0];
    for (size_t k = 1; k < count; k++)
        parley_scenario_free(list[k]);
    parley_free(list);
    return sc;
}

/* The scenario's own reader checks everything (unknown fields, ranges):
 * the object goes back to text and through it, and the error's JSON path is
 * given under "scenario.". */
parley_scenario *web_body_scenario(json_t *body, web_response *res)
{
    json_t *value = json_object_get(body, "scenario");
    char *text = NULL;
    size_t len = 0;
    if (!value) {
        const char *builtin = parley_default_scenario_json(&len);
        text = parley_strdup(builtin);
    } else if (json_is_object(value)) {
        char *dumped = json_dumps(value, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
        text = dumped ? parley_strdup(dumped) : NULL;
        len = text ? strlen(text) : 0;
        free(dumped);
    } else {
        web_reply_error(res, 400, "invalid", "scenario", "expected an object");
        return NULL;
    }
    if (!text) {
        web_reply_error(res, 500, "out_of_memory", NULL, "out of memory");
        return NULL;
    }
    parley_error err;
    parley_scenario *sc = web_parse_scenario(text, len, "scenario", &err);
    parley_free(text);
    if (!sc) {
        char field[300];
        snprintf(field, sizeof field, "scenario%s%s", err.path[0] == '[' ? "" : ".",
                 err.path);
        if (!err.path[0])
            snprintf(field, sizeof field, "scenario");
        snprintf(err.path, sizeof err.path, "%s", field);
        err.line = 0; /* lines of the re-serialised text mean nothing to the client */
        web_reply_parley_error(res, &err);
    }
    return sc;
}

const parley_model *web_body_model(json_t *body, const char *key, web_response *res)
{
    const char *name = json_string_value(json_object_get(body, key));
    if (!name) {
        web_reply_error(res, 400, "invalid", key, "expected a model name (see /api/models)");
        return NULL;
    }
    const parley_model *m = parley_model_find(name);
    if (!m)
        web_reply_error(res, 404, "not_found", key, "no model called \"%s\"", name);
    return m;
}

int web_apply_params(json_t *params, const parley_model *model, parley_run_opts *opts,
                     web_response *res)
{
    if (!params)
        return 0;
    if (!json_is_object(params)) {
        web_reply_error(res, 400, "invalid", "params", "expected an object of parameters");
        return -1;
    }
    const char *name;
    json_t *value;
    json_object_foreach(params, name, value) {
        char assignment[256];
        if (json_is_string(value))
            snprintf(assignment, sizeof assignment, "%s=%s", name, json_string_value(value));
        else if (json_is_boolean(value))
            snprintf(assignment, sizeof assignment, "%s=%s", name,
                     json_is_true(value) ? "true" : "false");
        else if (json_is_number(value))
            snprintf(assignment, sizeof assignment, "%s=%.17g", name,
                     json_number_value(value));
        else
            assignment[0] = '\0';
        parley_error err;
        parley_error_clear(&err);
        if (!assignment[0] || parley_run_opts_set(opts, model, assignment, &err)) {
            char field[300];
            snprintf(field, sizeof field, "params.%s", name);
            web_reply_error(res, 400, "invalid", field, "%s",
                            assignment[0] ? err.message : "expected a number, true/false "
                                                          "or a choice's name");
            return -1;
        }
    }
    return 0;
}

int web_body_u64(json_t *body, const char *key, uint64_t def, uint64_t max, uint64_t *out,
                 web_response *res)
{
    json_t *value = json_object_get(body, key);
    *out = def;
    if (!value)
        return 0;
    if (!json_is_integer(value) || json_integer_value(value) < 0 ||
        (uint64_t)json_integer_value(value) > max) {
        web_reply_error(res, 400, "invalid", key, "expected a whole number from 0 to %llu",
                        (unsigned long long)max);
        return -1;
    }
    *out = (uint64_t)json_integer_value(value);
    return 0;
}

char *web_dump(json_t *value)
{
    char *text = NULL;
    if (rj_dump(value, &text, NULL) != PARLEY_OK)
        return NULL;
    return text;
}
