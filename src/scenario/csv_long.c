/* csv_long.c — parley's own long CSV: one row per fact, lossless for
 * everything a parley_scenario holds (scenario fields, metadata, actors,
 * issues, labels, rules with vetoes, status quo, outcome, stakes, spreads and
 * every note), and easy to edit or load in a spreadsheet.  Defined here:
 *
 *     parley-csv,1
 *     record,actor,issue,field,value,sd,low,high,text
 *     scenario,,,id,,,,,example
 *     meta,,,proposal,,,,,d00060
 *     actor,a,,capability,2,,,,<note>        (defines actor a; first row of a)
 *     actor,a,,name,,,,,Actor A               (also description, note)
 *     issue,,tax,scale,,,0,100,               (defines issue tax; first row)
 *     issue,,tax,label,0,,,,no tax            (also name, description, note)
 *     issue,,tax,status_quo,30,5,,,<note>
 *     issue,,tax,rule,,,,,qualified           (then threshold,<v>; outcome,<v>)
 *     issue,a,tax,veto,,,,,                   (actor a holds a veto)
 *     stake,a,tax,position,20,,10,30,<note>  (then salience; note,,,,,<text>)
 *
 * A value's spread is sd (column sd) or a range (columns low and high); its
 * note is the text column.  An empty unquoted field is a missing value, a
 * quoted "" an empty text, so NULL and "" survive the round trip.  Numbers
 * are written to read back exactly (shortest of %.15g/%.16g/%.17g). */
#include "format_internal.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

enum { COL_RECORD, COL_ACTOR, COL_ISSUE, COL_FIELD, COL_VALUE, COL_SD, COL_LOW, COL_HIGH,
       COL_TEXT, N_COLUMNS };

static const char *const header[N_COLUMNS] = {"record", "actor", "issue", "field", "value",
                                              "sd",     "low",   "high",  "text"};

/* ---- writing ------------------------------------------------------------ */

static void put_number_field(parley_buf *b, int present, double x)
{
    parley_buf_puts(b, ",");
    if (present)
        fmt_buf_number(b, x);
}

/* Text always quoted when present, so that "" differs from missing. */
static void put_text(parley_buf *b, const char *text)
{
    parley_buf_puts(b, ",");
    if (!text)
        return;
    if (!*text) {
        parley_buf_puts(b, "\"\"");
        return;
    }
    fmt_buf_csv_field(b, text);
}

static void row_start(parley_buf *b, const char *record, const char *actor, const char *issue,
                      const char *field)
{
    parley_buf_puts(b, record);
    parley_buf_puts(b, ",");
    fmt_buf_csv_field(b, actor);
    parley_buf_puts(b, ",");
    fmt_buf_csv_field(b, issue);
    parley_buf_puts(b, ",");
    fmt_buf_csv_field(b, field);
}

static void text_row(parley_buf *b, const char *record, const char *actor, const char *issue,
                     const char *field, const char *text)
{
    if (!text)
        return;
    row_start(b, record, actor, issue, field);
    parley_buf_puts(b, ",,,,");
    put_text(b, text);
    parley_buf_puts(b, "\n");
}

static void value_row(parley_buf *b, const char *record, const char *actor, const char *issue,
                      const char *field, const parley_value *v)
{
    row_start(b, record, actor, issue, field);
    put_number_field(b, 1, v->value);
    put_number_field(b, v->spread == PARLEY_SPREAD_SD, v->sd);
    put_number_field(b, v->spread == PARLEY_SPREAD_RANGE, v->low);
    put_number_field(b, v->spread == PARLEY_SPREAD_RANGE, v->high);
    put_text(b, v->note);
    parley_buf_puts(b, "\n");
}

static void number_row(parley_buf *b, const char *issue, const char *field, double x)
{
    row_start(b, "issue", NULL, issue, field);
    put_number_field(b, 1, x);
    parley_buf_puts(b, ",,,,\n");
}

static void put_issue(parley_buf *b, const parley_scenario *sc, const parley_issue *is)
{
    row_start(b, "issue", NULL, is->id, "scale");
    parley_buf_puts(b, ",,");
    put_number_field(b, 1, is->low);
    put_number_field(b, 1, is->high);
    parley_buf_puts(b, ",\n");
    text_row(b, "issue", NULL, is->id, "name", is->name);
    text_row(b, "issue", NULL, is->id, "description", is->description);
    for (size_t k = 0; k < is->n_labels; k++) {
        row_start(b, "issue", NULL, is->id, "label");
        put_number_field(b, 1, is->labels[k].at);
        parley_buf_puts(b, ",,,");
        put_text(b, is->labels[k].text ? is->labels[k].text : "");
        parley_buf_puts(b, "\n");
    }
    if (is->has_status_quo)
        value_row(b, "issue", NULL, is->id, "status_quo", &is->status_quo);
    if (is->rule.kind != PARLEY_RULE_NONE)
        text_row(b, "issue", NULL, is->id, "rule", parley_rule_kind_name(is->rule.kind));
    if (is->rule.threshold != 0)
        number_row(b, is->id, "threshold", is->rule.threshold);
    for (size_t k = 0; k < is->rule.n_veto; k++) {
        row_start(b, "issue", sc->actors[is->rule.veto[k]].id, is->id, "veto");
        parley_buf_puts(b, ",,,,,\n");
    }
    if (is->has_outcome)
        number_row(b, is->id, "outcome", is->outcome);
    text_row(b, "issue", NULL, is->id, "note", is->note);
}

int fmt_long_write(const parley_scenario *sc, char **out, parley_error *err)
{
    parley_buf b = {0};
    parley_buf_puts(&b, FMT_LONG_MAGIC ",1\n");
    for (size_t k = 0; k < N_COLUMNS; k++) {
        parley_buf_puts(&b, k ? "," : "");
        parley_buf_puts(&b, header[k]);
    }
    parley_buf_puts(&b, "\n");
    text_row(&b, "scenario", NULL, NULL, "id", sc->id);
    text_row(&b, "scenario", NULL, NULL, "name", sc->name);
    text_row(&b, "scenario", NULL, NULL, "description", sc->description);
    text_row(&b, "scenario", NULL, NULL, "date", sc->date);
    text_row(&b, "scenario", NULL, NULL, "source", sc->source);
    text_row(&b, "scenario", NULL, NULL, "note", sc->note);
    for (size_t k = 0; k < sc->n_meta; k++) {
        row_start(&b, "meta", NULL, NULL, sc->meta[k].key);
        parley_buf_puts(&b, ",,,,");
        put_text(&b, sc->meta[k].value);
        parley_buf_puts(&b, "\n");
    }
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_actor *actor = &sc->actors[a];
        value_row(&b, "actor", actor->id, NULL, "capability", &actor->capability);
        text_row(&b, "actor", actor->id, NULL, "name", actor->name);
        text_row(&b, "actor", actor->id, NULL, "description", actor->description);
        text_row(&b, "actor", actor->id, NULL, "note", actor->note);
    }
    for (size_t i = 0; i < sc->n_issues; i++)
        put_issue(&b, sc, &sc->issues[i]);
    for (size_t a = 0; a < sc->n_actors; a++)
        for (size_t i = 0; i < sc->n_issues; i++) {
            const parley_stake *st = parley_stake_at(sc, a, i);
            if (!st->present)
                continue;
            const char *actor = sc->actors[a].id, *issue = sc->issues[i].id;
            value_row(&b, "stake", actor, issue, "position", &st->position);
            value_row(&b, "stake", actor, issue, "salience", &st->salience);
            text_row(&b, "stake", actor, issue, "note", st->note);
        }
    return parley_buf_finish(&b, out, err);
}

/* ---- reading ------------------------------------------------------------ */

typedef struct long_reader {
    const char *name;
    parley_error *err;
    parley_scenario *sc;
    const fmt_csv_row *row;
} long_reader;

static int row_fail(long_reader *r, int code, size_t column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int row_fail(long_reader *r, int code, size_t column, const char *fmt, ...)
{
    char where[64];
    snprintf(where, sizeof where, "field %zu (%s)", column + 1, header[column]);
    fmt_fail(r->err, code, r->name, r->row->line, 0, where, "%s", "");
    if (r->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err->message, sizeof r->err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int is_missing(const fmt_csv_row *row, size_t k)
{
    return k >= row->n_fields || row->fields[k] == NULL;
}

static int number_at(long_reader *r, size_t k, double *out)
{
    char where[64];
    snprintf(where, sizeof where, "field %zu (%s)", k + 1, header[k]);
    return fmt_csv_number(r->row, k, where, -DBL_MAX, DBL_MAX, r->name, out, r->err);
}

static int read_value(long_reader *r, parley_value *v)
{
    int rc;
    parley_free(v->note);
    memset(v, 0, sizeof *v);
    if ((rc = number_at(r, COL_VALUE, &v->value)))
        return rc;
    int has_sd = !is_missing(r->row, COL_SD);
    int has_range = !is_missing(r->row, COL_LOW) || !is_missing(r->row, COL_HIGH);
    if (has_sd && has_range)
        return row_fail(r, PARLEY_ESCHEMA, COL_SD, "%s", "sd and a range exclude each other");
    if (has_sd) {
        if ((rc = number_at(r, COL_SD, &v->sd)))
            return rc;
        v->spread = PARLEY_SPREAD_SD;
    }
    if (has_range) {
        if ((rc = number_at(r, COL_LOW, &v->low)) || (rc = number_at(r, COL_HIGH, &v->high)))
            return rc;
        v->spread = PARLEY_SPREAD_RANGE;
    }
    if (!is_missing(r->row, COL_TEXT) && !(v->note = parley_strdup(r->row->fields[COL_TEXT])))
        return parley_error_set(r->err, PARLEY_ENOMEM, "out of memory");
    return PARLEY_OK;
}

/* Copies the text column into *dst (NULL when missing). */
static int read_text(long_reader *r, char **dst)
{
    const char *text = is_missing(r->row, COL_TEXT) ? NULL : r->row->fields[COL_TEXT];
    return fmt_set_text(dst, text) ? PARLEY_OK
                                   : parley_error_set(r->err, PARLEY_ENOMEM, "out of memory");
}

static int find(long_reader *r, size_t column, long *index)
{
    const char *id = fmt_csv_field(r->row, column);
    *index = column == COL_ACTOR ? parley_scenario_find_actor(r->sc, id)
                                 : parley_scenario_find_issue(r->sc, id);
    if (*index < 0)
        return row_fail(r, PARLEY_ESCHEMA, column,
                        "\"%.100s\" is not defined (its first row must come earlier)", id);
    return PARLEY_OK;
}

static int unknown_field(long_reader *r)
{
    return row_fail(r, PARLEY_ESCHEMA, COL_FIELD, "unknown field \"%.60s\"",
                    fmt_csv_field(r->row, COL_FIELD));
}

static int read_scenario_row(long_reader *r, const char *field)
{
    parley_scenario *sc = r->sc;
    char **dst = strcmp(field, "id") == 0            ? &sc->id
                 : strcmp(field, "name") == 0        ? &sc->name
                 : strcmp(field, "description") == 0 ? &sc->description
                 : strcmp(field, "date") == 0        ? &sc->date
                 : strcmp(field, "source") == 0      ? &sc->source
                 : strcmp(field, "note") == 0        ? &sc->note
                                                     : NULL;
    return dst ? read_text(r, dst) : unknown_field(r);
}

static int read_actor_row(long_reader *r, const char *field)
{
    const char *id = fmt_csv_field(r->row, COL_ACTOR);
    long a = parley_scenario_find_actor(r->sc, id);
    int rc;
    if (strcmp(field, "capability") == 0) {
        if (a >= 0)
            return row_fail(r, PARLEY_ESCHEMA, COL_ACTOR, "actor \"%.100s\" is defined twice",
                            id);
        size_t index;
        if ((rc = parley_scenario_add_actor(r->sc, id, 1, &index, r->err)))
            return fmt_fail(r->err, rc, r->name, r->row->line, 0, "field 2 (actor)", "%s",
                            r->err ? r->err->message : "cannot add the actor");
        return read_value(r, &r->sc->actors[index].capability);
    }
    if ((rc = find(r, COL_ACTOR, &a)))
        return rc;
    parley_actor *actor = &r->sc->actors[a];
    char **dst = strcmp(field, "name") == 0          ? &actor->name
                 : strcmp(field, "description") == 0 ? &actor->description
                 : strcmp(field, "note") == 0        ? &actor->note
                                                     : NULL;
    return dst ? read_text(r, dst) : unknown_field(r);
}

static int read_veto(long_reader *r, parley_issue *issue)
{
    long a;
    int rc = find(r, COL_ACTOR, &a);
    if (rc)
        return rc;
    size_t *veto = parley_reallocarray(issue->rule.veto, issue->rule.n_veto + 1, sizeof *veto);
    if (!veto)
        return parley_error_set(r->err, PARLEY_ENOMEM, "out of memory");
    issue->rule.veto = veto;
    veto[issue->rule.n_veto++] = (size_t)a;
    return PARLEY_OK;
}

static int read_issue_row(long_reader *r, const char *field)
{
    const char *id = fmt_csv_field(r->row, COL_ISSUE);
    long i = parley_scenario_find_issue(r->sc, id);
    int rc;
    if (strcmp(field, "scale") == 0) {
        double low, high;
        if (i >= 0)
            return row_fail(r, PARLEY_ESCHEMA, COL_ISSUE, "issue \"%.100s\" is defined twice",
                            id);
        if ((rc = number_at(r, COL_LOW, &low)) || (rc = number_at(r, COL_HIGH, &high)))
            return rc;
        if ((rc = parley_scenario_add_issue(r->sc, id, low, high, NULL, NULL, NULL, r->err)))
            return fmt_fail(r->err, rc == PARLEY_EINVAL ? PARLEY_ERANGE : rc, r->name,
                            r->row->line, 0, "field 3 (issue)", "%s",
                            r->err ? r->err->message : "cannot add the issue");
        return PARLEY_OK;
    }
    if ((rc = find(r, COL_ISSUE, &i)))
        return rc;
    parley_issue *issue = &r->sc->issues[i];
    double x;
    if (strcmp(field, "name") == 0)
        return read_text(r, &issue->name);
    if (strcmp(field, "description") == 0)
        return read_text(r, &issue->description);
    if (strcmp(field, "note") == 0)
        return read_text(r, &issue->note);
    if (strcmp(field, "label") == 0) {
        if ((rc = number_at(r, COL_VALUE, &x)))
            return rc;
        if ((rc = parley_issue_add_label(issue, x, fmt_csv_field(r->row, COL_TEXT), r->err)))
            return fmt_fail(r->err, rc, r->name, r->row->line, 0, "field 5 (value)", "%s",
                            r->err ? r->err->message : "bad label");
        return PARLEY_OK;
    }
    if (strcmp(field, "status_quo") == 0) {
        issue->has_status_quo = 1;
        return read_value(r, &issue->status_quo);
    }
    if (strcmp(field, "rule") == 0) {
        int kind = parley_rule_kind_parse(fmt_csv_field(r->row, COL_TEXT));
        if (kind < 0)
            return row_fail(r, PARLEY_ESCHEMA, COL_TEXT, "unknown rule \"%.60s\"",
                            fmt_csv_field(r->row, COL_TEXT));
        issue->rule.kind = (parley_rule_kind)kind;
        return PARLEY_OK;
    }
    if (strcmp(field, "threshold") == 0)
        return number_at(r, COL_VALUE, &issue->rule.threshold);
    if (strcmp(field, "outcome") == 0) {
        issue->has_outcome = 1;
        return number_at(r, COL_VALUE, &issue->outcome);
    }
    if (strcmp(field, "veto") == 0)
        return read_veto(r, issue);
    return unknown_field(r);
}

static int read_stake_row(long_reader *r, const char *field)
{
    long a, i;
    int rc;
    if ((rc = find(r, COL_ACTOR, &a)) || (rc = find(r, COL_ISSUE, &i)))
        return rc;
    parley_stake *st = parley_stake_at(r->sc, (size_t)a, (size_t)i);
    if (strcmp(field, "position") == 0) {
        if (st->present)
            return row_fail(r, PARLEY_ESCHEMA, COL_FIELD, "%s",
                            "a second position for this actor and issue");
        st->present = 1;
        st->salience.value = NAN; /* until its salience row */
        return read_value(r, &st->position);
    }
    if (!st->present)
        return row_fail(r, PARLEY_ESCHEMA, COL_FIELD, "%s",
                        "the stake's position row must come first");
    if (strcmp(field, "salience") == 0)
        return read_value(r, &st->salience);
    if (strcmp(field, "note") == 0)
        return read_text(r, &st->note);
    return unknown_field(r);
}

static int read_rows(long_reader *r, const fmt_csv_table *t)
{
    int rc;
    for (size_t k = 2; k < t->n_rows; k++) {
        r->row = &t->rows[k];
        const char *record = fmt_csv_field(r->row, COL_RECORD);
        const char *field = fmt_csv_field(r->row, COL_FIELD);
        if (strcmp(record, "scenario") == 0)
            rc = read_scenario_row(r, field);
        else if (strcmp(record, "meta") == 0)
            rc = parley_scenario_set_meta(r->sc, field,
                                          fmt_csv_field(r->row, COL_TEXT), r->err);
        else if (strcmp(record, "actor") == 0)
            rc = read_actor_row(r, field);
        else if (strcmp(record, "issue") == 0)
            rc = read_issue_row(r, field);
        else if (strcmp(record, "stake") == 0)
            rc = read_stake_row(r, field);
        else
            rc = row_fail(r, PARLEY_ESCHEMA, COL_RECORD,
                          "unknown record \"%.40s\" (expected scenario, meta, actor, issue "
                          "or stake)",
                          record);
        if (rc)
            return rc;
    }
    for (size_t a = 0; a < r->sc->n_actors; a++)
        for (size_t i = 0; i < r->sc->n_issues; i++)
            if (parley_stake_at(r->sc, a, i)->present &&
                isnan(parley_stake_at(r->sc, a, i)->salience.value))
                return fmt_fail(r->err, PARLEY_ESCHEMA, r->name, 0, 0, NULL,
                                "the stake of \"%.100s\" in \"%.100s\" has no salience row",
                                r->sc->actors[a].id, r->sc->issues[i].id);
    return PARLEY_OK;
}

int fmt_long_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                  size_t *count, parley_error *err)
{
    fmt_csv_table t;
    int rc = fmt_csv_parse_ex(buf, len, name, 1, &t, err);
    if (rc)
        return rc;
    long_reader r = {.name = name, .err = err};
    if (t.n_rows < 2 || strcmp(fmt_csv_field(&t.rows[0], 0), FMT_LONG_MAGIC) != 0 ||
        strcmp(fmt_csv_field(&t.rows[0], 1), "1") != 0) {
        rc = fmt_fail(err, PARLEY_ESCHEMA, name, t.n_rows ? t.rows[0].line : 0, 0, NULL,
                      "expected the lines \"" FMT_LONG_MAGIC ",1\" and the column header");
        goto done;
    }
    for (size_t k = 0; k < N_COLUMNS; k++)
        if (strcmp(fmt_csv_field(&t.rows[1], k), header[k]) != 0) {
            rc = fmt_fail(err, PARLEY_ESCHEMA, name, t.rows[1].line, 0, NULL,
                          "expected the column header "
                          "record,actor,issue,field,value,sd,low,high,text");
            goto done;
        }
    if (!(r.sc = parley_scenario_new(NULL))) {
        rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = read_rows(&r, &t))) {
        if (err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", name);
        parley_scenario_free(r.sc);
        goto done;
    }
    if ((rc = fmt_finish_scenario(r.sc, name, err)))
        goto done;
    rc = fmt_single(r.sc, out, count, err);
done:
    fmt_csv_free(&t);
    return rc;
}
