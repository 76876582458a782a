/* sweep.c — a sweep's axes: parsing TARGET=VALUES against a scenario and a
 * model, and the fixed numbering of cases (parley/sweep.h).  Running the
 * cases is sweep_run.c. */
#include "parley/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parley/alloc.h"
#include "sweep_internal.h"

#define MAX_PARTS 4

const char *parley_sweep_stat_name(parley_sweep_stat stat)
{
    static const char *const names[] = {
#define PARLEY_X_NAME(name, text) text,
        PARLEY_SWEEP_STATS(PARLEY_X_NAME)
#undef PARLEY_X_NAME
    };
    return (size_t)stat < sizeof names / sizeof *names ? names[stat] : "?";
}

parley_sweep *parley_sweep_new(const parley_scenario *sc, const parley_model *m,
                               const parley_run_opts *run)
{
    parley_sweep *s = parley_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->scenario = sc;
    s->model = m;
    if (run)
        s->run = *run;
    else
        parley_run_opts_init(&s->run, m);
    return s;
}

static void axis_free(parley_sweep_axis *axis)
{
    parley_free(axis->text);
    parley_free(axis->label);
    parley_free(axis->values);
}

void parley_sweep_free(parley_sweep *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->n_axes; k++)
        axis_free(&s->axes[k]);
    parley_free(s->axes);
    parley_free(s);
}

const parley_scenario *parley_sweep_scenario(const parley_sweep *s)
{
    return s->scenario;
}

const parley_model *parley_sweep_model(const parley_sweep *s)
{
    return s->model;
}

const parley_run_opts *parley_sweep_run_opts(const parley_sweep *s)
{
    return &s->run;
}

size_t parley_sweep_count_axes(const parley_sweep *s)
{
    return s->n_axes;
}

const parley_sweep_axis *parley_sweep_axis_at(const parley_sweep *s, size_t k)
{
    return k < s->n_axes ? &s->axes[k] : NULL;
}

uint64_t parley_sweep_count_cases(const parley_sweep *s)
{
    uint64_t n = 1;
    for (size_t k = 0; k < s->n_axes; k++)
        n *= s->axes[k].n_values;
    return n;
}

/* The value index of each axis for case c: the last axis varies fastest. */
static size_t value_index(const parley_sweep *s, uint64_t c, size_t axis)
{
    uint64_t inner = 1;
    for (size_t k = axis + 1; k < s->n_axes; k++)
        inner *= s->axes[k].n_values;
    return (size_t)((c / inner) % s->axes[axis].n_values);
}

void parley_sweep_case_values(const parley_sweep *s, uint64_t c, double *values)
{
    for (size_t k = 0; k < s->n_axes; k++)
        values[k] = s->axes[k].values[value_index(s, c, k)];
}

void parley_sweep_case_apply(const parley_sweep *s, uint64_t c, parley_scenario *sc,
                             parley_run_opts *opts)
{
    for (size_t k = 0; k < s->n_axes; k++) {
        const parley_sweep_axis *axis = &s->axes[k];
        double value = axis->values[value_index(s, c, k)];
        switch (axis->kind) {
        case PARLEY_SWEEP_CAPABILITY:
            sc->actors[axis->actor].capability.value = value;
            break;
        case PARLEY_SWEEP_POSITION:
            parley_stake_at(sc, (size_t)axis->actor, (size_t)axis->issue)->position.value = value;
            break;
        case PARLEY_SWEEP_SALIENCE:
            parley_stake_at(sc, (size_t)axis->actor, (size_t)axis->issue)->salience.value = value;
            break;
        case PARLEY_SWEEP_STATUS_QUO:
            sc->issues[axis->issue].has_status_quo = 1;
            sc->issues[axis->issue].status_quo.value = value;
            break;
        case PARLEY_SWEEP_PARAM:
            opts->param[axis->param] = value;
            break;
        }
    }
}

/* ---- parsing ------------------------------------------------------------ */

static long find_actor(const parley_scenario *sc, const char *key)
{
    for (size_t a = 0; a < sc->n_actors; a++)
        if (strcasecmp(sc->actors[a].id, key) == 0 ||
            (sc->actors[a].name && strcasecmp(sc->actors[a].name, key) == 0))
            return (long)a;
    return -1;
}

static long find_issue(const parley_scenario *sc, const char *key)
{
    for (size_t i = 0; i < sc->n_issues; i++)
        if (strcasecmp(sc->issues[i].id, key) == 0 ||
            (sc->issues[i].name && strcasecmp(sc->issues[i].name, key) == 0))
            return (long)i;
    return -1;
}

static const parley_model *find_model(const char *name)
{
    for (const parley_model *const *m = parley_models(); *m; m++)
        if (strcasecmp((*m)->name, name) == 0)
            return *m;
    return NULL;
}

static long find_param(const parley_model *m, const char *name)
{
    for (size_t k = 0; m->params[k].name; k++)
        if (strcasecmp(m->params[k].name, name) == 0)
            return (long)k;
    return -1;
}

/* Splits target (modified in place) at dots. */
static size_t split_target(char *target, char **parts)
{
    size_t n = 0;
    for (char *at = target; n < MAX_PARTS; n++) {
        parts[n] = at;
        char *dot = strchr(at, '.');
        if (!dot)
            return n + 1;
        *dot = '\0';
        at = dot + 1;
    }
    return MAX_PARTS + 1;
}

const parley_model *parley_sweep_model_of(const char *text)
{
    char target[256];
    const char *eq = strchr(text, '=');
    size_t len = eq ? (size_t)(eq - text) : strlen(text);
    if (len >= sizeof target)
        return NULL;
    memcpy(target, text, len);
    target[len] = '\0';
    char *parts[MAX_PARTS];
    if (split_target(target, parts) != 2 || strcasecmp(parts[1], "capability") == 0 ||
        strcasecmp(parts[1], "status_quo") == 0)
        return NULL;
    return find_model(parts[0]);
}

/* Resolves the target of axis (kind, actor, issue, param, label). */
static int resolve_target(const parley_sweep *s, char *target, parley_sweep_axis *axis,
                          parley_error *err)
{
    char *parts[MAX_PARTS];
    size_t n = split_target(target, parts);
    const parley_scenario *sc = s->scenario;
    axis->actor = axis->issue = axis->param = -1;
    const char *last = parts[n > MAX_PARTS ? 0 : n - 1];
    char label[512];
    if (n == 2 && strcasecmp(last, "capability") == 0) {
        axis->kind = PARLEY_SWEEP_CAPABILITY;
        if ((axis->actor = find_actor(sc, parts[0])) < 0)
            return parley_error_set(err, PARLEY_ENOTFOUND, "no actor \"%s\" in %s", parts[0],
                                    sc->id);
        snprintf(label, sizeof label, "%s.capability", sc->actors[axis->actor].id);
    } else if (n == 2 && strcasecmp(last, "status_quo") == 0) {
        axis->kind = PARLEY_SWEEP_STATUS_QUO;
        if ((axis->issue = find_issue(sc, parts[0])) < 0)
            return parley_error_set(err, PARLEY_ENOTFOUND, "no issue \"%s\" in %s", parts[0],
                                    sc->id);
        snprintf(label, sizeof label, "%s.status_quo", sc->issues[axis->issue].id);
    } else if (n == 3 && (strcasecmp(last, "position") == 0 ||
                          strcasecmp(last, "salience") == 0)) {
        axis->kind = strcasecmp(last, "position") == 0 ? PARLEY_SWEEP_POSITION
                                                       : PARLEY_SWEEP_SALIENCE;
        if ((axis->issue = find_issue(sc, parts[0])) < 0)
            return parley_error_set(err, PARLEY_ENOTFOUND, "no issue \"%s\" in %s", parts[0],
                                    sc->id);
        if ((axis->actor = find_actor(sc, parts[1])) < 0)
            return parley_error_set(err, PARLEY_ENOTFOUND, "no actor \"%s\" in %s", parts[1],
                                    sc->id);
        if (!parley_stake_at(sc, (size_t)axis->actor, (size_t)axis->issue)->present)
            return parley_error_set(err, PARLEY_EINVAL, "%s has no stake in %s",
                                    sc->actors[axis->actor].id, sc->issues[axis->issue].id);
        snprintf(label, sizeof label, "%s.%s.%s", sc->issues[axis->issue].id,
                 sc->actors[axis->actor].id,
                 axis->kind == PARLEY_SWEEP_POSITION ? "position" : "salience");
    } else if (n == 2) {
        axis->kind = PARLEY_SWEEP_PARAM;
        const parley_model *m = find_model(parts[0]);
        if (!m)
            return parley_error_set(err, PARLEY_ENOTFOUND,
                                    "\"%s.%s\": expected ACTOR.capability, ISSUE.status_quo "
                                    "or MODEL.PARAM, and there is no model \"%s\"",
                                    parts[0], parts[1], parts[0]);
        if (m != s->model)
            return parley_error_set(err, PARLEY_EINVAL,
                                    "%s.%s is a parameter of model %s, but the sweep runs %s",
                                    parts[0], parts[1], m->name, s->model->name);
        if ((axis->param = find_param(m, parts[1])) < 0)
            return parley_error_set(err, PARLEY_ENOTFOUND,
                                    "model %s has no parameter \"%s\" (see `parley models %s`)",
                                    m->name, parts[1], m->name);
        snprintf(label, sizeof label, "%s.%s", m->name, m->params[axis->param].name);
    } else {
        return parley_error_set(err, PARLEY_EPARSE,
                                "expected ACTOR.capability, ISSUE.ACTOR.position, "
                                "ISSUE.ACTOR.salience, ISSUE.status_quo or MODEL.PARAM "
                                "before '='");
    }
    axis->label = parley_strdup(label);
    return axis->label ? PARLEY_OK : parley_error_set(err, PARLEY_ENOMEM, "out of memory");
}

/* The stated value of the target and its valid range. */
static double base_value(const parley_sweep *s, const parley_sweep_axis *axis, int *has_base)
{
    const parley_scenario *sc = s->scenario;
    *has_base = 1;
    switch (axis->kind) {
    case PARLEY_SWEEP_CAPABILITY:
        return sc->actors[axis->actor].capability.value;
    case PARLEY_SWEEP_POSITION:
        return parley_stake_at(sc, (size_t)axis->actor, (size_t)axis->issue)->position.value;
    case PARLEY_SWEEP_SALIENCE:
        return parley_stake_at(sc, (size_t)axis->actor, (size_t)axis->issue)->salience.value;
    case PARLEY_SWEEP_STATUS_QUO:
        *has_base = sc->issues[axis->issue].has_status_quo;
        return sc->issues[axis->issue].status_quo.value;
    case PARLEY_SWEEP_PARAM:
        return s->run.param[axis->param];
    }
    return NAN;
}

static void valid_range(const parley_sweep *s, const parley_sweep_axis *axis, double *low,
                        double *high)
{
    *low = -INFINITY;
    *high = INFINITY;
    switch (axis->kind) {
    case PARLEY_SWEEP_CAPABILITY:
        *low = 0;   /* exclusive */
        *high = INFINITY;
        break;
    case PARLEY_SWEEP_POSITION:
    case PARLEY_SWEEP_STATUS_QUO:
        *low = s->scenario->issues[axis->issue].low;
        *high = s->scenario->issues[axis->issue].high;
        break;
    case PARLEY_SWEEP_SALIENCE:
        *low = 0;
        *high = 1;
        break;
    case PARLEY_SWEEP_PARAM: {
        const parley_param *p = &s->model->params[axis->param];
        *low = p->type == PARLEY_PARAM_INT || p->type == PARLEY_PARAM_REAL ? p->min : -INFINITY;
        *high = p->type == PARLEY_PARAM_INT || p->type == PARLEY_PARAM_REAL ? p->max : INFINITY;
        break;
    }
    }
}

static int check_value(const parley_sweep *s, const parley_sweep_axis *axis, double value,
                       parley_error *err)
{
    double low, high;
    valid_range(s, axis, &low, &high);
    if (axis->kind == PARLEY_SWEEP_CAPABILITY ? !(value > 0) || !isfinite(value)
                                               : !(value >= low && value <= high))
        return parley_error_set(err, PARLEY_ERANGE,
                                axis->kind == PARLEY_SWEEP_CAPABILITY
                                    ? "%s: %g is not a valid value (capability must be > 0)"
                                    : "%s: %g is outside the valid range [%g, %g]",
                                axis->label, value, low, high);
    return PARLEY_OK;
}

/* One value of a list: a number, or for a parameter whatever
 * parley_run_opts_set accepts (choice names, true/false). */
static int parse_one(const parley_sweep *s, const parley_sweep_axis *axis, const char *text,
                     double *out, parley_error *err)
{
    if (axis->kind == PARLEY_SWEEP_PARAM) {
        parley_run_opts scratch = s->run;
        char assignment[320];
        snprintf(assignment, sizeof assignment, "%s=%s", s->model->params[axis->param].name,
                 text);
        int rc = parley_run_opts_set(&scratch, s->model, assignment, err);
        if (rc == PARLEY_OK)
            *out = scratch.param[axis->param];
        else if (err && strstr(err->message, "is outside"))
            err->code = rc = PARLEY_ERANGE;
        return rc;
    }
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    if (!*text || *end || errno || !isfinite(*out))
        return parley_error_set(err, PARLEY_EPARSE, "%s: expected a number, got \"%s\"",
                                axis->label, text);
    return check_value(s, axis, *out, err);
}

static int add_value(parley_sweep_axis *axis, size_t *cap, double value, parley_error *err)
{
    if (axis->n_values == *cap) {
        size_t grown = *cap ? *cap * 2 : 8;
        double *values = parley_reallocarray(axis->values, grown, sizeof *values);
        if (!values)
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        axis->values = values;
        *cap = grown;
    }
    axis->values[axis->n_values++] = value;
    return PARLEY_OK;
}

static int is_whole_param(const parley_sweep *s, const parley_sweep_axis *axis)
{
    return axis->kind == PARLEY_SWEEP_PARAM &&
           s->model->params[axis->param].type == PARLEY_PARAM_INT;
}

/* +-P%: three values about the base, clamped into the valid range. */
static int parse_relative(const parley_sweep *s, parley_sweep_axis *axis, const char *text,
                          size_t *cap, parley_error *err)
{
    char *end = NULL;
    errno = 0;
    double percent = strtod(text, &end);
    if (end == text || strcmp(end, "%") != 0 || errno || !(percent >= 0) ||
        !isfinite(percent))
        return parley_error_set(err, PARLEY_EPARSE, "%s: expected +-P%% with P >= 0, got \"+-%s\"",
                                axis->label, text);
    int has_base;
    double base = base_value(s, axis, &has_base);
    if (!has_base)
        return parley_error_set(err, PARLEY_EINVAL, "%s: no stated value to vary by +-%s",
                                axis->label, text);
    if (axis->kind == PARLEY_SWEEP_PARAM &&
        (s->model->params[axis->param].type == PARLEY_PARAM_CHOICE ||
         s->model->params[axis->param].type == PARLEY_PARAM_BOOL))
        return parley_error_set(err, PARLEY_EINVAL, "%s: +-P%% needs a numeric parameter",
                                axis->label);
    double low, high;
    valid_range(s, axis, &low, &high);
    const double factors[3] = {1 - percent / 100, 1, 1 + percent / 100};
    for (int k = 0; k < 3; k++) {
        double value = base * factors[k];
        if (is_whole_param(s, axis))
            value = round(value);
        if (axis->kind == PARLEY_SWEEP_CAPABILITY && !(value > 0))
            return parley_error_set(err, PARLEY_ERANGE,
                                    "%s: -%g%% leaves no capability (must be > 0)", axis->label,
                                    percent);
        value = value < low ? low : value > high ? high : value;
        if (axis->n_values && axis->values[axis->n_values - 1] == value)
            continue;
        int rc = add_value(axis, cap, value, err);
        if (rc)
            return rc;
    }
    return PARLEY_OK;
}

/* a:b:step, inclusive of both ends. */
static int parse_range(const parley_sweep *s, parley_sweep_axis *axis, char *text, size_t *cap,
                       parley_error *err)
{
    char *first_colon = strchr(text, ':'), *second_colon = strchr(first_colon + 1, ':');
    if (!second_colon || strchr(second_colon + 1, ':'))
        return parley_error_set(err, PARLEY_EPARSE, "%s: expected a:b:step, got \"%s\"",
                                axis->label, text);
    *first_colon = *second_colon = '\0';
    double a, b, step;
    char *end;
    const char *fields[3] = {text, first_colon + 1, second_colon + 1};
    double *numbers[3] = {&a, &b, &step};
    for (int k = 0; k < 3; k++) {
        errno = 0;
        *numbers[k] = strtod(fields[k], &end);
        if (!*fields[k] || *end || errno || !isfinite(*numbers[k]))
            return parley_error_set(err, PARLEY_EPARSE, "%s: a:b:step needs three numbers, got "
                                    "\"%s\"", axis->label, fields[k]);
    }
    double ratio = (b - a) / step;
    if (step == 0 || ratio < -1e-9)
        return parley_error_set(err, PARLEY_EPARSE,
                                "%s: the step %g does not lead from %g to %g", axis->label, step,
                                a, b);
    double steps = round(ratio);
    if (fabs(ratio - steps) > 1e-9 * (steps > 1 ? steps : 1))
        return parley_error_set(err, PARLEY_EPARSE,
                                "%s: the step %g does not divide %g..%g into whole steps",
                                axis->label, step, a, b);
    if (steps > 1e6)
        return parley_error_set(err, PARLEY_ERANGE, "%s: more than a million values",
                                axis->label);
    for (double k = 0; k <= steps; k++) {
        double value = steps > 0 ? a + (b - a) * k / steps : a;
        if (is_whole_param(s, axis) && value != floor(value))
            return parley_error_set(err, PARLEY_ERANGE, "%s: %g is not a whole number",
                                    axis->label, value);
        int rc = check_value(s, axis, value, err);
        if (!rc)
            rc = add_value(axis, cap, value, err);
        if (rc)
            return rc;
    }
    return PARLEY_OK;
}

static int parse_values(const parley_sweep *s, parley_sweep_axis *axis, char *text,
                        parley_error *err)
{
    size_t cap = 0;
    if (strncmp(text, "+-", 2) == 0)
        return parse_relative(s, axis, text + 2, &cap, err);
    if (strncmp(text, "\xc2\xb1", 2) == 0)   /* ± in UTF-8 */
        return parse_relative(s, axis, text + 2, &cap, err);
    if (strchr(text, ':'))
        return parse_range(s, axis, text, &cap, err);
    for (char *item = text;;) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        double value;
        int rc = parse_one(s, axis, item, &value, err);
        if (!rc)
            rc = add_value(axis, &cap, value, err);
        if (rc)
            return rc;
        if (!comma)
            return PARLEY_OK;
        item = comma + 1;
    }
}

int parley_sweep_add(parley_sweep *s, const char *text, parley_error *err)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || !eq[1]) {
        int rc = parley_error_set(err, PARLEY_EPARSE, "expected TARGET=VALUES, got \"%s\"", text);
        if (err)
            err->column = eq ? (int)(eq - text) + 1 : 1;
        return rc;
    }
    parley_sweep_axis axis = {0};
    char *target = parley_strdup(text);
    parley_sweep_axis *grown = parley_reallocarray(s->axes, s->n_axes + 1, sizeof *s->axes);
    int rc = PARLEY_ENOMEM;
    if (grown)
        s->axes = grown;
    axis.text = parley_strdup(text);
    if (!target || !grown || !axis.text) {
        parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        goto fail;
    }
    char *values = target + (eq - text) + 1;
    target[eq - text] = '\0';
    if ((rc = resolve_target(s, target, &axis, err)) != PARLEY_OK)
        goto fail;
    if ((rc = parse_values(s, &axis, values, err)) != PARLEY_OK) {
        if (err && rc == PARLEY_EPARSE)
            err->column = (int)(eq - text) + 2;
        goto fail;
    }
    if (s->n_axes && parley_sweep_count_cases(s) > (UINT64_C(1) << 40) / axis.n_values) {
        rc = parley_error_set(err, PARLEY_ERANGE, "more than 2^40 cases");
        goto fail;
    }
    s->axes[s->n_axes++] = axis;
    parley_free(target);
    return PARLEY_OK;
fail:
    parley_free(target);
    axis_free(&axis);
    return rc;
}
