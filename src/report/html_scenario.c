/* html_scenario.c — the HTML report's account of the scenario: who the
 * actors are, what each issue's scale means, who stands where, and the
 * source notes every number rests on. */
#include <math.h>
#include <stdio.h>

#include "html_internal.h"

void html_esc(parley_buf *b, const char *text)
{
    if (text)
        rep_put_escaped(b, text);
}

void html_value(parley_buf *b, const parley_value *v, int decimals)
{
    parley_buf_printf(b, "%.*f", decimals, v->value);
    if (v->spread == PARLEY_SPREAD_SD)
        parley_buf_printf(b, " &#177; %.*f", decimals, v->sd);
    else if (v->spread == PARLEY_SPREAD_RANGE)
        parley_buf_printf(b, " (%.*f to %.*f)", decimals, v->low, decimals, v->high);
}

static const char *actor_name(const parley_actor *a)
{
    return a->name ? a->name : a->id;
}

/* A note as a paragraph, or nothing. */
static void note(parley_buf *b, const char *label, const char *text)
{
    if (!text || !*text)
        return;
    parley_buf_puts(b, "<p class=\"note\">");
    if (label) {
        parley_buf_puts(b, "<span class=\"note-label\">");
        html_esc(b, label);
        parley_buf_puts(b, ":</span> ");
    }
    html_esc(b, text);
    parley_buf_puts(b, "</p>\n");
}

static void actors(parley_buf *b, const parley_scenario *sc)
{
    parley_buf_printf(b, "<h3>Actors</h3>\n<table class=\"actors\">\n<tr><th>actor</th>"
                  "<th class=\"num\">capability</th><th>who, and the source</th></tr>\n");
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_actor *actor = &sc->actors[a];
        parley_buf_puts(b, "<tr><td><b>");
        html_esc(b, actor_name(actor));
        parley_buf_puts(b, "</b><br><code>");
        html_esc(b, actor->id);
        parley_buf_puts(b, "</code></td><td class=\"num\">");
        html_value(b, &actor->capability, 0);
        parley_buf_puts(b, "</td><td>");
        if (actor->description) {
            parley_buf_puts(b, "<p>");
            html_esc(b, actor->description);
            parley_buf_puts(b, "</p>");
        }
        note(b, NULL, actor->note);
        note(b, "capability", actor->capability.note);
        parley_buf_puts(b, "</td></tr>\n");
    }
    parley_buf_puts(b, "</table>\n");
}

static void rule(parley_buf *b, const parley_scenario *sc, const parley_issue *issue)
{
    const parley_rule *r = &issue->rule;
    if (r->kind == PARLEY_RULE_NONE && r->n_veto == 0)
        return;
    parley_buf_puts(b, "<p><b>Decision rule:</b> ");
    html_esc(b, parley_rule_kind_name(r->kind));
    if (r->kind == PARLEY_RULE_QUALIFIED)
        parley_buf_printf(b, " (%.0f%% of the weight)", 100 * r->threshold);
    if (r->n_veto) {
        parley_buf_puts(b, "; veto: ");
        for (size_t v = 0; v < r->n_veto; v++) {
            if (v)
                parley_buf_puts(b, ", ");
            if (r->veto[v] < sc->n_actors)
                html_esc(b, actor_name(&sc->actors[r->veto[v]]));
        }
    }
    parley_buf_puts(b, "</p>\n");
}

static void positions(parley_buf *b, const parley_scenario *sc, size_t i)
{
    const parley_issue *issue = &sc->issues[i];
    int decimals = rep_decimals(issue);
    parley_buf_puts(b, "<details><summary>Positions and saliences</summary>\n<table>\n<tr><th>actor"
                "</th><th class=\"num\">position</th><th>in words (nearest label)</th>"
                "<th class=\"num\">salience</th><th>source</th></tr>\n");
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_stake *stake = parley_stake_at(sc, a, i);
        parley_buf_puts(b, "<tr><td>");
        html_esc(b, actor_name(&sc->actors[a]));
        if (!stake->present) {
            parley_buf_puts(b, "</td><td class=\"num\">&#8212;</td><td colspan=\"3\">no stake</td>"
                        "</tr>\n");
            continue;
        }
        parley_buf_puts(b, "</td><td class=\"num\">");
        html_value(b, &stake->position, decimals);
        parley_buf_puts(b, "</td><td>");
        html_esc(b, parley_issue_nearest_label(issue, stake->position.value));
        parley_buf_puts(b, "</td><td class=\"num\">");
        html_value(b, &stake->salience, 2);
        parley_buf_puts(b, "</td><td>");
        note(b, NULL, stake->note);
        note(b, "position", stake->position.note);
        note(b, "salience", stake->salience.note);
        parley_buf_puts(b, "</td></tr>\n");
    }
    parley_buf_puts(b, "</table></details>\n");
}

static void issues(parley_buf *b, const parley_scenario *sc)
{
    parley_buf_puts(b, "<h3>Issues</h3>\n");
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        int decimals = rep_decimals(issue);
        parley_buf_puts(b, "<div class=\"issue\"><h4>");
        html_esc(b, issue->name ? issue->name : issue->id);
        parley_buf_puts(b, " <code>");
        html_esc(b, issue->id);
        parley_buf_puts(b, "</code></h4>\n");
        if (issue->description) {
            parley_buf_puts(b, "<p>");
            html_esc(b, issue->description);
            parley_buf_puts(b, "</p>\n");
        }
        parley_buf_puts(b, "<table class=\"scale\">\n");
        for (size_t k = 0; k < issue->n_labels; k++) {
            parley_buf_printf(b, "<tr><td class=\"num\">%.*f</td><td>", decimals,
                       issue->labels[k].at);
            html_esc(b, issue->labels[k].text);
            parley_buf_puts(b, "</td></tr>\n");
        }
        parley_buf_puts(b, "</table>\n");
        if (issue->has_status_quo) {
            parley_buf_puts(b, "<p><b>Status quo:</b> ");
            html_value(b, &issue->status_quo, decimals);
            parley_buf_puts(b, " (");
            html_esc(b, parley_issue_nearest_label(issue, issue->status_quo.value));
            parley_buf_puts(b, ")</p>\n");
            note(b, "status quo", issue->status_quo.note);
        }
        if (issue->has_outcome)
            parley_buf_printf(b, "<p><b>Known outcome:</b> %.*f</p>\n", decimals, issue->outcome);
        rule(b, sc, issue);
        note(b, "note", issue->note);
        positions(b, sc, i);
        parley_buf_puts(b, "</div>\n");
    }
}

void html_scenario(parley_buf *b, const parley_scenario *sc)
{
    parley_buf_puts(b, "<section id=\"scenario\">\n<h2>The scenario</h2>\n");
    if (sc->description) {
        parley_buf_puts(b, "<p>");
        html_esc(b, sc->description);
        parley_buf_puts(b, "</p>\n");
    }
    if (sc->source) {
        parley_buf_puts(b, "<p><b>Source:</b> ");
        html_esc(b, sc->source);
        parley_buf_puts(b, "</p>\n");
    }
    note(b, "note", sc->note);
    for (size_t k = 0; k < sc->n_meta; k++) {
        parley_buf_puts(b, "<p><b>");
        html_esc(b, sc->meta[k].key);
        parley_buf_puts(b, ":</b> ");
        html_esc(b, sc->meta[k].value);
        parley_buf_puts(b, "</p>\n");
    }
    actors(b, sc);
    issues(b, sc);
    parley_buf_puts(b, "</section>\n");
}
