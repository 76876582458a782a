/* parley/report.h — turning model runs into text and JSON.
 *
 * The command line, the store and the web UI show the same things: the
 * forecast table (each issue in its own words, each model's forecast), a
 * run's trace and per-round positions, and the JSON of a run.  They are
 * built here so that every front end says the same.
 *
 * Every function returns a NUL-terminated string in *out that the caller
 * frees with parley_free; on failure *out is NULL and err says why.  None
 * prints.  Thread-safety: reentrant; the inputs are only read. */
#ifndef PARLEY_REPORT_H
#define PARLEY_REPORT_H

#include <stddef.h>

#include "parley/backtest.h"
#include "parley/error.h"
#include "parley/model.h"
#include "parley/result.h"
#include "parley/scenario.h"

/* The built-in default scenario (scenarios/ukraine-2014.json compiled into
 * libparley): its JSON text, static and NUL-terminated; *len (may be NULL)
 * receives its length.  Parse it with parley_scenarios_parse. */
const char *parley_default_scenario_json(size_t *len);

/* One model's run of a scenario, as the reports take it.  All borrowed. */
typedef struct parley_report_run {
    const parley_model *model;
    const parley_run_opts *opts;  /* the options it ran with; NULL: defaults */
    const parley_result *result;  /* used when status is PARLEY_OK */
    int status;                   /* what parley_model_run returned */
    const char *message;          /* why, when status is not PARLEY_OK */
} parley_report_run;

/* The forecast table, for a reader at a glance, within 100 columns: a line
 * of context (scenario, date, actors, issues), then one block per issue: its
 * name, the words at both ends of its scale, the status quo and the known
 * outcome when there are any, and one line per model with the forecast as a
 * number, as a mark on a small scale bar and as the nearest label.  Models
 * that did not run and issues without a forecast get numbered footnotes.
 * PARLEY_ENOMEM. */
int parley_report_table(const parley_scenario *sc, const parley_report_run *runs,
                        size_t n_runs, char **out, parley_error *err);

/* The plain-output summary of an iterative run: "MODEL: N rounds, REASON"
 * and, with per_round, one line per event whose kind the model marks as a
 * summary (e.g. the expected-utility model's median and mean after each
 * round).  *out is a NUL-terminated string the caller frees with
 * parley_free.  PARLEY_ENOMEM. */
int parley_report_rounds(const parley_scenario *sc, const parley_report_run *run,
                         int per_round, char **out, parley_error *err);

/* What happened in one run: the number of rounds and why it stopped (for
 * iterative models), the trace events grouped by round, each through the
 * model's describe function (or generically by kind and named values when it
 * has none), and for iterative models each actor's position per round on
 * each issue (at most 11 rounds shown, evenly spread, first and last always
 * included).  PARLEY_ENOMEM. */
int parley_report_trace(const parley_scenario *sc, const parley_report_run *run,
                        char **out, parley_error *err);

/* The JSON of one run (2-space indent, numbers to full precision, NaN as
 * null): scenario id and name, model name, "params" by name (numbers for INT
 * and REAL, true/false for BOOL, the name for CHOICE), seed and stream,
 * "forecasts" per issue (issue id and name, forecast, nearest label, note,
 * status quo, outcome), n_rounds, stop_reason, "actors" and "issues" (ids),
 * "states" (each with its round and positions[actor][issue], when the
 * result holds any) and "events" (round, kind name, actor/other/issue/issue2
 * ids or null, named values, and the describe sentence when the model has
 * one).  opts NULL: the model's defaults.  PARLEY_ENOMEM. */
int parley_result_to_json(const parley_scenario *sc, const parley_model *model,
                          const parley_run_opts *opts, const parley_result *result,
                          char **out, parley_error *err);

/* Several runs of one scenario: {"scenario": {id, name, date, n_actors,
 * n_issues}, "runs": [...]} where a run that succeeded is the object of
 * parley_result_to_json and one that did not is {"model", "status",
 * "message"}.  PARLEY_ENOMEM. */
int parley_report_runs_json(const parley_scenario *sc, const parley_report_run *runs,
                            size_t n_runs, char **out, parley_error *err);

/* The description of models as JSON: an array with, per model, name,
 * summary, reference, iterative, "params" (name, summary, type, default,
 * min/max or choices) and "events" (name, value names).  models is
 * NULL-terminated (e.g. parley_models()).  PARLEY_ENOMEM. */
int parley_models_to_json(const parley_model *const *models, char **out,
                          parley_error *err);

/* A backtest as JSON: the counts of issues (scored, without outcome, with
 * too few actors), and per model its name, mae (null if none), n_scored,
 * n_no_forecast and "issues": per scored issue the scenario and issue ids,
 * forecast (null if none), outcome and error.  scenarios are the ones the
 * backtest ran on.  PARLEY_ENOMEM. */
int parley_backtest_to_json(const parley_backtest *bt, parley_scenario *const *scenarios,
                            char **out, parley_error *err);

/* The name of a parameter type ("int", "real", "bool", "choice"). */
const char *parley_param_type_name(parley_param_type type);

#endif
