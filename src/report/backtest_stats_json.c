/* backtest_stats_json.c — a backtest's intervals and comparisons as JSON
 * (parley/backtest.h). */
#include <jansson.h>

#include "parley/backtest.h"
#include "json_util.h"

static json_t *interval_json(parley_interval in)
{
    json_t *o = json_object();
    if (o && (rj_set(o, "estimate", rj_number(in.estimate)) ||
              rj_set(o, "low", rj_number(in.low)) || rj_set(o, "high", rj_number(in.high)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *cell_json(const parley_backtest_stats *stats, size_t m, size_t s)
{
    const parley_backtest_cell *cell = parley_backtest_cell_at(stats, m, s);
    json_t *o = json_object();
    if (o && (rj_set(o, "subset", json_string(stats->subset_names[s])) ||
              rj_set(o, "n_issues", json_integer((json_int_t)cell->n_issues)) ||
              rj_set(o, "n_groups", json_integer((json_int_t)cell->n_groups)) ||
              rj_set(o, "mae", interval_json(cell->mae)) ||
              rj_set(o, "median", interval_json(cell->median)) ||
              rj_set(o, "within", interval_json(cell->within)) ||
              rj_set(o, "n_paired", json_integer((json_int_t)cell->n_paired)) ||
              rj_set(o, "diff", interval_json(cell->diff)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int parley_backtest_stats_json(const parley_backtest_stats *stats, const parley_backtest *bt,
                               char **out, parley_error *err)
{
    const parley_backtest_stats_opts *opts = &stats->opts;
    json_t *top = json_object(), *boot = json_object(), *subsets = json_array(),
           *models = json_array();
    int bad = !top || !boot || !subsets || !models ||
              rj_set(boot, "seed", rj_u64(opts->seed)) ||
              rj_set(boot, "resamples", json_integer((json_int_t)opts->resamples)) ||
              rj_set(boot, "level", json_real(opts->level)) ||
              rj_set(boot, "within", json_real(opts->within)) ||
              rj_set(boot, "group_key",
                     opts->group_key ? json_string(opts->group_key) : json_null());
    for (size_t s = 0; !bad && s < stats->n_subsets; s++)
        bad = json_array_append_new(subsets, json_string(stats->subset_names[s]));
    for (size_t m = 0; !bad && m < stats->n_models; m++) {
        const parley_backtest_model *bm = &bt->models[m];
        json_t *entry = json_object(), *cells = json_array();
        for (size_t s = 0; cells && s < stats->n_subsets; s++)
            if (json_array_append_new(cells, cell_json(stats, m, s))) {
                json_decref(cells);
                cells = NULL;
            }
        /* rj_set takes its value whether or not it succeeds. */
        bad = !entry || rj_set(entry, "label", json_string(bm->label)) ||
              rj_set(entry, "model", json_string(bm->model->name)) ||
              rj_set(entry, "n_no_forecast", json_integer((json_int_t)bm->n_no_forecast)) ||
              rj_set(entry, "cells", cells);
        if (!entry)
            json_decref(cells);
        if (bad)
            json_decref(entry);
        else
            bad = json_array_append_new(models, entry);
    }
    json_t *baseline = stats->baseline >= 0 ? json_string(bt->models[stats->baseline].label)
                                            : json_null();
    if (bad || !top) {
        json_decref(boot);
        json_decref(subsets);
        json_decref(models);
        json_decref(baseline);
        json_decref(top);
        return rj_dump(NULL, out, err);
    }
    if (rj_set(top, "bootstrap", boot) | rj_set(top, "baseline", baseline) |
        rj_set(top, "subsets", subsets) | rj_set(top, "models", models)) {
        json_decref(top);
        return rj_dump(NULL, out, err);
    }
    return rj_dump(top, out, err);
}
