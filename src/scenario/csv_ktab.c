/* csv_ktab.c — KTAB's CSV scenario (the input of KTAB's smpc program).
 *
 *     name,description,N,K,
 *     Actor,Description,Power,<dim 1 name>,Sal1,...,<dim K name>,SalK,
 *     name,description,capability,pos_1,sal_1,...,pos_K,sal_K,
 *     ... (N actor rows)
 *
 * Source: KTAB (KAPSARC Toolkit for Behavioral Analysis, MIT licence),
 * smpc's CSV reader, as specified in /work/shared/SMP-SPEC.md section 1:
 * 3 <= N <= 250, K >= 1, positions and saliences in [0, 100], an actor's
 * saliences add up to at most 100, capability in (0, 1e8].  A trailing comma
 * and blanks around fields are allowed.
 *
 * Positions stay on the 0-100 scale unchanged; salience = sal / 100.0 (a
 * division, as KTAB does, so that the SMP model can reproduce KTAB bit for
 * bit); capability unscaled.  Issue ids come from the dimension names. */
#include "format_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

#define KTAB_MIN_ACTORS 3
#define KTAB_MAX_ACTORS 250
#define KTAB_MAX_CAPABILITY 1e8
#define KTAB_SALIENCE_SLACK 1e-9

static int read_count(const fmt_csv_row *row, size_t k, const char *what, long low,
                      long high, const char *name, long *out, parley_error *err)
{
    double x;
    int rc = fmt_csv_number(row, k, what, (double)low, (double)high, name, &x, err);
    if (rc)
        return rc;
    if (x != floor(x))
        return fmt_fail(err, PARLEY_EPARSE, name, row->line, 0, what,
                        "expected a whole number, got %s", fmt_csv_field(row, k));
    *out = (long)x;
    return PARLEY_OK;
}

static int all_blank(const fmt_csv_row *row, size_t from)
{
    for (size_t k = from; k < row->n_fields; k++)
        if (row->fields[k][0])
            return 0;
    return 1;
}

static int add_issues(parley_scenario *sc, const fmt_csv_row *header, size_t n_issues,
                      parley_error *err)
{
    for (size_t i = 0; i < n_issues; i++) {
        const char *title = fmt_csv_field(header, 3 + 2 * i);
        char fallback[32];
        if (!*title) {
            snprintf(fallback, sizeof fallback, "dimension %zu", i + 1);
            title = fallback;
        }
        char *id = fmt_make_id(title);
        if (!id || fmt_unique_issue_id(sc, &id)) {
            parley_free(id);
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        }
        size_t index;
        int rc = parley_scenario_add_issue(sc, id, 0, 100, "0", "100", &index, err);
        parley_free(id);
        if (rc)
            return rc;
        if (!fmt_set_text(&sc->issues[index].name, title))
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    return PARLEY_OK;
}

static int add_actor(parley_scenario *sc, const fmt_csv_row *row, size_t n_issues,
                     const char *name, parley_error *err)
{
    char what[64];
    int rc;
    const char *actor_name = row->fields[0];
    if (!*actor_name)
        return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, "field 1 (Actor)",
                        "the actor has no name");
    for (size_t a = 0; a < sc->n_actors; a++)
        if (strcmp(sc->actors[a].name, actor_name) == 0)
            return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, "field 1 (Actor)",
                            "actor \"%.60s\" is named twice", actor_name);
    double capability;
    if ((rc = fmt_csv_number(row, 2, "field 3 (Power)", 0, KTAB_MAX_CAPABILITY, name,
                             &capability, err)))
        return rc;
    if (!(capability > 0))
        return fmt_fail(err, PARLEY_ERANGE, name, row->line, 0, "field 3 (Power)",
                        "expected a number > 0, got %s", row->fields[2]);
    char *id = fmt_make_id(actor_name);
    if (!id || fmt_unique_actor_id(sc, &id)) {
        parley_free(id);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    size_t index;
    rc = parley_scenario_add_actor(sc, id, capability, &index, err);
    parley_free(id);
    if (rc)
        return rc;
    parley_actor *actor = &sc->actors[index];
    if (!fmt_set_text(&actor->name, actor_name) ||
        (row->fields[1][0] && !fmt_set_text(&actor->description, row->fields[1])))
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    double total = 0;
    for (size_t i = 0; i < n_issues; i++) {
        double position, salience;
        snprintf(what, sizeof what, "field %zu (position %zu)", 4 + 2 * i, i + 1);
        if ((rc = fmt_csv_number(row, 3 + 2 * i, what, 0, 100, name, &position, err)))
            return rc;
        snprintf(what, sizeof what, "field %zu (salience %zu)", 5 + 2 * i, i + 1);
        if ((rc = fmt_csv_number(row, 4 + 2 * i, what, 0, 100, name, &salience, err)))
            return rc;
        total += salience;
        parley_scenario_set_stake(sc, index, i, position, salience / 100.0);
    }
    if (total > 100 + KTAB_SALIENCE_SLACK)
        return fmt_fail(err, PARLEY_ERANGE, name, row->line, 0, NULL,
                        "the saliences of actor \"%.60s\" add up to %g; at most 100 allowed",
                        actor_name, total);
    return PARLEY_OK;
}

static int build(const fmt_csv_table *t, const char *name, parley_scenario **out,
                 parley_error *err)
{
    const fmt_csv_row *first = &t->rows[0];
    long n_actors = 0, n_issues = 0; /* set by read_count before any use */
    int rc;
    if (first->n_fields < 4)
        return fmt_fail(err, PARLEY_ESCHEMA, name, first->line, 0, NULL,
                        "expected name,description,actors,dimensions; found %zu fields",
                        first->n_fields);
    if ((rc = read_count(first, 2, "field 3 (actors)", KTAB_MIN_ACTORS, KTAB_MAX_ACTORS,
                         name, &n_actors, err)) ||
        (rc = read_count(first, 3, "field 4 (dimensions)", 1, 1000000, name, &n_issues,
                         err)))
        return rc;
    size_t n_fields = 3 + 2 * (size_t)n_issues;
    if (t->n_rows < 2)
        return fmt_fail(err, PARLEY_ESCHEMA, name, first->line, 0, NULL,
                        "the header line (Actor,Description,Power,...) is missing");
    const fmt_csv_row *header = &t->rows[1];
    if (header->n_fields < n_fields)
        return fmt_fail(err, PARLEY_ESCHEMA, name, header->line, 0, NULL,
                        "the header has %zu fields; %ld dimensions need %zu",
                        header->n_fields, n_issues, n_fields);
    size_t n_rows = 0;
    for (size_t r = 2; r < t->n_rows; r++)
        if (!all_blank(&t->rows[r], 0))
            n_rows++;
    if (n_rows != (size_t)n_actors)
        return fmt_fail(err, PARLEY_ESCHEMA, name,
                        t->rows[t->n_rows - 1].line, 0, NULL,
                        "line 1 announces %ld actors but %zu actor lines follow the header",
                        n_actors, n_rows);
    char *id = fmt_make_id(first->fields[0]);
    parley_scenario *sc = id ? parley_scenario_new(id) : NULL;
    parley_free(id);
    if (!sc || !fmt_set_text(&sc->name, first->fields[0]) ||
        (first->fields[1][0] && !fmt_set_text(&sc->description, first->fields[1]))) {
        parley_scenario_free(sc);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    if ((rc = add_issues(sc, header, (size_t)n_issues, err)))
        goto fail;
    for (size_t r = 2; r < t->n_rows; r++) {
        const fmt_csv_row *row = &t->rows[r];
        if (all_blank(row, 0))
            continue;
        if (row->n_fields < n_fields) {
            rc = fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, NULL,
                          "expected %zu fields (name, description, capability and a "
                          "position and salience for each of %ld dimensions), found %zu",
                          n_fields, n_issues, row->n_fields);
            goto fail;
        }
        if (!all_blank(row, n_fields)) {
            rc = fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, NULL,
                          "expected %zu fields, found more", n_fields);
            goto fail;
        }
        if ((rc = add_actor(sc, row, (size_t)n_issues, name, err)))
            goto fail;
    }
    *out = sc;
    return PARLEY_OK;
fail:
    parley_scenario_free(sc);
    return rc;
}

int fmt_ktab_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                  size_t *count, parley_error *err)
{
    fmt_csv_table t;
    int rc = fmt_csv_parse(buf, len, name, &t, err);
    if (rc)
        return rc;
    parley_scenario *sc = NULL;
    if (t.n_rows == 0)
        rc = fmt_fail(err, PARLEY_ESCHEMA, name, 0, 0, NULL, "the file is empty");
    else
        rc = build(&t, name, &sc, err);
    fmt_csv_free(&t);
    if (rc == PARLEY_OK)
        rc = fmt_finish_scenario(sc, name, err);
    if (rc == PARLEY_OK)
        rc = fmt_single(sc, out, count, err);
    return rc;
}

/* The shortest decimal text x such that x / 100.0 is salience exactly, so that
 * a KTAB file parley writes reads back to the same doubles. */
static int salience_reads_back(const char *text, double salience)
{
    double back;
    return fmt_parse_number(text, &back) == 0 && back / 100.0 == salience;
}

static void salience_text(double salience, char *text, size_t n)
{
    double guess = salience * 100.0;
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, n, "%.*g", digits, guess);
        if (salience_reads_back(text, salience))
            return;
    }
    /* The product may be an ulp or two off the number that divides back. */
    double up = guess, down = guess;
    for (int step = 0; step < 4; step++) {
        up = nextafter(up, INFINITY);
        down = nextafter(down, -INFINITY);
        if (salience_reads_back(fmt_number(up, text, n), salience) ||
            salience_reads_back(fmt_number(down, text, n), salience))
            return;
    }
    fmt_number(guess, text, n);
}

/* The actor's name as KTAB shows it: its id when the name is empty. */
static const char *actor_label(const parley_actor *actor)
{
    return actor->name && *actor->name ? actor->name : actor->id;
}

int fmt_ktab_write(const parley_scenario *sc, char **out, parley_error *err)
{
    if (sc->n_actors < KTAB_MIN_ACTORS || sc->n_actors > KTAB_MAX_ACTORS)
        return parley_error_set(err, PARLEY_EINVAL,
                                "KTAB's format needs 3 to 250 actors; this scenario has %zu",
                                sc->n_actors);
    if (sc->n_issues < 1)
        return parley_error_set(err, PARLEY_EINVAL, "KTAB's format needs at least one issue");
    for (size_t i = 0; i < sc->n_issues; i++)
        if (sc->issues[i].low != 0 || sc->issues[i].high != 100)
            return parley_error_set(err, PARLEY_EINVAL,
                                    "KTAB's format has 0..100 scales only; issue \"%s\" runs "
                                    "from %g to %g",
                                    sc->issues[i].id, sc->issues[i].low, sc->issues[i].high);
    for (size_t a = 0; a < sc->n_actors; a++)
        for (size_t i = 0; i < sc->n_issues; i++)
            if (!parley_stake_at(sc, a, i)->present)
                return parley_error_set(err, PARLEY_EINVAL,
                                        "KTAB's format needs a stake for every actor and "
                                        "issue; \"%s\" has none in \"%s\"",
                                        sc->actors[a].id, sc->issues[i].id);
    for (size_t a = 0; a < sc->n_actors; a++) {
        double total = 0;
        const char *name = actor_label(&sc->actors[a]);
        for (size_t b = 0; b < a; b++)
            if (strcmp(actor_label(&sc->actors[b]), name) == 0)
                return parley_error_set(err, PARLEY_EINVAL,
                                        "KTAB's format needs unique actor names; \"%s\" "
                                        "appears twice",
                                        name);
        if (sc->actors[a].capability.value > KTAB_MAX_CAPABILITY)
            return parley_error_set(err, PARLEY_EINVAL,
                                    "KTAB's format takes capabilities up to 1e8; \"%s\" has %g",
                                    name, sc->actors[a].capability.value);
        for (size_t i = 0; i < sc->n_issues; i++)
            total += parley_stake_at(sc, a, i)->salience.value;
        if (total > 1 + KTAB_SALIENCE_SLACK / 100)
            return parley_error_set(err, PARLEY_EINVAL,
                                    "KTAB's format needs an actor's saliences to add up to at "
                                    "most 1; \"%s\"'s add up to %g",
                                    name, total);
    }
    parley_buf b = {0};
    fmt_buf_csv_field(&b, sc->name && *sc->name ? sc->name : sc->id ? sc->id : "scenario");
    parley_buf_puts(&b, ",");
    fmt_buf_csv_field(&b, sc->description);
    parley_buf_printf(&b, ",%zu,%zu,\nActor,Description,Power,", sc->n_actors, sc->n_issues);
    for (size_t i = 0; i < sc->n_issues; i++) {
        fmt_buf_csv_field(&b, sc->issues[i].name ? sc->issues[i].name : sc->issues[i].id);
        parley_buf_printf(&b, ",Sal%zu,", i + 1);
    }
    parley_buf_puts(&b, "\n");
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_actor *actor = &sc->actors[a];
        fmt_buf_csv_field(&b, actor_label(actor));
        parley_buf_puts(&b, ",");
        fmt_buf_csv_field(&b, actor->description);
        parley_buf_puts(&b, ",");
        fmt_buf_number(&b, actor->capability.value);
        for (size_t i = 0; i < sc->n_issues; i++) {
            const parley_stake *st = parley_stake_at(sc, a, i);
            char text[40];
            salience_text(st->salience.value, text, sizeof text);
            parley_buf_puts(&b, ",");
            fmt_buf_number(&b, st->position.value);
            parley_buf_printf(&b, ",%s", text);
        }
        parley_buf_puts(&b, ",\n");
    }
    return parley_buf_finish(&b, out, err);
}
