/* load.c — listing, reading back and deleting stored runs
 * (parley/store.h). */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/format.h"

/* The columns read_info reads, in its order. */
#define INFO_COLUMNS                                                                  \
    "SELECT r.id, r.kind, r.model, s.scenario_id, s.name, s.sha256, s.n_actors, "     \
    "s.n_issues, r.seed, coalesce((SELECT samples FROM mc WHERE mc.run = r.id), 0), " \
    "r.n_rounds, r.stop_reason, r.version, r.started, r.finished, r.seconds, "        \
    "r.stream, r.n_states, r.scenario "                                               \
    "FROM run r JOIN scenario s ON s.id = r.scenario "

static void read_info(sqlite3_stmt *stmt, parley_run_info *info)
{
    memset(info, 0, sizeof *info);
    info->id = sqlite3_column_int64(stmt, 0);
    const unsigned char *kind = sqlite3_column_text(stmt, 1);
    int parsed = parley_run_kind_parse((const char *)kind);
    info->kind = parsed < 0 ? PARLEY_RUN_KIND_RUN : (parley_run_kind)parsed;
    st_column_copy(stmt, 2, info->model, sizeof info->model);
    st_column_copy(stmt, 3, info->scenario_id, sizeof info->scenario_id);
    st_column_copy(stmt, 4, info->scenario_name, sizeof info->scenario_name);
    st_column_copy(stmt, 5, info->sha256, sizeof info->sha256);
    info->n_actors = (size_t)sqlite3_column_int64(stmt, 6);
    info->n_issues = (size_t)sqlite3_column_int64(stmt, 7);
    info->seed = (uint64_t)sqlite3_column_int64(stmt, 8);
    info->samples = (uint64_t)sqlite3_column_int64(stmt, 9);
    info->n_rounds = (size_t)sqlite3_column_int64(stmt, 10);
    st_column_copy(stmt, 11, info->stop_reason, sizeof info->stop_reason);
    st_column_copy(stmt, 12, info->version, sizeof info->version);
    st_column_copy(stmt, 13, info->started, sizeof info->started);
    st_column_copy(stmt, 14, info->finished, sizeof info->finished);
    info->seconds = sqlite3_column_double(stmt, 15);
}

void parley_run_filter_init(parley_run_filter *filter)
{
    memset(filter, 0, sizeof *filter);
    filter->kind = -1;
}

int parley_store_list(parley_store *store, const parley_run_filter *filter,
                      parley_run_info **out, size_t *count, parley_error *err)
{
    *out = NULL;
    *count = 0;
    parley_run_filter any;
    if (!filter) {
        parley_run_filter_init(&any);
        filter = &any;
    }
    /* A bare date as `until` means up to the end of that day. */
    int until_is_date = filter->until && strlen(filter->until) == 10;
    const char *sql =
        INFO_COLUMNS
        "WHERE (?1 IS NULL OR s.scenario_id = ?1 OR (length(?1) >= 4 AND "
        "       substr(s.sha256, 1, length(?1)) = lower(?1))) "
        "AND (?2 IS NULL OR r.model = ?2) "
        "AND (?3 IS NULL OR r.started >= ?3) "
        "AND (?4 IS NULL OR r.started < (CASE WHEN ?5 THEN date(?4, '+1 day') ELSE ?4 END)) "
        "AND (?6 IS NULL OR r.kind = ?6) "
        "ORDER BY r.id DESC LIMIT ?7";
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, sql, &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    st_bind_text(stmt, 1, filter->scenario);
    st_bind_text(stmt, 2, filter->model);
    st_bind_text(stmt, 3, filter->since);
    st_bind_text(stmt, 4, filter->until);
    sqlite3_bind_int(stmt, 5, until_is_date);
    st_bind_text(stmt, 6, filter->kind >= 0
                              ? parley_run_kind_name((parley_run_kind)filter->kind)
                              : NULL);
    sqlite3_bind_int64(stmt, 7, filter->limit ? (sqlite3_int64)filter->limit : -1);
    parley_run_info *infos = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (n == cap) {
            size_t grown = cap ? 2 * cap : 16;
            parley_run_info *bigger = parley_reallocarray(infos, grown, sizeof *infos);
            if (!bigger) {
                rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
                break;
            }
            infos = bigger;
            cap = grown;
        }
        read_info(stmt, &infos[n++]);
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "listing runs");
    sqlite3_finalize(stmt);
    if (rc != PARLEY_OK) {
        parley_free(infos);
        return rc;
    }
    /* Newest first made LIMIT keep the newest; show them oldest first. */
    for (size_t k = 0; k < n / 2; k++) {
        parley_run_info swap = infos[k];
        infos[k] = infos[n - 1 - k];
        infos[n - 1 - k] = swap;
    }
    *out = infos;
    *count = n;
    return PARLEY_OK;
}

/* ---- loading ------------------------------------------------------------ */

void parley_stored_run_free(parley_stored_run *run)
{
    if (!run)
        return;
    parley_scenario_free(run->scenario);
    parley_result_free(run->result);
    if (run->mc_event_texts && run->mc)
        for (size_t k = 0; k < run->mc->n_events; k++)
            parley_free(run->mc_event_texts[k]);
    parley_free(run->mc_event_texts);
    parley_mc_result_free(run->mc);
    parley_free(run);
}

static int load_scenario(parley_store *store, sqlite3_int64 scenario_row,
                         parley_stored_run *run, parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "SELECT json FROM scenario WHERE id = ?", &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, scenario_row);
    if (sqlite3_step(stmt) != SQLITE_ROW) {
        rc = st_fail(store, err, "reading the scenario");
    } else {
        const char *json = (const char *)sqlite3_column_text(stmt, 0);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 0);
        parley_scenario **list = NULL;
        size_t n = 0;
        rc = parley_scenarios_parse(json ? json : "", json ? len : 0, "stored scenario",
                                    PARLEY_FORMAT_JSON, &list, &n, err);
        if (rc == PARLEY_OK && n == 1) {
            run->scenario = list[0];
            parley_free(list);
        } else if (rc == PARLEY_OK) {
            parley_scenarios_free(list, n);
            rc = parley_error_set(err, PARLEY_ESCHEMA, "the stored scenario is not one");
        } else if (rc != PARLEY_ENOMEM) {
            rc = PARLEY_ESCHEMA;
            if (err)
                err->code = rc;
        }
    }
    sqlite3_finalize(stmt);
    return rc;
}

int st_load_scenario(parley_store *store, sqlite3_int64 scenario_row, parley_scenario **out,
                     parley_error *err)
{
    parley_stored_run run = {0};
    int rc = load_scenario(store, scenario_row, &run, err);
    *out = run.scenario;
    return rc;
}

static int load_params(parley_store *store, parley_stored_run *run, parley_error *err)
{
    if (run->model)
        parley_run_opts_init(&run->opts, run->model);
    else
        memset(&run->opts, 0, sizeof run->opts);
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "SELECT name, value FROM param WHERE run = ?", &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, run->info.id);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        long k = run->model ? parley_model_find_param(
                                  run->model, (const char *)sqlite3_column_text(stmt, 0))
                            : -1;
        if (k >= 0 && k < PARLEY_MAX_PARAMS) /* a parameter since dropped is skipped */
            run->opts.param[k] = sqlite3_column_double(stmt, 1);
    }
    if (step != SQLITE_DONE)
        rc = st_fail(store, err, "reading parameters");
    sqlite3_finalize(stmt);
    return rc;
}

static int load_forecasts(parley_store *store, parley_stored_run *run, parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "SELECT issue, value, note FROM forecast WHERE run = ?", &stmt,
                        err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, run->info.id);
    int step;
    while (rc == PARLEY_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        sqlite3_int64 i = sqlite3_column_int64(stmt, 0);
        if (i < 0 || (size_t)i >= run->result->n_issues)
            continue;
        run->result->forecast[i] = st_column_real(stmt, 1);
        const unsigned char *note = sqlite3_column_text(stmt, 2);
        if (note && parley_result_set_issue_note(run->result, (size_t)i, "%s",
                                                 (const char *)note) != PARLEY_OK)
            rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "reading forecasts");
    sqlite3_finalize(stmt);
    return rc;
}

static int load_states(parley_store *store, parley_stored_run *run, size_t n_states,
                       parley_error *err)
{
    size_t n_values = run->result->n_actors * run->result->n_issues;
    if (n_states == 0 || n_values == 0)
        return PARLEY_OK;
    double *values = parley_calloc(n_values, sizeof *values);
    if (!values)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "SELECT positions FROM state WHERE run = ? ORDER BY seq",
                        &stmt, err);
    int history = n_states == run->info.n_rounds + 1;
    int step = SQLITE_DONE;
    if (rc == PARLEY_OK)
        sqlite3_bind_int64(stmt, 1, run->info.id);
    while (rc == PARLEY_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if ((size_t)sqlite3_column_bytes(stmt, 0) != 8 * n_values) {
            rc = parley_error_set(err, PARLEY_ESCHEMA,
                                  "run %lld: a state holds %d bytes, not %zu",
                                  (long long)run->info.id, sqlite3_column_bytes(stmt, 0),
                                  8 * n_values);
            break;
        }
        st_unpack_doubles(sqlite3_column_blob(stmt, 0), n_values, values);
        if (parley_result_record_state(run->result, values, history) != PARLEY_OK)
            rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "reading positions");
    sqlite3_finalize(stmt);
    parley_free(values);
    return rc;
}

static int column_index(sqlite3_stmt *stmt, int column)
{
    return sqlite3_column_type(stmt, column) == SQLITE_NULL ? -1
                                                            : sqlite3_column_int(stmt, column);
}

static int load_events(parley_store *store, parley_stored_run *run, parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "SELECT round, kind, actor, other, issue, issue2, v0, v1, v2, v3 "
                        "FROM event WHERE run = ? ORDER BY seq",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, run->info.id);
    int step;
    while (rc == PARLEY_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        parley_event ev;
        ev.round = (unsigned)sqlite3_column_int(stmt, 0);
        ev.kind = sqlite3_column_int(stmt, 1);
        ev.actor = column_index(stmt, 2);
        ev.other = column_index(stmt, 3);
        ev.issue = column_index(stmt, 4);
        ev.issue2 = column_index(stmt, 5);
        for (int v = 0; v < 4; v++)
            ev.value[v] = st_column_real(stmt, 6 + v);
        if (parley_result_add_event(run->result, &ev) != PARLEY_OK)
            rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "reading events");
    sqlite3_finalize(stmt);
    return rc;
}

static int load_result(parley_store *store, parley_stored_run *run, size_t n_states,
                       parley_error *err)
{
    run->result = parley_result_new();
    if (!run->result ||
        parley_result_reset(run->result, run->scenario->n_actors, run->scenario->n_issues) !=
            PARLEY_OK)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    int rc = load_forecasts(store, run, err);
    if (rc == PARLEY_OK)
        rc = load_states(store, run, n_states, err);
    if (rc == PARLEY_OK)
        rc = load_events(store, run, err);
    if (rc == PARLEY_OK) {
        run->result->n_rounds = run->info.n_rounds;
        snprintf(run->result->stop_reason, sizeof run->result->stop_reason, "%s",
                 run->info.stop_reason);
    }
    return rc;
}

int parley_store_load(parley_store *store, int64_t id, parley_stored_run **out,
                      parley_error *err)
{
    *out = NULL;
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, INFO_COLUMNS "WHERE r.id = ?", &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    parley_stored_run *run = parley_calloc(1, sizeof *run);
    if (!run) {
        sqlite3_finalize(stmt);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    sqlite3_bind_int64(stmt, 1, id);
    int step = sqlite3_step(stmt);
    size_t n_states = 0;
    sqlite3_int64 scenario_row = 0;
    if (step == SQLITE_ROW) {
        read_info(stmt, &run->info);
        run->opts.stream = (uint64_t)sqlite3_column_int64(stmt, 16);
        n_states = (size_t)sqlite3_column_int64(stmt, 17);
        scenario_row = sqlite3_column_int64(stmt, 18);
    } else if (step == SQLITE_DONE) {
        parley_error_at(err, store->path, 0, 0, NULL);
        rc = parley_error_set(err, PARLEY_ENOTFOUND, "no run %lld in the store", (long long)id);
    } else {
        rc = st_fail(store, err, "reading a run");
    }
    uint64_t stream = run->opts.stream;
    sqlite3_finalize(stmt);
    if (rc == PARLEY_OK)
        rc = load_scenario(store, scenario_row, run, err);
    if (rc == PARLEY_OK) {
        run->model = parley_model_find(run->info.model);
        rc = load_params(store, run, err);
        run->opts.seed = run->info.seed;
        run->opts.stream = stream;
        run->opts.flags = n_states == run->info.n_rounds + 1 ? PARLEY_RUN_HISTORY : 0;
    }
    if (rc == PARLEY_OK)
        rc = run->info.kind == PARLEY_RUN_KIND_MC ? st_load_mc(store, run, err)
                                                  : load_result(store, run, n_states, err);
    if (rc != PARLEY_OK) {
        parley_stored_run_free(run);
        return rc;
    }
    *out = run;
    return PARLEY_OK;
}

/* ---- deleting ----------------------------------------------------------- */

int parley_store_delete(parley_store *store, int64_t id, parley_error *err)
{
    static const char *const tables[] = {"event", "state", "forecast", "param",
                                         "mc_event", "mc_issue", "mc"};
    if (store->flags & PARLEY_STORE_READONLY)
        return parley_error_set(err, PARLEY_EINVAL, "the store was opened read-only");
    int rc = st_begin(store, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_stmt *stmt = NULL;
    rc = st_prepare(store, "SELECT scenario FROM run WHERE id = ?", &stmt, err);
    sqlite3_int64 scenario_row = 0;
    if (rc == PARLEY_OK) {
        sqlite3_bind_int64(stmt, 1, id);
        int step = sqlite3_step(stmt);
        if (step == SQLITE_ROW) {
            scenario_row = sqlite3_column_int64(stmt, 0);
        } else if (step == SQLITE_DONE) {
            parley_error_at(err, store->path, 0, 0, NULL);
            rc = parley_error_set(err, PARLEY_ENOTFOUND, "no run %lld in the store",
                                  (long long)id);
        } else {
            rc = st_fail(store, err, "finding the run");
        }
        sqlite3_finalize(stmt);
    }
    /* Explicit deletes rather than ON DELETE CASCADE, which only works on a
     * connection with foreign keys switched on. */
    for (size_t t = 0; rc == PARLEY_OK && t < sizeof tables / sizeof tables[0]; t++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE run = ?", tables[t]);
        rc = st_prepare(store, sql, &stmt, err);
        if (rc != PARLEY_OK)
            break;
        sqlite3_bind_int64(stmt, 1, id);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "deleting the run");
        sqlite3_finalize(stmt);
    }
    if (rc == PARLEY_OK)
        rc = st_prepare(store, "DELETE FROM run WHERE id = ?", &stmt, err);
    if (rc == PARLEY_OK) {
        sqlite3_bind_int64(stmt, 1, id);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "deleting the run");
        sqlite3_finalize(stmt);
    }
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "DELETE FROM scenario WHERE id = ?1 AND "
                        "NOT EXISTS (SELECT 1 FROM run WHERE scenario = ?1) AND "
                        "NOT EXISTS (SELECT 1 FROM sweep WHERE scenario = ?1)",
                        &stmt, err);
    if (rc == PARLEY_OK) {
        sqlite3_bind_int64(stmt, 1, scenario_row);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "deleting the scenario");
        sqlite3_finalize(stmt);
    }
    if (rc != PARLEY_OK) {
        st_rollback(store);
        return rc;
    }
    return st_commit(store, err);
}
