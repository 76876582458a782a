/* parley/sweep.h — parameter sweeps: the cross product of varied inputs.
 *
 * A sweep varies some of a scenario's numbers and a model's parameters over
 * given values and runs the model on every combination (a "case"), once or
 * by Monte Carlo.  Each varied thing is an axis, written TARGET=VALUES:
 *
 *   TARGET   ACTOR.capability, ISSUE.ACTOR.position, ISSUE.ACTOR.salience,
 *            ISSUE.status_quo, or MODEL.PARAM (the model's parameter by
 *            name).  Actors and issues by id or name, models and parameters
 *            by name, all case-insensitive.
 *   VALUES   a:b:step   a, a+step, ..., b (inclusive; the step must divide
 *                       b - a: the count is round((b - a) / step) and the
 *                       k-th value a + (b - a) k / count, so 0:1:0.1 gives
 *                       0.3, not 0.30000000000000004)
 *            v1,v2,...  a list (a CHOICE parameter's values by name)
 *            +-P%       value x (1 - P/100), value, value x (1 + P/100) of
 *                       the stated value (or the parameter's value), clamped
 *                       to the valid range (a clamped value equal to its
 *                       neighbour is dropped); whole numbers for INT
 *                       parameters.
 *
 * Explicit values outside the valid range (capability > 0, positions and
 * status quo on the issue's scale, saliences in [0, 1], a parameter's
 * [min, max]) are refused with PARLEY_ERANGE naming the range.
 *
 * Cases are numbered in a fixed order, the first axis outermost: case c has
 * axis k's value index (c / (product of the later axes' sizes)) mod n_k.
 * Each case is independent of every other and of the thread or process that
 * runs it, so a sweep may be split into case ranges anywhere; with samples,
 * every case uses the same seed (common random numbers: differences between
 * cases are not blurred by different draws).
 *
 * Thread-safety: a sweep is immutable after its axes are added;
 * parley_sweep_run uses OpenMP across cases. */
#ifndef PARLEY_SWEEP_H
#define PARLEY_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/montecarlo.h"
#include "parley/scenario.h"

#define PARLEY_SWEEP_TARGETS(X)                      \
    X(PARLEY_SWEEP_CAPABILITY, "capability")         \
    X(PARLEY_SWEEP_POSITION, "position")             \
    X(PARLEY_SWEEP_SALIENCE, "salience")             \
    X(PARLEY_SWEEP_STATUS_QUO, "status_quo")         \
    X(PARLEY_SWEEP_PARAM, "param")

typedef enum parley_sweep_target {
#define PARLEY_X_ENUM(name, text) name,
    PARLEY_SWEEP_TARGETS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_sweep_target;

/* One varied thing.  Read-only for callers. */
typedef struct parley_sweep_axis {
    char *text;             /* as given: "Russia.capability=0.5:1.5:0.25" */
    char *label;            /* canonical target: "RU.capability", "eu.q" */
    parley_sweep_target kind;
    long actor, issue;      /* -1 where the target has none */
    long param;             /* PARAM: index into the model's params, else -1 */
    size_t n_values;
    double *values;         /* CHOICE: the index; BOOL: 0 or 1 */
} parley_sweep_axis;

typedef struct parley_sweep parley_sweep;

/* A sweep of model m over sc with the parameters run (copied; NULL: the
 * model's defaults) and no axes yet.  sc and m are borrowed until the sweep
 * is freed.  Caller frees with parley_sweep_free; NULL when out of memory. */
parley_sweep *parley_sweep_new(const parley_scenario *sc, const parley_model *m,
                               const parley_run_opts *run);
void parley_sweep_free(parley_sweep *s);  /* NULL does nothing */

/* Adds the axis TARGET=VALUES.  PARLEY_EPARSE for bad grammar (err->column
 * the 1-based position in text), PARLEY_ENOTFOUND for an unknown actor,
 * issue, model or parameter, PARLEY_EINVAL for a parameter of another model
 * than the sweep's or a stake the actor does not have, PARLEY_ERANGE for a
 * value outside the valid range, PARLEY_ENOMEM. */
int parley_sweep_add(parley_sweep *s, const char *text, parley_error *err);

/* The model a MODEL.PARAM axis names ("eu" for "eu.Q=0.5,1"), or NULL when
 * text is not such an axis.  For a CLI that picks the model from --vary. */
const parley_model *parley_sweep_model_of(const char *text);

/* The scenario and model the sweep was made with (borrowed, as given to
 * parley_sweep_new). */
const parley_scenario *parley_sweep_scenario(const parley_sweep *s);
const parley_model *parley_sweep_model(const parley_sweep *s);
/* The parameters every case starts from (before its axes are applied). */
const parley_run_opts *parley_sweep_run_opts(const parley_sweep *s);

size_t parley_sweep_count_axes(const parley_sweep *s);
const parley_sweep_axis *parley_sweep_axis_at(const parley_sweep *s, size_t k);
/* The number of cases: the product of the axes' sizes (1 with no axis). */
uint64_t parley_sweep_count_cases(const parley_sweep *s);
/* Writes case c's value of each axis into values (count_axes entries). */
void parley_sweep_case_values(const parley_sweep *s, uint64_t c, double *values);

/* Sets case c's values in sc (a copy of the sweep's scenario) and opts (a
 * copy of its parameters). */
void parley_sweep_case_apply(const parley_sweep *s, uint64_t c, parley_scenario *sc,
                             parley_run_opts *opts);

/* ---- running ------------------------------------------------------------ */

/* The statistics kept per case and issue.  Without samples only MEAN (the
 * forecast) is set; the others are NaN. */
#define PARLEY_SWEEP_STATS(X)      \
    X(PARLEY_SWEEP_MEAN, "mean")   \
    X(PARLEY_SWEEP_SD, "sd")       \
    X(PARLEY_SWEEP_Q05, "q05")     \
    X(PARLEY_SWEEP_Q50, "q50")     \
    X(PARLEY_SWEEP_Q95, "q95")

typedef enum parley_sweep_stat {
#define PARLEY_X_ENUM(name, text) name,
    PARLEY_SWEEP_STATS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
    PARLEY_SWEEP_N_STATS
} parley_sweep_stat;

const char *parley_sweep_stat_name(parley_sweep_stat stat);

typedef struct parley_sweep_result parley_sweep_result;

/* Called once for every case that finishes, after its slot in r is
 * written, from the thread that ran it but never two at a time: to store
 * the case as soon as it exists (a sweep that dies keeps what it finished).
 * It may read case c of r and nothing else of r.  A return other than
 * PARLEY_OK stops the sweep with that code and err. */
typedef int (*parley_sweep_case_fn)(const parley_sweep_result *r, uint64_t c, void *userdata,
                                    parley_error *err);

typedef struct parley_sweep_opts {
    uint64_t samples;               /* 0: one run per case; N: Monte Carlo */
    uint64_t seed;
    int threads;                    /* 0: OpenMP's default (across cases) */
    double spread;                  /* as parley_mc_opts.spread */
    parley_mc_progress_fn progress; /* counts cases; nonzero stops */
    void *userdata;                 /* for progress and on_case */
    parley_sweep_case_fn on_case;   /* NULL: none */
} parley_sweep_opts;

/* 0 samples, seed 0, default threads, spread 0, no progress. */
void parley_sweep_opts_init(parley_sweep_opts *opts);

/* What the cases gave.  Cases not run yet have done 0 and NaN stats. */
struct parley_sweep_result {
    uint64_t n_cases;
    size_t n_issues;
    unsigned char *done;    /* n_cases: 1 when the case has been run */
    int *status;            /* n_cases: PARLEY_OK, or PARLEY_EUNDEF when the
                             * model forecast nothing for the case */
    double *stats;          /* n_cases x PARLEY_SWEEP_N_STATS x n_issues;
                             * see parley_sweep_result_at */
};

/* An empty result for s's cases (caller frees with
 * parley_sweep_result_free); NULL when out of memory. */
parley_sweep_result *parley_sweep_result_new(const parley_sweep *s);
void parley_sweep_result_free(parley_sweep_result *r);  /* NULL does nothing */

/* Where case c's statistic of issue i is kept. */
static inline double *parley_sweep_result_at(const parley_sweep_result *r, uint64_t c,
                                             parley_sweep_stat stat, size_t issue)
{
    return &r->stats[((size_t)c * PARLEY_SWEEP_N_STATS + (size_t)stat) * r->n_issues + issue];
}

/* Runs the cases in [first, end) that r does not hold yet (so a sweep can be
 * resumed from stored cases, or split across processes).  Returns
 * PARLEY_OK, PARLEY_EINVAL for bad options or range, PARLEY_ECANCEL when
 * progress stopped it (finished cases stay in r), PARLEY_ENOMEM, or the
 * first error of a case other than PARLEY_EUNDEF. */
int parley_sweep_run(const parley_sweep *s, const parley_sweep_opts *opts, uint64_t first,
                     uint64_t end, parley_sweep_result *r, parley_error *err);

#endif
