/* parley/backtest.h — running models over scenarios with known outcomes.
 *
 * A backtest runs every given model on every given scenario and, for each
 * issue that can be scored, records the forecast and its absolute error
 * |forecast - outcome|.  The per-issue records are kept so that intervals
 * (a bootstrap over issues) and comparisons can be computed afterwards.
 *
 * Conventions (as in the studies of EU decision making the DEU data serves):
 *   - every actor's capability is replaced by one value (1 by default) or by
 *     a table of capabilities by actor id;
 *   - an issue is scored when it has an outcome and at least min_actors
 *     actors (3 by default) have a stake in it (a position and a salience;
 *     a salience of 0 counts);
 *   - a model that gives no forecast (NaN, or PARLEY_EUNDEF for the whole
 *     scenario) on a scored issue is counted in no_forecast, and its mean
 *     absolute error is over the other issues.
 *
 * Thread-safety: reentrant; the scenarios are only read. */
#ifndef PARLEY_BACKTEST_H
#define PARLEY_BACKTEST_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/scenario.h"

/* Capabilities by actor id, e.g. read from a CSV "actor,capability". */
typedef struct parley_capability_table parley_capability_table;

/* Parses CSV text with one "actor,capability" line per actor (an optional
 * first line "actor,capability" is a header; blank lines and lines starting
 * with '#' are skipped).  Capabilities must be finite and > 0; an actor may
 * appear once.  name is used in errors, which give the line and field.
 * Caller frees *out with parley_capability_table_free.  PARLEY_EPARSE,
 * PARLEY_ERANGE, PARLEY_EINVAL (duplicate actor), PARLEY_ENOMEM. */
int parley_capability_table_parse(const char *buf, size_t len, const char *name,
                                  parley_capability_table **out, parley_error *err);
void parley_capability_table_free(parley_capability_table *table); /* NULL: nothing */
/* Number of rows. */
size_t parley_capability_table_count(const parley_capability_table *table);
/* The capability of actor id, or NaN when the table has none. */
double parley_capability_table_get(const parley_capability_table *table, const char *id);

typedef struct parley_backtest_opts {
    double capability;                      /* every actor's capability: 1 */
    const parley_capability_table *table;   /* borrowed; NULL: use capability.  With
                                             * a table, an actor missing from it is
                                             * an error (PARLEY_EINVAL). */
    size_t min_actors;                      /* actors with a stake to score: 3 */
    uint64_t seed;                          /* run seed for every run: 0 */
} parley_backtest_opts;

/* Fills opts with the defaults above. */
void parley_backtest_opts_init(parley_backtest_opts *opts);

/* One model on one scored issue. */
typedef struct parley_backtest_item {
    size_t scenario, issue;  /* indices into the scenarios given */
    double forecast;         /* NaN: no forecast */
    double outcome;
    double error;            /* |forecast - outcome|; NaN when no forecast */
} parley_backtest_item;

typedef struct parley_backtest_model {
    const parley_model *model;
    size_t n_scored;         /* scored issues with a forecast */
    size_t n_no_forecast;    /* scored issues without one */
    double mae;              /* mean of error over the n_scored issues; NaN if none */
    size_t n_items;          /* every scored issue, in scenario and issue order */
    parley_backtest_item *items;
} parley_backtest_model;

typedef struct parley_backtest {
    size_t n_scenarios;
    size_t n_issues;          /* issues in all scenarios */
    size_t n_scored;          /* issues that could be scored */
    size_t n_no_outcome;      /* issues without an outcome */
    size_t n_too_few;         /* issues with an outcome but under min_actors stakes */
    size_t n_models;
    parley_backtest_model *models;
} parley_backtest;

/* Runs each of the n_models models (default parameters, opts->seed) on each
 * scenario, with capabilities set by opts (NULL: defaults).  On success
 * *out is a backtest the caller frees with parley_backtest_free.  Returns
 * PARLEY_EINVAL (an actor missing from the capability table), PARLEY_ENOMEM,
 * or what a model returned other than PARLEY_OK and PARLEY_EUNDEF, with err
 * naming the scenario and model. */
int parley_backtest_run(parley_scenario *const *scenarios, size_t n_scenarios,
                        const parley_model *const *models, size_t n_models,
                        const parley_backtest_opts *opts, parley_backtest **out,
                        parley_error *err);
void parley_backtest_free(parley_backtest *bt); /* NULL does nothing */

/* Whether issue i of sc is scored under opts (NULL: defaults). */
int parley_backtest_scores_issue(const parley_scenario *sc, size_t issue,
                                 const parley_backtest_opts *opts);

#endif
