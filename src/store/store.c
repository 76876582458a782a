/* store.c — opening a run store: recognising the file, creating or
 * migrating its schema, and the SQLite helpers the other store files share
 * (parley/store.h; the schema is described in docs/store.md). */
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef PARLEY_HAVE_NETTLE
#include <nettle/sha2.h>
#endif

#include "parley/alloc.h"

/* schema_steps[k] takes a store from version k to k + 1.  A new file runs
 * them all; an old one the ones it lacks.  Never edit a step that has
 * shipped: add one (tests/test_store_robust.c keeps its own copy of step 0
 * to make a version-1 file). */
static const char *const schema_steps[PARLEY_STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: runs, their scenarios, forecasts, states and events. */
    "CREATE TABLE scenario (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  sha256 TEXT NOT NULL UNIQUE,\n"
    "  scenario_id TEXT NOT NULL,\n"
    "  name TEXT,\n"
    "  n_actors INTEGER NOT NULL,\n"
    "  n_issues INTEGER NOT NULL,\n"
    "  json TEXT NOT NULL);\n"
    "CREATE INDEX scenario_by_id ON scenario(scenario_id);\n"
    "CREATE TABLE run (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('run', 'mc')),\n"
    "  scenario INTEGER NOT NULL REFERENCES scenario(id),\n"
    "  model TEXT NOT NULL,\n"
    "  seed INTEGER NOT NULL,\n"
    "  stream INTEGER NOT NULL,\n"
    "  version TEXT NOT NULL,\n"
    "  started TEXT NOT NULL,\n"
    "  finished TEXT NOT NULL,\n"
    "  seconds REAL NOT NULL,\n"
    "  n_rounds INTEGER NOT NULL,\n"
    "  n_states INTEGER NOT NULL,\n"
    "  stop_reason TEXT NOT NULL);\n"
    "CREATE INDEX run_by_started ON run(started);\n"
    "CREATE INDEX run_by_scenario ON run(scenario);\n"
    "CREATE TABLE param (\n"
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL,\n"
    "  value REAL NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  PRIMARY KEY (run, name)) WITHOUT ROWID;\n"
    "CREATE TABLE forecast (\n"
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
    "  issue INTEGER NOT NULL,\n"
    "  issue_id TEXT NOT NULL,\n"
    "  value REAL,\n"
    "  note TEXT,\n"
    "  PRIMARY KEY (run, issue)) WITHOUT ROWID;\n"
    "CREATE TABLE state (\n"
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  round INTEGER NOT NULL,\n"
    "  positions BLOB NOT NULL,\n"
    "  PRIMARY KEY (run, seq));\n"
    "CREATE TABLE event (\n"
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  round INTEGER NOT NULL,\n"
    "  kind INTEGER NOT NULL,\n"
    "  kind_name TEXT,\n"
    "  actor INTEGER, other INTEGER, issue INTEGER, issue2 INTEGER,\n"
    "  v0 REAL, v1 REAL, v2 REAL, v3 REAL,\n"
    "  PRIMARY KEY (run, seq)) WITHOUT ROWID;\n",
    /* 1 -> 2: Monte Carlo summaries. */
    "CREATE TABLE mc (\n"
    "  run INTEGER PRIMARY KEY REFERENCES run(id) ON DELETE CASCADE,\n"
    "  samples INTEGER NOT NULL,\n"
    "  done INTEGER NOT NULL,\n"
    "  failed INTEGER NOT NULL,\n"
    "  spread REAL NOT NULL,\n"
    "  cancelled INTEGER NOT NULL);\n"
    "CREATE TABLE mc_issue (\n"
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
    "  issue INTEGER NOT NULL,\n"
    "  issue_id TEXT NOT NULL,\n"
    "  count INTEGER NOT NULL,\n"
    "  undefined INTEGER NOT NULL,\n"
    "  mean REAL, sd REAL, min REAL, max REAL,\n"
    "  low REAL NOT NULL, high REAL NOT NULL,\n"
    "  p05 REAL, p50 REAL, p95 REAL,\n"
    "  n_bins INTEGER NOT NULL,\n"
    "  first_bin INTEGER NOT NULL,\n"
    "  bins BLOB NOT NULL,\n"
    "  PRIMARY KEY (run, issue));\n"
    "CREATE TABLE mc_event (\n"
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  count INTEGER NOT NULL,\n"
    "  probability REAL,\n"
    "  std_error REAL,\n"
    "  PRIMARY KEY (run, seq)) WITHOUT ROWID;\n",
    /* 2 -> 3: the forecast ledger (parley/ledger.h, docs/scoring.md).  A
     * ledger forecast is a `prediction`, since `forecast` holds a run's. */
    "CREATE TABLE question (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  slug TEXT UNIQUE,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('binary', 'numeric')),\n"
    "  low REAL, high REAL,\n"
    "  close TEXT NOT NULL,\n"
    "  created TEXT NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  criteria TEXT NOT NULL);\n"
    "CREATE TABLE prediction (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  question INTEGER NOT NULL REFERENCES question(id) ON DELETE CASCADE,\n"
    "  forecaster TEXT NOT NULL,\n"
    "  model TEXT, scenario_sha256 TEXT,\n"
    "  run INTEGER REFERENCES run(id) ON DELETE SET NULL,\n"
    "  made TEXT NOT NULL,\n"
    "  probability REAL CHECK (probability BETWEEN 0 AND 1),\n"
    "  distribution TEXT,\n"
    "  rationale TEXT NOT NULL,\n"
    "  CHECK ((probability IS NULL) != (distribution IS NULL)));\n"
    "CREATE INDEX prediction_by_question ON prediction(question, forecaster, made);\n"
    "CREATE TABLE resolution (\n"
    "  question INTEGER PRIMARY KEY REFERENCES question(id) ON DELETE CASCADE,\n"
    "  outcome REAL NOT NULL,\n"
    "  resolved TEXT NOT NULL,\n"
    "  source TEXT NOT NULL);\n",
    /* 3 -> 4: sweeps (parley/sweep.h), each case committed on its own so
     * that a sweep which dies keeps what it finished.  The statistics have
     * no declared type: REAL affinity would store -0.0 as the integer 0,
     * and a resumed sweep must print the same bytes as an unbroken one. */
    "CREATE TABLE sweep (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  scenario INTEGER NOT NULL REFERENCES scenario(id),\n"
    "  model TEXT NOT NULL,\n"
    "  seed INTEGER NOT NULL,\n"
    "  samples INTEGER NOT NULL,\n"
    "  spread REAL NOT NULL,\n"
    "  n_cases INTEGER NOT NULL,\n"
    "  version TEXT NOT NULL,\n"
    "  started TEXT NOT NULL,\n"
    "  finished TEXT);\n"
    "CREATE TABLE sweep_param (\n"
    "  sweep INTEGER NOT NULL REFERENCES sweep(id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL,\n"
    "  value REAL NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  PRIMARY KEY (sweep, name)) WITHOUT ROWID;\n"
    "CREATE TABLE sweep_axis (\n"
    "  sweep INTEGER NOT NULL REFERENCES sweep(id) ON DELETE CASCADE,\n"
    "  axis INTEGER NOT NULL,\n"
    "  vary TEXT NOT NULL,\n"
    "  target TEXT NOT NULL,\n"
    "  n_values INTEGER NOT NULL,\n"
    "  PRIMARY KEY (sweep, axis)) WITHOUT ROWID;\n"
    "CREATE TABLE sweep_case (\n"
    "  sweep INTEGER NOT NULL REFERENCES sweep(id) ON DELETE CASCADE,\n"
    "  case_index INTEGER NOT NULL,\n"
    "  axis_values TEXT NOT NULL,\n"
    "  status TEXT NOT NULL CHECK (status IN ('ok', 'no forecast')),\n"
    "  PRIMARY KEY (sweep, case_index)) WITHOUT ROWID;\n"
    "CREATE TABLE sweep_issue (\n"
    "  sweep INTEGER NOT NULL,\n"
    "  case_index INTEGER NOT NULL,\n"
    "  issue INTEGER NOT NULL,\n"
    "  issue_id TEXT NOT NULL,\n"
    "  mean, sd, q05, q50, q95,\n"
    "  PRIMARY KEY (sweep, case_index, issue),\n"
    "  FOREIGN KEY (sweep, case_index) REFERENCES sweep_case(sweep, case_index)\n"
    "    ON DELETE CASCADE) WITHOUT ROWID;\n",
};

/* ---- helpers ------------------------------------------------------------ */

int st_fail(parley_store *store, parley_error *err, const char *doing)
{
    int rc = sqlite3_errcode(store->db);
    parley_error_at(err, store->path, 0, 0, NULL);
    if (rc == SQLITE_NOMEM)
        return parley_error_set(err, PARLEY_ENOMEM, "%s: out of memory", doing);
    return parley_error_set(err, PARLEY_EIO, "%s: %s", doing, sqlite3_errmsg(store->db));
}

int st_prepare(parley_store *store, const char *sql, sqlite3_stmt **stmt,
               parley_error *err)
{
    if (sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return st_fail(store, err, "preparing a query");
    return PARLEY_OK;
}

int st_exec(parley_store *store, const char *sql, parley_error *err)
{
    if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return st_fail(store, err, "writing");
    return PARLEY_OK;
}

int st_begin(parley_store *store, parley_error *err)
{
    if (sqlite3_exec(store->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return st_fail(store, err, "starting a transaction");
    return PARLEY_OK;
}

int st_commit(parley_store *store, parley_error *err)
{
    if (sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = st_fail(store, err, "committing");
        st_rollback(store);
        return rc;
    }
    return PARLEY_OK;
}

void st_rollback(parley_store *store)
{
    if (!sqlite3_get_autocommit(store->db))
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

int st_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
    if (!text)
        return sqlite3_bind_null(stmt, index);
    return sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

int st_bind_real(sqlite3_stmt *stmt, int index, double x)
{
    if (x != x)
        return sqlite3_bind_null(stmt, index);
    return sqlite3_bind_double(stmt, index, x);
}

double st_column_real(sqlite3_stmt *stmt, int index)
{
    if (sqlite3_column_type(stmt, index) == SQLITE_NULL)
        return (double)NAN;
    return sqlite3_column_double(stmt, index);
}

void st_column_copy(sqlite3_stmt *stmt, int index, char *buf, size_t n)
{
    const unsigned char *text = sqlite3_column_text(stmt, index);
    snprintf(buf, n, "%s", text ? (const char *)text : "");
}

void st_pack_u64(const uint64_t *values, size_t n, unsigned char *out)
{
    for (size_t k = 0; k < n; k++)
        for (int byte = 0; byte < 8; byte++)
            out[8 * k + (size_t)byte] = (unsigned char)(values[k] >> (8 * byte));
}

void st_unpack_u64(const unsigned char *in, size_t n, uint64_t *values)
{
    for (size_t k = 0; k < n; k++) {
        uint64_t v = 0;
        for (int byte = 7; byte >= 0; byte--)
            v = (v << 8) | in[8 * k + (size_t)byte];
        values[k] = v;
    }
}

void st_pack_doubles(const double *values, size_t n, unsigned char *out)
{
    for (size_t k = 0; k < n; k++) {
        uint64_t bits;
        memcpy(&bits, &values[k], sizeof bits);
        st_pack_u64(&bits, 1, out + 8 * k);
    }
}

void st_unpack_doubles(const unsigned char *in, size_t n, double *values)
{
    for (size_t k = 0; k < n; k++) {
        uint64_t bits;
        st_unpack_u64(in + 8 * k, 1, &bits);
        memcpy(&values[k], &bits, sizeof bits);
    }
}

int st_sha256_hex(const char *data, size_t len, char hex[65], parley_error *err)
{
#ifdef PARLEY_HAVE_NETTLE
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t k = 0; k < sizeof digest; k++)
        snprintf(hex + 2 * k, 3, "%02x", digest[k]);
    (void)err;
    return PARLEY_OK;
#else
    (void)data;
    (void)len;
    hex[0] = '\0';
    return parley_error_set(err, PARLEY_EINTERNAL,
                            "this parley was built without nettle: the store cannot "
                            "compute SHA-256");
#endif
}

void st_format_time(const struct timespec *t, char *buf, size_t n)
{
    struct timespec now;
    if (!t) {
        timespec_get(&now, TIME_UTC);
        t = &now;
    }
    struct tm utc;
    time_t seconds = t->tv_sec;
    if (!gmtime_r(&seconds, &utc)) {
        snprintf(buf, n, "0000-00-00T00:00:00.000Z");
        return;
    }
    char date[24];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(buf, n, "%s.%03ldZ", date, (long)(t->tv_nsec / 1000000));
}

/* ---- opening ------------------------------------------------------------ */

/* What the file is, read without writing. */
typedef struct file_state {
    int application_id;
    int version;
    int objects; /* entries in sqlite_schema */
} file_state;

static int read_int(parley_store *store, const char *sql, int *out, parley_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(stmt, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_OK)
        return PARLEY_OK;
    if ((rc & 0xff) == SQLITE_NOTADB) {
        parley_error_at(err, store->path, 0, 0, NULL);
        return parley_error_set(err, PARLEY_ESCHEMA,
                                "not a parley store (not an SQLite database); left "
                                "untouched");
    }
    return st_fail(store, err, "reading the store's header");
}

static int read_state(parley_store *store, file_state *state, parley_error *err)
{
    int rc = read_int(store, "PRAGMA application_id", &state->application_id, err);
    if (rc == PARLEY_OK)
        rc = read_int(store, "PRAGMA user_version", &state->version, err);
    if (rc == PARLEY_OK)
        rc = read_int(store, "SELECT count(*) FROM sqlite_schema", &state->objects, err);
    return rc;
}

/* PARLEY_OK if the file is a parley store of a version this parley can use
 * (or an empty file, version 0), else why not. */
static int check_state(parley_store *store, const file_state *state, parley_error *err)
{
    int empty = state->application_id == 0 && state->version == 0 && state->objects == 0;
    if (!empty && state->application_id != PARLEY_STORE_APPLICATION_ID) {
        parley_error_at(err, store->path, 0, 0, NULL);
        return parley_error_set(err, PARLEY_ESCHEMA,
                                "not a parley store (an SQLite database with application "
                                "id %d, not %d); left untouched",
                                state->application_id, PARLEY_STORE_APPLICATION_ID);
    }
    if (state->version > PARLEY_STORE_SCHEMA_VERSION) {
        parley_error_at(err, store->path, 0, 0, NULL);
        return parley_error_set(err, PARLEY_ESCHEMA,
                                "written by a newer parley (store schema version %d; "
                                "this parley %s knows up to %d); left untouched",
                                state->version, PARLEY_VERSION,
                                PARLEY_STORE_SCHEMA_VERSION);
    }
    if (state->version < 0) {
        parley_error_at(err, store->path, 0, 0, NULL);
        return parley_error_set(err, PARLEY_ESCHEMA,
                                "damaged parley store (schema version %d)", state->version);
    }
    return PARLEY_OK;
}

/* Creates or migrates the schema in one transaction.  The file is checked
 * again inside it, since another process may have done the work first. */
static int upgrade(parley_store *store, parley_error *err)
{
    int rc = st_begin(store, err);
    if (rc != PARLEY_OK)
        return rc;
    file_state state;
    rc = read_state(store, &state, err);
    if (rc == PARLEY_OK)
        rc = check_state(store, &state, err);
    for (int step = state.version; rc == PARLEY_OK && step < PARLEY_STORE_SCHEMA_VERSION;
         step++)
        rc = st_exec(store, schema_steps[step], err);
    if (rc == PARLEY_OK && state.version < PARLEY_STORE_SCHEMA_VERSION) {
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 PARLEY_STORE_APPLICATION_ID, PARLEY_STORE_SCHEMA_VERSION);
        rc = st_exec(store, sql, err);
    }
    if (rc != PARLEY_OK) {
        st_rollback(store);
        return rc;
    }
    return st_commit(store, err);
}

static int open_file(parley_store *store, const char *path, parley_error *err)
{
    int readonly = (store->flags & PARLEY_STORE_READONLY) != 0;
    int create = !readonly && (store->flags & PARLEY_STORE_CREATE);
    if (!create && access(path, F_OK) != 0) {
        parley_error_at(err, path, 0, 0, NULL);
        return parley_error_set(err, PARLEY_ENOTFOUND, "no run store here");
    }
    int open_flags = readonly ? SQLITE_OPEN_READONLY
                              : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &store->db, open_flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        parley_error_at(err, path, 0, 0, NULL);
        if (!store->db)
            return parley_error_set(err, PARLEY_ENOMEM, "opening the store: out of memory");
        return parley_error_set(err, PARLEY_EIO, "cannot open the store: %s",
                                sqlite3_errmsg(store->db));
    }
    sqlite3_extended_result_codes(store->db, 1);
    sqlite3_busy_timeout(store->db, PARLEY_STORE_BUSY_TIMEOUT_MS);
    return PARLEY_OK;
}

int parley_store_open(const char *path, unsigned flags, parley_store **out,
                      parley_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return parley_error_set(err, PARLEY_EINVAL, "no path given for the run store");
    parley_store *store = parley_calloc(1, sizeof *store);
    if (!store)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    snprintf(store->path, sizeof store->path, "%s", path);
    store->flags = flags;
    int rc = open_file(store, path, err);
    file_state state = {0, 0, 0};
    if (rc == PARLEY_OK)
        rc = read_state(store, &state, err);
    if (rc == PARLEY_OK)
        rc = check_state(store, &state, err);
    store->found_version = state.version;
    if (rc == PARLEY_OK && (flags & PARLEY_STORE_READONLY) &&
        state.version < PARLEY_STORE_SCHEMA_VERSION) {
        parley_error_at(err, path, 0, 0, NULL);
        rc = parley_error_set(err, PARLEY_ESCHEMA,
                              "store schema version %d needs migrating to %d, which a "
                              "read-only open does not do",
                              state.version, PARLEY_STORE_SCHEMA_VERSION);
    }
    /* Only now, with the file known to be ours (or empty), is anything
     * written: WAL lets readers work while a run is being stored, and
     * synchronous=NORMAL in WAL mode loses no committed run on a crash of
     * the process (only, at worst, the last one on a power cut). */
    if (rc == PARLEY_OK && !(flags & PARLEY_STORE_READONLY))
        rc = st_exec(store, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", err);
    if (rc == PARLEY_OK)
        rc = st_exec(store, "PRAGMA foreign_keys = ON", err);
    if (rc == PARLEY_OK && state.version < PARLEY_STORE_SCHEMA_VERSION)
        rc = upgrade(store, err);
    if (rc != PARLEY_OK) {
        parley_store_close(store);
        return rc;
    }
    *out = store;
    return PARLEY_OK;
}

void parley_store_close(parley_store *store)
{
    if (!store)
        return;
    sqlite3_close(store->db); /* every statement is finalised where it was made */
    parley_free(store);
}

int parley_store_found_version(const parley_store *store)
{
    return store->found_version;
}

const char *parley_run_kind_name(parley_run_kind kind)
{
    switch (kind) {
#define PARLEY_X_CASE(name, text) \
    case name:                    \
        return text;
        PARLEY_RUN_KINDS(PARLEY_X_CASE)
#undef PARLEY_X_CASE
    }
    return "unknown";
}

int parley_run_kind_parse(const char *name)
{
#define PARLEY_X_PARSE(value, text) \
    if (name && strcmp(name, text) == 0) \
        return value;
    PARLEY_RUN_KINDS(PARLEY_X_PARSE)
#undef PARLEY_X_PARSE
    return -1;
}
