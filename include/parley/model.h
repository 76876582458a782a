/* parley/model.h — the one model interface and its registry.
 *
 * Every bargaining model is a const parley_model found by name in the
 * registry.  The command line, Monte Carlo, the backtest, the store and the
 * web UI loop over the registry and never name a model.
 *
 * A model's run function reads the scenario and the options, fills a result
 * that parley_model_run has reset to the scenario's size, and prints nothing:
 * tracing and progress go through opts->on_round. */
#ifndef PARLEY_MODEL_H
#define PARLEY_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/result.h"
#include "parley/scenario.h"

typedef enum parley_param_type {
    PARLEY_PARAM_INT,
    PARLEY_PARAM_REAL,
    PARLEY_PARAM_BOOL,
    PARLEY_PARAM_CHOICE   /* value is the index into choices */
} parley_param_type;

/* A tunable.  A model's params array ends with an entry whose name is NULL. */
typedef struct parley_param {
    const char *name;           /* "rounds" */
    const char *summary;        /* one line for `parley models` and --help */
    parley_param_type type;
    double def;                 /* the default (index for CHOICE, 0/1 for BOOL) */
    double min, max;            /* inclusive range for INT and REAL */
    const char *const *choices; /* CHOICE: NULL-terminated names */
} parley_param;

/* A kind of trace event: its name and the names of its values (NULL for an
 * unused slot).  A model's events array ends with a NULL name. */
typedef struct parley_event_kind {
    const char *name;           /* "challenge" */
    const char *value_names[4]; /* {"p_win", "gain", NULL, NULL} */
    int summary;                /* 1: a per-round summary (e.g. the round's
                                 * median) that `parley run` prints without
                                 * --trace; record such events whenever
                                 * PARLEY_RUN_HISTORY is set */
} parley_event_kind;

#define PARLEY_MAX_PARAMS 32

/* Flags for parley_run_opts.flags. */
enum {
    PARLEY_RUN_HISTORY = 1u << 0, /* keep every round's positions */
    PARLEY_RUN_TRACE = 1u << 1    /* record trace events */
};

struct parley_run_opts;
/* Called after each round (round >= 1) with the result so far.  Return
 * nonzero to stop the run; the model then returns PARLEY_ECANCEL. */
typedef int (*parley_round_fn)(const parley_result *result, unsigned round,
                               void *userdata);

typedef struct parley_run_opts {
    double param[PARLEY_MAX_PARAMS]; /* in the order of model->params */
    uint64_t seed;                   /* run seed (Philox key) */
    uint64_t stream;                 /* sample index (Philox counter part) */
    unsigned flags;                  /* PARLEY_RUN_* */
    parley_round_fn on_round;        /* NULL: none */
    void *userdata;
} parley_run_opts;

typedef struct parley_model {
    const char *name;            /* "compromise" */
    const char *summary;         /* one line for `parley models` */
    const char *reference;       /* the paper it follows */
    const parley_param *params;  /* NULL-name terminated; never NULL */
    const parley_event_kind *events; /* NULL-name terminated; never NULL */
    int iterative;               /* 1 if it has rounds */
    /* Runs the model.  result has been reset to the scenario's size.
     * Returns PARLEY_OK, PARLEY_EUNDEF when the model cannot forecast any
     * issue of this scenario (err says why), PARLEY_ECANCEL, PARLEY_ENOMEM. */
    int (*run)(const parley_scenario *sc, const parley_run_opts *opts,
               parley_result *result, parley_error *err);
    /* Writes one plain-language sentence for a trace event into buf. */
    void (*describe)(const parley_scenario *sc, const parley_event *ev,
                     char *buf, size_t n);
} parley_model;

/* The registry: models in a fixed order, NULL-terminated. */
const parley_model *const *parley_models(void);
/* The model with this name, or NULL. */
const parley_model *parley_model_find(const char *name);
/* Number of params of a model. */
size_t parley_model_count_params(const parley_model *m);
/* Index of the param called name, or -1. */
long parley_model_find_param(const parley_model *m, const char *name);

/* Fills opts with the model's defaults, seed 0, stream 0, flags
 * PARLEY_RUN_HISTORY, no callback. */
void parley_run_opts_init(parley_run_opts *opts, const parley_model *m);

/* Parses "name=value" and sets that parameter, checking its type and range.
 * CHOICE values are given by name.  PARLEY_EINVAL with err naming the param
 * and what was expected. */
int parley_run_opts_set(parley_run_opts *opts, const parley_model *m,
                        const char *assignment, parley_error *err);

/* Resets result to the scenario's size, validates nothing else, runs the
 * model.  opts may be NULL (defaults).  Returns what the model returns. */
int parley_model_run(const parley_model *m, const parley_scenario *sc,
                     const parley_run_opts *opts, parley_result *result,
                     parley_error *err);

/* The round_fn and describe helper for a param value: writes "8" or "1.5"
 * or the choice name into buf. */
char *parley_param_format(const parley_param *p, double value, char *buf, size_t n);

#endif
