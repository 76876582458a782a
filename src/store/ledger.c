/* ledger.c — questions, forecasts and resolutions in the run store
 * (parley/ledger.h; tables in docs/store.md, conventions in docs/scoring.md). */
#include "ledger_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"

const char *parley_question_kind_name(parley_question_kind kind)
{
    switch (kind) {
#define PARLEY_X_CASE(name, text) \
    case name:                    \
        return text;
        PARLEY_QUESTION_KINDS(PARLEY_X_CASE)
#undef PARLEY_X_CASE
    }
    return "unknown";
}

int parley_question_kind_parse(const char *name)
{
#define PARLEY_X_PARSE(value, text)      \
    if (name && strcmp(name, text) == 0) \
        return value;
    PARLEY_QUESTION_KINDS(PARLEY_X_PARSE)
#undef PARLEY_X_PARSE
    return -1;
}

void parley_question_init(parley_question *q)
{
    memset(q, 0, sizeof *q);
    q->kind = PARLEY_QUESTION_BINARY;
    q->low = q->high = q->outcome = (double)NAN;
}

void parley_ledger_forecast_init(parley_ledger_forecast *f)
{
    memset(f, 0, sizeof *f);
    f->probability = (double)NAN;
}

static int invalid(parley_error *err, const char *field, const char *message)
{
    parley_error_at(err, NULL, 0, 0, field);
    return parley_error_set(err, PARLEY_EINVAL, "%s", message);
}

/* Parses an ISO date of field; a bad one is PARLEY_EINVAL naming the field. */
static int parse_date_field(const char *text, long *day, const char *field, parley_error *err)
{
    if (parley_date_parse(text, day, err) == PARLEY_OK)
        return PARLEY_OK;
    parley_error_at(err, NULL, 0, 0, field);
    if (err)
        err->code = PARLEY_EINVAL;
    return PARLEY_EINVAL;
}

/* ---- reading ------------------------------------------------------------ */

static const char question_select[] =
    "SELECT q.id, q.slug, q.kind, q.low, q.high, q.close, q.created, q.text, q.criteria, "
    "r.outcome, r.resolved, r.source FROM question q "
    "LEFT JOIN resolution r ON r.question = q.id ";

static void read_question(sqlite3_stmt *stmt, parley_question *q)
{
    parley_question_init(q);
    q->id = sqlite3_column_int64(stmt, 0);
    st_column_copy(stmt, 1, q->slug, sizeof q->slug);
    char kind[16];
    st_column_copy(stmt, 2, kind, sizeof kind);
    q->kind = parley_question_kind_parse(kind) == PARLEY_QUESTION_NUMERIC
                  ? PARLEY_QUESTION_NUMERIC
                  : PARLEY_QUESTION_BINARY;
    q->low = st_column_real(stmt, 3);
    q->high = st_column_real(stmt, 4);
    st_column_copy(stmt, 5, q->close, sizeof q->close);
    st_column_copy(stmt, 6, q->created, sizeof q->created);
    st_column_copy(stmt, 7, q->text, sizeof q->text);
    st_column_copy(stmt, 8, q->criteria, sizeof q->criteria);
    q->resolved = sqlite3_column_type(stmt, 9) != SQLITE_NULL;
    q->outcome = st_column_real(stmt, 9);
    st_column_copy(stmt, 10, q->resolved_on, sizeof q->resolved_on);
    st_column_copy(stmt, 11, q->source, sizeof q->source);
}

/* Reads the question whose id or slug is bound to `where`'s one parameter. */
static int find_question(parley_store *store, const char *where, int64_t id,
                         const char *slug, parley_question *out, parley_error *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "%s%s", question_select, where);
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, sql, &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    if (slug)
        st_bind_text(stmt, 1, slug);
    else
        sqlite3_bind_int64(stmt, 1, id);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        read_question(stmt, out);
    } else if (step == SQLITE_DONE) {
        parley_error_at(err, NULL, 0, 0, "question");
        if (slug)
            rc = parley_error_set(err, PARLEY_ENOTFOUND, "no question \"%s\" in the ledger",
                                  slug);
        else
            rc = parley_error_set(err, PARLEY_ENOTFOUND, "no question %lld in the ledger",
                                  (long long)id);
    } else {
        rc = st_fail(store, err, "reading a question");
    }
    sqlite3_finalize(stmt);
    return rc;
}

int parley_ledger_question(parley_store *store, const char *ref, parley_question *out,
                           parley_error *err)
{
    if (!ref || !*ref)
        return invalid(err, "question", "no question given");
    char *end = NULL;
    errno = 0;
    long long id = strtoll(ref, &end, 10);
    if (isdigit((unsigned char)ref[0]) && !errno && end && !*end)
        return find_question(store, "WHERE q.id = ?", id, NULL, out, err);
    return find_question(store, "WHERE q.slug = ?", 0, ref, out, err);
}

/* Steps stmt to the end, reading each row into a growing array of
 * rows of `size` bytes with read_row.  On failure *out is freed, NULL. */
static int read_rows(parley_store *store, sqlite3_stmt *stmt, size_t size,
                     void (*read_row)(sqlite3_stmt *, void *), void **out, size_t *count,
                     const char *doing, parley_error *err)
{
    size_t cap = 0;
    int rc = PARLEY_OK, step = SQLITE_DONE;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*count == cap) {
            size_t grown_cap = cap ? 2 * cap : 16;
            char *grown = parley_reallocarray(*out, grown_cap, size);
            if (!grown) {
                rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
                break;
            }
            *out = grown;
            cap = grown_cap;
        }
        read_row(stmt, (char *)*out + size * (*count)++);
    }
    if (rc == PARLEY_OK && step != SQLITE_DONE)
        rc = st_fail(store, err, doing);
    sqlite3_finalize(stmt);
    if (rc != PARLEY_OK) {
        parley_free(*out);
        *out = NULL;
        *count = 0;
    }
    return rc;
}

static void read_question_row(sqlite3_stmt *stmt, void *row)
{
    read_question(stmt, row);
}

static void read_forecast_row(sqlite3_stmt *stmt, void *row)
{
    lg_read_forecast(stmt, row);
}

int parley_ledger_questions(parley_store *store, parley_question **out, size_t *count,
                            parley_error *err)
{
    *out = NULL;
    *count = 0;
    char sql[512];
    snprintf(sql, sizeof sql, "%sORDER BY q.id", question_select);
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, sql, &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    void *rows = NULL;
    rc = read_rows(store, stmt, sizeof **out, read_question_row, &rows, count,
                   "listing questions", err);
    *out = rows;
    return rc;
}

/* ---- questions ----------------------------------------------------------- */

static int check_slug(const char *slug, parley_error *err)
{
    if (!*slug)
        return PARLEY_OK;
    int ok = isalpha((unsigned char)slug[0]);
    for (const char *c = slug; ok && *c; c++)
        ok = isalnum((unsigned char)*c) || *c == '-' || *c == '_';
    if (!ok)
    {
        parley_error_at(err, NULL, 0, 0, "id");
        return parley_error_set(err, PARLEY_EINVAL,
                                "\"%s\" is not a question id (a letter, then letters, "
                                "digits, '-' or '_')",
                                slug);
    }
    return PARLEY_OK;
}

int lg_ask(parley_store *store, const parley_question *q, int64_t *id, parley_error *err)
{
    long day;
    if (!q->text[0])
        return invalid(err, "text", "a question needs its text");
    if (!q->criteria[0])
        return invalid(err, "criteria", "a question needs its resolution criteria");
    int rc = parse_date_field(q->close, &day, "close", err);
    if (rc == PARLEY_OK)
        rc = check_slug(q->slug, err);
    if (rc != PARLEY_OK)
        return rc;
    int numeric = q->kind == PARLEY_QUESTION_NUMERIC;
    if (numeric && !(isfinite(q->low) && isfinite(q->high) && q->low < q->high)) {
        parley_error_at(err, NULL, 0, 0, "low");
        return parley_error_set(err, PARLEY_EINVAL,
                                "a numeric question needs a scale low < high (got %g, %g)",
                                q->low, q->high);
    }
    if (q->slug[0]) {
        parley_question existing;
        rc = find_question(store, "WHERE q.slug = ?", 0, q->slug, &existing, err);
        if (rc == PARLEY_OK)
        {
            parley_error_at(err, NULL, 0, 0, "id");
            return parley_error_set(err, PARLEY_EINVAL,
                                    "a question \"%s\" is already in the ledger", q->slug);
        }
        if (rc != PARLEY_ENOTFOUND)
            return rc;
        parley_error_clear(err);
    }
    char created[32];
    st_format_time(NULL, created, sizeof created);
    sqlite3_stmt *stmt = NULL;
    rc = st_prepare(store,
                    "INSERT INTO question (slug, kind, low, high, close, created, text, "
                    "criteria) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    st_bind_text(stmt, 1, q->slug[0] ? q->slug : NULL);
    st_bind_text(stmt, 2, parley_question_kind_name(q->kind));
    st_bind_real(stmt, 3, numeric ? q->low : (double)NAN);
    st_bind_real(stmt, 4, numeric ? q->high : (double)NAN);
    st_bind_text(stmt, 5, q->close);
    st_bind_text(stmt, 6, created);
    st_bind_text(stmt, 7, q->text);
    st_bind_text(stmt, 8, q->criteria);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = st_fail(store, err, "storing the question");
    else if (id)
        *id = sqlite3_last_insert_rowid(store->db);
    sqlite3_finalize(stmt);
    return rc;
}

/* Runs one ledger write in its own transaction. */
#define LG_IN_TRANSACTION(store, err, call)       \
    do {                                          \
        int rc_ = st_begin(store, err);           \
        if (rc_ != PARLEY_OK)                     \
            return rc_;                           \
        rc_ = (call);                             \
        if (rc_ != PARLEY_OK) {                   \
            st_rollback(store);                   \
            return rc_;                           \
        }                                         \
        return st_commit(store, err);             \
    } while (0)

int parley_ledger_ask(parley_store *store, const parley_question *q, int64_t *id,
                      parley_error *err)
{
    LG_IN_TRANSACTION(store, err, lg_ask(store, q, id, err));
}

/* ---- forecasts ------------------------------------------------------------ */

static int check_forecast(const parley_question *q, const parley_ledger_forecast *f,
                          parley_error *err)
{
    long day, close, resolved;
    if (!f->by[0])
        return invalid(err, "by", "a forecast needs its forecaster");
    if (parse_date_field(f->date, &day, "date", err) != PARLEY_OK)
        return PARLEY_EINVAL;
    if (parley_date_parse(q->close, &close, err) == PARLEY_OK && day > close) {
        parley_error_at(err, NULL, 0, 0, "date");
        return parley_error_set(err, PARLEY_EINVAL,
                                "a forecast made on %s is after question %lld closed on %s",
                                f->date, (long long)q->id, q->close);
    }
    if (q->resolved && parley_date_parse(q->resolved_on, &resolved, err) == PARLEY_OK &&
        day > resolved) {
        parley_error_at(err, NULL, 0, 0, "date");
        return parley_error_set(err, PARLEY_EINVAL,
                                "a forecast made on %s is after question %lld was resolved "
                                "on %s",
                                f->date, (long long)q->id, q->resolved_on);
    }
    if (q->kind == PARLEY_QUESTION_BINARY) {
        if (f->distribution[0])
            return invalid(err, "distribution",
                           "question is yes/no: give a probability, not a distribution");
        if (!(f->probability >= 0 && f->probability <= 1)) {
            parley_error_at(err, NULL, 0, 0, "probability");
            return parley_error_set(err, PARLEY_EINVAL,
                                    "a probability must lie in [0, 1] (got %g)",
                                    f->probability);
        }
        return PARLEY_OK;
    }
    if (!isnan(f->probability))
        return invalid(err, "probability",
                       "question is numeric: give a distribution (q:LEVEL=VALUE;... or "
                       "h:WEIGHT,...), not a probability");
    parley_dist dist;
    if (parley_dist_parse(f->distribution, q->low, q->high, &dist, err) != PARLEY_OK) {
        parley_error_at(err, NULL, 0, 0, "distribution");
        if (err)
            err->code = PARLEY_EINVAL;
        return PARLEY_EINVAL;
    }
    return PARLEY_OK;
}

int lg_add(parley_store *store, const parley_ledger_forecast *f, int64_t *id,
           parley_error *err)
{
    parley_question q;
    int rc = find_question(store, "WHERE q.id = ?", f->question, NULL, &q, err);
    if (rc == PARLEY_OK)
        rc = check_forecast(&q, f, err);
    sqlite3_stmt *stmt = NULL;
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO prediction (question, forecaster, model, "
                        "scenario_sha256, run, made, probability, distribution, rationale) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, f->question);
    st_bind_text(stmt, 2, f->by);
    st_bind_text(stmt, 3, f->model[0] ? f->model : NULL);
    st_bind_text(stmt, 4, f->scenario_sha256[0] ? f->scenario_sha256 : NULL);
    if (f->run > 0)
        sqlite3_bind_int64(stmt, 5, f->run);
    st_bind_text(stmt, 6, f->date);
    st_bind_real(stmt, 7, q.kind == PARLEY_QUESTION_BINARY ? f->probability : (double)NAN);
    st_bind_text(stmt, 8, q.kind == PARLEY_QUESTION_NUMERIC ? f->distribution : NULL);
    st_bind_text(stmt, 9, f->rationale);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
        if (f->run > 0 && sqlite3_extended_errcode(store->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
            rc = parley_error_set(err, PARLEY_EINVAL, "there is no run %lld in the store",
                                  (long long)f->run);
        else
            rc = st_fail(store, err, "storing the forecast");
    } else if (id) {
        *id = sqlite3_last_insert_rowid(store->db);
    }
    sqlite3_finalize(stmt);
    return rc;
}

int parley_ledger_add(parley_store *store, const parley_ledger_forecast *f, int64_t *id,
                      parley_error *err)
{
    LG_IN_TRANSACTION(store, err, lg_add(store, f, id, err));
}

void lg_read_forecast(sqlite3_stmt *stmt, parley_ledger_forecast *f)
{
    parley_ledger_forecast_init(f);
    f->id = sqlite3_column_int64(stmt, 0);
    f->question = sqlite3_column_int64(stmt, 1);
    st_column_copy(stmt, 2, f->by, sizeof f->by);
    st_column_copy(stmt, 3, f->model, sizeof f->model);
    st_column_copy(stmt, 4, f->scenario_sha256, sizeof f->scenario_sha256);
    f->run = sqlite3_column_int64(stmt, 5);
    st_column_copy(stmt, 6, f->date, sizeof f->date);
    f->probability = st_column_real(stmt, 7);
    st_column_copy(stmt, 8, f->distribution, sizeof f->distribution);
    st_column_copy(stmt, 9, f->rationale, sizeof f->rationale);
}

int parley_ledger_forecasts(parley_store *store, int64_t question, const char *by,
                            parley_ledger_forecast **out, size_t *count, parley_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store,
                        "SELECT id, question, forecaster, model, scenario_sha256, run, made, "
                        "probability, distribution, rationale FROM prediction "
                        "WHERE (?1 = 0 OR question = ?1) AND (?2 IS NULL OR forecaster = ?2) "
                        "ORDER BY question, forecaster, made, id",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, question);
    st_bind_text(stmt, 2, by);
    void *rows = NULL;
    rc = read_rows(store, stmt, sizeof **out, read_forecast_row, &rows, count,
                   "listing forecasts", err);
    *out = rows;
    return rc;
}

/* ---- resolutions ----------------------------------------------------------- */

static int count_after(parley_store *store, int64_t question, const char *date, long *n,
                       parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = st_prepare(store, "SELECT count(*) FROM prediction WHERE question = ? AND made > ?",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, question);
    st_bind_text(stmt, 2, date);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        *n = (long)sqlite3_column_int64(stmt, 0);
    else
        rc = st_fail(store, err, "checking forecasts");
    sqlite3_finalize(stmt);
    return rc;
}

int lg_resolve(parley_store *store, int64_t question, double outcome, const char *date,
               const char *source, parley_error *err)
{
    parley_question q;
    long day, later = 0;
    int rc = find_question(store, "WHERE q.id = ?", question, NULL, &q, err);
    if (rc != PARLEY_OK)
        return rc;
    if (q.resolved) {
        parley_error_at(err, NULL, 0, 0, "question");
        return parley_error_set(err, PARLEY_EINVAL,
                                "question %lld was already resolved (%g on %s, source: %.300s); "
                                "a resolution is final",
                                (long long)q.id, q.outcome, q.resolved_on, q.source);
    }
    if (parse_date_field(date, &day, "date", err) != PARLEY_OK)
        return PARLEY_EINVAL;
    if (!source || !*source)
        return invalid(err, "source", "a resolution needs its source");
    if (strlen(source) >= sizeof q.source)
        return invalid(err, "source", "the source is longer than 1023 characters");
    if (q.kind == PARLEY_QUESTION_BINARY ? !(outcome == 0 || outcome == 1) : !isfinite(outcome)) {
        parley_error_at(err, NULL, 0, 0, "outcome");
        return parley_error_set(err, PARLEY_EINVAL, "outcome %g: expected %s", outcome,
                                q.kind == PARLEY_QUESTION_BINARY ? "yes or no" : "a number");
    }
    rc = count_after(store, question, date, &later, err);
    if (rc == PARLEY_OK && later > 0) {
        parley_error_at(err, NULL, 0, 0, "date");
        return parley_error_set(err, PARLEY_EINVAL,
                                "%ld forecast(s) on question %lld were made after %s",
                                later, (long long)question, date);
    }
    sqlite3_stmt *stmt = NULL;
    if (rc == PARLEY_OK)
        rc = st_prepare(store,
                        "INSERT INTO resolution (question, outcome, resolved, source) "
                        "VALUES (?, ?, ?, ?)",
                        &stmt, err);
    if (rc != PARLEY_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, question);
    sqlite3_bind_double(stmt, 2, outcome);
    st_bind_text(stmt, 3, date);
    st_bind_text(stmt, 4, source);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = st_fail(store, err, "storing the resolution");
    sqlite3_finalize(stmt);
    return rc;
}

int parley_ledger_resolve(parley_store *store, int64_t question, double outcome,
                          const char *date, const char *source, parley_error *err)
{
    LG_IN_TRANSACTION(store, err, lg_resolve(store, question, outcome, date, source, err));
}
