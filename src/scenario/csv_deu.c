/* csv_deu.c — the DEU III data set: one scenario per row (a controversial
 * issue of an EU legislative proposal).
 *
 * Source: Arregui & Perarnaud (2021), "The Decision-making in the European
 * Union (DEU III) dataset", doi:10.34810/data53, CC BY 4.0; comma-separated
 * copies in tests/data/deu3-{train,test}.csv (see tests/data/README.md).
 * Header: prnrnmc,isnrnmc,prnr,prname,isnr,type,council,proc,counvte,proccde,
 * issues,intro,finact, then pcom,pep,pat,...,puk (positions), scom,...,suk
 * (saliences), rp (reference point), out (outcome), all 0-100; blank =
 * missing.  The finact column is damaged in this copy and ignored.
 *
 * Every scenario lists the same actors in the file's column order (com, ep,
 * then the member states), capability 1 each: the data set has no
 * capabilities, and vote weights are not applied here.  A stake exists when
 * both the position and the salience are present (salience / 100.0).  The
 * Council rule QMV becomes a qualified majority of 0.739 (the Nice Treaty's
 * 255 of 345 weighted votes), Unan unanimity. */
#include "format_internal.h"

#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

#define DEU_QMV_THRESHOLD 0.739

static const struct {
    const char *code, *name;
} actor_names[] = {
    {"com", "European Commission"}, {"ep", "European Parliament"}, {"at", "Austria"},
    {"be", "Belgium"}, {"bu", "Bulgaria"}, {"cr", "Croatia"}, {"cy", "Cyprus"},
    {"cz", "Czech Republic"}, {"dk", "Denmark"}, {"ee", "Estonia"}, {"fi", "Finland"},
    {"fr", "France"}, {"de", "Germany"}, {"el", "Greece"}, {"hu", "Hungary"},
    {"ie", "Ireland"}, {"it", "Italy"}, {"lv", "Latvia"}, {"lt", "Lithuania"},
    {"lu", "Luxembourg"}, {"mt", "Malta"}, {"nl", "Netherlands"}, {"pl", "Poland"},
    {"pt", "Portugal"}, {"ro", "Romania"}, {"si", "Slovenia"}, {"sk", "Slovakia"},
    {"es", "Spain"}, {"se", "Sweden"}, {"uk", "United Kingdom"},
};

/* Columns copied into the scenario's metadata, as (column, key). */
static const char *const meta_columns[][2] = {
    {"prnr", "proposal"}, {"prname", "proposal_name"}, {"isnr", "issue"},
    {"type", "type"},     {"council", "council"},      {"proc", "procedure"},
    {"counvte", "council_rule"}, {"intro", "intro"},
};

typedef struct deu_layout {
    long prnr, prname, isnr, counvte, rp, out;
    long meta[sizeof meta_columns / sizeof meta_columns[0]];
    size_t n_actors;
    size_t *position_column, *salience_column; /* per actor */
} deu_layout;

static long column(const fmt_csv_row *header, const char *name)
{
    for (size_t k = 0; k < header->n_fields; k++)
        if (strcmp(header->fields[k], name) == 0)
            return (long)k;
    return -1;
}

static int read_layout(const fmt_csv_row *header, const char *name, deu_layout *layout,
                       parley_error *err)
{
    static const char *const required[] = {"prnr", "prname", "isnr", "counvte", "rp",
                                           "out", "pcom", "scom"};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (column(header, required[k]) < 0)
            return fmt_fail(err, PARLEY_ESCHEMA, name, header->line, 0, NULL,
                            "the DEU header has no column \"%s\"", required[k]);
    layout->prnr = column(header, "prnr");
    layout->prname = column(header, "prname");
    layout->isnr = column(header, "isnr");
    layout->counvte = column(header, "counvte");
    layout->rp = column(header, "rp");
    layout->out = column(header, "out");
    for (size_t k = 0; k < sizeof meta_columns / sizeof meta_columns[0]; k++)
        layout->meta[k] = column(header, meta_columns[k][0]);
    /* The actors are the position columns from pcom up to the saliences. */
    size_t first = (size_t)column(header, "pcom"), last = (size_t)column(header, "scom");
    if (last <= first)
        return fmt_fail(err, PARLEY_ESCHEMA, name, header->line, 0, NULL,
                        "the position columns (pcom...) must come before the saliences");
    layout->n_actors = last - first;
    layout->position_column = parley_calloc(layout->n_actors, sizeof(size_t));
    layout->salience_column = parley_calloc(layout->n_actors, sizeof(size_t));
    if (!layout->position_column || !layout->salience_column)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    for (size_t a = 0; a < layout->n_actors; a++) {
        const char *p = header->fields[first + a];
        char s[64];
        if (p[0] != 'p' || !p[1] || strlen(p) > 60)
            return fmt_fail(err, PARLEY_ESCHEMA, name, header->line, 0, NULL,
                            "column %zu \"%.40s\" should be an actor's position (p...)",
                            first + a + 1, p);
        snprintf(s, sizeof s, "s%s", p + 1);
        long sk = column(header, s);
        if (sk < 0)
            return fmt_fail(err, PARLEY_ESCHEMA, name, header->line, 0, NULL,
                            "position column \"%s\" has no salience column \"%s\"", p, s);
        layout->position_column[a] = first + a;
        layout->salience_column[a] = (size_t)sk;
    }
    return PARLEY_OK;
}

static const char *actor_name(const char *code)
{
    for (size_t k = 0; k < sizeof actor_names / sizeof actor_names[0]; k++)
        if (strcmp(actor_names[k].code, code) == 0)
            return actor_names[k].name;
    return code;
}

static int column_label(const fmt_csv_row *header, size_t k, char *buf, size_t n)
{
    return snprintf(buf, n, "field %zu (%.40s)", k + 1, fmt_csv_field(header, k));
}

static int add_stakes(parley_scenario *sc, const fmt_csv_row *header, const fmt_csv_row *row,
                      const deu_layout *layout, const char *name, parley_error *err)
{
    char what[80];
    int rc;
    for (size_t a = 0; a < layout->n_actors; a++) {
        const char *code = header->fields[layout->position_column[a]] + 1;
        if ((rc = parley_scenario_add_actor(sc, code, 1.0, NULL, err)))
            return fmt_fail(err, rc, name, header->line, 0, NULL, "actor \"%s\": %s", code,
                            rc == PARLEY_ENOMEM ? "out of memory" : "defined twice");
        if (!fmt_set_text(&sc->actors[a].name, actor_name(code)))
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        size_t pk = layout->position_column[a], sk = layout->salience_column[a];
        if (!fmt_csv_field(row, pk)[0] || !fmt_csv_field(row, sk)[0])
            continue;
        double position, salience;
        column_label(header, pk, what, sizeof what);
        if ((rc = fmt_csv_number(row, pk, what, 0, 100, name, &position, err)))
            return rc;
        column_label(header, sk, what, sizeof what);
        if ((rc = fmt_csv_number(row, sk, what, 0, 100, name, &salience, err)))
            return rc;
        parley_scenario_set_stake(sc, a, 0, position, salience / 100.0);
    }
    return PARLEY_OK;
}

static int build_row(const fmt_csv_row *header, const fmt_csv_row *row,
                     const deu_layout *layout, const char *name, parley_scenario **out,
                     parley_error *err)
{
    const char *isnr = fmt_csv_field(row, (size_t)layout->isnr);
    const char *prname = fmt_csv_field(row, (size_t)layout->prname);
    char what[80];
    int rc = PARLEY_ENOMEM;
    if (row->n_fields < header->n_fields)
        return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, NULL,
                        "expected %zu fields as in the header, found %zu", header->n_fields,
                        row->n_fields);
    if (!*isnr)
        return fmt_fail(err, PARLEY_ESCHEMA, name, row->line, 0, "isnr",
                        "the issue has no number");
    char *id = fmt_make_id(isnr);
    parley_scenario *sc = id ? parley_scenario_new(id) : NULL;
    size_t title_len = strlen(prname) + strlen(isnr) + 8;
    char *title = parley_malloc(title_len);
    if (!sc || !title)
        goto fail;
    snprintf(title, title_len, "%s (%s)", prname, isnr);
    if (!fmt_set_text(&sc->name, title))
        goto fail;
    if ((rc = parley_scenario_add_issue(sc, id, 0, 100, "0", "100", NULL, err)))
        goto fail;
    parley_issue *issue = &sc->issues[0];
    rc = PARLEY_ENOMEM;
    if (!fmt_set_text(&issue->name, title))
        goto fail;
    for (size_t k = 0; k < sizeof meta_columns / sizeof meta_columns[0]; k++) {
        const char *value = layout->meta[k] >= 0 ? fmt_csv_field(row, (size_t)layout->meta[k])
                                                 : "";
        if (*value && (rc = parley_scenario_set_meta(sc, meta_columns[k][1], value, err)))
            goto fail;
    }
    const char *rule = fmt_csv_field(row, (size_t)layout->counvte);
    if (strncmp(rule, "QMV", 3) == 0) {
        issue->rule.kind = PARLEY_RULE_QUALIFIED;
        issue->rule.threshold = DEU_QMV_THRESHOLD;
    } else if (strcmp(rule, "Unan") == 0) {
        issue->rule.kind = PARLEY_RULE_UNANIMITY;
    }
    if (fmt_csv_field(row, (size_t)layout->rp)[0]) {
        column_label(header, (size_t)layout->rp, what, sizeof what);
        if ((rc = fmt_csv_number(row, (size_t)layout->rp, what, 0, 100, name,
                                 &issue->status_quo.value, err)))
            goto fail;
        issue->has_status_quo = 1;
    }
    if (fmt_csv_field(row, (size_t)layout->out)[0]) {
        column_label(header, (size_t)layout->out, what, sizeof what);
        if ((rc = fmt_csv_number(row, (size_t)layout->out, what, 0, 100, name,
                                 &issue->outcome, err)))
            goto fail;
        issue->has_outcome = 1;
    }
    if ((rc = add_stakes(sc, header, row, layout, name, err)))
        goto fail;
    parley_free(id);
    parley_free(title);
    *out = sc;
    return PARLEY_OK;
fail:
    if (rc == PARLEY_ENOMEM)
        parley_error_set(err, rc, "out of memory");
    parley_free(id);
    parley_free(title);
    parley_scenario_free(sc);
    return rc;
}

int fmt_deu_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                 size_t *count, parley_error *err)
{
    fmt_csv_table t;
    deu_layout layout = {0};
    parley_scenario **all = NULL;
    size_t n = 0;
    int rc = fmt_csv_parse(buf, len, name, &t, err);
    if (rc)
        return rc;
    if (t.n_rows < 2) {
        rc = fmt_fail(err, PARLEY_ESCHEMA, name, t.n_rows ? t.rows[0].line : 0, 0, NULL,
                      "the DEU file has no issue rows");
        goto done;
    }
    if ((rc = read_layout(&t.rows[0], name, &layout, err)))
        goto done;
    all = parley_calloc(t.n_rows - 1, sizeof *all);
    if (!all) {
        rc = parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 1; r < t.n_rows; r++) {
        parley_scenario *sc = NULL;
        if ((rc = build_row(&t.rows[0], &t.rows[r], &layout, name, &sc, err)))
            goto done;
        if ((rc = fmt_finish_scenario(sc, name, err))) {
            if (err)
                err->line = t.rows[r].line;
            goto done;
        }
        all[n++] = sc;
    }
    *out = all;
    *count = n;
    all = NULL;
done:
    parley_scenarios_free(all, n);
    parley_free(layout.position_column);
    parley_free(layout.salience_column);
    fmt_csv_free(&t);
    return rc;
}
