/* json_write.c — writes parley's native JSON scenario (docs/scenario-format.md)
 * in canonical form: fixed key order, 2-space indent, one line per label,
 * rule and stake, numbers in the shortest of %.15g/%.16g/%.17g that reads
 * back to the same double, a *value* as a bare number when it has neither
 * spread nor note.  Written by hand rather than with json_dumps because
 * jansson's key order and number format are not ours to fix. */
#include "format_internal.h"

#include <stdio.h>
#include <string.h>

static void put_string(parley_buf *b, const char *text)
{
    parley_buf_puts(b, "\"");
    const char *run = text;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        parley_buf_append(b, run, (size_t)(p - run));
        switch (c) {
        case '"': parley_buf_puts(b, "\\\""); break;
        case '\\': parley_buf_puts(b, "\\\\"); break;
        case '\n': parley_buf_puts(b, "\\n"); break;
        case '\t': parley_buf_puts(b, "\\t"); break;
        case '\r': parley_buf_puts(b, "\\r"); break;
        default: parley_buf_printf(b, "\\u%04x", c); break;
        }
        run = p + 1;
    }
    parley_buf_puts(b, run);
    parley_buf_puts(b, "\"");
}

/* Writes `,\n<indent>"key": ` (or without the comma for the first key). */
static void key(parley_buf *b, int indent, const char *name, int *first)
{
    parley_buf_puts(b, *first ? "\n" : ",\n");
    *first = 0;
    parley_buf_printf(b, "%*s\"%s\": ", indent, "", name);
}

static void string_member(parley_buf *b, int indent, const char *name, const char *text,
                          int *first)
{
    if (!text)
        return;
    key(b, indent, name, first);
    put_string(b, text);
}

static void put_value(parley_buf *b, const parley_value *v)
{
    if (v->spread == PARLEY_SPREAD_NONE && !v->note) {
        fmt_buf_number(b, v->value);
        return;
    }
    parley_buf_puts(b, "{\"value\": ");
    fmt_buf_number(b, v->value);
    if (v->spread == PARLEY_SPREAD_SD) {
        parley_buf_puts(b, ", \"sd\": ");
        fmt_buf_number(b, v->sd);
    } else if (v->spread == PARLEY_SPREAD_RANGE) {
        parley_buf_puts(b, ", \"range\": [");
        fmt_buf_number(b, v->low);
        parley_buf_puts(b, ", ");
        fmt_buf_number(b, v->high);
        parley_buf_puts(b, "]");
    }
    if (v->note) {
        parley_buf_puts(b, ", \"note\": ");
        put_string(b, v->note);
    }
    parley_buf_puts(b, "}");
}

static void put_actor(parley_buf *b, const parley_actor *actor)
{
    int first = 1;
    parley_buf_puts(b, "    {");
    string_member(b, 6, "id", actor->id, &first);
    if (actor->name && strcmp(actor->name, actor->id) != 0)
        string_member(b, 6, "name", actor->name, &first);
    string_member(b, 6, "description", actor->description, &first);
    key(b, 6, "capability", &first);
    put_value(b, &actor->capability);
    string_member(b, 6, "note", actor->note, &first);
    parley_buf_puts(b, "\n    }");
}

static void put_rule(parley_buf *b, const parley_scenario *sc, const parley_rule *rule)
{
    parley_buf_puts(b, "{\"kind\": ");
    put_string(b, parley_rule_kind_name(rule->kind));
    if (rule->kind == PARLEY_RULE_QUALIFIED) {
        parley_buf_puts(b, ", \"threshold\": ");
        fmt_buf_number(b, rule->threshold);
    }
    if (rule->n_veto) {
        parley_buf_puts(b, ", \"veto\": [");
        for (size_t k = 0; k < rule->n_veto; k++) {
            if (k)
                parley_buf_puts(b, ", ");
            put_string(b, sc->actors[rule->veto[k]].id);
        }
        parley_buf_puts(b, "]");
    }
    parley_buf_puts(b, "}");
}

static void put_issue(parley_buf *b, const parley_scenario *sc, const parley_issue *issue)
{
    int first = 1;
    parley_buf_puts(b, "    {");
    string_member(b, 6, "id", issue->id, &first);
    if (issue->name && strcmp(issue->name, issue->id) != 0)
        string_member(b, 6, "name", issue->name, &first);
    string_member(b, 6, "description", issue->description, &first);
    key(b, 6, "scale", &first);
    parley_buf_puts(b, "{\n        \"low\": ");
    fmt_buf_number(b, issue->low);
    parley_buf_puts(b, ",\n        \"high\": ");
    fmt_buf_number(b, issue->high);
    parley_buf_puts(b, ",\n        \"labels\": [");
    for (size_t k = 0; k < issue->n_labels; k++) {
        parley_buf_puts(b, k ? ",\n          {\"at\": " : "\n          {\"at\": ");
        fmt_buf_number(b, issue->labels[k].at);
        parley_buf_puts(b, ", \"text\": ");
        put_string(b, issue->labels[k].text ? issue->labels[k].text : "");
        parley_buf_puts(b, "}");
    }
    parley_buf_puts(b, issue->n_labels ? "\n        ]\n      }" : "]\n      }");
    if (issue->has_status_quo) {
        key(b, 6, "status_quo", &first);
        put_value(b, &issue->status_quo);
    }
    if (issue->rule.kind != PARLEY_RULE_NONE || issue->rule.n_veto) {
        key(b, 6, "rule", &first);
        put_rule(b, sc, &issue->rule);
    }
    if (issue->has_outcome) {
        key(b, 6, "outcome", &first);
        fmt_buf_number(b, issue->outcome);
    }
    string_member(b, 6, "note", issue->note, &first);
    parley_buf_puts(b, "\n    }");
}

static void put_stake(parley_buf *b, const parley_scenario *sc, size_t a, size_t i)
{
    const parley_stake *st = parley_stake_at(sc, a, i);
    parley_buf_puts(b, "    {\"actor\": ");
    put_string(b, sc->actors[a].id);
    parley_buf_puts(b, ", \"issue\": ");
    put_string(b, sc->issues[i].id);
    parley_buf_puts(b, ", \"position\": ");
    put_value(b, &st->position);
    parley_buf_puts(b, ", \"salience\": ");
    put_value(b, &st->salience);
    if (st->note) {
        parley_buf_puts(b, ", \"note\": ");
        put_string(b, st->note);
    }
    parley_buf_puts(b, "}");
}

int fmt_json_write(const parley_scenario *sc, char **out, parley_error *err)
{
    parley_buf b = {0};
    int first = 1;
    parley_buf_puts(&b, "{");
    key(&b, 2, "parley", &first);
    parley_buf_puts(&b, "1");
    string_member(&b, 2, "id", sc->id ? sc->id : "scenario", &first);
    string_member(&b, 2, "name", sc->name, &first);
    string_member(&b, 2, "description", sc->description, &first);
    string_member(&b, 2, "date", sc->date, &first);
    string_member(&b, 2, "source", sc->source, &first);
    string_member(&b, 2, "note", sc->note, &first);
    if (sc->n_meta) {
        key(&b, 2, "meta", &first);
        parley_buf_puts(&b, "{");
        for (size_t k = 0; k < sc->n_meta; k++) {
            parley_buf_puts(&b, k ? ",\n    " : "\n    ");
            put_string(&b, sc->meta[k].key);
            parley_buf_puts(&b, ": ");
            put_string(&b, sc->meta[k].value);
        }
        parley_buf_puts(&b, "\n  }");
    }
    key(&b, 2, "actors", &first);
    parley_buf_puts(&b, "[");
    for (size_t a = 0; a < sc->n_actors; a++) {
        parley_buf_puts(&b, a ? ",\n" : "\n");
        put_actor(&b, &sc->actors[a]);
    }
    parley_buf_puts(&b, sc->n_actors ? "\n  ]" : "]");
    key(&b, 2, "issues", &first);
    parley_buf_puts(&b, "[");
    for (size_t i = 0; i < sc->n_issues; i++) {
        parley_buf_puts(&b, i ? ",\n" : "\n");
        put_issue(&b, sc, &sc->issues[i]);
    }
    parley_buf_puts(&b, sc->n_issues ? "\n  ]" : "]");
    key(&b, 2, "positions", &first);
    parley_buf_puts(&b, "[");
    int any = 0;
    for (size_t a = 0; a < sc->n_actors; a++)
        for (size_t i = 0; i < sc->n_issues; i++) {
            if (!parley_stake_at(sc, a, i)->present)
                continue;
            parley_buf_puts(&b, any ? ",\n" : "\n");
            put_stake(&b, sc, a, i);
            any = 1;
        }
    parley_buf_puts(&b, any ? "\n  ]\n}\n" : "]\n}\n");
    return parley_buf_finish(&b, out, err);
}
