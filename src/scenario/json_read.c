/* json_read.c — reads parley's native JSON scenario (version 1), the format
 * specified in docs/scenario-format.md, through jansson.
 *
 * Reading is strict: duplicate keys (JSON_REJECT_DUPLICATES), unknown fields,
 * values of the wrong type, numbers out of range, references to undefined
 * actors or issues, duplicate stakes and missing required fields each stop
 * the read with an error naming the file and the JSON path (and the line and
 * column when jansson reports them, i.e. for syntax errors).  jansson rejects
 * NaN, Infinity and numbers that overflow a double.  Nesting deeper than
 * MAX_DEPTH is refused before jansson sees the text, so a hostile file cannot
 * exhaust the stack. */
#include "format_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

/* A scenario needs 4 levels (top, issues, issue, scale, labels, label = 6);
 * anything much deeper is not a scenario. */
#define MAX_DEPTH 32

typedef struct reader {
    const char *name;
    parley_error *err;
    parley_scenario *sc;
} reader;

static int fail(reader *r, int code, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(reader *r, int code, const char *path, const char *fmt, ...)
{
    if (r->err) {
        parley_error_at(r->err, r->name, 0, 0, path);
        r->err->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err->message, sizeof r->err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int no_memory(reader *r)
{
    return parley_error_set(r->err, PARLEY_ENOMEM, "out of memory");
}

static const char *type_name(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "something else";
}

/* Refuses fields other than the allowed ones (a NULL-terminated list). */
static int check_fields(reader *r, json_t *obj, const char *const *allowed, const char *path)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        int known = 0;
        for (size_t k = 0; allowed[k] && !known; k++)
            known = strcmp(allowed[k], key) == 0;
        if (!known) {
            char where[256];
            snprintf(where, sizeof where, "%s%s%.100s", path, *path ? "." : "", key);
            return fail(r, PARLEY_ESCHEMA, where, "unknown field \"%.100s\"", key);
        }
    }
    return PARLEY_OK;
}

static void sub_path(char *buf, size_t n, const char *path, const char *key)
{
    snprintf(buf, n, "%s%s%s", path, *path ? "." : "", key);
}

/* Looks up key: *out is NULL when it is absent and not required. */
static int field(reader *r, json_t *obj, const char *key, int required, const char *path,
                 json_t **out)
{
    *out = json_object_get(obj, key);
    if (!*out && required) {
        char where[256];
        sub_path(where, sizeof where, path, key);
        return fail(r, PARLEY_ESCHEMA, where, "the required field \"%s\" is missing", key);
    }
    return PARLEY_OK;
}

/* An optional (or required) string field copied into *dst. */
static int string_field(reader *r, json_t *obj, const char *key, int required,
                        const char *path, char **dst)
{
    json_t *j;
    char where[256];
    int rc = field(r, obj, key, required, path, &j);
    if (rc || !j)
        return rc;
    sub_path(where, sizeof where, path, key);
    if (!json_is_string(j))
        return fail(r, PARLEY_ESCHEMA, where, "expected a string, got %s", type_name(j));
    if (required && !*json_string_value(j))
        return fail(r, PARLEY_ESCHEMA, where, "must not be empty");
    return fmt_set_text(dst, json_string_value(j)) ? PARLEY_OK : no_memory(r);
}

static int number(reader *r, json_t *j, const char *path, double *out)
{
    if (!json_is_number(j))
        return fail(r, PARLEY_ESCHEMA, path, "expected a number, got %s", type_name(j));
    *out = json_number_value(j);
    if (!isfinite(*out))
        return fail(r, PARLEY_ERANGE, path, "the number is not finite");
    return PARLEY_OK;
}

/* The bounds a value must respect. */
typedef struct bounds {
    double low, high;
    int low_open;       /* value must be > low, not >= */
    const char *what;   /* "a salience", for messages */
} bounds;

static int in_bounds(const bounds *b, double x)
{
    return (b->low_open ? x > b->low : x >= b->low) && x <= b->high;
}

static int out_of_bounds(reader *r, const char *path, const bounds *b, double x)
{
    if (b->low_open && isinf(b->high))
        return fail(r, PARLEY_ERANGE, path, "%s must be > %g, got %.17g", b->what, b->low, x);
    return fail(r, PARLEY_ERANGE, path, "%s must be in %s%g, %g], got %.17g", b->what,
                b->low_open ? "(" : "[", b->low, b->high, x);
}

/* A *value*: a bare number or {"value", "sd" | "range", "note"}. */
static int read_value(reader *r, json_t *j, const char *path, const bounds *b,
                      parley_value *v)
{
    static const char *const allowed[] = {"value", "sd", "range", "note", NULL};
    char where[256];
    int rc;
    memset(v, 0, sizeof *v);
    if (json_is_number(j)) {
        if ((rc = number(r, j, path, &v->value)))
            return rc;
        return in_bounds(b, v->value) ? PARLEY_OK : out_of_bounds(r, path, b, v->value);
    }
    if (!json_is_object(j))
        return fail(r, PARLEY_ESCHEMA, path,
                    "expected a number or an object {\"value\": ...}, got %s", type_name(j));
    json_t *value, *sd, *range;
    if ((rc = check_fields(r, j, allowed, path)) ||
        (rc = field(r, j, "value", 1, path, &value)))
        return rc;
    sub_path(where, sizeof where, path, "value");
    if ((rc = number(r, value, where, &v->value)))
        return rc;
    if (!in_bounds(b, v->value))
        return out_of_bounds(r, where, b, v->value);
    sd = json_object_get(j, "sd");
    range = json_object_get(j, "range");
    if (sd && range)
        return fail(r, PARLEY_ESCHEMA, path, "\"sd\" and \"range\" exclude each other");
    if (sd) {
        sub_path(where, sizeof where, path, "sd");
        if ((rc = number(r, sd, where, &v->sd)))
            return rc;
        if (!(v->sd >= 0))
            return fail(r, PARLEY_ERANGE, where, "a standard deviation must be >= 0, got %g",
                        v->sd);
        v->spread = PARLEY_SPREAD_SD;
    }
    if (range) {
        sub_path(where, sizeof where, path, "range");
        if (!json_is_array(range) || json_array_size(range) != 2)
            return fail(r, PARLEY_ESCHEMA, where, "expected [low, high]");
        char item[272];
        snprintf(item, sizeof item, "%s[0]", where);
        if ((rc = number(r, json_array_get(range, 0), item, &v->low)))
            return rc;
        snprintf(item, sizeof item, "%s[1]", where);
        if ((rc = number(r, json_array_get(range, 1), item, &v->high)))
            return rc;
        if (!(v->low <= v->value && v->value <= v->high))
            return fail(r, PARLEY_ERANGE, where,
                        "the range [%g, %g] must contain the value %g", v->low, v->high,
                        v->value);
        if (!in_bounds(b, v->low) || !in_bounds(b, v->high))
            return fail(r, PARLEY_ERANGE, where, "the range [%g, %g] goes outside %s's bounds",
                        v->low, v->high, b->what);
        v->spread = PARLEY_SPREAD_RANGE;
    }
    return string_field(r, j, "note", 0, path, &v->note);
}

static int expect_array(reader *r, json_t *j, const char *path)
{
    if (!json_is_array(j))
        return fail(r, PARLEY_ESCHEMA, path, "expected an array, got %s", type_name(j));
    return PARLEY_OK;
}

static int expect_object(reader *r, json_t *j, const char *path)
{
    if (!json_is_object(j))
        return fail(r, PARLEY_ESCHEMA, path, "expected an object, got %s", type_name(j));
    return PARLEY_OK;
}

static int read_actor(reader *r, json_t *j, size_t k)
{
    static const char *const allowed[] = {"id", "name", "description", "capability", "note",
                                          NULL};
    char path[64], where[96];
    snprintf(path, sizeof path, "actors[%zu]", k);
    char *id = NULL;
    json_t *capability;
    int rc;
    if ((rc = expect_object(r, j, path)) || (rc = check_fields(r, j, allowed, path)) ||
        (rc = string_field(r, j, "id", 1, path, &id)))
        goto done;
    if (parley_scenario_find_actor(r->sc, id) >= 0) {
        snprintf(where, sizeof where, "%s.id", path);
        rc = fail(r, PARLEY_ESCHEMA, where, "actor id \"%.100s\" is defined twice", id);
        goto done;
    }
    if ((rc = field(r, j, "capability", 1, path, &capability)))
        goto done;
    parley_value value;
    static const bounds positive = {0, INFINITY, 1, "a capability"};
    snprintf(where, sizeof where, "%s.capability", path);
    if ((rc = read_value(r, capability, where, &positive, &value)))
        goto done;
    size_t index;
    if ((rc = parley_scenario_add_actor(r->sc, id, value.value, &index, r->err))) {
        parley_free(value.note);
        goto done;
    }
    parley_actor *actor = &r->sc->actors[index];
    actor->capability = value;
    if ((rc = string_field(r, j, "name", 0, path, &actor->name)) ||
        (rc = string_field(r, j, "description", 0, path, &actor->description)) ||
        (rc = string_field(r, j, "note", 0, path, &actor->note)))
        goto done;
done:
    parley_free(id);
    return rc;
}

static int read_scale(reader *r, json_t *j, const char *path, const char *id, size_t *index)
{
    static const char *const allowed[] = {"low", "high", "labels", NULL};
    char where[128];
    json_t *low_j, *high_j, *labels;
    double low, high;
    int rc;
    if ((rc = expect_object(r, j, path)) || (rc = check_fields(r, j, allowed, path)) ||
        (rc = field(r, j, "low", 1, path, &low_j)) ||
        (rc = field(r, j, "high", 1, path, &high_j)))
        return rc;
    sub_path(where, sizeof where, path, "low");
    if ((rc = number(r, low_j, where, &low)))
        return rc;
    sub_path(where, sizeof where, path, "high");
    if ((rc = number(r, high_j, where, &high)))
        return rc;
    if (!(low < high))
        return fail(r, PARLEY_ERANGE, path, "low (%g) must be below high (%g)", low, high);
    if ((rc = parley_scenario_add_issue(r->sc, id, low, high, NULL, NULL, index, r->err)))
        return rc;
    parley_issue *issue = &r->sc->issues[*index];
    labels = json_object_get(j, "labels");
    if (!labels) {
        /* Without words, the ends are described by their numbers. */
        char text[40];
        if ((rc = parley_issue_add_label(issue, low, fmt_number(low, text, sizeof text),
                                         r->err)) ||
            (rc = parley_issue_add_label(issue, high, fmt_number(high, text, sizeof text),
                                         r->err)))
            return rc;
        return PARLEY_OK;
    }
    sub_path(where, sizeof where, path, "labels");
    if ((rc = expect_array(r, labels, where)))
        return rc;
    static const char *const label_fields[] = {"at", "text", NULL};
    int has_low = 0, has_high = 0;
    for (size_t k = 0; k < json_array_size(labels); k++) {
        char item[160], part[192];
        json_t *label = json_array_get(labels, k), *at_j, *text_j;
        double at;
        snprintf(item, sizeof item, "%s[%zu]", where, k);
        if ((rc = expect_object(r, label, item)) ||
            (rc = check_fields(r, label, label_fields, item)) ||
            (rc = field(r, label, "at", 1, item, &at_j)) ||
            (rc = field(r, label, "text", 1, item, &text_j)))
            return rc;
        snprintf(part, sizeof part, "%s.at", item);
        if ((rc = number(r, at_j, part, &at)))
            return rc;
        if (!(at >= low && at <= high))
            return fail(r, PARLEY_ERANGE, part, "label at %g is off the scale [%g, %g]", at,
                        low, high);
        snprintf(part, sizeof part, "%s.text", item);
        if (!json_is_string(text_j))
            return fail(r, PARLEY_ESCHEMA, part, "expected a string, got %s",
                        type_name(text_j));
        if ((rc = parley_issue_add_label(issue, at, json_string_value(text_j), r->err)))
            return rc;
        has_low |= at == low;
        has_high |= at == high;
    }
    if (!has_low || !has_high)
        return fail(r, PARLEY_ESCHEMA, where,
                    "the labels must describe both ends of the scale (at %g and at %g)", low,
                    high);
    return PARLEY_OK;
}

static int read_rule(reader *r, json_t *j, const char *path, parley_issue *issue)
{
    static const char *const allowed[] = {"kind", "threshold", "veto", NULL};
    char where[128];
    json_t *kind_j, *threshold, *veto;
    int rc;
    if ((rc = expect_object(r, j, path)) || (rc = check_fields(r, j, allowed, path)) ||
        (rc = field(r, j, "kind", 1, path, &kind_j)))
        return rc;
    sub_path(where, sizeof where, path, "kind");
    int kind = json_is_string(kind_j) ? parley_rule_kind_parse(json_string_value(kind_j)) : -1;
    if (kind < 0)
        return fail(r, PARLEY_ESCHEMA, where,
                    "expected \"majority\", \"qualified\", \"unanimity\" or \"none\"");
    issue->rule.kind = (parley_rule_kind)kind;
    threshold = json_object_get(j, "threshold");
    sub_path(where, sizeof where, path, "threshold");
    if (kind == PARLEY_RULE_QUALIFIED && !threshold)
        return fail(r, PARLEY_ESCHEMA, path, "a qualified majority needs a \"threshold\"");
    if (kind != PARLEY_RULE_QUALIFIED && threshold)
        return fail(r, PARLEY_ESCHEMA, where, "\"threshold\" belongs to \"qualified\" only");
    if (threshold) {
        if ((rc = number(r, threshold, where, &issue->rule.threshold)))
            return rc;
        if (!(issue->rule.threshold > 0.5 && issue->rule.threshold <= 1))
            return fail(r, PARLEY_ERANGE, where, "the threshold must be in (0.5, 1], got %g",
                        issue->rule.threshold);
    }
    veto = json_object_get(j, "veto");
    if (!veto)
        return PARLEY_OK;
    sub_path(where, sizeof where, path, "veto");
    if ((rc = expect_array(r, veto, where)))
        return rc;
    size_t n = json_array_size(veto);
    issue->rule.veto = parley_calloc(n ? n : 1, sizeof *issue->rule.veto);
    if (!issue->rule.veto)
        return no_memory(r);
    for (size_t k = 0; k < n; k++) {
        char item[160];
        json_t *who = json_array_get(veto, k);
        snprintf(item, sizeof item, "%s[%zu]", where, k);
        if (!json_is_string(who))
            return fail(r, PARLEY_ESCHEMA, item, "expected an actor id, got %s",
                        type_name(who));
        long a = parley_scenario_find_actor(r->sc, json_string_value(who));
        if (a < 0)
            return fail(r, PARLEY_ESCHEMA, item, "\"%.100s\" is not a defined actor",
                        json_string_value(who));
        issue->rule.veto[issue->rule.n_veto++] = (size_t)a;
    }
    return PARLEY_OK;
}

static int read_issue(reader *r, json_t *j, size_t k)
{
    static const char *const allowed[] = {"id", "name", "description", "scale", "status_quo",
                                          "rule", "outcome", "note", NULL};
    char path[64], where[96];
    snprintf(path, sizeof path, "issues[%zu]", k);
    char *id = NULL;
    json_t *scale, *part;
    size_t index;
    int rc;
    if ((rc = expect_object(r, j, path)) || (rc = check_fields(r, j, allowed, path)) ||
        (rc = string_field(r, j, "id", 1, path, &id)))
        goto done;
    if (parley_scenario_find_issue(r->sc, id) >= 0) {
        snprintf(where, sizeof where, "%s.id", path);
        rc = fail(r, PARLEY_ESCHEMA, where, "issue id \"%.100s\" is defined twice", id);
        goto done;
    }
    snprintf(where, sizeof where, "%s.scale", path);
    if ((rc = field(r, j, "scale", 1, path, &scale)) ||
        (rc = read_scale(r, scale, where, id, &index)))
        goto done;
    parley_issue *issue = &r->sc->issues[index];
    bounds on_scale = {issue->low, issue->high, 0, "a point of the scale"};
    if ((part = json_object_get(j, "status_quo"))) {
        snprintf(where, sizeof where, "%s.status_quo", path);
        if ((rc = read_value(r, part, where, &on_scale, &issue->status_quo)))
            goto done;
        issue->has_status_quo = 1;
    }
    if ((part = json_object_get(j, "rule"))) {
        snprintf(where, sizeof where, "%s.rule", path);
        if ((rc = read_rule(r, part, where, issue)))
            goto done;
    }
    if ((part = json_object_get(j, "outcome"))) {
        snprintf(where, sizeof where, "%s.outcome", path);
        if ((rc = number(r, part, where, &issue->outcome)))
            goto done;
        if (!in_bounds(&on_scale, issue->outcome)) {
            rc = out_of_bounds(r, where, &on_scale, issue->outcome);
            goto done;
        }
        issue->has_outcome = 1;
    }
    if ((rc = string_field(r, j, "name", 0, path, &issue->name)) ||
        (rc = string_field(r, j, "description", 0, path, &issue->description)) ||
        (rc = string_field(r, j, "note", 0, path, &issue->note)))
        goto done;
done:
    parley_free(id);
    return rc;
}

static int find_ref(reader *r, json_t *j, const char *key, const char *path, int actor,
                    size_t *out)
{
    json_t *ref;
    char where[96];
    int rc = field(r, j, key, 1, path, &ref);
    if (rc)
        return rc;
    snprintf(where, sizeof where, "%s.%s", path, key);
    if (!json_is_string(ref))
        return fail(r, PARLEY_ESCHEMA, where, "expected an %s id, got %s",
                    actor ? "actor" : "issue", type_name(ref));
    const char *id = json_string_value(ref);
    long index = actor ? parley_scenario_find_actor(r->sc, id)
                       : parley_scenario_find_issue(r->sc, id);
    if (index < 0)
        return fail(r, PARLEY_ESCHEMA, where, "\"%.100s\" is not a defined %s", id,
                    actor ? "actor" : "issue");
    *out = (size_t)index;
    return PARLEY_OK;
}

static int read_stake(reader *r, json_t *j, size_t k)
{
    static const char *const allowed[] = {"actor", "issue", "position", "salience", "note",
                                          NULL};
    char path[64], where[96];
    snprintf(path, sizeof path, "positions[%zu]", k);
    size_t a, i;
    json_t *position, *salience;
    int rc;
    if ((rc = expect_object(r, j, path)) || (rc = check_fields(r, j, allowed, path)) ||
        (rc = find_ref(r, j, "actor", path, 1, &a)) ||
        (rc = find_ref(r, j, "issue", path, 0, &i)) ||
        (rc = field(r, j, "position", 1, path, &position)) ||
        (rc = field(r, j, "salience", 1, path, &salience)))
        return rc;
    parley_stake *st = parley_stake_at(r->sc, a, i);
    if (st->present)
        return fail(r, PARLEY_ESCHEMA, path,
                    "a second stake of actor \"%.80s\" in issue \"%.80s\"",
                    r->sc->actors[a].id, r->sc->issues[i].id);
    st->present = 1;
    const parley_issue *issue = &r->sc->issues[i];
    bounds on_scale = {issue->low, issue->high, 0, "a position"};
    static const bounds unit = {0, 1, 0, "a salience"};
    snprintf(where, sizeof where, "%s.position", path);
    if ((rc = read_value(r, position, where, &on_scale, &st->position)))
        return rc;
    snprintf(where, sizeof where, "%s.salience", path);
    if ((rc = read_value(r, salience, where, &unit, &st->salience)))
        return rc;
    return string_field(r, j, "note", 0, path, &st->note);
}

static int read_meta(reader *r, json_t *meta)
{
    int rc;
    if ((rc = expect_object(r, meta, "meta")))
        return rc;
    const char *key;
    json_t *value;
    json_object_foreach(meta, key, value) {
        if (!json_is_string(value)) {
            char where[160];
            snprintf(where, sizeof where, "meta.%.100s", key);
            return fail(r, PARLEY_ESCHEMA, where, "expected a string, got %s",
                        type_name(value));
        }
        if ((rc = parley_scenario_set_meta(r->sc, key, json_string_value(value), r->err)))
            return rc;
    }
    return PARLEY_OK;
}

typedef int (*item_fn)(reader *, json_t *, size_t);

static int read_list(reader *r, json_t *top, const char *key, item_fn read_item)
{
    json_t *list;
    int rc;
    if ((rc = field(r, top, key, 1, "", &list)) || (rc = expect_array(r, list, key)))
        return rc;
    for (size_t k = 0; k < json_array_size(list); k++)
        if ((rc = read_item(r, json_array_get(list, k), k)))
            return rc;
    return PARLEY_OK;
}

static int read_top(reader *r, json_t *top)
{
    static const char *const allowed[] = {"parley", "id", "name", "description", "date",
                                          "source", "note", "meta", "actors", "issues",
                                          "positions", NULL};
    json_t *version, *meta;
    int rc;
    if ((rc = expect_object(r, top, "")) || (rc = check_fields(r, top, allowed, "")) ||
        (rc = field(r, top, "parley", 1, "", &version)))
        return rc;
    if (!json_is_number(version) || json_number_value(version) != 1)
        return fail(r, PARLEY_ESCHEMA, "parley",
                    "expected the format version 1 (this parley reads version 1 only)");
    if ((rc = string_field(r, top, "id", 1, "", &r->sc->id)) ||
        (rc = string_field(r, top, "name", 0, "", &r->sc->name)) ||
        (rc = string_field(r, top, "description", 0, "", &r->sc->description)) ||
        (rc = string_field(r, top, "date", 0, "", &r->sc->date)) ||
        (rc = string_field(r, top, "source", 0, "", &r->sc->source)) ||
        (rc = string_field(r, top, "note", 0, "", &r->sc->note)))
        return rc;
    if ((meta = json_object_get(top, "meta")) && (rc = read_meta(r, meta)))
        return rc;
    if ((rc = read_list(r, top, "actors", read_actor)) ||
        (rc = read_list(r, top, "issues", read_issue)) ||
        (rc = read_list(r, top, "positions", read_stake)))
        return rc;
    return PARLEY_OK;
}

/* Refuses nesting deeper than MAX_DEPTH, giving the line and column. */
static int check_depth(const char *buf, size_t len, const char *name, parley_error *err)
{
    int depth = 0, in_string = 0, line = 1, column = 0;
    for (size_t k = 0; k < len; k++) {
        char c = buf[k];
        column++;
        if (c == '\n') {
            line++;
            column = 0;
        }
        if (in_string) {
            if (c == '\\')
                k++, column++;
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"')
            in_string = 1;
        else if (c == '{' || c == '[') {
            if (++depth > MAX_DEPTH)
                return fmt_fail(err, PARLEY_EPARSE, name, line, column, NULL,
                                "nested more than %d levels deep; a scenario never is",
                                MAX_DEPTH);
        } else if (c == '}' || c == ']')
            depth--;
    }
    return PARLEY_OK;
}

int fmt_json_read(const char *buf, size_t len, const char *name, parley_scenario ***out,
                  size_t *count, parley_error *err)
{
    int rc = check_depth(buf, len, name, err);
    if (rc)
        return rc;
    json_error_t jerr;
    json_t *top = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr);
    if (!top)
        return fmt_fail(err, PARLEY_EPARSE, name, jerr.line > 0 ? jerr.line : 0,
                        jerr.column > 0 ? jerr.column : 0, NULL, "malformed JSON: %s",
                        jerr.text);
    reader r = {.name = name, .err = err, .sc = parley_scenario_new(NULL)};
    if (!r.sc) {
        json_decref(top);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    rc = read_top(&r, top);
    json_decref(top);
    if (rc) {
        if (err && !err->file[0])
            snprintf(err->file, sizeof err->file, "%s", name);
        parley_scenario_free(r.sc);
        return rc;
    }
    if ((rc = fmt_finish_scenario(r.sc, name, err)))
        return rc;
    return fmt_single(r.sc, out, count, err);
}
