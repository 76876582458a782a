/* model_util.h — what the one-shot models share (private to src/models). */
#ifndef PARLEY_MODEL_UTIL_H
#define PARLEY_MODEL_UTIL_H

#include "parley/model.h"

/* Computes one issue's forecast into result->forecast[issue], or leaves it
 * NaN with a note.  Returns PARLEY_OK or PARLEY_ENOMEM. */
typedef int (*parley_issue_fn)(const parley_scenario *sc,
                               const parley_run_opts *opts, size_t issue,
                               parley_result *result);

/* For models that forecast each issue on its own in one step: records the
 * input as state 0, calls forecast for every issue, and fails with
 * PARLEY_EUNDEF (err quoting the first issue's note) only when no issue got
 * a forecast. */
int parley_model_forecast_each_issue(const parley_scenario *sc,
                                     const parley_run_opts *opts,
                                     parley_result *result, parley_error *err,
                                     parley_issue_fn forecast);

/* The input positions, actor-major, NaN where an actor has no stake, into
 * out (n_actors * n_issues). */
void parley_scenario_positions(const parley_scenario *sc, double *out);

#endif
