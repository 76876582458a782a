/* scenario.c — the scenario data model (parley/scenario.h). */
#include "parley/scenario.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

static void value_clear(parley_value *v)
{
    parley_free(v->note);
    v->note = NULL;
}

static void actor_clear(parley_actor *a)
{
    parley_free(a->id);
    parley_free(a->name);
    parley_free(a->description);
    parley_free(a->note);
    value_clear(&a->capability);
}

static void issue_clear(parley_issue *is)
{
    parley_free(is->id);
    parley_free(is->name);
    parley_free(is->description);
    parley_free(is->note);
    for (size_t k = 0; k < is->n_labels; k++)
        parley_free(is->labels[k].text);
    parley_free(is->labels);
    value_clear(&is->status_quo);
    parley_free(is->rule.veto);
}

static void stake_clear(parley_stake *st)
{
    value_clear(&st->position);
    value_clear(&st->salience);
    parley_free(st->note);
}

parley_scenario *parley_scenario_new(const char *id)
{
    parley_scenario *sc = parley_calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    if (id && !(sc->id = parley_strdup(id))) {
        parley_free(sc);
        return NULL;
    }
    return sc;
}

void parley_scenario_free(parley_scenario *sc)
{
    if (!sc)
        return;
    for (size_t a = 0; a < sc->n_actors; a++)
        actor_clear(&sc->actors[a]);
    for (size_t i = 0; i < sc->n_issues; i++)
        issue_clear(&sc->issues[i]);
    for (size_t k = 0; k < sc->n_actors * sc->n_issues; k++)
        stake_clear(&sc->stakes[k]);
    for (size_t k = 0; k < sc->n_meta; k++) {
        parley_free(sc->meta[k].key);
        parley_free(sc->meta[k].value);
    }
    parley_free(sc->meta);
    parley_free(sc->actors);
    parley_free(sc->issues);
    parley_free(sc->stakes);
    parley_free(sc->id);
    parley_free(sc->name);
    parley_free(sc->description);
    parley_free(sc->date);
    parley_free(sc->source);
    parley_free(sc->note);
    parley_free(sc);
}

/* Copies *src into *dst; returns 0 on ENOMEM (dst then holds what was
 * copied so far and must still be freed by its owner). */
static int dup_into(char **dst, const char *src)
{
    *dst = parley_strdup(src);
    return !src || *dst;
}

static int value_copy(parley_value *dst, const parley_value *src)
{
    *dst = *src;
    dst->note = NULL;
    return dup_into(&dst->note, src->note);
}

/* Rebuilds the stake matrix for new sizes, keeping existing stakes. */
static int resize_stakes(parley_scenario *sc, size_t n_actors, size_t n_issues)
{
    size_t total = n_actors * n_issues;
    parley_stake *stakes = parley_calloc(total ? total : 1, sizeof *stakes);
    if (!stakes)
        return PARLEY_ENOMEM;
    for (size_t a = 0; a < sc->n_actors; a++)
        for (size_t i = 0; i < sc->n_issues; i++)
            stakes[a * n_issues + i] = sc->stakes[a * sc->n_issues + i];
    parley_free(sc->stakes);
    sc->stakes = stakes;
    return PARLEY_OK;
}

int parley_scenario_add_actor(parley_scenario *sc, const char *id,
                              double capability, size_t *index, parley_error *err)
{
    if (!sc || !id || !*id)
        return parley_error_set(err, PARLEY_EINVAL, "an actor needs a non-empty id");
    if (parley_scenario_find_actor(sc, id) >= 0)
        return parley_error_set(err, PARLEY_EINVAL, "actor id \"%s\" is defined twice", id);
    if (sc->n_actors == sc->cap_actors) {
        size_t cap = sc->cap_actors ? 2 * sc->cap_actors : 8;
        parley_actor *actors = parley_reallocarray(sc->actors, cap, sizeof *actors);
        if (!actors)
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        sc->actors = actors;
        sc->cap_actors = cap;
    }
    parley_actor *a = &sc->actors[sc->n_actors];
    memset(a, 0, sizeof *a);
    a->id = parley_strdup(id);
    a->name = parley_strdup(id);
    /* The stake matrix changes shape last, so a failure leaves sc as it was. */
    if (!a->id || !a->name || resize_stakes(sc, sc->n_actors + 1, sc->n_issues)) {
        actor_clear(a);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    a->capability.value = capability;
    if (index)
        *index = sc->n_actors;
    sc->n_actors++;
    return PARLEY_OK;
}

int parley_issue_add_label(parley_issue *issue, double at, const char *text,
                           parley_error *err)
{
    if (!(at >= issue->low && at <= issue->high))
        return parley_error_set(err, PARLEY_ERANGE,
                                "label at %g is off the scale [%g, %g]", at,
                                issue->low, issue->high);
    parley_label *labels =
        parley_reallocarray(issue->labels, issue->n_labels + 1, sizeof *labels);
    if (!labels)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    issue->labels = labels;
    char *copy = parley_strdup(text ? text : "");
    if (!copy)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    size_t k = issue->n_labels;
    while (k > 0 && labels[k - 1].at > at) {
        labels[k] = labels[k - 1];
        k--;
    }
    labels[k].at = at;
    labels[k].text = copy;
    issue->n_labels++;
    return PARLEY_OK;
}

int parley_scenario_add_issue(parley_scenario *sc, const char *id, double low,
                              double high, const char *low_label,
                              const char *high_label, size_t *index,
                              parley_error *err)
{
    if (!sc || !id || !*id)
        return parley_error_set(err, PARLEY_EINVAL, "an issue needs a non-empty id");
    if (parley_scenario_find_issue(sc, id) >= 0)
        return parley_error_set(err, PARLEY_EINVAL, "issue id \"%s\" is defined twice", id);
    if (!(low < high) || !isfinite(low) || !isfinite(high))
        return parley_error_set(err, PARLEY_EINVAL,
                                "issue \"%s\": scale low (%g) must be below high (%g)",
                                id, low, high);
    if (sc->n_issues == sc->cap_issues) {
        size_t cap = sc->cap_issues ? 2 * sc->cap_issues : 8;
        parley_issue *issues = parley_reallocarray(sc->issues, cap, sizeof *issues);
        if (!issues)
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        sc->issues = issues;
        sc->cap_issues = cap;
    }
    parley_issue *is = &sc->issues[sc->n_issues];
    memset(is, 0, sizeof *is);
    is->low = low;
    is->high = high;
    is->id = parley_strdup(id);
    is->name = parley_strdup(id);
    int rc = (is->id && is->name) ? PARLEY_OK : PARLEY_ENOMEM;
    if (rc == PARLEY_OK && low_label)
        rc = parley_issue_add_label(is, low, low_label, err);
    if (rc == PARLEY_OK && high_label)
        rc = parley_issue_add_label(is, high, high_label, err);
    if (rc == PARLEY_OK)
        rc = resize_stakes(sc, sc->n_actors, sc->n_issues + 1);
    if (rc != PARLEY_OK) {
        issue_clear(is);
        return parley_error_set(err, rc, "out of memory");
    }
    if (index)
        *index = sc->n_issues;
    sc->n_issues++;
    return PARLEY_OK;
}

void parley_scenario_set_stake(parley_scenario *sc, size_t actor, size_t issue,
                               double position, double salience)
{
    parley_stake *st = parley_stake_at(sc, actor, issue);
    st->present = 1;
    st->position.value = position;
    st->salience.value = salience;
}

int parley_scenario_set_meta(parley_scenario *sc, const char *key,
                             const char *value, parley_error *err)
{
    char *copy = parley_strdup(value ? value : "");
    if (!copy)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    for (size_t k = 0; k < sc->n_meta; k++)
        if (strcmp(sc->meta[k].key, key) == 0) {
            parley_free(sc->meta[k].value);
            sc->meta[k].value = copy;
            return PARLEY_OK;
        }
    parley_meta *meta = parley_reallocarray(sc->meta, sc->n_meta + 1, sizeof *meta);
    char *key_copy = meta ? parley_strdup(key) : NULL;
    if (meta)
        sc->meta = meta;
    if (!key_copy) {
        parley_free(copy);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    sc->meta[sc->n_meta].key = key_copy;
    sc->meta[sc->n_meta].value = copy;
    sc->n_meta++;
    return PARLEY_OK;
}

const char *parley_scenario_get_meta(const parley_scenario *sc, const char *key)
{
    for (size_t k = 0; k < sc->n_meta; k++)
        if (strcmp(sc->meta[k].key, key) == 0)
            return sc->meta[k].value;
    return NULL;
}

long parley_scenario_find_actor(const parley_scenario *sc, const char *id)
{
    for (size_t a = 0; a < sc->n_actors; a++)
        if (strcmp(sc->actors[a].id, id) == 0)
            return (long)a;
    return -1;
}

long parley_scenario_find_issue(const parley_scenario *sc, const char *id)
{
    for (size_t i = 0; i < sc->n_issues; i++)
        if (strcmp(sc->issues[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* ---- deep copy ---------------------------------------------------------- */

static int actor_copy(parley_actor *dst, const parley_actor *src)
{
    memset(dst, 0, sizeof *dst);
    return dup_into(&dst->id, src->id) && dup_into(&dst->name, src->name) &&
           dup_into(&dst->description, src->description) &&
           dup_into(&dst->note, src->note) &&
           value_copy(&dst->capability, &src->capability);
}

static int issue_copy(parley_issue *dst, const parley_issue *src)
{
    *dst = *src;
    dst->id = dst->name = dst->description = dst->note = NULL;
    dst->labels = NULL;
    dst->n_labels = 0;
    dst->status_quo.note = NULL;
    dst->rule.veto = NULL;
    dst->rule.n_veto = 0;
    if (!(dup_into(&dst->id, src->id) && dup_into(&dst->name, src->name) &&
          dup_into(&dst->description, src->description) &&
          dup_into(&dst->note, src->note) &&
          value_copy(&dst->status_quo, &src->status_quo)))
        return 0;
    if (src->n_labels) {
        dst->labels = parley_calloc(src->n_labels, sizeof *dst->labels);
        if (!dst->labels)
            return 0;
        for (size_t k = 0; k < src->n_labels; k++) {
            dst->labels[k].at = src->labels[k].at;
            if (!dup_into(&dst->labels[k].text, src->labels[k].text))
                return 0;
            dst->n_labels++;
        }
    }
    if (src->rule.n_veto) {
        dst->rule.veto = parley_calloc(src->rule.n_veto, sizeof *dst->rule.veto);
        if (!dst->rule.veto)
            return 0;
        memcpy(dst->rule.veto, src->rule.veto, src->rule.n_veto * sizeof *dst->rule.veto);
        dst->rule.n_veto = src->rule.n_veto;
    }
    return 1;
}

static int stake_copy(parley_stake *dst, const parley_stake *src)
{
    *dst = *src;
    dst->position.note = dst->salience.note = dst->note = NULL;
    return value_copy(&dst->position, &src->position) &&
           value_copy(&dst->salience, &src->salience) && dup_into(&dst->note, src->note);
}

parley_scenario *parley_scenario_copy(const parley_scenario *src)
{
    parley_scenario *sc = parley_scenario_new(NULL);
    if (!sc)
        return NULL;
    size_t na = src->n_actors, ni = src->n_issues;
    if (!(dup_into(&sc->id, src->id) && dup_into(&sc->name, src->name) &&
          dup_into(&sc->description, src->description) &&
          dup_into(&sc->date, src->date) && dup_into(&sc->source, src->source) &&
          dup_into(&sc->note, src->note)))
        goto fail;
    sc->actors = parley_calloc(na ? na : 1, sizeof *sc->actors);
    sc->issues = parley_calloc(ni ? ni : 1, sizeof *sc->issues);
    sc->stakes = parley_calloc(na * ni > 0 ? na * ni : 1, sizeof *sc->stakes);
    sc->meta = parley_calloc(src->n_meta ? src->n_meta : 1, sizeof *sc->meta);
    if (!sc->actors || !sc->issues || !sc->stakes || !sc->meta)
        goto fail;
    sc->cap_actors = na ? na : 1;
    sc->cap_issues = ni ? ni : 1;
    /* Counts grow as parts are copied, so a failure frees exactly those. */
    for (size_t a = 0; a < na; a++) {
        sc->n_actors++;
        if (!actor_copy(&sc->actors[a], &src->actors[a]))
            goto fail;
    }
    for (size_t i = 0; i < ni; i++) {
        sc->n_issues++;
        if (!issue_copy(&sc->issues[i], &src->issues[i]))
            goto fail;
    }
    for (size_t k = 0; k < na * ni; k++)
        if (!stake_copy(&sc->stakes[k], &src->stakes[k]))
            goto fail;
    for (size_t k = 0; k < src->n_meta; k++) {
        sc->n_meta++;
        if (!dup_into(&sc->meta[k].key, src->meta[k].key) ||
            !dup_into(&sc->meta[k].value, src->meta[k].value))
            goto fail;
    }
    return sc;
fail:
    parley_scenario_free(sc);
    return NULL;
}

/* ---- validation --------------------------------------------------------- */

static int check_value(const parley_value *v, double low, double high,
                       const char *what, parley_error *err)
{
    if (!isfinite(v->value) || v->value < low || v->value > high)
        return parley_error_set(err, PARLEY_ERANGE,
                                "%s %g is outside [%g, %g]", what, v->value, low, high);
    switch (v->spread) {
    case PARLEY_SPREAD_NONE:
        break;
    case PARLEY_SPREAD_SD:
        if (!isfinite(v->sd) || v->sd < 0)
            return parley_error_set(err, PARLEY_ERANGE,
                                    "%s: standard deviation %g must be finite and >= 0",
                                    what, v->sd);
        break;
    case PARLEY_SPREAD_RANGE:
        if (!isfinite(v->low) || !isfinite(v->high) || v->low > v->value ||
            v->value > v->high || v->low < low || v->high > high)
            return parley_error_set(err, PARLEY_ERANGE,
                                    "%s: range [%g, %g] must contain the value %g and lie "
                                    "within [%g, %g]",
                                    what, v->low, v->high, v->value, low, high);
        break;
    default:
        return parley_error_set(err, PARLEY_ESCHEMA, "%s: unknown spread kind", what);
    }
    return PARLEY_OK;
}

static int at_path(parley_error *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static int at_path(parley_error *err, int rc, const char *fmt, ...)
{
    if (err && rc != PARLEY_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->path, sizeof err->path, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static int validate_issue(const parley_scenario *sc, size_t i, parley_error *err)
{
    const parley_issue *is = &sc->issues[i];
    int rc;
    if (!is->id || !*is->id)
        return at_path(err, parley_error_set(err, PARLEY_ESCHEMA, "an issue needs an id"),
                       "issues[%zu].id", i);
    if (!(is->low < is->high) || !isfinite(is->low) || !isfinite(is->high))
        return at_path(err,
                       parley_error_set(err, PARLEY_ERANGE,
                                        "scale low (%g) must be below high (%g)", is->low,
                                        is->high),
                       "issues[%zu].scale", i);
    for (size_t k = 0; k < is->n_labels; k++)
        if (!(is->labels[k].at >= is->low && is->labels[k].at <= is->high))
            return at_path(err,
                           parley_error_set(err, PARLEY_ERANGE,
                                            "label at %g is off the scale [%g, %g]",
                                            is->labels[k].at, is->low, is->high),
                           "issues[%zu].scale.labels[%zu]", i, k);
    if (is->has_status_quo &&
        (rc = check_value(&is->status_quo, is->low, is->high, "status quo", err)))
        return at_path(err, rc, "issues[%zu].status_quo", i);
    if (is->has_outcome && !(is->outcome >= is->low && is->outcome <= is->high))
        return at_path(err,
                       parley_error_set(err, PARLEY_ERANGE, "outcome %g is outside [%g, %g]",
                                        is->outcome, is->low, is->high),
                       "issues[%zu].outcome", i);
    if (is->rule.kind == PARLEY_RULE_QUALIFIED &&
        !(is->rule.threshold > 0.5 && is->rule.threshold <= 1.0))
        return at_path(err,
                       parley_error_set(err, PARLEY_ERANGE,
                                        "qualified-majority threshold %g must be in (0.5, 1]",
                                        is->rule.threshold),
                       "issues[%zu].rule.threshold", i);
    for (size_t k = 0; k < is->rule.n_veto; k++)
        if (is->rule.veto[k] >= sc->n_actors)
            return at_path(err,
                           parley_error_set(err, PARLEY_ESCHEMA,
                                            "veto actor index %zu is not an actor",
                                            is->rule.veto[k]),
                           "issues[%zu].rule.veto[%zu]", i, k);
    return PARLEY_OK;
}

int parley_scenario_validate(const parley_scenario *sc, parley_error *err)
{
    int rc;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_actor *ac = &sc->actors[a];
        if (!ac->id || !*ac->id)
            return at_path(err, parley_error_set(err, PARLEY_ESCHEMA, "an actor needs an id"),
                           "actors[%zu].id", a);
        for (size_t b = 0; b < a; b++)
            if (strcmp(sc->actors[b].id, ac->id) == 0)
                return at_path(err,
                               parley_error_set(err, PARLEY_ESCHEMA,
                                                "actor id \"%s\" is defined twice", ac->id),
                               "actors[%zu].id", a);
        if (!(ac->capability.value > 0) || !isfinite(ac->capability.value))
            return at_path(err,
                           parley_error_set(err, PARLEY_ERANGE,
                                            "capability %g of actor \"%s\" must be finite "
                                            "and > 0",
                                            ac->capability.value, ac->id),
                           "actors[%zu].capability", a);
        if ((rc = check_value(&ac->capability, 0, INFINITY, "capability", err)))
            return at_path(err, rc, "actors[%zu].capability", a);
    }
    for (size_t i = 0; i < sc->n_issues; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->issues[j].id, sc->issues[i].id) == 0)
                return at_path(err,
                               parley_error_set(err, PARLEY_ESCHEMA,
                                                "issue id \"%s\" is defined twice",
                                                sc->issues[i].id),
                               "issues[%zu].id", i);
        if ((rc = validate_issue(sc, i, err)))
            return rc;
    }
    for (size_t a = 0; a < sc->n_actors; a++)
        for (size_t i = 0; i < sc->n_issues; i++) {
            const parley_stake *st = parley_stake_at(sc, a, i);
            const parley_issue *is = &sc->issues[i];
            if (!st->present)
                continue;
            char what[200];
            snprintf(what, sizeof what, "position of \"%s\" on \"%s\"", sc->actors[a].id,
                     is->id);
            if ((rc = check_value(&st->position, is->low, is->high, what, err)))
                return at_path(err, rc, "positions[%s][%s].position", sc->actors[a].id,
                               is->id);
            snprintf(what, sizeof what, "salience of \"%s\" on \"%s\"", sc->actors[a].id,
                     is->id);
            if ((rc = check_value(&st->salience, 0, 1, what, err)))
                return at_path(err, rc, "positions[%s][%s].salience", sc->actors[a].id,
                               is->id);
        }
    return PARLEY_OK;
}

const char *parley_issue_nearest_label(const parley_issue *issue, double x)
{
    const char *best = NULL;
    double best_distance = INFINITY;
    for (size_t k = 0; k < issue->n_labels; k++) {
        double d = fabs(issue->labels[k].at - x);
        if (d < best_distance) {
            best_distance = d;
            best = issue->labels[k].text;
        }
    }
    return best;
}

static const char *const rule_names[] = {
#define PARLEY_X_NAME(name, text) text,
    PARLEY_RULE_KINDS(PARLEY_X_NAME)
#undef PARLEY_X_NAME
};

const char *parley_rule_kind_name(parley_rule_kind kind)
{
    if ((size_t)kind < sizeof rule_names / sizeof rule_names[0])
        return rule_names[kind];
    return "unknown";
}

int parley_rule_kind_parse(const char *name)
{
    for (size_t k = 0; k < sizeof rule_names / sizeof rule_names[0]; k++)
        if (strcmp(rule_names[k], name) == 0)
            return (int)k;
    return -1;
}
