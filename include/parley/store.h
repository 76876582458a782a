/* parley/store.h — the run store: every run and Monte Carlo run, kept.
 *
 * A store is one SQLite file (WAL mode; parley.db by default).  Each saved
 * run holds its scenario (canonical JSON, deduplicated by SHA-256), the model
 * and its parameters by name, seed and stream, the parley version, start and
 * end time, the forecast per issue, every state of positions (one
 * little-endian BLOB per round), the trace events, and for Monte Carlo the
 * per-issue summaries and event probabilities.  A run is written in one
 * transaction: it is in the store whole or not at all, even if the process
 * is killed mid-write.  The schema is described in docs/store.md.
 *
 * The file carries PARLEY_STORE_APPLICATION_ID and its schema version
 * (PRAGMA application_id, PRAGMA user_version).  parley_store_open refuses,
 * without writing a byte, a file that is not a parley store or that a newer
 * parley wrote; an older store is migrated in place, in one transaction.
 *
 * Thread-safety: a parley_store handle is used by one thread at a time.
 * Any number of handles, in any number of threads or processes, may use one
 * file at once: writers wait for each other (PARLEY_STORE_BUSY_TIMEOUT_MS).
 * The library never prints. */
#ifndef PARLEY_STORE_H
#define PARLEY_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/montecarlo.h"
#include "parley/result.h"
#include "parley/scenario.h"
#include "parley/sweep.h"

#define PARLEY_STORE_DEFAULT_PATH "parley.db"
/* The environment variable the command line reads for the store's path. */
#define PARLEY_STORE_ENV "PARLEY_DB"
/* "Prly": PRAGMA application_id of every parley store. */
#define PARLEY_STORE_APPLICATION_ID 0x50726c79
/* The schema this parley writes (1: runs; 2: + Monte Carlo summaries;
 * 3: + the forecast ledger, parley/ledger.h; 4: + sweeps, parley/sweep.h). */
#define PARLEY_STORE_SCHEMA_VERSION 4
/* How long a writer waits for another one before PARLEY_EIO. */
#define PARLEY_STORE_BUSY_TIMEOUT_MS 15000

typedef struct parley_store parley_store;

/* Flags for parley_store_open. */
enum {
    PARLEY_STORE_CREATE = 1u << 0,  /* create the file when it does not exist */
    PARLEY_STORE_READONLY = 1u << 1 /* never write (no migration either) */
};

/* Opens the store at path.  Without PARLEY_STORE_CREATE a missing file is
 * PARLEY_ENOTFOUND.  A file that is not a parley store (not SQLite, or
 * SQLite with another application id or with tables but no id) is
 * PARLEY_ESCHEMA, as is one with a newer schema version; both are left
 * untouched, and err->message says which.  An older schema is migrated in
 * place (PARLEY_ESCHEMA with READONLY).  Other failures: PARLEY_EIO (err
 * names the file and SQLite's reason), PARLEY_ENOMEM.  On success *out is
 * the handle (caller closes with parley_store_close); on failure *out is
 * NULL. */
int parley_store_open(const char *path, unsigned flags, parley_store **out,
                      parley_error *err);

/* Closes the store; NULL does nothing. */
void parley_store_close(parley_store *store);

/* The schema version the file had when it was opened: 0 for a new file,
 * PARLEY_STORE_SCHEMA_VERSION if it needed no migration. */
int parley_store_found_version(const parley_store *store);

/* Saves one model run.  opts may be NULL (the model's defaults).  started
 * and finished are wall-clock times (timespec_get(..., TIME_UTC)); either
 * may be NULL (now).  result must be for sc (its n_actors and n_issues).
 * All inputs are only read.  On success *run_id (may be NULL) is the new
 * run's id.  PARLEY_EINVAL for mismatched sizes, PARLEY_EIO (the store is
 * unchanged), PARLEY_ENOMEM, PARLEY_EINTERNAL when built without SHA-256
 * (nettle). */
int parley_store_save_run(parley_store *store, const parley_scenario *sc,
                          const parley_model *model, const parley_run_opts *opts,
                          const parley_result *result,
                          const struct timespec *started,
                          const struct timespec *finished, int64_t *run_id,
                          parley_error *err);

/* Saves one Monte Carlo run: its options (opts->run gives the model's
 * parameters; NULL: defaults), the summary of every issue (with the fine
 * histogram, so quantiles read back the same) and every event with its
 * text (event_texts[k] for r->events[k]; event_texts may be NULL when
 * r->n_events is 0).  Same codes as parley_store_save_run. */
int parley_store_save_mc(parley_store *store, const parley_scenario *sc,
                         const parley_model *model, const parley_mc_opts *opts,
                         const parley_mc_result *r, const char *const *event_texts,
                         const struct timespec *started,
                         const struct timespec *finished, int64_t *run_id,
                         parley_error *err);

#define PARLEY_RUN_KINDS(X)        \
    X(PARLEY_RUN_KIND_RUN, "run")  \
    X(PARLEY_RUN_KIND_MC, "mc")

typedef enum parley_run_kind {
#define PARLEY_X_ENUM(name, text) name,
    PARLEY_RUN_KINDS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_run_kind;

/* "run", "mc"; parse back with parley_run_kind_parse (-1 if unknown). */
const char *parley_run_kind_name(parley_run_kind kind);
int parley_run_kind_parse(const char *name);

/* What a listing shows of one stored run.  Text longer than its field is
 * cut (the scenario's own JSON keeps it whole). */
typedef struct parley_run_info {
    int64_t id;
    parley_run_kind kind;
    char model[64];
    char scenario_id[128];
    char scenario_name[160];
    char sha256[65];          /* of the scenario's canonical JSON, hex */
    size_t n_actors, n_issues;
    uint64_t seed;
    uint64_t samples;         /* MC: samples requested; 0 for a run */
    size_t n_rounds;          /* run: rounds run */
    char stop_reason[160];
    char version[32];         /* the parley that wrote it */
    char started[32];         /* UTC, "2024-05-01T12:00:00.123Z" */
    char finished[32];
    double seconds;           /* finished - started */
} parley_run_info;

/* Which runs parley_store_list returns; every set field must match. */
typedef struct parley_run_filter {
    const char *scenario;  /* the scenario's id, or a prefix (>= 4 hex digits)
                            * of its SHA-256; NULL: any */
    const char *model;     /* NULL: any */
    const char *since;     /* started >= since (an ISO 8601 date or time,
                            * UTC, compared as text); NULL: no bound */
    const char *until;     /* started < until, where a bare date means the
                            * end of that day; NULL: no bound */
    int kind;              /* a parley_run_kind, or -1: any */
    size_t limit;          /* the newest `limit` runs; 0: all */
} parley_run_filter;

/* Sets every field to "any". */
void parley_run_filter_init(parley_run_filter *filter);

/* The runs that match filter (NULL: all), oldest first.  *out is an array of
 * *count infos the caller frees with parley_free (NULL when *count is 0).
 * PARLEY_EIO, PARLEY_ENOMEM. */
int parley_store_list(parley_store *store, const parley_run_filter *filter,
                      parley_run_info **out, size_t *count, parley_error *err);

/* A run read back from the store.  Everything is owned by it and freed by
 * parley_stored_run_free. */
typedef struct parley_stored_run {
    parley_run_info info;
    parley_scenario *scenario;
    const parley_model *model; /* from the registry; NULL if this parley has
                                * no model of that name (info.model) */
    parley_run_opts opts;      /* the model's defaults overlaid with the
                                * stored parameters, seed and stream */
    parley_result *result;     /* PARLEY_RUN_KIND_RUN; else NULL */
    parley_mc_result *mc;      /* PARLEY_RUN_KIND_MC; else NULL */
    char **mc_event_texts;     /* mc->n_events texts */
} parley_stored_run;

/* Loads run id.  On success *out is the run (caller frees with
 * parley_stored_run_free).  PARLEY_ENOTFOUND, PARLEY_EIO, PARLEY_ENOMEM,
 * PARLEY_ESCHEMA if the stored scenario no longer parses. */
int parley_store_load(parley_store *store, int64_t id, parley_stored_run **out,
                      parley_error *err);
void parley_stored_run_free(parley_stored_run *run); /* NULL does nothing */

/* Deletes run id and everything stored with it (and its scenario, when no
 * other run uses it), in one transaction.  PARLEY_ENOTFOUND, PARLEY_EIO. */
int parley_store_delete(parley_store *store, int64_t id, parley_error *err);

/* ---- sweeps (parley/sweep.h) ------------------------------------------ */

/* What a listing shows of one stored sweep.  Text longer than its field is
 * cut. */
typedef struct parley_sweep_info {
    int64_t id;
    char model[64];
    char scenario_id[128];
    char sha256[65];          /* of the scenario's canonical JSON, hex */
    char vary[512];           /* the axes as given, space-separated */
    size_t n_axes;
    uint64_t seed;
    uint64_t samples;         /* 0: one run per case */
    double spread;
    uint64_t n_cases;
    uint64_t n_stored;        /* cases in the store */
    char version[32];
    char started[32];
    char finished[32];        /* "" until every case is stored */
} parley_sweep_info;

/* Stores a new sweep of s with opts (samples, seed, spread; threads and
 * callbacks are not kept), no case yet, in one transaction.  *sweep_id is
 * its id (sweeps count apart from runs).  started may be NULL (now).
 * PARLEY_EINVAL, PARLEY_EIO, PARLEY_ENOMEM, PARLEY_EINTERNAL without
 * SHA-256. */
int parley_store_sweep_begin(parley_store *store, const parley_sweep *s,
                             const parley_sweep_opts *opts, const struct timespec *started,
                             int64_t *sweep_id, parley_error *err);

/* Stores case c of r (which must be done) in its own transaction, so that
 * it survives whatever happens to the process next; a case already stored
 * is left as it is.  Usable as a parley_sweep_case_fn's body.  PARLEY_EINVAL,
 * PARLEY_EIO, PARLEY_ENOMEM. */
int parley_store_sweep_save_case(parley_store *store, int64_t sweep_id, const parley_sweep *s,
                                 const parley_sweep_result *r, uint64_t c, parley_error *err);

/* Marks sweep_id finished at finished (NULL: now) when every case is
 * stored; PARLEY_EINVAL (nothing written) while some are missing.
 * PARLEY_ENOTFOUND, PARLEY_EIO. */
int parley_store_sweep_finish(parley_store *store, int64_t sweep_id,
                              const struct timespec *finished, parley_error *err);

/* Every stored sweep, oldest first: *out is an array of *count infos the
 * caller frees with parley_free (NULL when *count is 0).  PARLEY_EIO,
 * PARLEY_ENOMEM. */
int parley_store_sweep_list(parley_store *store, parley_sweep_info **out, size_t *count,
                            parley_error *err);

/* A sweep read back from the store, everything owned by it. */
typedef struct parley_stored_sweep {
    parley_sweep_info info;
    parley_scenario *scenario;
    const parley_model *model;     /* from the registry */
    parley_sweep *sweep;           /* over scenario and model, its axes parsed
                                    * again from their text */
    parley_sweep_opts opts;        /* samples, seed, spread as stored */
    parley_sweep_result *result;   /* the stored cases done, the rest not */
} parley_stored_sweep;

/* Loads sweep id with every case stored so far, so that parley_sweep_run
 * over result runs only the rest.  PARLEY_ENOTFOUND (no such sweep, or a
 * model this parley lacks), PARLEY_ESCHEMA (the scenario or an axis no
 * longer parses, or the case count differs), PARLEY_EIO, PARLEY_ENOMEM.
 * Caller frees *out with parley_stored_sweep_free. */
int parley_store_sweep_load(parley_store *store, int64_t id, parley_stored_sweep **out,
                            parley_error *err);
void parley_stored_sweep_free(parley_stored_sweep *sweep); /* NULL does nothing */

/* ---- comparing two runs ----------------------------------------------- */

#define PARLEY_CHANGE_SECTIONS(X)              \
    X(PARLEY_CHANGE_SETTING, "setting")        \
    X(PARLEY_CHANGE_INPUT, "input")            \
    X(PARLEY_CHANGE_FORECAST, "forecast")

typedef enum parley_change_section {
#define PARLEY_X_ENUM(name, text) name,
    PARLEY_CHANGE_SECTIONS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_change_section;

const char *parley_change_section_name(parley_change_section section);

/* One difference between two runs.  before/after are "" for a thing absent
 * on that side. */
typedef struct parley_run_change {
    parley_change_section section;
    char what[192];    /* "model", "param rounds", "capability of RU",
                        * "position of RU on federalisation", "actor UA",
                        * "forecast of federalisation" */
    char before[64], after[64];
    double delta;      /* after - before for numbers on both sides; else NaN */
} parley_run_change;

/* The differences from run a to run b: settings (kind, model, parameters by
 * name, seed), inputs (actors and issues added or removed by id; scale,
 * status quo, rule, capability, position, salience and presence of a stake
 * changed; none when the scenarios' SHA-256 match) and, for every issue in
 * both, the forecast (for MC runs: the mean), always listed, moved or not,
 * so a reader sees each one.  Issues and actors are matched by id.  *out
 * is an array of *count changes the caller frees with parley_free.
 * PARLEY_ENOMEM. */
int parley_runs_diff(const parley_stored_run *a, const parley_stored_run *b,
                     parley_run_change **out, size_t *count, parley_error *err);

#endif
