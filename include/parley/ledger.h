/* parley/ledger.h — the forecast ledger: questions, the forecasts people and
 * models make on them, their resolutions, and scores.
 *
 * The ledger lives in the run store (parley/store.h, schema version 3:
 * tables question, prediction, resolution; docs/store.md).  A question has
 * a text, resolution criteria, a close date and a kind: binary (yes/no) or
 * numeric on a scale [low, high].  A forecast has its forecaster (a name,
 * or a model run: model, scenario SHA-256, run id), the date it was made, a
 * probability (binary) or a distribution (numeric: "q:LEVEL=VALUE;..." or
 * "h:WEIGHT,...", parley/scoring.h) and a rationale.  A resolution has the
 * outcome (1 yes, 0 no, or the value), its date and a source.
 *
 * Dates are ISO 8601 calendar dates, "YYYY-MM-DD".  Scores follow
 * docs/scoring.md.
 *
 * Every write is one transaction.  Thread-safety: as the store's handle.
 * The library never prints. */
#ifndef PARLEY_LEDGER_H
#define PARLEY_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/scoring.h"
#include "parley/store.h"

#define PARLEY_QUESTION_KINDS(X)              \
    X(PARLEY_QUESTION_BINARY, "binary")       \
    X(PARLEY_QUESTION_NUMERIC, "numeric")

typedef enum parley_question_kind {
#define PARLEY_X_ENUM(name, text) name,
    PARLEY_QUESTION_KINDS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_question_kind;

/* "binary", "numeric"; parse back with parley_question_kind_parse (-1 if
 * unknown). */
const char *parley_question_kind_name(parley_question_kind kind);
int parley_question_kind_parse(const char *name);

/* Text longer than a field is refused (PARLEY_EINVAL), never cut. */
typedef struct parley_question {
    int64_t id;              /* set by the store */
    char slug[64];           /* "" or a short name: a letter, then letters,
                              * digits, '-' or '_' */
    parley_question_kind kind;
    double low, high;        /* numeric: the scale; ignored for binary */
    char close[16];          /* the close date, YYYY-MM-DD */
    char created[32];        /* set by the store: UTC time of `ask` */
    char text[1024];
    char criteria[1024];     /* how it will be resolved */
    /* The resolution, when resolved is 1. */
    int resolved;
    double outcome;          /* binary: 1 yes, 0 no; numeric: the value */
    char resolved_on[16];    /* YYYY-MM-DD */
    char source[1024];
} parley_question;

typedef struct parley_ledger_forecast {
    int64_t id;              /* set by the store */
    int64_t question;
    char by[128];            /* the forecaster: a person's name, or for a
                              * model run "model:NAME" */
    char model[64];          /* a model run's model; "" for a person */
    char scenario_sha256[65];
    int64_t run;             /* the stored run; 0 for a person, or when the
                              * run was deleted */
    char date[16];           /* made on, YYYY-MM-DD */
    double probability;      /* binary: in [0, 1]; numeric: NaN */
    char distribution[512];  /* numeric: "q:..." or "h:..."; binary: "" */
    char rationale[2048];
} parley_ledger_forecast;

/* Clears q to an empty binary question. */
void parley_question_init(parley_question *q);
/* Clears f to an empty forecast by nobody (probability NaN). */
void parley_ledger_forecast_init(parley_ledger_forecast *f);

/* Adds question q (its id, created and resolution are ignored).  Checked:
 * text not empty, a valid close date, a valid unused slug, low < high for
 * numeric.  *id (may be NULL) is the new id.  PARLEY_EINVAL (err names the
 * field), PARLEY_EIO, PARLEY_ENOMEM. */
int parley_ledger_ask(parley_store *store, const parley_question *q, int64_t *id,
                      parley_error *err);

/* Finds a question by "ID" (a whole number) or slug into *out (with its
 * resolution).  PARLEY_ENOTFOUND, PARLEY_EIO. */
int parley_ledger_question(parley_store *store, const char *ref, parley_question *out,
                           parley_error *err);

/* Every question, by id.  *out: *count questions, caller frees with
 * parley_free (NULL when there are none).  PARLEY_EIO, PARLEY_ENOMEM. */
int parley_ledger_questions(parley_store *store, parley_question **out, size_t *count,
                            parley_error *err);

/* Adds forecast f (its id is ignored).  Refused (PARLEY_EINVAL, with the
 * reason): an unknown question, an empty forecaster, a bad date, a date
 * after the question's close or after its resolution, a probability outside
 * [0, 1] or a distribution on a binary question, a missing or unparsable
 * distribution on a numeric one.  *id may be NULL.  PARLEY_ENOTFOUND for an
 * unknown question, PARLEY_EIO, PARLEY_ENOMEM. */
int parley_ledger_add(parley_store *store, const parley_ledger_forecast *f, int64_t *id,
                      parley_error *err);

/* Resolves question with outcome (binary: 0 or 1) on date, from source
 * (not empty).  Refused with PARLEY_EINVAL: a question already resolved
 * (err says when and how), a bad date, a binary outcome other than 0 or 1,
 * a forecast made after date.  PARLEY_ENOTFOUND, PARLEY_EIO. */
int parley_ledger_resolve(parley_store *store, int64_t question, double outcome,
                          const char *date, const char *source, parley_error *err);

/* The forecasts on question (0: every question) by forecaster by (NULL:
 * everyone), ordered by question, forecaster, date and id.  *out: *count
 * forecasts, caller frees with parley_free.  PARLEY_EIO, PARLEY_ENOMEM. */
int parley_ledger_forecasts(parley_store *store, int64_t question, const char *by,
                            parley_ledger_forecast **out, size_t *count, parley_error *err);

/* ---- CSV --------------------------------------------------------------- */

/* The ledger's CSV header (docs/scoring.md).  Rows: "question" (question,
 * kind, low, high, close, text, criteria), "forecast" (question, by, date,
 * probability or distribution, text = the rationale, model, scenario_sha256,
 * run) and "resolution" (question, date, outcome yes|no|VALUE, source);
 * question is the slug (export writes "q<ID>" for one without). */
#define PARLEY_LEDGER_CSV_HEADER                                                        \
    "record,question,kind,low,high,close,by,date,probability,distribution,outcome,text," \
    "criteria,source,model,scenario_sha256,run"

typedef struct parley_ledger_counts {
    size_t questions, forecasts, resolutions;
} parley_ledger_counts;

/* Imports CSV text (len bytes; name for messages) in one transaction: on
 * any bad row nothing is imported and err names the file, the line and the
 * field.  Rows are applied in order with the checks of ask, add and
 * resolve; a forecast or resolution names a question defined earlier in
 * the file or already in the store.  *counts (may be NULL) says what was
 * added.  PARLEY_EPARSE, PARLEY_EINVAL, PARLEY_EIO, PARLEY_ENOMEM. */
int parley_ledger_import_csv(parley_store *store, const char *text, size_t len,
                             const char *name, parley_ledger_counts *counts,
                             parley_error *err);

/* The whole ledger as CSV that parley_ledger_import_csv reads back into an
 * empty store.  *out: caller frees with parley_free.  PARLEY_EIO,
 * PARLEY_ENOMEM. */
int parley_ledger_export_csv(parley_store *store, char **out, parley_error *err);

/* ---- models ------------------------------------------------------------ */

/* The probability of event (an event expression, parley/montecarlo.h) in a
 * stored Monte Carlo run: the stored one when the run counted that event
 * (same text, blanks aside; *from_histogram = 0), else, when the event
 * names one issue only, summed from that stored fine histogram
 * evaluated at bin centres (exact to within the mass of the one bin that
 * holds a threshold; *from_histogram = 1).  PARLEY_EINVAL for a run that is
 * not Monte Carlo or an event over several issues the run did not count
 * (err says how to get it), PARLEY_EPARSE for a bad expression,
 * PARLEY_ENOMEM. */
int parley_ledger_run_probability(const parley_stored_run *run, const char *event,
                                  double *probability, int *from_histogram,
                                  parley_error *err);

/* ---- scores ------------------------------------------------------------ */

/* One forecaster's score on one resolved question, time-averaged over their
 * forecasts (parley_score_time_average up to the earlier of the close and
 * the resolution). */
typedef struct parley_question_score {
    int64_t question;
    char slug[64];
    char by[128];
    size_t n_forecasts;
    double last;             /* the last probability (binary); else NaN */
    double outcome;
    double brier, log_score; /* binary; else NaN */
    double crps;             /* numeric, in the scale's units; else NaN */
    double crps_scaled;      /* crps / (high - low) */
} parley_question_score;

/* A forecaster's row of the leaderboard: means over the resolved questions
 * they forecast. */
typedef struct parley_forecaster_score {
    char by[128];
    int is_model;
    size_t n_questions, n_binary, n_numeric, n_forecasts;
    double brier, log_score;   /* mean over binary questions; NaN if none */
    double crps_scaled;        /* mean over numeric ones; NaN if none */
} parley_forecaster_score;

typedef struct parley_ledger_scores {
    parley_question_score *questions; /* n_questions, by forecaster then question */
    size_t n_questions;
    parley_forecaster_score *forecasters; /* best (lowest) Brier first, then
                                           * CRPS; those with neither last */
    size_t n_forecasters;
    /* Every forecast on a resolved binary question counts once. */
    parley_calibration_bin calibration[PARLEY_CALIBRATION_BINS];
    size_t n_unresolved;      /* questions not yet resolved */
} parley_ledger_scores;

/* Scores every forecaster (by == NULL) or one.  *out is filled; free its
 * arrays with parley_ledger_scores_free.  PARLEY_EIO, PARLEY_ENOMEM,
 * PARLEY_EINVAL for a stored distribution that no longer parses. */
int parley_ledger_score(parley_store *store, const char *by, parley_ledger_scores *out,
                        parley_error *err);
void parley_ledger_scores_free(parley_ledger_scores *scores); /* NULL does nothing */

/* A reliability diagram of bins as a standalone SVG document: observed
 * frequency against mean forecast, the diagonal, each point's count.
 * *out: caller frees with parley_free.  PARLEY_ENOMEM. */
int parley_ledger_reliability_svg(const parley_calibration_bin *bins, size_t n_bins,
                                  const char *title, char **out, parley_error *err);

#endif
