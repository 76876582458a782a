/* result.c — model results with per-round history (parley/result.h). */
#include "parley/result.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

parley_result *parley_result_new(void)
{
    return parley_calloc(1, sizeof(parley_result));
}

static void free_notes(parley_result *r)
{
    if (!r->issue_note)
        return;
    for (size_t i = 0; i < r->n_issues; i++) {
        parley_free(r->issue_note[i]);
        r->issue_note[i] = NULL;
    }
}

void parley_result_free(parley_result *r)
{
    if (!r)
        return;
    free_notes(r);
    parley_free(r->issue_note);
    parley_free(r->forecast);
    parley_free(r->positions);
    parley_free(r->events);
    parley_free(r);
}

int parley_result_reset(parley_result *r, size_t n_actors, size_t n_issues)
{
    free_notes(r);
    if (n_issues != r->n_issues || !r->forecast) {
        size_t n = n_issues ? n_issues : 1;
        double *forecast = parley_reallocarray(r->forecast, n, sizeof *forecast);
        if (!forecast)
            return PARLEY_ENOMEM;
        r->forecast = forecast;
        char **notes = parley_reallocarray(r->issue_note, n, sizeof *notes);
        if (!notes)
            return PARLEY_ENOMEM;
        r->issue_note = notes;
    }
    r->n_actors = n_actors;
    r->n_issues = n_issues;
    for (size_t i = 0; i < n_issues; i++) {
        r->forecast[i] = NAN;
        r->issue_note[i] = NULL;
    }
    r->n_rounds = 0;
    r->n_states = 0;
    r->n_events = 0;
    r->stop_reason[0] = '\0';
    return PARLEY_OK;
}

/* Makes room for n_states states. */
static int reserve_states(parley_result *r, size_t n_states)
{
    size_t per_state = r->n_actors * r->n_issues;
    size_t need = n_states * per_state;
    if (need <= r->cap_doubles)
        return PARLEY_OK;
    size_t cap = r->cap_doubles ? r->cap_doubles : 4 * per_state;
    while (cap < need)
        cap *= 2;
    double *positions = parley_reallocarray(r->positions, cap, sizeof *positions);
    if (!positions)
        return PARLEY_ENOMEM;
    r->positions = positions;
    r->cap_doubles = cap;
    return PARLEY_OK;
}

int parley_result_push_state(parley_result *r, const double *positions)
{
    size_t per_state = r->n_actors * r->n_issues;
    if (reserve_states(r, r->n_states + 1))
        return PARLEY_ENOMEM;
    memcpy(r->positions + r->n_states * per_state, positions,
           per_state * sizeof *positions);
    r->n_states++;
    return PARLEY_OK;
}

int parley_result_set_last_state(parley_result *r, const double *positions)
{
    size_t per_state = r->n_actors * r->n_issues;
    if (reserve_states(r, 2))
        return PARLEY_ENOMEM;
    size_t slot = r->n_states == 0 ? 0 : 1;
    memcpy(r->positions + slot * per_state, positions, per_state * sizeof *positions);
    r->n_states = slot + 1;
    return PARLEY_OK;
}

int parley_result_record_state(parley_result *r, const double *positions,
                               int keep_history)
{
    return keep_history ? parley_result_push_state(r, positions)
                        : parley_result_set_last_state(r, positions);
}

int parley_result_add_event(parley_result *r, const parley_event *ev)
{
    if (r->n_events == r->cap_events) {
        size_t cap = r->cap_events ? 2 * r->cap_events : 64;
        parley_event *events = parley_reallocarray(r->events, cap, sizeof *events);
        if (!events)
            return PARLEY_ENOMEM;
        r->events = events;
        r->cap_events = cap;
    }
    r->events[r->n_events++] = *ev;
    return PARLEY_OK;
}

int parley_result_set_issue_note(parley_result *r, size_t issue, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        return PARLEY_EINVAL;
    char *text = parley_malloc((size_t)len + 1);
    if (!text)
        return PARLEY_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(text, (size_t)len + 1, fmt, ap);
    va_end(ap);
    parley_free(r->issue_note[issue]);
    r->issue_note[issue] = text;
    return PARLEY_OK;
}
