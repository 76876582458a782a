/* save.c — writing a run or a Monte Carlo run into the store, each in one
 * transaction (parley/store.h). */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/format.h"

/* What every kind of run writes into the run table. */
typedef struct run_row {
    const char *kind;
    const parley_scenario *sc;
    const parley_model *model;
    const parley_run_opts *opts;
    const struct timespec *started, *finished;
    size_t n_rounds, n_states;
    const char *stop_reason;
} run_row;

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    if (!a || !b)
        return 0;
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

/* The scenario's row id, inserting it (by SHA-256 of its canonical JSON)
 * when the store does not hold it yet. */
static int save_scenario(parley_store *store, const parley_scenario *sc,
                         sqlite3_int64 *scenario_row, parley_error *err)
{
    char *json = NULL;
    char sha256[65];
    sqlite3_stmt *insert = NULL, *find = NULL;
    int rc = parley_scenario_format(sc, PARLEY_FORMAT_JSON, &json, err);
    if (rc == PARLEY_OK)
        rc = st_sha256_hex(json, strlen(json), sha256, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO scenario (sha256, scenario_id, name, n_actors, "
                        "n_issues, json) VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (sha256) DO NOTHING",
                        &insert, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store, "SELECT id FROM scenario WHERE sha256 = ?", &find, err);
    if (rc != PARLEY_OK)
        goto done;
    st_bind_text(insert, 1, sha256);
    st_bind_text(insert, 2, sc->id ? sc->id : "");
    st_bind_text(insert, 3, sc->name);
    sqlite3_bind_int64(insert, 4, (sqlite3_int64)sc->n_actors);
    sqlite3_bind_int64(insert, 5, (sqlite3_int64)sc->n_issues);
    sqlite3_bind_text(insert, 6, json, -1, SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) {
        rc = st_fail(store, err, "storing the scenario");
        goto done;
    }
    st_bind_text(find, 1, sha256);
    if (sqlite3_step(find) != SQLITE_ROW) {
        rc = st_fail(store, err, "finding the scenario");
        goto done;
    }
    *scenario_row = sqlite3_column_int64(find, 0);
done:
    sqlite3_finalize(insert);
    sqlite3_finalize(find);
    parley_free(json);
    return rc;
}

int st_save_scenario(parley_store *store, const parley_scenario *sc, sqlite3_int64 *row,
                     parley_error *err)
{
    return save_scenario(store, sc, row, err);
}

static int save_params(parley_store *store, sqlite3_int64 run, const parley_model *model,
                       const parley_run_opts *opts, parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "INSERT INTO param (run, name, value, text) VALUES (?, ?, ?, ?)",
                        &stmt, err);
    for (size_t k = 0; rc == PARLEY_OK && k < PARLEY_MAX_PARAMS && model->params[k].name;
         k++) {
        char text[64];
        sqlite3_bind_int64(stmt, 1, run);
        st_bind_text(stmt, 2, model->params[k].name);
        sqlite3_bind_double(stmt, 3, opts->param[k]);
        st_bind_text(stmt, 4, parley_param_format(&model->params[k], opts->param[k], text,
                                                  sizeof text));
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "storing the parameters");
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* Inserts the scenario (if new), the run row and its parameters. */
static int save_run_row(parley_store *store, const run_row *row, sqlite3_int64 *run,
                        parley_error *err)
{
    sqlite3_int64 scenario_row = 0;
    sqlite3_stmt *stmt = NULL;
    char started[32], finished[32];
    st_format_time(row->started, started, sizeof started);
    st_format_time(row->finished, finished, sizeof finished);
    int rc = save_scenario(store, row->sc, &scenario_row, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO run (kind, scenario, model, seed, stream, version, "
                        "started, finished, seconds, n_rounds, n_states, stop_reason) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    st_bind_text(stmt, 1, row->kind);
    sqlite3_bind_int64(stmt, 2, scenario_row);
    st_bind_text(stmt, 3, row->model->name);
    /* uint64 seeds keep their bit pattern in SQLite's int64. */
    sqlite3_bind_int64(stmt, 4, (sqlite3_int64)row->opts->seed);
    sqlite3_bind_int64(stmt, 5, (sqlite3_int64)row->opts->stream);
    st_bind_text(stmt, 6, PARLEY_VERSION);
    st_bind_text(stmt, 7, started);
    st_bind_text(stmt, 8, finished);
    sqlite3_bind_double(stmt, 9, seconds_between(row->started, row->finished));
    sqlite3_bind_int64(stmt, 10, (sqlite3_int64)row->n_rounds);
    sqlite3_bind_int64(stmt, 11, (sqlite3_int64)row->n_states);
    st_bind_text(stmt, 12, row->stop_reason ? row->stop_reason : "");
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = st_fail(store, err, "storing the run");
    sqlite3_finalize(stmt);
    if (rc != PARLEY_OK)
        return rc;
    *run = sqlite3_last_insert_rowid(store->db);
    return save_params(store, *run, row->model, row->opts, err);
}

static int save_forecasts(parley_store *store, sqlite3_int64 run, const parley_scenario *sc,
                          const parley_result *result, parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "INSERT INTO forecast (run, issue, issue_id, value, note) "
                        "VALUES (?, ?, ?, ?, ?)",
                        &stmt, err);
    for (size_t i = 0; rc == PARLEY_OK && i < sc->n_issues; i++) {
        sqlite3_bind_int64(stmt, 1, run);
        sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
        st_bind_text(stmt, 3, sc->issues[i].id);
        st_bind_real(stmt, 4, result->forecast[i]);
        st_bind_text(stmt, 5, result->issue_note[i]);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "storing a forecast");
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

/* One BLOB per state: n_actors * n_issues little-endian doubles. */
static int save_states(parley_store *store, sqlite3_int64 run, const parley_result *result,
                       parley_error *err)
{
    size_t n_values = result->n_actors * result->n_issues;
    if (result->n_states == 0 || n_values == 0)
        return PARLEY_OK;
    unsigned char *blob = parley_malloc(8 * n_values);
    if (!blob)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "INSERT INTO state (run, seq, round, positions) VALUES (?, ?, ?, ?)",
                        &stmt, err);
    int history = result->n_states == result->n_rounds + 1;
    for (size_t t = 0; rc == PARLEY_OK && t < result->n_states; t++) {
        size_t round = history ? t : (t == 0 ? 0 : result->n_rounds);
        st_pack_doubles(parley_result_state(result, t), n_values, blob);
        sqlite3_bind_int64(stmt, 1, run);
        sqlite3_bind_int64(stmt, 2, (sqlite3_int64)t);
        sqlite3_bind_int64(stmt, 3, (sqlite3_int64)round);
        sqlite3_bind_blob(stmt, 4, blob, (int)(8 * n_values), SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "storing positions");
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    parley_free(blob);
    return rc;
}

static void bind_index(sqlite3_stmt *stmt, int column, int index)
{
    if (index < 0)
        sqlite3_bind_null(stmt, column);
    else
        sqlite3_bind_int(stmt, column, index);
}

static int save_events(parley_store *store, sqlite3_int64 run, const parley_model *model,
                       const parley_result *result, parley_error *err)
{
    if (result->n_events == 0)
        return PARLEY_OK;
    size_t n_kinds = 0;
    while (model->events[n_kinds].name)
        n_kinds++;
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "INSERT INTO event (run, seq, round, kind, kind_name, actor, other, "
                        "issue, issue2, v0, v1, v2, v3) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &stmt, err);
    for (size_t k = 0; rc == PARLEY_OK && k < result->n_events; k++) {
        const parley_event *ev = &result->events[k];
        sqlite3_bind_int64(stmt, 1, run);
        sqlite3_bind_int64(stmt, 2, (sqlite3_int64)k);
        sqlite3_bind_int64(stmt, 3, ev->round);
        sqlite3_bind_int(stmt, 4, ev->kind);
        st_bind_text(stmt, 5,
                     ev->kind >= 0 && (size_t)ev->kind < n_kinds ? model->events[ev->kind].name
                                                                 : NULL);
        bind_index(stmt, 6, ev->actor);
        bind_index(stmt, 7, ev->other);
        bind_index(stmt, 8, ev->issue);
        bind_index(stmt, 9, ev->issue2);
        for (int v = 0; v < 4; v++)
            st_bind_real(stmt, 10 + v, ev->value[v]);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = st_fail(store, err, "storing an event");
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return rc;
}

static int check_args(parley_store *store, const parley_scenario *sc,
                      const parley_model *model, parley_error *err)
{
    if (!store || !sc || !model)
        return parley_error_set(err, PARLEY_EINVAL, "store, scenario and model are needed");
    if (store->flags & PARLEY_STORE_READONLY) {
        parley_error_at(err, store->path, 0, 0, NULL);
        return parley_error_set(err, PARLEY_EINVAL, "the store was opened read-only");
    }
    return PARLEY_OK;
}

int parley_store_save_run(parley_store *store, const parley_scenario *sc,
                          const parley_model *model, const parley_run_opts *opts,
                          const parley_result *result,
                          const struct timespec *started,
                          const struct timespec *finished, int64_t *run_id,
                          parley_error *err)
{
    int rc = check_args(store, sc, model, err);
    if (rc != PARLEY_OK)
        return rc;
    if (!result || result->n_actors != sc->n_actors || result->n_issues != sc->n_issues)
        return parley_error_set(err, PARLEY_EINVAL,
                                "the result is not for this scenario's %zu actors and %zu "
                                "issues",
                                sc->n_actors, sc->n_issues);
    parley_run_opts defaults;
    if (!opts) {
        parley_run_opts_init(&defaults, model);
        opts = &defaults;
    }
    run_row row = {"run", sc, model, opts, started, finished,
                   result->n_rounds, result->n_states, result->stop_reason};
    sqlite3_int64 run = 0;
    rc = st_begin(store, err);
    if (rc != PARLEY_OK)
        return rc;
    rc = save_run_row(store, &row, &run, err);
    if (rc == PARLEY_OK)
        rc = save_forecasts(store, run, sc, result, err);
    if (rc == PARLEY_OK)
        rc = save_states(store, run, result, err);
    if (rc == PARLEY_OK)
        rc = save_events(store, run, model, result, err);
    if (rc != PARLEY_OK) {
        st_rollback(store);
        return rc;
    }
    rc = st_commit(store, err);
    if (rc == PARLEY_OK && run_id)
        *run_id = run;
    return rc;
}

/* ---- Monte Carlo -------------------------------------------------------- */

static int save_mc_issue(parley_store *store, sqlite3_stmt *stmt, sqlite3_int64 run,
                         const parley_scenario *sc, const parley_mc_result *r, size_t i,
                         parley_error *err)
{
    const parley_mc_issue *issue = &r->issues[i];
    /* Only the bins from the first to the last non-empty one are kept: the
     * forecasts of a scenario crowd into a small part of the scale. */
    size_t first = 0, last = 0;
    int any = 0;
    for (size_t j = 0; issue->bins && j < PARLEY_MC_BINS; j++)
        if (issue->bins[j]) {
            if (!any)
                first = j;
            last = j;
            any = 1;
        }
    size_t n_kept = any ? last - first + 1 : 0;
    unsigned char *blob = parley_malloc(8 * n_kept + 1);
    if (!blob)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    if (n_kept)
        st_pack_u64(issue->bins + first, n_kept, blob);
    sqlite3_bind_int64(stmt, 1, run);
    sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
    st_bind_text(stmt, 3, sc->issues[i].id);
    sqlite3_bind_int64(stmt, 4, (sqlite3_int64)issue->count);
    sqlite3_bind_int64(stmt, 5, (sqlite3_int64)issue->undefined);
    st_bind_real(stmt, 6, issue->mean);
    st_bind_real(stmt, 7, issue->sd);
    st_bind_real(stmt, 8, issue->min);
    st_bind_real(stmt, 9, issue->max);
    sqlite3_bind_double(stmt, 10, issue->low);
    sqlite3_bind_double(stmt, 11, issue->high);
    st_bind_real(stmt, 12, parley_mc_quantile(r, i, 0.05));
    st_bind_real(stmt, 13, parley_mc_quantile(r, i, 0.5));
    st_bind_real(stmt, 14, parley_mc_quantile(r, i, 0.95));
    sqlite3_bind_int(stmt, 15, PARLEY_MC_BINS);
    sqlite3_bind_int64(stmt, 16, (sqlite3_int64)first);
    sqlite3_bind_blob(stmt, 17, blob, (int)(8 * n_kept), SQLITE_STATIC);
    int rc = PARLEY_OK;
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = st_fail(store, err, "storing a Monte Carlo summary");
    sqlite3_reset(stmt);
    parley_free(blob);
    return rc;
}

static int save_mc_tables(parley_store *store, sqlite3_int64 run, const parley_scenario *sc,
                          const parley_mc_result *r, const char *const *event_texts,
                          parley_error *err)
{
    sqlite3_stmt *mc = NULL, *issue = NULL, *event = NULL;
    int rc = st_prepare(store,
                        "INSERT INTO mc (run, samples, done, failed, spread, cancelled) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        &mc, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO mc_issue (run, issue, issue_id, count, undefined, mean, "
                        "sd, min, max, low, high, p05, p50, p95, n_bins, first_bin, bins) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &issue, err);
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO mc_event (run, seq, text, count, probability, "
                        "std_error) VALUES (?, ?, ?, ?, ?, ?)",
                        &event, err);
    if (rc == PARLEY_OK) {
        sqlite3_bind_int64(mc, 1, run);
        sqlite3_bind_int64(mc, 2, (sqlite3_int64)r->samples);
        sqlite3_bind_int64(mc, 3, (sqlite3_int64)r->done);
        sqlite3_bind_int64(mc, 4, (sqlite3_int64)r->failed);
        sqlite3_bind_double(mc, 5, r->spread);
        sqlite3_bind_int(mc, 6, r->cancelled);
        if (sqlite3_step(mc) != SQLITE_DONE)
            rc = st_fail(store, err, "storing the Monte Carlo run");
    }
    for (size_t i = 0; rc == PARLEY_OK && i < r->n_issues; i++)
        rc = save_mc_issue(store, issue, run, sc, r, i, err);
    for (size_t k = 0; rc == PARLEY_OK && k < r->n_events; k++) {
        sqlite3_bind_int64(event, 1, run);
        sqlite3_bind_int64(event, 2, (sqlite3_int64)k);
        st_bind_text(event, 3, event_texts && event_texts[k] ? event_texts[k] : "");
        sqlite3_bind_int64(event, 4, (sqlite3_int64)r->events[k].count);
        st_bind_real(event, 5, r->events[k].probability);
        st_bind_real(event, 6, r->events[k].std_error);
        if (sqlite3_step(event) != SQLITE_DONE)
            rc = st_fail(store, err, "storing a Monte Carlo event");
        sqlite3_reset(event);
    }
    sqlite3_finalize(mc);
    sqlite3_finalize(issue);
    sqlite3_finalize(event);
    return rc;
}

int parley_store_save_mc(parley_store *store, const parley_scenario *sc,
                         const parley_model *model, const parley_mc_opts *opts,
                         const parley_mc_result *r, const char *const *event_texts,
                         const struct timespec *started,
                         const struct timespec *finished, int64_t *run_id,
                         parley_error *err)
{
    int rc = check_args(store, sc, model, err);
    if (rc != PARLEY_OK)
        return rc;
    if (!opts || !r || r->n_issues != sc->n_issues)
        return parley_error_set(err, PARLEY_EINVAL,
                                "the Monte Carlo result is not for this scenario's %zu "
                                "issues",
                                sc->n_issues);
    parley_run_opts run_opts;
    if (opts->run)
        run_opts = *opts->run;
    else
        parley_run_opts_init(&run_opts, model);
    run_opts.seed = r->seed;
    run_opts.stream = 0;
    run_row row = {"mc", sc, model, &run_opts, started, finished, 0, 0, ""};
    sqlite3_int64 run = 0;
    rc = st_begin(store, err);
    if (rc != PARLEY_OK)
        return rc;
    rc = save_run_row(store, &row, &run, err);
    if (rc == PARLEY_OK)
        rc = save_mc_tables(store, run, sc, r, event_texts, err);
    if (rc != PARLEY_OK) {
        st_rollback(store);
        return rc;
    }
    rc = st_commit(store, err);
    if (rc == PARLEY_OK && run_id)
        *run_id = run;
    return rc;
}
