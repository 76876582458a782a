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
    int keep_capabilities;                  /* 1: use the scenarios' own capabilities
                                             * (e.g. set by parley_deu_apply_institutions,
                                             * parley/institutions.h): capability and
                                             * table are ignored.  Default 0. */
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

/* A model with a parameter set, e.g. "eu:rounds=4". */
typedef struct parley_backtest_spec {
    const parley_model *model;
    parley_run_opts opts;    /* its parameters (the seed is set by the backtest) */
    char label[128];         /* "eu:rounds=4", or the model's name for defaults */
} parley_backtest_spec;

/* Parses "NAME" or "NAME:param=value,param=value" into spec, the label being
 * the text given.  PARLEY_ENOTFOUND for an unknown model, PARLEY_EINVAL for a
 * bad parameter (err names it and what was expected). */
int parley_backtest_spec_parse(const char *text, parley_backtest_spec *spec,
                               parley_error *err);

typedef struct parley_backtest_model {
    const parley_model *model;
    char label[128];         /* as in parley_backtest_spec */
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

/* As parley_backtest_run, with a parameter set per model. */
int parley_backtest_run_specs(parley_scenario *const *scenarios, size_t n_scenarios,
                              const parley_backtest_spec *specs, size_t n_specs,
                              const parley_backtest_opts *opts, parley_backtest **out,
                              parley_error *err);

/* Whether issue i of sc is scored under opts (NULL: defaults). */
int parley_backtest_scores_issue(const parley_scenario *sc, size_t issue,
                                 const parley_backtest_opts *opts);

/* ---- Intervals and breakdowns (src/sim/backtest_stats.c) ----
 *
 * The issues of one proposal are not independent (the same actors, the same
 * negotiation), so the bootstrap resamples groups of issues (proposals, by
 * the metadata key group_key; a scenario without it is its own group), with
 * replacement, as many groups as there are, and recomputes each statistic;
 * the interval is the percentile interval of the resampled statistics
 * (quantiles interpolated between order statistics, R's type 7).  Resample b
 * of subset s draws from parley_rng stream (seed, s * 2^32 + b), the same
 * draws for every model, so the comparison with the baseline is paired. */

typedef struct parley_interval {
    double estimate, low, high;  /* NaN when there is nothing to estimate */
} parley_interval;

#define PARLEY_BACKTEST_MAX_BREAKDOWNS 8

typedef struct parley_backtest_stats_opts {
    uint64_t seed;           /* bootstrap seed: 1 */
    size_t resamples;        /* 2000; 0: no intervals (low = high = NaN) */
    double level;            /* 0.95 */
    double within;           /* "within" means error <= within: 10 */
    const char *group_key;   /* "proposal" */
    /* Breakdowns: metadata keys; the name "rule" means the issue's decision
     * rule kind.  Default {"procedure", "rule"}. */
    size_t n_breakdowns;
    const char *breakdowns[PARLEY_BACKTEST_MAX_BREAKDOWNS];
    const char *baseline;    /* label of the model every other is compared
                              * with; NULL (default): no comparison */
} parley_backtest_stats_opts;

void parley_backtest_stats_opts_init(parley_backtest_stats_opts *opts);

/* One model on one subset of the scored issues. */
typedef struct parley_backtest_cell {
    size_t n_issues;          /* with a forecast */
    size_t n_groups;          /* proposals among them */
    parley_interval mae, median, within;  /* within as a share in [0, 1] */
    size_t n_paired;          /* issues both it and the baseline forecast */
    parley_interval diff;     /* mean of (its error - the baseline's) over those;
                               * NaN for the baseline itself or without one */
} parley_backtest_cell;

typedef struct parley_backtest_stats {
    size_t n_subsets;         /* 0 is every scored issue, then one per breakdown value */
    char **subset_names;      /* "all", "procedure=COD", "rule=qualified", ... */
    size_t n_models;
    long baseline;            /* index of the baseline model, -1 if none */
    parley_backtest_cell *cells; /* n_models * n_subsets, model-major */
    parley_backtest_stats_opts opts; /* as used (strings borrowed as given) */
} parley_backtest_stats;

/* Computes the statistics of bt, run on scenarios.  opts NULL: defaults.
 * PARLEY_ENOTFOUND when the baseline label is not one of bt's models,
 * PARLEY_EINVAL for a level outside (0, 1), PARLEY_ENOMEM.  Caller frees
 * *out with parley_backtest_stats_free. */
int parley_backtest_stats_compute(const parley_backtest *bt,
                                  parley_scenario *const *scenarios,
                                  const parley_backtest_stats_opts *opts,
                                  parley_backtest_stats **out, parley_error *err);
void parley_backtest_stats_free(parley_backtest_stats *stats); /* NULL: nothing */

/* The cell of model m on subset s. */
static inline const parley_backtest_cell *
parley_backtest_cell_at(const parley_backtest_stats *stats, size_t m, size_t s)
{
    return &stats->cells[m * stats->n_subsets + s];
}

/* ---- Reports of the statistics (src/report/backtest_report.c) ----
 * Text: one table per subset (model, n, MAE [interval], median AE
 * [interval], within share [interval], difference from the baseline
 * [interval]).  JSON: {"bootstrap": {seed, resamples, level, group_key},
 * "baseline", "subsets": [names], "models": [{label, model, params,
 * "cells": [{subset, n_issues, n_groups, mae: {estimate, low, high},
 * median, within, n_paired, diff}]}]}.  SVG: a dot-and-interval plot of
 * the MAE per model and subset.  Each returns a string the caller frees
 * with parley_free; PARLEY_ENOMEM. */
int parley_backtest_stats_text(const parley_backtest_stats *stats, const parley_backtest *bt,
                               char **out, parley_error *err);
int parley_backtest_stats_json(const parley_backtest_stats *stats, const parley_backtest *bt,
                               char **out, parley_error *err);
int parley_backtest_stats_svg(const parley_backtest_stats *stats, const parley_backtest *bt,
                              const char *title, char **out, parley_error *err);

#endif
