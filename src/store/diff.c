/* diff.c — what differs between two stored runs: settings, inputs (actors
 * and issues matched by id) and how each forecast moved (parley/store.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/store.h"

typedef struct change_list {
    parley_run_change *items;
    size_t n, cap;
    int failed;
} change_list;

static parley_run_change *add(change_list *list, parley_change_section section,
                              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static parley_run_change *add(change_list *list, parley_change_section section,
                              const char *fmt, ...)
{
    if (list->failed)
        return NULL;
    if (list->n == list->cap) {
        size_t grown = list->cap ? 2 * list->cap : 16;
        parley_run_change *bigger = parley_reallocarray(list->items, grown, sizeof *bigger);
        if (!bigger) {
            list->failed = 1;
            return NULL;
        }
        list->items = bigger;
        list->cap = grown;
    }
    parley_run_change *c = &list->items[list->n++];
    memset(c, 0, sizeof *c);
    c->section = section;
    c->delta = NAN;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->what, sizeof c->what, fmt, ap);
    va_end(ap);
    return c;
}

static void put_number(char *buf, size_t n, double x)
{
    if (isnan(x))
        snprintf(buf, n, "none");
    else
        snprintf(buf, n, "%.6g", x);
}

/* A number that moved (or, with always set, one listed anyway). */
static void add_number(change_list *list, parley_change_section section, double before,
                       double after, int always, const char *what)
{
    int same = (isnan(before) && isnan(after)) || before == after;
    if (same && !always)
        return;
    parley_run_change *c = add(list, section, "%s", what);
    if (!c)
        return;
    put_number(c->before, sizeof c->before, before);
    put_number(c->after, sizeof c->after, after);
    if (!isnan(before) && !isnan(after))
        c->delta = after - before;
}

static void add_text(change_list *list, parley_change_section section, const char *before,
                     const char *after, const char *what)
{
    if (strcmp(before, after) == 0)
        return;
    parley_run_change *c = add(list, section, "%s", what);
    if (!c)
        return;
    snprintf(c->before, sizeof c->before, "%s", before);
    snprintf(c->after, sizeof c->after, "%s", after);
}

static void diff_settings(change_list *list, const parley_stored_run *a,
                          const parley_stored_run *b)
{
    add_text(list, PARLEY_CHANGE_SETTING, parley_run_kind_name(a->info.kind),
             parley_run_kind_name(b->info.kind), "kind");
    add_text(list, PARLEY_CHANGE_SETTING, a->info.model, b->info.model, "model");
    char before[32], after[32];
    snprintf(before, sizeof before, "%llu", (unsigned long long)a->info.seed);
    snprintf(after, sizeof after, "%llu", (unsigned long long)b->info.seed);
    add_text(list, PARLEY_CHANGE_SETTING, before, after, "seed");
    if (!a->model || !b->model)
        return;
    /* Parameters by name, so two models' common ones are compared too. */
    for (size_t k = 0; a->model->params[k].name && k < PARLEY_MAX_PARAMS; k++) {
        const parley_param *p = &a->model->params[k];
        long other = parley_model_find_param(b->model, p->name);
        char what[96];
        snprintf(what, sizeof what, "param %s", p->name);
        parley_param_format(p, a->opts.param[k], before, sizeof before);
        if (other < 0)
            after[0] = '\0';
        else
            parley_param_format(&b->model->params[other], b->opts.param[other], after,
                                sizeof after);
        add_text(list, PARLEY_CHANGE_SETTING, before, after, what);
    }
    for (size_t k = 0; b->model->params[k].name && k < PARLEY_MAX_PARAMS; k++)
        if (parley_model_find_param(a->model, b->model->params[k].name) < 0) {
            char what[96];
            parley_param_format(&b->model->params[k], b->opts.param[k], after, sizeof after);
            snprintf(what, sizeof what, "param %s", b->model->params[k].name);
            add_text(list, PARLEY_CHANGE_SETTING, "", after, what);
        }
}

static const char *rule_text(const parley_rule *rule, char *buf, size_t n)
{
    if (rule->kind == PARLEY_RULE_QUALIFIED)
        snprintf(buf, n, "qualified:%g", rule->threshold);
    else
        snprintf(buf, n, "%s", parley_rule_kind_name(rule->kind));
    return buf;
}

static void diff_issue(change_list *list, const parley_issue *x, const parley_issue *y)
{
    char what[192], before[48], after[48];
    snprintf(what, sizeof what, "scale of %s", x->id);
    snprintf(before, sizeof before, "%g..%g", x->low, x->high);
    snprintf(after, sizeof after, "%g..%g", y->low, y->high);
    add_text(list, PARLEY_CHANGE_INPUT, before, after, what);
    snprintf(what, sizeof what, "status quo of %s", x->id);
    add_number(list, PARLEY_CHANGE_INPUT, x->has_status_quo ? x->status_quo.value : NAN,
               y->has_status_quo ? y->status_quo.value : NAN, 0, what);
    snprintf(what, sizeof what, "rule of %s", x->id);
    add_text(list, PARLEY_CHANGE_INPUT, rule_text(&x->rule, before, sizeof before),
             rule_text(&y->rule, after, sizeof after), what);
}

static void diff_stakes(change_list *list, const parley_scenario *sa,
                        const parley_scenario *sb, size_t a_actor, size_t b_actor)
{
    const char *actor = sa->actors[a_actor].id;
    for (size_t i = 0; i < sa->n_issues; i++) {
        long j = parley_scenario_find_issue(sb, sa->issues[i].id);
        if (j < 0)
            continue;
        const parley_stake *x = parley_stake_at(sa, a_actor, i);
        const parley_stake *y = parley_stake_at(sb, b_actor, (size_t)j);
        const char *issue = sa->issues[i].id;
        char what[192];
        if (!x->present && !y->present)
            continue;
        if (x->present != y->present) {
            snprintf(what, sizeof what, "stake of %s in %s", actor, issue);
            add_text(list, PARLEY_CHANGE_INPUT, x->present ? "yes" : "",
                     y->present ? "yes" : "", what);
            continue;
        }
        snprintf(what, sizeof what, "position of %s on %s", actor, issue);
        add_number(list, PARLEY_CHANGE_INPUT, x->position.value, y->position.value, 0, what);
        snprintf(what, sizeof what, "salience of %s on %s", actor, issue);
        add_number(list, PARLEY_CHANGE_INPUT, x->salience.value, y->salience.value, 0, what);
    }
}

static void diff_inputs(change_list *list, const parley_scenario *sa,
                        const parley_scenario *sb)
{
    char what[192];
    for (size_t k = 0; k < sa->n_actors; k++) {
        long other = parley_scenario_find_actor(sb, sa->actors[k].id);
        snprintf(what, sizeof what, "actor %s", sa->actors[k].id);
        if (other < 0) {
            add_text(list, PARLEY_CHANGE_INPUT, "present", "", what);
            continue;
        }
        snprintf(what, sizeof what, "capability of %s", sa->actors[k].id);
        add_number(list, PARLEY_CHANGE_INPUT, sa->actors[k].capability.value,
                   sb->actors[other].capability.value, 0, what);
        diff_stakes(list, sa, sb, k, (size_t)other);
    }
    for (size_t k = 0; k < sb->n_actors; k++)
        if (parley_scenario_find_actor(sa, sb->actors[k].id) < 0) {
            snprintf(what, sizeof what, "actor %s", sb->actors[k].id);
            add_text(list, PARLEY_CHANGE_INPUT, "", "present", what);
        }
    for (size_t i = 0; i < sa->n_issues; i++) {
        long j = parley_scenario_find_issue(sb, sa->issues[i].id);
        snprintf(what, sizeof what, "issue %s", sa->issues[i].id);
        if (j < 0)
            add_text(list, PARLEY_CHANGE_INPUT, "present", "", what);
        else
            diff_issue(list, &sa->issues[i], &sb->issues[j]);
    }
    for (size_t j = 0; j < sb->n_issues; j++)
        if (parley_scenario_find_issue(sa, sb->issues[j].id) < 0) {
            snprintf(what, sizeof what, "issue %s", sb->issues[j].id);
            add_text(list, PARLEY_CHANGE_INPUT, "", "present", what);
        }
}

/* The forecast of issue i: the run's, or the Monte Carlo mean. */
static double forecast_of(const parley_stored_run *run, size_t i)
{
    if (run->result && i < run->result->n_issues)
        return run->result->forecast[i];
    if (run->mc && i < run->mc->n_issues)
        return run->mc->issues[i].count ? run->mc->issues[i].mean : NAN;
    return NAN;
}

int parley_runs_diff(const parley_stored_run *a, const parley_stored_run *b,
                     parley_run_change **out, size_t *count, parley_error *err)
{
    *out = NULL;
    *count = 0;
    if (!a || !b || !a->scenario || !b->scenario)
        return parley_error_set(err, PARLEY_EINVAL, "two loaded runs are needed");
    change_list list = {NULL, 0, 0, 0};
    diff_settings(&list, a, b);
    if (strcmp(a->info.sha256, b->info.sha256) != 0)
        diff_inputs(&list, a->scenario, b->scenario);
    for (size_t i = 0; i < a->scenario->n_issues; i++) {
        long j = parley_scenario_find_issue(b->scenario, a->scenario->issues[i].id);
        if (j < 0)
            continue;
        char what[192];
        snprintf(what, sizeof what, "forecast of %s", a->scenario->issues[i].id);
        add_number(&list, PARLEY_CHANGE_FORECAST, forecast_of(a, i),
                   forecast_of(b, (size_t)j), 1, what);
    }
    if (list.failed) {
        parley_free(list.items);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    *out = list.items;
    *count = list.n;
    return PARLEY_OK;
}

const char *parley_change_section_name(parley_change_section section)
{
    switch (section) {
#define PARLEY_X_CASE(name, text) \
    case name:                    \
        return text;
        PARLEY_CHANGE_SECTIONS(PARLEY_X_CASE)
#undef PARLEY_X_CASE
    }
    return "unknown";
}
