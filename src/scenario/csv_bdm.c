/* csv_bdm.c — the BDM table: one issue, one actor per row.
 *
 *     Actor,Capability,Position,Salience
 *     Netherlands,0.08,4,0.8
 *
 * This is how Bueno de Mesquita's expected-utility cases are tabulated, e.g.
 * the 1994 EC car-emission-standards case in Scholz, Calbert & Smith (2011),
 * Table 1 (tests/data/emission-standards.csv).  The header is matched without
 * regard to case or surrounding blanks.  Positions may be on any scale: the
 * issue's scale runs from the smallest to the largest position in the file
 * (x-1..x+1 when all are equal).  Saliences are on [0, 1]; a table whose
 * saliences go above 1 (up to 100) is on a 0-100 scale and all of its
 * saliences are divided by 100.  Capabilities must be > 0. */
#include "format_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parley/alloc.h"

static const char *const bdm_columns[] = {"Actor", "Capability", "Position", "Salience"};

/* The file's base name without directory or extension, for the ids. */
static char *base_name(const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        len = (size_t)(dot - base);
    char *copy = parley_malloc(len + 1);
    if (copy) {
        memcpy(copy, base, len);
        copy[len] = '\0';
    }
    return copy;
}

static int check_header(const fmt_csv_row *row, const char *name, parley_error *err)
{
    for (size_t k = 0; k < 4; k++)
        if (strcasecmp(fmt_csv_field(row, k), bdm_columns[k]) != 0)
            return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, NULL,
                            "expected the header Actor,Capability,Position,Salience; "
                            "column %zu is \"%.40s\"",
                            k + 1, fmt_csv_field(row, k));
    for (size_t k = 4; k < row->n_fields; k++)
        if (row->fields[k][0])
            return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, NULL,
                            "unexpected column %zu \"%.40s\" after Salience", k + 1,
                            row->fields[k]);
    return PARLEY_OK;
}

/* Reads the numbers of every row into values (3 per row) and decides the
 * salience scale. */
static int read_rows(const fmt_csv_table *t, const char *name, double *values,
                     double *salience_divisor, parley_error *err)
{
    int rc;
    int above_one = 0;
    for (size_t r = 1; r < t->n_rows; r++) {
        const fmt_csv_row *row = &t->rows[r];
        double *v = &values[3 * (r - 1)];
        if (row->n_fields < 4)
            return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, NULL,
                            "expected 4 fields (Actor,Capability,Position,Salience), "
                            "found %zu",
                            row->n_fields);
        for (size_t k = 4; k < row->n_fields; k++)
            if (row->fields[k][0])
                return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, NULL,
                                "expected 4 fields, found more: \"%.40s\"", row->fields[k]);
        if (!row->fields[0][0])
            return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, "field 1 (Actor)",
                            "the actor has no name");
        if ((rc = fmt_csv_number(row, 1, "field 2 (Capability)", 0, DBL_MAX, name, &v[0],
                                 err)))
            return rc;
        if (!(v[0] > 0))
            return fmt_fail(err, PARLEY_ERANGE, name, row->line, 0, "field 2 (Capability)",
                            "expected a number > 0, got %s", row->fields[1]);
        if ((rc = fmt_csv_number(row, 2, "field 3 (Position)", -DBL_MAX, DBL_MAX, name,
                                 &v[1], err)))
            return rc;
        if ((rc = fmt_csv_number(row, 3, "field 4 (Salience)", 0, 100, name, &v[2], err)))
            return rc;
        if (v[2] > 1)
            above_one = 1;
    }
    *salience_divisor = above_one ? 100.0 : 1.0;
    return PARLEY_OK;
}

static int build(const fmt_csv_table *t, const char *name, const double *values,
                 double salience_divisor, parley_scenario **out, parley_error *err)
{
    size_t n = t->n_rows - 1;
    double low = values[1], high = values[1];
    for (size_t a = 1; a < n; a++) {
        if (values[3 * a + 1] < low)
            low = values[3 * a + 1];
        if (values[3 * a + 1] > high)
            high = values[3 * a + 1];
    }
    if (low == high) {
        /* One point: a scale around it, wide enough to differ from it even
         * for large numbers, and finite. */
        double delta = fmax(1.0, fabs(low) * 1e-6);
        double x = low;
        low = isfinite(x - delta) ? x - delta : x;
        high = isfinite(x + delta) ? x + delta : x;
    }
    char *base = base_name(name);
    char *id = base ? fmt_make_id(base) : NULL;
    parley_scenario *sc = id ? parley_scenario_new(id) : NULL;
    parley_free(id);
    int rc = PARLEY_ENOMEM;
    if (!sc || !fmt_set_text(&sc->name, base))
        goto fail;
    char low_text[40], high_text[40];
    fmt_number(low, low_text, sizeof low_text);
    fmt_number(high, high_text, sizeof high_text);
    if ((rc = parley_scenario_add_issue(sc, "issue", low, high, low_text, high_text, NULL,
                                        err)))
        goto fail;
    rc = PARLEY_ENOMEM;
    if (!fmt_set_text(&sc->issues[0].name, base))
        goto fail;
    for (size_t a = 0; a < n; a++) {
        const fmt_csv_row *row = &t->rows[a + 1];
        char *actor_id = fmt_make_id(row->fields[0]);
        if (!actor_id || fmt_unique_actor_id(sc, &actor_id)) {
            parley_free(actor_id);
            rc = PARLEY_ENOMEM;
            goto fail;
        }
        size_t index;
        rc = parley_scenario_add_actor(sc, actor_id, values[3 * a], &index, err);
        parley_free(actor_id);
        if (rc)
            goto fail;
        rc = PARLEY_ENOMEM;
        if (!fmt_set_text(&sc->actors[index].name, row->fields[0]))
            goto fail;
        parley_scenario_set_stake(sc, index, 0, values[3 * a + 1],
                                  values[3 * a + 2] / salience_divisor);
    }
    parley_free(base);
    *out = sc;
    return PARLEY_OK;
fail:
    parley_free(base);
    parley_scenario_free(sc);
    if (rc == PARLEY_ENOMEM)
        parley_error_set(err, rc, "out of memory");
    return rc;
}

int fmt_bdm_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                 size_t *count, parley_error *err)
{
    fmt_csv_table t;
    int rc = fmt_csv_parse(buf, len, name, &t, err);
    if (rc)
        return rc;
    double *values = NULL;
    parley_scenario *sc = NULL;
    double divisor = 1;
    if (t.n_rows == 0) {
        rc = fmt_fail(err, PARLEY_ESCHEMA, name, 0, 0, NULL, "the table is empty");
        goto done;
    }
    if ((rc = check_header(&t.rows[0], name, err)))
        goto done;
    if (t.n_rows < 2) {
        rc = fmt_fail(err, PARLEY_ESCHEMA, name, t.rows[0].line, 0, NULL,
                      "the table has a header but no actors");
        goto done;
    }
    values = parley_calloc(3 * (t.n_rows - 1), sizeof *values);
    if (!values) {
        rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = read_rows(&t, name, values, &divisor, err)))
        goto done;
    if ((rc = build(&t, name, values, divisor, &sc, err)))
        goto done;
    if ((rc = fmt_finish_scenario(sc, name, err)))
        goto done;
    rc = fmt_single(sc, out, count, err);
done:
    parley_free(values);
    fmt_csv_free(&t);
    return rc;
}

int fmt_bdm_write(const parley_scenario *sc, char **out, parley_error *err)
{
    if (sc->n_issues != 1)
        return parley_error_set(err, PARLEY_EINVAL,
                                "a BDM table holds exactly one issue; this scenario has %zu "
                                "(write JSON or parley's CSV instead)",
                                sc->n_issues);
    if (sc->n_actors == 0)
        return parley_error_set(err, PARLEY_EINVAL, "a BDM table needs at least one actor");
    for (size_t a = 0; a < sc->n_actors; a++)
        if (!parley_stake_at(sc, a, 0)->present)
            return parley_error_set(err, PARLEY_EINVAL,
                                    "a BDM table needs a position for every actor; \"%s\" "
                                    "has none",
                                    sc->actors[a].id);
    parley_buf b = {0};
    parley_buf_puts(&b, "Actor,Capability,Position,Salience\n");
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_actor *actor = &sc->actors[a];
        const parley_stake *st = parley_stake_at(sc, a, 0);
        fmt_buf_csv_field(&b, actor->name && *actor->name ? actor->name : actor->id);
        parley_buf_puts(&b, ",");
        fmt_buf_number(&b, actor->capability.value);
        parley_buf_puts(&b, ",");
        fmt_buf_number(&b, st->position.value);
        parley_buf_puts(&b, ",");
        fmt_buf_number(&b, st->salience.value);
        parley_buf_puts(&b, "\n");
    }
    return parley_buf_finish(&b, out, err);
}
