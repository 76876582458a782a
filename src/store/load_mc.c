/* load_mc.c — reading a stored Monte Carlo run back into a parley_mc_result
 * (parley/store.h), fine histogram and all, so quantiles read the same. */
#include "store_internal.h"

#include <string.h>

#include "parley/alloc.h"

static int load_summary(parley_store *store, parley_stored_run *run, parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "SELECT samples, done, failed, spread, cancelled FROM mc WHERE run = ?",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, run->info.id);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        parley_mc_result *r = run->mc;
        r->samples = (uint64_t)sqlite3_column_int64(stmt, 0);
        r->done = (uint64_t)sqlite3_column_int64(stmt, 1);
        r->failed = (uint64_t)sqlite3_column_int64(stmt, 2);
        r->spread = sqlite3_column_double(stmt, 3);
        r->cancelled = sqlite3_column_int(stmt, 4);
        r->seed = run->info.seed;
    } else {
        rc = st_fail(store, err, "reading the Monte Carlo run");
    }
    sqlite3_finalize(stmt);
    return rc;
}

static int load_issue(sqlite3_stmt *stmt, parley_mc_issue *issue, long long run_id,
                      parley_error *err)
{
    issue->count = (uint64_t)sqlite3_column_int64(stmt, 1);
    issue->undefined = (uint64_t)sqlite3_column_int64(stmt, 2);
    issue->mean = st_column_real(stmt, 3);
    issue->sd = st_column_real(stmt, 4);
    issue->min = st_column_real(stmt, 5);
    issue->max = st_column_real(stmt, 6);
    issue->low = sqlite3_column_double(stmt, 7);
    issue->high = sqlite3_column_double(stmt, 8);
    sqlite3_int64 n_bins = sqlite3_column_int64(stmt, 9);
    sqlite3_int64 first = sqlite3_column_int64(stmt, 10);
    size_t n_kept = (size_t)sqlite3_column_bytes(stmt, 11) / 8;
    if (n_bins != PARLEY_MC_BINS || first < 0 || (size_t)first + n_kept > PARLEY_MC_BINS)
        return parley_error_set(err, PARLEY_ESCHEMA,
                                "run %lld: a histogram of %lld bins from %lld does not fit "
                                "this parley's %d",
                                run_id, (long long)n_bins, (long long)first, PARLEY_MC_BINS);
    issue->bins = parley_calloc(PARLEY_MC_BINS, sizeof *issue->bins);
    if (!issue->bins)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    if (n_kept)
        st_unpack_u64(sqlite3_column_blob(stmt, 11), n_kept, issue->bins + first);
    return PARLEY_OK;
}

static int load_issues(parley_store *store, parley_stored_run *run, parley_error *err)
{
    parley_mc_result *r = run->mc;
    r->n_issues = run->scenario->n_issues;
    r->issues = parley_calloc(r->n_issues ? r->n_issues : 1, sizeof *r->issues);
    if (!r->issues)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "SELECT issue, count, undefined, mean, sd, min, max, low, high, "
                        "n_bins, first_bin, bins FROM mc_issue WHERE run = ?",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, run->info.id);
    int step = SQLITE_DONE;
    while (rc == PARLEY_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        sqlite3_int64 i = sqlite3_column_int64(stmt, 0);
        if (i >= 0 && (size_t)i < r->n_issues && !r->issues[i].bins)
            rc = load_issue(stmt, &r->issues[i], (long long)run->info.id, err);
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, "reading Monte Carlo summaries");
    sqlite3_finalize(stmt);
    return rc;
}

static int load_events(parley_store *store, parley_stored_run *run, parley_error *err)
{
    parley_mc_result *r = run->mc;
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "SELECT count(*) FROM mc_event WHERE run = ?", &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, run->info.id);
    size_t n = sqlite3_step(stmt) == SQLITE_ROW ? (size_t)sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    if (n == 0)
        return PARLEY_OK;
    r->events = parley_calloc(n, sizeof *r->events);
    run->mc_event_texts = parley_calloc(n, sizeof *run->mc_event_texts);
    if (!r->events || !run->mc_event_texts)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    r->n_events = n;
    rc = st_prepare(store,
                    "SELECT seq, text, count, probability, std_error FROM mc_event "
                    "WHERE run = ? ORDER BY seq",
                    &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, run->info.id);
    size_t k = 0;
    int step = SQLITE_DONE;
    while (rc == PARLEY_OK && k < n && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 1);
        run->mc_event_texts[k] = parley_strdup(text ? (const char *)text : "");
        if (!run->mc_event_texts[k])
            rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        r->events[k].count = (uint64_t)sqlite3_column_int64(stmt, 2);
        r->events[k].probability = st_column_real(stmt, 3);
        r->events[k].std_error = st_column_real(stmt, 4);
        k++;
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE && step != SQLITE_ROW)
        rc = st_fail(store, err, "reading Monte Carlo events");
    sqlite3_finalize(stmt);
    return rc;
}

int st_load_mc(parley_store *store, parley_stored_run *run, parley_error *err)
{
    run->mc = parley_calloc(1, sizeof *run->mc);
    if (!run->mc)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    int rc = load_summary(store, run, err);
    if (rc == PARLEY_OK)
        rc = load_issues(store, run, err);
    if (rc == PARLEY_OK)
        rc = load_events(store, run, err);
    return rc;
}
