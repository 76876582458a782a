/* store_internal.h — what the store's files share (private to src/store).
 * Only src/store includes <sqlite3.h> (STYLE.md 9). */
#ifndef PARLEY_STORE_INTERNAL_H
#define PARLEY_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/store.h"

struct parley_store {
    sqlite3 *db;
    char path[512];
    unsigned flags;
    int found_version;
};

/* Turns the last SQLite failure on store into a parley error: PARLEY_ENOMEM
 * for SQLITE_NOMEM, else PARLEY_EIO with the file, what was being done and
 * SQLite's reason.  Returns the code. */
int st_fail(parley_store *store, parley_error *err, const char *doing);

/* Prepares sql; on failure fills err and returns its code. */
int st_prepare(parley_store *store, const char *sql, sqlite3_stmt **stmt,
               parley_error *err);

/* Runs SQL that returns no rows (may hold several statements). */
int st_exec(parley_store *store, const char *sql, parley_error *err);

/* BEGIN IMMEDIATE (waits for other writers), COMMIT, ROLLBACK. */
int st_begin(parley_store *store, parley_error *err);
int st_commit(parley_store *store, parley_error *err);
void st_rollback(parley_store *store);

/* Binds text, or NULL when text is NULL. */
int st_bind_text(sqlite3_stmt *stmt, int index, const char *text);
/* Binds a double, or NULL when it is NaN (SQLite has no NaN). */
int st_bind_real(sqlite3_stmt *stmt, int index, double x);
/* A column as a double, NaN for NULL. */
double st_column_real(sqlite3_stmt *stmt, int index);
/* Copies a text column (NULL: "") into buf of size n. */
void st_column_copy(sqlite3_stmt *stmt, int index, char *buf, size_t n);

/* Packs n doubles as little-endian IEEE 754 into out (8n bytes), and back. */
void st_pack_doubles(const double *values, size_t n, unsigned char *out);
void st_unpack_doubles(const unsigned char *in, size_t n, double *values);
void st_pack_u64(const uint64_t *values, size_t n, unsigned char *out);
void st_unpack_u64(const unsigned char *in, size_t n, uint64_t *values);

/* The SHA-256 of data as 64 hex digits and a NUL.  PARLEY_EINTERNAL when
 * built without nettle. */
int st_sha256_hex(const char *data, size_t len, char hex[65], parley_error *err);

/* Formats a wall-clock time as "2024-05-01T12:00:00.123Z" (UTC); NULL is
 * now.  buf holds at least 32 bytes. */
void st_format_time(const struct timespec *t, char *buf, size_t n);

/* The scenario's row, inserted (keyed by the SHA-256 of its canonical JSON)
 * when the store does not hold it yet (save.c). */
int st_save_scenario(parley_store *store, const parley_scenario *sc, sqlite3_int64 *row,
                     parley_error *err);
/* Parses the scenario of row scenario_row into *out (caller frees); on
 * failure *out is NULL (load.c). */
int st_load_scenario(parley_store *store, sqlite3_int64 scenario_row, parley_scenario **out,
                     parley_error *err);

/* Reads the Monte Carlo tables of run->info.id into run->mc and
 * run->mc_event_texts (load_mc.c). */
int st_load_mc(parley_store *store, parley_stored_run *run, parley_error *err);

#endif
