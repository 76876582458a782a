/* table.c — the forecast table and a run's trace as text (parley/report.h).
 *
 * The table is for a policy analyst reading at a glance: each issue in its
 * own words, every model's forecast as a number, a mark on a small bar and
 * the nearest label, all within 100 columns. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/report.h"
#include "report_internal.h"

enum { PAGE_WIDTH = 100, BAR_CELLS = 11, MAX_ROUND_COLUMNS = 11 };

/* Numbered footnotes; the same text keeps its number. */
typedef struct footnotes {
    const char **text;
    size_t n, cap;
    int failed;
} footnotes;

static size_t footnote_add(footnotes *notes, const char *text)
{
    for (size_t k = 0; k < notes->n; k++)
        if (strcmp(notes->text[k], text) == 0)
            return k + 1;
    if (notes->n == notes->cap) {
        size_t cap = notes->cap ? 2 * notes->cap : 8;
        const char **grown = parley_reallocarray(notes->text, cap, sizeof *grown);
        if (!grown) {
            notes->failed = 1;
            return 0;
        }
        notes->text = grown;
        notes->cap = cap;
    }
    notes->text[notes->n++] = text;
    return notes->n;
}

static void put_bar(parley_buf *b, const parley_issue *issue, double x)
{
    char bar[BAR_CELLS + 3];
    double share = (x - issue->low) / (issue->high - issue->low);
    long at = lround(fmin(1, fmax(0, share)) * (BAR_CELLS - 1));
    bar[0] = '[';
    for (int k = 0; k < BAR_CELLS; k++)
        bar[k + 1] = k == at ? '#' : '-';
    bar[BAR_CELLS + 1] = ']';
    bar[BAR_CELLS + 2] = '\0';
    parley_buf_puts(b, bar);
}

/* One line: "   name   value  [---#---]  nearest label [n]". */
static void put_value_line(parley_buf *b, const parley_issue *issue, const char *name,
                           size_t name_width, double x, size_t footnote)
{
    int decimals = rep_decimals(issue);
    parley_buf_printf(b, "   %-*s ", (int)name_width, name);
    size_t used = 3 + name_width + 1;
    char mark[16] = "";
    if (footnote)
        snprintf(mark, sizeof mark, " [%zu]", footnote);
    if (isnan(x)) {
        parley_buf_printf(b, "%6s  no forecast%s\n", "-", mark);
        return;
    }
    parley_buf_printf(b, "%6.*f  ", decimals, x);
    put_bar(b, issue, x);
    parley_buf_puts(b, "  ");
    used += 6 + 2 + BAR_CELLS + 2 + 2;
    const char *label = parley_issue_nearest_label(issue, x);
    size_t room = PAGE_WIDTH > used + strlen(mark) ? PAGE_WIDTH - used - strlen(mark) : 8;
    rep_put_cut(b, label ? label : "", room);
    parley_buf_printf(b, "%s\n", mark);
}

static void put_scale_end(parley_buf *b, const parley_issue *issue, size_t label)
{
    char at[32];
    snprintf(at, sizeof at, "%g", issue->labels[label].at);
    parley_buf_printf(b, "   %6s = ", at);
    rep_put_cut(b, issue->labels[label].text, PAGE_WIDTH - 12);
    parley_buf_puts(b, "\n");
}

static void put_context(parley_buf *b, const parley_scenario *sc, size_t n_runs)
{
    const char *title = sc->name && *sc->name ? sc->name : sc->id;
    rep_put_wrapped(b, title ? title : "(unnamed scenario)", 0, PAGE_WIDTH);
    parley_buf_puts(b, "\n");
    if (sc->date)
        parley_buf_printf(b, "%s; ", sc->date);
    parley_buf_printf(b, "%zu actor%s, %zu issue%s, %zu model%s\n", sc->n_actors,
               sc->n_actors == 1 ? "" : "s", sc->n_issues, sc->n_issues == 1 ? "" : "s",
               n_runs, n_runs == 1 ? "" : "s");
}

int parley_report_table(const parley_scenario *sc, const parley_report_run *runs,
                        size_t n_runs, char **out, parley_error *err)
{
    parley_buf b = {0};
    footnotes notes = {0};
    size_t name_width = strlen("status quo");
    for (size_t r = 0; r < n_runs; r++)
        if (strlen(runs[r].model->name) > name_width)
            name_width = strlen(runs[r].model->name);
    put_context(&b, sc, n_runs);
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        parley_buf_printf(&b, "\n%zu. ", i + 1);
        rep_put_cut(&b, issue->name && *issue->name ? issue->name : issue->id,
                    PAGE_WIDTH - 6);
        parley_buf_puts(&b, "\n");
        if (issue->n_labels >= 2) {
            put_scale_end(&b, issue, 0);
            put_scale_end(&b, issue, issue->n_labels - 1);
        } else {
            parley_buf_printf(&b, "   scale %g to %g\n", issue->low, issue->high);
        }
        if (issue->has_status_quo)
            put_value_line(&b, issue, "status quo", name_width, issue->status_quo.value, 0);
        for (size_t r = 0; r < n_runs; r++) {
            if (runs[r].status != PARLEY_OK)
                continue;
            const parley_result *result = runs[r].result;
            const char *note = i < result->n_issues ? result->issue_note[i] : NULL;
            double x = i < result->n_issues ? result->forecast[i] : NAN;
            size_t mark = note ? footnote_add(&notes, note) : 0;
            put_value_line(&b, issue, runs[r].model->name, name_width, x, mark);
        }
        if (issue->has_outcome)
            put_value_line(&b, issue, "outcome", name_width, issue->outcome, 0);
    }
    int any_skipped = 0;
    for (size_t r = 0; r < n_runs; r++)
        if (runs[r].status != PARLEY_OK) {
            if (!any_skipped)
                parley_buf_puts(&b, "\n");
            any_skipped = 1;
            parley_buf_printf(&b, "%s: no forecast: ", runs[r].model->name);
            rep_put_wrapped(&b, runs[r].message ? runs[r].message
                                                : parley_strerror(runs[r].status),
                            4, PAGE_WIDTH);
            parley_buf_puts(&b, "\n");
        }
    if (notes.n)
        parley_buf_puts(&b, "\n");
    for (size_t k = 0; k < notes.n; k++) {
        parley_buf_printf(&b, "[%zu] ", k + 1);
        rep_put_wrapped(&b, notes.text[k], 4, PAGE_WIDTH);
        parley_buf_puts(&b, "\n");
    }
    if (notes.failed)
        b.failed = 1;
    parley_free(notes.text);
    return parley_buf_finish(&b, out, err);
}

/* ---- the trace ---------------------------------------------------------- */

static const char *actor_id(const parley_scenario *sc, int actor)
{
    return actor >= 0 && (size_t)actor < sc->n_actors ? sc->actors[actor].id : NULL;
}

static const char *issue_id(const parley_scenario *sc, int issue)
{
    return issue >= 0 && (size_t)issue < sc->n_issues ? sc->issues[issue].id : NULL;
}

static size_t count_kinds(const parley_model *m)
{
    size_t n = 0;
    while (m->events[n].name)
        n++;
    return n;
}

/* The event as "kind actor=a other=b issue=i name=value ...". */
static void put_event_generic(parley_buf *b, const parley_scenario *sc,
                              const parley_model *m, const parley_event *ev)
{
    const parley_event_kind *kind =
        ev->kind >= 0 && (size_t)ev->kind < count_kinds(m) ? &m->events[ev->kind] : NULL;
    if (kind)
        parley_buf_puts(b, kind->name);
    else
        parley_buf_printf(b, "event %d", ev->kind);
    const char *who[4][2] = {{"actor", actor_id(sc, ev->actor)},
                             {"other", actor_id(sc, ev->other)},
                             {"issue", issue_id(sc, ev->issue)},
                             {"issue2", issue_id(sc, ev->issue2)}};
    for (size_t k = 0; k < 4; k++)
        if (who[k][1])
            parley_buf_printf(b, " %s=%s", who[k][0], who[k][1]);
    for (size_t k = 0; k < 4; k++)
        if (kind && kind->value_names[k])
            parley_buf_printf(b, " %s=%.4g", kind->value_names[k], ev->value[k]);
}

/* The events of a result, grouped by round; with summaries_only, just the
 * kinds the model marks as per-round summaries, one line each. */
static void put_events(parley_buf *b, const parley_scenario *sc, const parley_model *m,
                       const parley_result *result, int summaries_only)
{
    unsigned round = 0;
    int any = 0;
    size_t n_kinds = 0;
    while (m->events[n_kinds].name)
        n_kinds++;
    for (size_t e = 0; e < result->n_events; e++) {
        const parley_event *ev = &result->events[e];
        if (summaries_only) {
            if (ev->kind < 0 || (size_t)ev->kind >= n_kinds || !m->events[ev->kind].summary)
                continue;
        } else if (!any || ev->round != round) {
            round = ev->round;
            parley_buf_printf(b, "\nround %u\n", round);
            any = 1;
        }
        parley_buf_puts(b, "  ");
        if (m->describe) {
            char sentence[512];
            sentence[0] = '\0';
            m->describe(sc, ev, sentence, sizeof sentence);
            rep_put_wrapped(b, sentence, 4, PAGE_WIDTH);
        } else {
            put_event_generic(b, sc, m, ev);
        }
        parley_buf_puts(b, "\n");
    }
}

/* The round number of state t. */
static size_t state_round(const parley_result *result, size_t t)
{
    if (result->n_states == result->n_rounds + 1)
        return t;
    return t == 0 ? 0 : result->n_rounds;
}

static void put_positions(parley_buf *b, const parley_scenario *sc,
                          const parley_result *result)
{
    size_t states[MAX_ROUND_COLUMNS];
    size_t n_columns = result->n_states < MAX_ROUND_COLUMNS ? result->n_states
                                                             : MAX_ROUND_COLUMNS;
    if (n_columns == 0)
        return;
    for (size_t c = 0; c < n_columns; c++)
        states[c] = n_columns == 1 ? 0
                                   : (size_t)llround((double)c * (double)(result->n_states - 1) /
                                                     (double)(n_columns - 1));
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        int decimals = rep_decimals(issue);
        parley_buf_puts(b, "\npositions on ");
        rep_put_cut(b, issue->name && *issue->name ? issue->name : issue->id, 60);
        parley_buf_puts(b, " by round\n  actor           ");
        for (size_t c = 0; c < n_columns; c++)
            parley_buf_printf(b, " %7zu", state_round(result, states[c]));
        parley_buf_puts(b, "\n");
        for (size_t a = 0; a < sc->n_actors; a++) {
            if (!parley_stake_at(sc, a, i)->present)
                continue;
            const char *name = sc->actors[a].name ? sc->actors[a].name : sc->actors[a].id;
            parley_buf_puts(b, "  ");
            size_t before = rep_width(name);
            rep_put_cut(b, name, 16);
            parley_buf_printf(b, "%*s", (int)(before < 16 ? 16 - before : 0), "");
            for (size_t c = 0; c < n_columns; c++) {
                double x = parley_result_position(result, states[c], a, i);
                if (isnan(x))
                    parley_buf_printf(b, " %7s", "-");
                else
                    parley_buf_printf(b, " %7.*f", decimals, x);
            }
            parley_buf_puts(b, "\n");
        }
        if (!isnan(result->forecast[i]))
            parley_buf_printf(b, "  %-16s %7.*f\n", "forecast", decimals, result->forecast[i]);
    }
}

int parley_report_rounds(const parley_scenario *sc, const parley_report_run *run,
                         int per_round, char **out, parley_error *err)
{
    parley_buf b = {0};
    const parley_result *result = run->result;
    parley_buf_printf(&b, "%s: %zu round%s, %s\n", run->model->name, result->n_rounds,
                      result->n_rounds == 1 ? "" : "s",
                      result->stop_reason[0] ? result->stop_reason : "stopped");
    if (per_round)
        put_events(&b, sc, run->model, result, 1);
    return parley_buf_finish(&b, out, err);
}

int parley_report_trace(const parley_scenario *sc, const parley_report_run *run,
                        char **out, parley_error *err)
{
    parley_buf b = {0};
    const parley_model *m = run->model;
    parley_buf_printf(&b, "%s: ", m->name);
    if (run->status != PARLEY_OK) {
        parley_buf_printf(&b, "no forecast: %s\n",
                   run->message ? run->message : parley_strerror(run->status));
        return parley_buf_finish(&b, out, err);
    }
    const parley_result *result = run->result;
    if (m->iterative)
        parley_buf_printf(&b, "%zu round%s, %s\n", result->n_rounds,
                   result->n_rounds == 1 ? "" : "s",
                   result->stop_reason[0] ? result->stop_reason : "stopped");
    else
        parley_buf_printf(&b, "%s\n", result->stop_reason[0] ? result->stop_reason : "one step");
    put_events(&b, sc, m, result, 0);
    if (m->iterative && result->n_states > 0 && result->n_actors == sc->n_actors &&
        result->n_issues == sc->n_issues)
        put_positions(&b, sc, result);
    return parley_buf_finish(&b, out, err);
}
