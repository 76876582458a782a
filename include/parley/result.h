/* parley/result.h — what a model run produces.
 *
 * A result holds, for one scenario and one model:
 *   - the forecast for every issue (NaN where the model gives none, with the
 *     reason in issue_note);
 *   - for iterative models, the positions of every actor on every issue after
 *     every round (round 0 is the input), so charts and the store can show
 *     the path, and why the run stopped;
 *   - an optional trace of events (who challenged whom, what was offered),
 *     whose kinds and value names the model describes (parley/model.h).
 *
 * A result is reusable: parley_model_run resets it, keeping its buffers, so
 * a Monte Carlo worker allocates once.  Positions are stored as one flat
 * array: parley_result_position(r, round, actor, issue).  Actors with no
 * stake in an issue have NaN there.
 *
 * Thread-safety: one result per thread. */
#ifndef PARLEY_RESULT_H
#define PARLEY_RESULT_H

#include <stddef.h>

#include "parley/error.h"

/* One thing that happened in a round, for --trace, the web UI and the store.
 * kind indexes the model's event table (parley_model.events); -1 marks
 * "not applicable" in actor, other, issue and issue2. */
typedef struct parley_event {
    unsigned round;   /* 1-based round in which it happened */
    int kind;
    int actor, other;
    int issue, issue2;
    double value[4];  /* named by the model's event table */
} parley_event;

typedef struct parley_result {
    size_t n_actors, n_issues;
    double *forecast;        /* n_issues */
    char **issue_note;       /* n_issues; NULL or owned text, e.g. why no forecast */
    size_t n_rounds;         /* rounds run */
    size_t n_states;         /* states in positions: n_rounds + 1 when the
                              * history was kept (PARLEY_RUN_HISTORY), else
                              * the first and the last state only (2), or 0 */
    double *positions;       /* n_states * n_actors * n_issues */
    char stop_reason[160];   /* "converged after 7 rounds", "fixed 8 rounds", ... */
    size_t n_events;
    parley_event *events;
    /* private */
    size_t cap_doubles, cap_events;
} parley_result;

/* A new empty result; caller frees with parley_result_free.  NULL on ENOMEM. */
parley_result *parley_result_new(void);
void parley_result_free(parley_result *r);  /* NULL does nothing */

/* Makes r an empty result for n_actors x n_issues (forecasts NaN, no rounds,
 * no events, no notes), keeping allocated buffers.  PARLEY_ENOMEM. */
int parley_result_reset(parley_result *r, size_t n_actors, size_t n_issues);

/* Appends a state: n_actors * n_issues positions, actor-major, copied.  The
 * first call records round 0 (the input).  PARLEY_ENOMEM. */
int parley_result_push_state(parley_result *r, const double *positions);

/* Records a state for a model that keeps no history: the first call stores
 * it as state 0, later calls overwrite state 1 (the last).  Iterative models
 * call parley_result_record_state, which picks push or this by the flags. */
int parley_result_set_last_state(parley_result *r, const double *positions);

/* push_state when keep_history is nonzero, else set_last_state. */
int parley_result_record_state(parley_result *r, const double *positions,
                               int keep_history);

/* Appends an event (copied).  PARLEY_ENOMEM. */
int parley_result_add_event(parley_result *r, const parley_event *ev);

/* Sets the note of an issue (printf-style, copied). PARLEY_ENOMEM. */
int parley_result_set_issue_note(parley_result *r, size_t issue, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Position of actor a on issue i after round t (t = 0: the input). */
static inline double parley_result_position(const parley_result *r, size_t round,
                                            size_t actor, size_t issue)
{
    return r->positions[(round * r->n_actors + actor) * r->n_issues + issue];
}

/* A pointer to state t (n_actors * n_issues doubles); borrowed until r
 * changes. */
static inline const double *parley_result_state(const parley_result *r, size_t round)
{
    return r->positions + round * r->n_actors * r->n_issues;
}

#endif
