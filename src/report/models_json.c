/* models_json.c — the registry described as JSON, for `parley models --json`
 * and the web UI (parley/report.h). */
#include <jansson.h>

#include "parley/report.h"
#include "json_util.h"

const char *parley_param_type_name(parley_param_type type)
{
    switch (type) {
    case PARLEY_PARAM_INT:
        return "int";
    case PARLEY_PARAM_REAL:
        return "real";
    case PARLEY_PARAM_BOOL:
        return "bool";
    case PARLEY_PARAM_CHOICE:
        return "choice";
    }
    return "?";
}

static json_t *strings_json(const char *const *names, size_t max)
{
    json_t *list = json_array();
    for (size_t k = 0; list && k < max && names[k]; k++)
        if (json_array_append_new(list, json_string(names[k]))) {
            json_decref(list);
            return NULL;
        }
    return list;
}

static json_t *param_json(const parley_param *p)
{
    json_t *item = json_object();
    char text[64];
    json_t *def = NULL;
    switch (p->type) {
    case PARLEY_PARAM_INT:
        def = json_integer((json_int_t)p->def);
        break;
    case PARLEY_PARAM_REAL:
        def = rj_number(p->def);
        break;
    case PARLEY_PARAM_BOOL:
        def = json_boolean(p->def != 0);
        break;
    case PARLEY_PARAM_CHOICE:
        def = json_string(parley_param_format(p, p->def, text, sizeof text));
        break;
    }
    int bad = !item || rj_set(item, "name", json_string(p->name)) ||
              rj_set(item, "summary", json_string(p->summary ? p->summary : "")) ||
              rj_set(item, "type", json_string(parley_param_type_name(p->type))) ||
              rj_set(item, "default", def);
    if (!bad && (p->type == PARLEY_PARAM_INT || p->type == PARLEY_PARAM_REAL))
        bad = rj_set(item, "min", rj_number(p->min)) || rj_set(item, "max", rj_number(p->max));
    if (!bad && p->type == PARLEY_PARAM_CHOICE)
        bad = rj_set(item, "choices", strings_json(p->choices, 1000));
    if (bad) {
        json_decref(item);
        return NULL;
    }
    return item;
}

static json_t *model_json(const parley_model *m)
{
    json_t *item = json_object(), *params = json_array(), *events = json_array();
    int bad = !item || !params || !events;
    for (size_t k = 0; !bad && m->params[k].name; k++)
        bad = json_array_append_new(params, param_json(&m->params[k]));
    for (size_t k = 0; !bad && m->events[k].name; k++) {
        json_t *kind = json_object();
        bad = !kind || rj_set(kind, "name", json_string(m->events[k].name)) ||
              rj_set(kind, "values", strings_json(m->events[k].value_names, 4));
        if (bad)
            json_decref(kind);
        else
            bad = json_array_append_new(events, kind);
    }
    if (!bad)
        bad = rj_set(item, "name", json_string(m->name)) ||
              rj_set(item, "summary", json_string(m->summary ? m->summary : "")) ||
              rj_set(item, "reference", json_string(m->reference ? m->reference : "")) ||
              rj_set(item, "iterative", json_boolean(m->iterative));
    if (!bad) {
        bad = rj_set(item, "params", params);
        params = NULL;
    }
    if (!bad) {
        bad = rj_set(item, "events", events);
        events = NULL;
    }
    json_decref(params);
    json_decref(events);
    if (bad) {
        json_decref(item);
        return NULL;
    }
    return item;
}

int parley_models_to_json(const parley_model *const *models, char **out,
                          parley_error *err)
{
    json_t *list = json_array();
    for (size_t k = 0; list && models[k]; k++)
        if (json_array_append_new(list, model_json(models[k]))) {
            json_decref(list);
            list = NULL;
        }
    return rj_dump(list, out, err);
}
