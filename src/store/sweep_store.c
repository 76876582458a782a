/* sweep_store.c — sweeps in the run store (parley/store.h, schema step 4 in
 * store.c, docs/store.md).  A sweep's row is written when it starts and
 * each case in a transaction of its own when it finishes, so a sweep that
 * dies keeps its finished cases and parley_store_sweep_load hands them back
 * for parley_sweep_run to skip. */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

static int check_writable(parley_store *store, parley_error *err)
{
    if (!store)
        return parley_error_set(err, PARLEY_EINVAL, "no store");
    if (store->flags & PARLEY_STORE_READONLY) {
        parley_error_at(err, store->path, 0, 0, NULL);
        return parley_error_set(err, PARLEY_EINVAL, "the store was opened read-only");
    }
    return PARLEY_OK;
}

/* Runs a prepared statement to its end and finalises it. */
static int step_done(parley_store *store, sqlite3_stmt *stmt, const char *doing,
                     parley_error *err)
{
    int rc = sqlite3_step(stmt) == SQLITE_DONE ? PARLEY_OK : st_fail(store, err, doing);
    sqlite3_finalize(stmt);
    return rc;
}

static int save_sweep_row(parley_store *store, const parley_sweep *s,
                          const parley_sweep_opts *opts, const struct timespec *started,
                          sqlite3_int64 *id, parley_error *err)
{
    sqlite3_int64 scenario_row = 0;
    sqlite3_stmt *stmt = NULL;
    char when[32];
    st_format_time(started, when, sizeof when);
    int rc = st_save_scenario(store, parley_sweep_scenario(s), &scenario_row, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO sweep (scenario, model, seed, samples, spread, n_cases, "
                        "version, started) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, scenario_row);
    st_bind_text(stmt, 2, parley_sweep_model(s)->name);
    sqlite3_bind_int64(stmt, 3, (sqlite3_int64)opts->seed);
    sqlite3_bind_int64(stmt, 4, (sqlite3_int64)opts->samples);
    sqlite3_bind_double(stmt, 5, opts->spread);
    sqlite3_bind_int64(stmt, 6, (sqlite3_int64)parley_sweep_count_cases(s));
    st_bind_text(stmt, 7, PARLEY_VERSION);
    st_bind_text(stmt, 8, when);
    rc = step_done(store, stmt, "storing the sweep", err);
    if (rc == PARLEY_OK)
        *id = sqlite3_last_insert_rowid(store->db);
    return rc;
}

static int save_sweep_params(parley_store *store, sqlite3_int64 id, const parley_sweep *s,
                             parley_error *err)
{
    const parley_model *model = parley_sweep_model(s);
    const parley_run_opts *opts = parley_sweep_run_opts(s);
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "INSERT INTO sweep_param (sweep, name, value, text) VALUES (?, ?, ?, ?)",
                        &stmt, err);
    for (size_t k = 0; rc == PARLEY_OK && k < PARLEY_MAX_PARAMS && model->params[k].name;
         k++) {
        char text[64];
        sqlite3_bind_int64(stmt, 1, id);
        st_bind_text(stmt, 2, model->params[k].name);
        sqlite3_bind_double(stmt, 3, opts->param[k]);
        st_bind_text(stmt, 4, parley_param_format(&model->params[k], opts->param[k], text,
                                                  sizeof text));
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "storing the sweep's parameters");
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

static int save_axes(parley_store *store, sqlite3_int64 id, const parley_sweep *s,
                     parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "INSERT INTO sweep_axis (sweep, axis, vary, target, n_values) "
                        "VALUES (?, ?, ?, ?, ?)",
                        &stmt, err);
    for (size_t k = 0; rc == PARLEY_OK && k < parley_sweep_count_axes(s); k++) {
        const parley_sweep_axis *axis = parley_sweep_axis_at(s, k);
        sqlite3_bind_int64(stmt, 1, id);
        sqlite3_bind_int64(stmt, 2, (sqlite3_int64)k);
        st_bind_text(stmt, 3, axis->text);
        st_bind_text(stmt, 4, axis->label);
        sqlite3_bind_int64(stmt, 5, (sqlite3_int64)axis->n_values);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "storing the sweep's axes");
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int parley_store_sweep_begin(parley_store *store, const parley_sweep *s,
                             const parley_sweep_opts *opts, const struct timespec *started,
                             int64_t *sweep_id, parley_error *err)
{
    int rc = check_writable(store, err);
    if (rc != PARLEY_OK)
        return rc;
    if (!s || !opts)
        return parley_error_set(err, PARLEY_EINVAL, "no sweep or options to store");
    sqlite3_int64 id = 0;
    if ((rc = st_begin(store, err)) != PARLEY_OK)
        return rc;
    rc = save_sweep_row(store, s, opts, started, &id, err);
    if (rc == PARLEY_OK)
        rc = save_sweep_params(store, id, s, err);
    if (rc == PARLEY_OK)
        rc = save_axes(store, id, s, err);
    if (rc != PARLEY_OK) {
        st_rollback(store);
        return rc;
    }
    rc = st_commit(store, err);
    if (rc == PARLEY_OK && sweep_id)
        *sweep_id = id;
    return rc;
}

/* The case's axis values as a JSON array ("[0.5, 1]"), for SQL readers. */
static char *axis_values_json(const parley_sweep *s, uint64_t c)
{
    size_t n_axes = parley_sweep_count_axes(s);
    double *values = parley_calloc(n_axes + 1, sizeof *values);
    char *json = parley_malloc(32 * n_axes + 3);
    if (!values || !json) {
        parley_free(values);
        parley_free(json);
        return NULL;
    }
    parley_sweep_case_values(s, c, values);
    size_t used = (size_t)snprintf(json, 2, "[");
    for (size_t k = 0; k < n_axes; k++)
        used += (size_t)snprintf(json + used, 32, "%s%.17g", k ? ", " : "", values[k]);
    snprintf(json + used, 2, "]");
    parley_free(values);
    return json;
}

static void bind_stat(sqlite3_stmt *stmt, int index, double x)
{
    /* NaN (no forecast, or no spread without samples) is NULL; anything
     * else keeps its bits in the untyped column. */
    if (isnan(x))
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_double(stmt, index, x);
}

static int save_case_rows(parley_store *store, sqlite3_int64 id, const parley_sweep *s,
                          const parley_sweep_result *r, uint64_t c, parley_error *err)
{
    char *json = axis_values_json(s, c);
    if (!json)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    sqlite3_stmt *row = NULL, *issue = NULL;
    int rc = st_prepare(store,
                        "INSERT INTO sweep_case (sweep, case_index, axis_values, status) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        &row, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO sweep_issue (sweep, case_index, issue, issue_id, mean, sd, "
                        "q05, q50, q95) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &issue, err);
    if (rc == PARLEY_OK) {
        sqlite3_bind_int64(row, 1, id);
        sqlite3_bind_int64(row, 2, (sqlite3_int64)c);
        st_bind_text(row, 3, json);
        st_bind_text(row, 4, r->status[c] == PARLEY_OK ? "ok" : "no forecast");
        if (sqlite3_step(row) != SQLITE_DONE)
            rc = st_fail(store, err, "storing a sweep case");
    }
    /* Stored before: leave it, with its statistics, as it was. */
    int is_new = rc == PARLEY_OK && sqlite3_changes(store->db) == 1;
    const parley_scenario *sc = parley_sweep_scenario(s);
    for (size_t i = 0; is_new && rc == PARLEY_OK && i < r->n_issues; i++) {
        sqlite3_bind_int64(issue, 1, id);
        sqlite3_bind_int64(issue, 2, (sqlite3_int64)c);
        sqlite3_bind_int64(issue, 3, (sqlite3_int64)i);
        st_bind_text(issue, 4, sc->issues[i].id);
        for (int stat = 0; stat < PARLEY_SWEEP_N_STATS; stat++)
            bind_stat(issue, 5 + stat, *parley_sweep_result_at(r, c, (parley_sweep_stat)stat, i));
        if (sqlite3_step(issue) != SQLITE_DONE)
            rc = st_fail(store, err, "storing a sweep case's forecasts");
        sqlite3_reset(issue);
    }
    sqlite3_finalize(row);
    sqlite3_finalize(issue);
    parley_free(json);
    return rc;
}

int parley_store_sweep_save_case(parley_store *store, int64_t sweep_id, const parley_sweep *s,
                                 const parley_sweep_result *r, uint64_t c, parley_error *err)
{
    int rc = check_writable(store, err);
    if (rc != PARLEY_OK)
        return rc;
    if (!s || !r || c >= r->n_cases || r->n_cases != parley_sweep_count_cases(s) ||
        r->n_issues != parley_sweep_scenario(s)->n_issues)
        return parley_error_set(err, PARLEY_EINVAL, "case %llu is not of this sweep",
                                (unsigned long long)c);
    if ((rc = st_begin(store, err)) != PARLEY_OK)
        return rc;
    rc = save_case_rows(store, sweep_id, s, r, c, err);
    if (rc != PARLEY_OK) {
        st_rollback(store);
        return rc;
    }
    return st_commit(store, err);
}

/* Reads one integer that sql (with ?1 = id) selects. */
static int select_int(parley_store *store, const char *sql, int64_t id, sqlite3_int64 *out,
                      parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, sql, &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, id);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        *out = sqlite3_column_int64(stmt, 0);
    } else if (step == SQLITE_DONE) {
        parley_error_at(err, store->path, 0, 0, NULL);
        rc = parley_error_set(err, PARLEY_ENOTFOUND, "no sweep %lld in the store",
                              (long long)id);
    } else {
        rc = st_fail(store, err, "reading a sweep");
    }
    sqlite3_finalize(stmt);
    return rc;
}

int parley_store_sweep_finish(parley_store *store, int64_t sweep_id,
                              const struct timespec *finished, parley_error *err)
{
    int rc = check_writable(store, err);
    sqlite3_int64 missing = 0;
    if (rc == PARLEY_OK)
        rc = select_int(store,
                        "SELECT n_cases - (SELECT count(*) FROM sweep_case WHERE sweep = ?1) "
                        "FROM sweep WHERE id = ?1",
                        sweep_id, &missing, err);
    if (rc != PARLEY_OK)
        return rc;
    if (missing)
        return parley_error_set(err, PARLEY_EINVAL, "sweep %lld still lacks %lld cases",
                                (long long)sweep_id, (long long)missing);
    char when[32];
    st_format_time(finished, when, sizeof when);
    sqlite3_stmt *stmt = NULL;
    rc = st_prepare(store, "UPDATE sweep SET finished = ? WHERE id = ?", &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    st_bind_text(stmt, 1, when);
    sqlite3_bind_int64(stmt, 2, sweep_id);
    return step_done(store, stmt, "marking the sweep finished", err);
}

/* ---- reading ------------------------------------------------------------ */

#define INFO_COLUMNS                                                                      \
    "SELECT w.id, w.model, s.scenario_id, s.sha256, w.seed, w.samples, w.spread, "       \
    "w.n_cases, (SELECT count(*) FROM sweep_case c WHERE c.sweep = w.id), w.version, "   \
    "w.started, w.finished, (SELECT count(*) FROM sweep_axis a WHERE a.sweep = w.id), "  \
    "(SELECT group_concat(vary, ' ') FROM (SELECT vary FROM sweep_axis a "               \
    "WHERE a.sweep = w.id ORDER BY axis)), w.scenario "                                  \
    "FROM sweep w JOIN scenario s ON s.id = w.scenario "

static void read_info(sqlite3_stmt *stmt, parley_sweep_info *info)
{
    memset(info, 0, sizeof *info);
    info->id = sqlite3_column_int64(stmt, 0);
    st_column_copy(stmt, 1, info->model, sizeof info->model);
    st_column_copy(stmt, 2, info->scenario_id, sizeof info->scenario_id);
    st_column_copy(stmt, 3, info->sha256, sizeof info->sha256);
    info->seed = (uint64_t)sqlite3_column_int64(stmt, 4);
    info->samples = (uint64_t)sqlite3_column_int64(stmt, 5);
    info->spread = sqlite3_column_double(stmt, 6);
    info->n_cases = (uint64_t)sqlite3_column_int64(stmt, 7);
    info->n_stored = (uint64_t)sqlite3_column_int64(stmt, 8);
    st_column_copy(stmt, 9, info->version, sizeof info->version);
    st_column_copy(stmt, 10, info->started, sizeof info->started);
    st_column_copy(stmt, 11, info->finished, sizeof info->finished);
    info->n_axes = (size_t)sqlite3_column_int64(stmt, 12);
    st_column_copy(stmt, 13, info->vary, sizeof info->vary);
}

int parley_store_sweep_list(parley_store *store, parley_sweep_info **out, size_t *count,
                            parley_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, INFO_COLUMNS "ORDER BY w.id", &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*count == cap) {
            size_t grown = cap ? 2 * cap : 8;
            parley_sweep_info *infos = parley_reallocarray(*out, grown, sizeof **out);
            if (!infos) {
                rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
                break;
            }
            *out = infos;
            cap = grown;
        }
        read_info(stmt, &(*out)[(*count)++]);
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "listing sweeps");
    sqlite3_finalize(stmt);
    if (rc != PARLEY_OK) {
        parley_free(*out);
        *out = NULL;
        *count = 0;
    }
    return rc;
}

void parley_stored_sweep_free(parley_stored_sweep *sweep)
{
    if (!sweep)
        return;
    parley_sweep_result_free(sweep->result);
    parley_sweep_free(sweep->sweep);
    parley_scenario_free(sweep->scenario);
    parley_free(sweep);
}

/* The stored parameters over the model's defaults (by name: one dropped
 * since is skipped), then the axes in order. */
static int load_definition(parley_store *store, parley_stored_sweep *out, parley_error *err)
{
    parley_run_opts run;
    parley_run_opts_init(&run, out->model);
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "SELECT name, value FROM sweep_param WHERE sweep = ?", &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, out->info.id);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        long k = parley_model_find_param(out->model, (const char *)sqlite3_column_text(stmt, 0));
        if (k >= 0 && k < PARLEY_MAX_PARAMS)
            run.param[k] = sqlite3_column_double(stmt, 1);
    }
    if (step != SQLITE_DONE)
        rc = st_fail(store, err, "reading the sweep's parameters");
    sqlite3_finalize(stmt);
    if (rc != PARLEY_OK)
        return rc;
    out->sweep = parley_sweep_new(out->scenario, out->model, &run);
    if (!out->sweep)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    rc = st_prepare(store, "SELECT vary FROM sweep_axis WHERE sweep = ? ORDER BY axis", &stmt,
                    err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, out->info.id);
    while (rc == PARLEY_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        rc = parley_sweep_add(out->sweep, (const char *)sqlite3_column_text(stmt, 0), err);
        if (rc != PARLEY_OK && rc != PARLEY_ENOMEM && err) {
            char why[sizeof err->message];
            snprintf(why, sizeof why, "a stored axis no longer parses: %s", err->message);
            rc = parley_error_set(err, PARLEY_ESCHEMA, "%s", why);
        }
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "reading the sweep's axes");
    sqlite3_finalize(stmt);
    if (rc == PARLEY_OK && parley_sweep_count_cases(out->sweep) != out->info.n_cases)
        rc = parley_error_set(err, PARLEY_ESCHEMA,
                              "the stored axes now give %llu cases, not the %llu stored",
                              (unsigned long long)parley_sweep_count_cases(out->sweep),
                              (unsigned long long)out->info.n_cases);
    return rc;
}

static int load_cases(parley_store *store, parley_stored_sweep *out, parley_error *err)
{
    parley_sweep_result *r = out->result = parley_sweep_result_new(out->sweep);
    if (!r)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    sqlite3_stmt *cases = NULL, *issues = NULL;
    int rc = st_prepare(store, "SELECT case_index, status FROM sweep_case WHERE sweep = ?",
                        &cases, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "SELECT case_index, issue, mean, sd, q05, q50, q95 FROM sweep_issue "
                        "WHERE sweep = ?",
                        &issues, err);
    int step = SQLITE_DONE;
    if (rc == PARLEY_OK) {
        sqlite3_bind_int64(cases, 1, out->info.id);
        sqlite3_bind_int64(issues, 1, out->info.id);
    }
    while (rc == PARLEY_OK && (step = sqlite3_step(cases)) == SQLITE_ROW) {
        sqlite3_int64 c = sqlite3_column_int64(cases, 0);
        if (c < 0 || (uint64_t)c >= r->n_cases) {
            rc = parley_error_set(err, PARLEY_ESCHEMA, "stored case %lld is not of the sweep",
                                  (long long)c);
            break;
        }
        r->done[c] = 1;
        r->status[c] = strcmp((const char *)sqlite3_column_text(cases, 1), "ok") == 0
                           ? PARLEY_OK
                           : PARLEY_EUNDEF;
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "reading the sweep's cases");
    while (rc == PARLEY_OK && (step = sqlite3_step(issues)) == SQLITE_ROW) {
        sqlite3_int64 c = sqlite3_column_int64(issues, 0), i = sqlite3_column_int64(issues, 1);
        if (c < 0 || (uint64_t)c >= r->n_cases || i < 0 || (size_t)i >= r->n_issues)
            continue;   /* rows of a case outside the sweep were refused above */
        for (int stat = 0; stat < PARLEY_SWEEP_N_STATS; stat++)
            *parley_sweep_result_at(r, (uint64_t)c, (parley_sweep_stat)stat, (size_t)i) =
                st_column_real(issues, 2 + stat);
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "reading the sweep's forecasts");
    sqlite3_finalize(cases);
    sqlite3_finalize(issues);
    return rc;
}

int parley_store_sweep_load(parley_store *store, int64_t id, parley_stored_sweep **out,
                            parley_error *err)
{
    *out = NULL;
    parley_stored_sweep *sweep = parley_calloc(1, sizeof *sweep);
    if (!sweep)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    sqlite3_stmt *stmt = NULL;
    sqlite3_int64 scenario_row = 0;
    int rc = st_prepare(store, INFO_COLUMNS "WHERE w.id = ?", &stmt, err);
    if (rc == PARLEY_OK) {
        sqlite3_bind_int64(stmt, 1, id);
        int step = sqlite3_step(stmt);
        if (step == SQLITE_ROW) {
            read_info(stmt, &sweep->info);
            scenario_row = sqlite3_column_int64(stmt, 14);
        } else if (step == SQLITE_DONE) {
            parley_error_at(err, store->path, 0, 0, NULL);
            rc = parley_error_set(err, PARLEY_ENOTFOUND, "no sweep %lld in the store",
                                  (long long)id);
        } else {
            rc = st_fail(store, err, "reading the sweep");
        }
        sqlite3_finalize(stmt);
    }
    if (rc == PARLEY_OK && !(sweep->model = parley_model_find(sweep->info.model)))
        rc = parley_error_set(err, PARLEY_ENOTFOUND,
                              "sweep %lld ran model \"%s\", which this parley does not have",
                              (long long)id, sweep->info.model);
    if (rc == PARLEY_OK)
        rc = st_load_scenario(store, scenario_row, &sweep->scenario, err);
    if (rc == PARLEY_OK)
        rc = load_definition(store, sweep, err);
    if (rc == PARLEY_OK)
        rc = load_cases(store, sweep, err);
    if (rc != PARLEY_OK) {
        parley_stored_sweep_free(sweep);
        return rc;
    }
    parley_sweep_opts_init(&sweep->opts);
    sweep->opts.samples = sweep->info.samples;
    sweep->opts.seed = sweep->info.seed;
    sweep->opts.spread = sweep->info.spread;
    *out = sweep;
    return PARLEY_OK;
}
