/* backtest_json.c — a backtest as JSON (parley/report.h). */
#include <jansson.h>

#include "parley/report.h"
#include "json_util.h"

static json_t *items_json(const parley_backtest_model *bm, parley_scenario *const *scenarios)
{
    json_t *list = json_array();
    for (size_t k = 0; list && k < bm->n_items; k++) {
        const parley_backtest_item *item = &bm->items[k];
        const parley_scenario *sc = scenarios[item->scenario];
        json_t *entry = json_object();
        int bad = !entry || rj_set(entry, "scenario", sc->id ? json_string(sc->id) : json_null()) ||
                  rj_set(entry, "issue", json_string(sc->issues[item->issue].id)) ||
                  rj_set(entry, "forecast", rj_number(item->forecast)) ||
                  rj_set(entry, "outcome", rj_number(item->outcome)) ||
                  rj_set(entry, "error", rj_number(item->error));
        if (bad)
            json_decref(entry);
        if (bad || json_array_append_new(list, entry)) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

int parley_backtest_to_json(const parley_backtest *bt, parley_scenario *const *scenarios,
                            char **out, parley_error *err)
{
    json_t *top = json_object(), *models = json_array();
    int bad = !top || !models ||
              rj_set(top, "n_scenarios", json_integer((json_int_t)bt->n_scenarios)) ||
              rj_set(top, "n_issues", json_integer((json_int_t)bt->n_issues)) ||
              rj_set(top, "n_scored", json_integer((json_int_t)bt->n_scored)) ||
              rj_set(top, "n_no_outcome", json_integer((json_int_t)bt->n_no_outcome)) ||
              rj_set(top, "n_too_few_actors", json_integer((json_int_t)bt->n_too_few));
    for (size_t m = 0; !bad && m < bt->n_models; m++) {
        const parley_backtest_model *bm = &bt->models[m];
        json_t *entry = json_object();
        bad = !entry || rj_set(entry, "model", json_string(bm->model->name)) ||
              rj_set(entry, "mae", rj_number(bm->mae)) ||
              rj_set(entry, "n_scored", json_integer((json_int_t)bm->n_scored)) ||
              rj_set(entry, "n_no_forecast", json_integer((json_int_t)bm->n_no_forecast)) ||
              rj_set(entry, "issues", items_json(bm, scenarios));
        if (bad)
            json_decref(entry);
        else
            bad = json_array_append_new(models, entry);
    }
    if (bad) {
        json_decref(top);
        json_decref(models);
        return rj_dump(NULL, out, err);
    }
    if (rj_set(top, "models", models)) {
        json_decref(top);
        return rj_dump(NULL, out, err);
    }
    return rj_dump(top, out, err);
}
