/* backtest.c — models against known outcomes (parley/backtest.h).
 *
 * The conventions follow the DEU studies' comparisons of bargaining models
 * (Thomson et al., The European Union Decides, 2006, ch. 10): capabilities
 * equal unless a table says otherwise, an issue scored when it has an
 * outcome and at least three actors with a stake, and the mean absolute
 * error |forecast - outcome| per model. */
#include "parley/backtest.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parley/alloc.h"

struct parley_capability_table {
    size_t n, cap;
    char **ids;
    double *capability;
};

void parley_capability_table_free(parley_capability_table *table)
{
    if (!table)
        return;
    for (size_t k = 0; k < table->n; k++)
        parley_free(table->ids[k]);
    parley_free(table->ids);
    parley_free(table->capability);
    parley_free(table);
}

size_t parley_capability_table_count(const parley_capability_table *table)
{
    return table ? table->n : 0;
}

double parley_capability_table_get(const parley_capability_table *table, const char *id)
{
    for (size_t k = 0; table && k < table->n; k++)
        if (strcmp(table->ids[k], id) == 0)
            return table->capability[k];
    return NAN;
}

static int table_add(parley_capability_table *table, const char *id, size_t id_len,
                     double capability)
{
    if (table->n == table->cap) {
        size_t cap = table->cap ? 2 * table->cap : 32;
        char **ids = parley_reallocarray(table->ids, cap, sizeof *ids);
        if (!ids)
            return PARLEY_ENOMEM;
        table->ids = ids;
        double *values = parley_reallocarray(table->capability, cap, sizeof *values);
        if (!values)
            return PARLEY_ENOMEM;
        table->capability = values;
        table->cap = cap;
    }
    char *copy = parley_malloc(id_len + 1);
    if (!copy)
        return PARLEY_ENOMEM;
    memcpy(copy, id, id_len);
    copy[id_len] = '\0';
    table->ids[table->n] = copy;
    table->capability[table->n] = capability;
    table->n++;
    return PARLEY_OK;
}

/* [begin, end) without blanks at either end. */
static void trim(const char **begin, const char **end)
{
    while (*begin < *end && isspace((unsigned char)**begin))
        (*begin)++;
    while (*end > *begin && isspace((unsigned char)(*end)[-1]))
        (*end)--;
}

static int parse_capability(const char *text, size_t len, double *out)
{
    char number[64];
    if (len == 0 || len >= sizeof number)
        return 0;
    memcpy(number, text, len);
    number[len] = '\0';
    char *end = NULL;
    errno = 0;
    *out = strtod(number, &end);
    return *end == '\0' && errno == 0 && isfinite(*out);
}

/* Quoted text is cut to this many bytes in messages. */
static int quoted(size_t len)
{
    return (int)(len > 60 ? 60 : len);
}

int parley_capability_table_parse(const char *buf, size_t len, const char *name,
                                  parley_capability_table **out, parley_error *err)
{
    *out = NULL;
    parley_capability_table *table = parley_calloc(1, sizeof *table);
    if (!table)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    const char *end_of_buf = buf + len;
    int line = 0, rc = PARLEY_OK, seen_data = 0;
    for (const char *at = buf; at < end_of_buf && rc == PARLEY_OK;) {
        const char *eol = memchr(at, '\n', (size_t)(end_of_buf - at));
        if (!eol)
            eol = end_of_buf;
        line++;
        const char *begin = at, *end = eol;
        at = eol + 1;
        trim(&begin, &end);
        if (begin == end || *begin == '#')
            continue;
        const char *comma = memchr(begin, ',', (size_t)(end - begin));
        if (!comma) {
            parley_error_at(err, name, line, 1, NULL);
            rc = parley_error_set(err, PARLEY_EPARSE,
                                  "expected \"actor,capability\", got \"%.*s\"",
                                  quoted((size_t)(end - begin)), begin);
            break;
        }
        const char *id_begin = begin, *id_end = comma;
        const char *value_begin = comma + 1, *value_end = end;
        trim(&id_begin, &id_end);
        trim(&value_begin, &value_end);
        size_t id_len = (size_t)(id_end - id_begin);
        size_t value_len = (size_t)(value_end - value_begin);
        double capability = 0;
        if (memchr(value_begin, ',', value_len)) {
            parley_error_at(err, name, line, 0, "field 3");
            rc = parley_error_set(err, PARLEY_EPARSE,
                                  "expected two fields \"actor,capability\", got \"%.*s\"",
                                  quoted((size_t)(end - begin)), begin);
        } else if (!parse_capability(value_begin, value_len, &capability)) {
            if (!seen_data && id_len == 5 && strncasecmp(id_begin, "actor", 5) == 0) {
                seen_data = 1; /* the header */
                continue;
            }
            parley_error_at(err, name, line, 0, "field 2 (capability)");
            rc = parley_error_set(err, PARLEY_EPARSE, "expected a number, got \"%.*s\"",
                                  quoted(value_len), value_begin);
        } else if (!(capability > 0)) {
            parley_error_at(err, name, line, 0, "field 2 (capability)");
            rc = parley_error_set(err, PARLEY_ERANGE, "expected a capability > 0, got %.*s",
                                  quoted(value_len), value_begin);
        } else if (id_len == 0) {
            parley_error_at(err, name, line, 0, "field 1 (actor)");
            rc = parley_error_set(err, PARLEY_EPARSE, "expected an actor id");
        } else {
            for (size_t k = 0; k < table->n && rc == PARLEY_OK; k++)
                if (strlen(table->ids[k]) == id_len &&
                    memcmp(table->ids[k], id_begin, id_len) == 0) {
                    parley_error_at(err, name, line, 0, "field 1 (actor)");
                    rc = parley_error_set(err, PARLEY_EINVAL, "actor \"%.*s\" appears twice",
                                          quoted(id_len), id_begin);
                }
            if (rc == PARLEY_OK && table_add(table, id_begin, id_len, capability))
                rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        }
        seen_data = 1;
    }
    if (rc == PARLEY_OK && table->n == 0) {
        parley_error_at(err, name, 0, 0, NULL);
        rc = parley_error_set(err, PARLEY_EPARSE,
                              "expected lines \"actor,capability\", found none");
    }
    if (rc) {
        parley_capability_table_free(table);
        return rc;
    }
    *out = table;
    return PARLEY_OK;
}

void parley_backtest_opts_init(parley_backtest_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->capability = 1;
    opts->min_actors = 3;
}

static size_t count_stakes(const parley_scenario *sc, size_t issue)
{
    size_t n = 0;
    for (size_t a = 0; a < sc->n_actors; a++)
        if (parley_stake_at(sc, a, issue)->present)
            n++;
    return n;
}

int parley_backtest_scores_issue(const parley_scenario *sc, size_t issue,
                                 const parley_backtest_opts *opts)
{
    parley_backtest_opts defaults;
    if (!opts) {
        parley_backtest_opts_init(&defaults);
        opts = &defaults;
    }
    return sc->issues[issue].has_outcome && count_stakes(sc, issue) >= opts->min_actors;
}

void parley_backtest_free(parley_backtest *bt)
{
    if (!bt)
        return;
    for (size_t m = 0; bt->models && m < bt->n_models; m++)
        parley_free(bt->models[m].items);
    parley_free(bt->models);
    parley_free(bt);
}

/* Sets every actor's capability of the copy by opts. */
static int set_capabilities(parley_scenario *sc, const parley_backtest_opts *opts,
                            parley_error *err)
{
    for (size_t a = 0; a < sc->n_actors; a++) {
        parley_value *capability = &sc->actors[a].capability;
        double value = opts->capability;
        if (opts->table) {
            value = parley_capability_table_get(opts->table, sc->actors[a].id);
            if (isnan(value))
                return parley_error_set(err, PARLEY_EINVAL,
                                        "scenario %s: actor \"%s\" has no capability in "
                                        "the capability table",
                                        sc->id ? sc->id : "?", sc->actors[a].id);
        }
        capability->value = value;
        capability->spread = PARLEY_SPREAD_NONE;
    }
    return PARLEY_OK;
}

static int add_item(parley_backtest_model *bm, size_t scenario, size_t issue,
                    double forecast, double outcome)
{
    /* items has room for every scored issue: allocated up front. */
    parley_backtest_item *item = &bm->items[bm->n_items++];
    item->scenario = scenario;
    item->issue = issue;
    item->forecast = forecast;
    item->outcome = outcome;
    item->error = isnan(forecast) ? NAN : fabs(forecast - outcome);
    if (isnan(forecast))
        bm->n_no_forecast++;
    else
        bm->n_scored++;
    return PARLEY_OK;
}

int parley_backtest_spec_parse(const char *text, parley_backtest_spec *spec,
                               parley_error *err)
{
    memset(spec, 0, sizeof *spec);
    snprintf(spec->label, sizeof spec->label, "%s", text);
    char name[128];
    size_t name_len = strcspn(text, ":");
    if (name_len >= sizeof name)
        name_len = sizeof name - 1;
    memcpy(name, text, name_len);
    name[name_len] = '\0';
    if (!(spec->model = parley_model_find(name)))
        return parley_error_set(err, PARLEY_ENOTFOUND, "unknown model \"%s\"", name);
    parley_run_opts_init(&spec->opts, spec->model);
    for (const char *at = text + name_len; *at == ':' || *at == ',';) {
        at++;
        char assignment[128];
        size_t len = strcspn(at, ",");
        if (len == 0 || len >= sizeof assignment)
            return parley_error_set(err, PARLEY_EINVAL,
                                    "model \"%s\": expected param=value after ':' or ','",
                                    name);
        memcpy(assignment, at, len);
        assignment[len] = '\0';
        int rc = parley_run_opts_set(&spec->opts, spec->model, assignment, err);
        if (rc)
            return rc;
        at += len;
    }
    return PARLEY_OK;
}

int parley_backtest_run(parley_scenario *const *scenarios, size_t n_scenarios,
                        const parley_model *const *models, size_t n_models,
                        const parley_backtest_opts *opts, parley_backtest **out,
                        parley_error *err)
{
    *out = NULL;
    parley_backtest_spec *specs = parley_calloc(n_models ? n_models : 1, sizeof *specs);
    if (!specs)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    for (size_t m = 0; m < n_models; m++) {
        specs[m].model = models[m];
        parley_run_opts_init(&specs[m].opts, models[m]);
        snprintf(specs[m].label, sizeof specs[m].label, "%s", models[m]->name);
    }
    int rc = parley_backtest_run_specs(scenarios, n_scenarios, specs, n_models, opts, out, err);
    parley_free(specs);
    return rc;
}

int parley_backtest_run_specs(parley_scenario *const *scenarios, size_t n_scenarios,
                              const parley_backtest_spec *specs, size_t n_models,
                              const parley_backtest_opts *opts, parley_backtest **out,
                              parley_error *err)
{
    parley_backtest_opts defaults;
    if (!opts) {
        parley_backtest_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    parley_backtest *bt = parley_calloc(1, sizeof *bt);
    parley_result *result = parley_result_new();
    parley_scenario *copy = NULL;
    int rc = PARLEY_ENOMEM;
    if (!bt || !result)
        goto fail;
    bt->n_scenarios = n_scenarios;
    for (size_t s = 0; s < n_scenarios; s++)
        for (size_t i = 0; i < scenarios[s]->n_issues; i++) {
            bt->n_issues++;
            if (!scenarios[s]->issues[i].has_outcome)
                bt->n_no_outcome++;
            else if (parley_backtest_scores_issue(scenarios[s], i, opts))
                bt->n_scored++;
            else
                bt->n_too_few++;
        }
    bt->models = parley_calloc(n_models ? n_models : 1, sizeof *bt->models);
    if (!bt->models)
        goto fail;
    bt->n_models = n_models;
    for (size_t m = 0; m < n_models; m++) {
        bt->models[m].model = specs[m].model;
        memcpy(bt->models[m].label, specs[m].label, sizeof bt->models[m].label);
        bt->models[m].mae = NAN;
        bt->models[m].items = parley_calloc(bt->n_scored ? bt->n_scored : 1,
                                            sizeof *bt->models[m].items);
        if (!bt->models[m].items)
            goto fail;
    }
    for (size_t s = 0; s < n_scenarios; s++) {
        const parley_scenario *sc = scenarios[s];
        int any_scored = 0;
        for (size_t i = 0; i < sc->n_issues; i++)
            any_scored |= parley_backtest_scores_issue(sc, i, opts);
        if (!any_scored)
            continue;
        if (!(copy = parley_scenario_copy(sc)))
            goto fail;
        if (!opts->keep_capabilities && (rc = set_capabilities(copy, opts, err)))
            goto fail_set;
        for (size_t m = 0; m < n_models; m++) {
            const parley_model *model = specs[m].model;
            parley_run_opts run_opts = specs[m].opts;
            run_opts.seed = opts->seed;
            run_opts.on_round = NULL;
            run_opts.flags = 0; /* no history or trace: only forecasts count */
            parley_error run_err;
            parley_error_clear(&run_err);
            rc = parley_model_run(model, copy, &run_opts, result, &run_err);
            if (rc != PARLEY_OK && rc != PARLEY_EUNDEF) {
                if (err)
                    *err = run_err;
                parley_error_set(err, rc, "scenario %s, model %s: %s",
                                 sc->id ? sc->id : "?", specs[m].label, run_err.message);
                goto fail_set;
            }
            for (size_t i = 0; i < sc->n_issues; i++)
                if (parley_backtest_scores_issue(sc, i, opts))
                    add_item(&bt->models[m], s, i, rc == PARLEY_OK ? result->forecast[i] : NAN,
                             sc->issues[i].outcome);
        }
        parley_scenario_free(copy);
        copy = NULL;
    }
    for (size_t m = 0; m < n_models; m++) {
        parley_backtest_model *bm = &bt->models[m];
        double total = 0;
        for (size_t k = 0; k < bm->n_items; k++)
            if (!isnan(bm->items[k].error))
                total += bm->items[k].error;
        if (bm->n_scored)
            bm->mae = total / (double)bm->n_scored;
    }
    parley_result_free(result);
    *out = bt;
    return PARLEY_OK;
fail:
    rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
fail_set:
    parley_scenario_free(copy);
    parley_result_free(result);
    parley_backtest_free(bt);
    return rc;
}
