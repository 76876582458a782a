/* model.c — finding models, their parameters, running them (parley/model.h). */
#include "parley/model.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const parley_model *parley_model_find(const char *name)
{
    for (const parley_model *const *m = parley_models(); *m; m++)
        if (strcmp((*m)->name, name) == 0)
            return *m;
    return NULL;
}

size_t parley_model_count_params(const parley_model *m)
{
    size_t n = 0;
    while (m->params[n].name)
        n++;
    return n;
}

long parley_model_find_param(const parley_model *m, const char *name)
{
    for (size_t k = 0; m->params[k].name; k++)
        if (strcmp(m->params[k].name, name) == 0)
            return (long)k;
    return -1;
}

void parley_run_opts_init(parley_run_opts *opts, const parley_model *m)
{
    memset(opts, 0, sizeof *opts);
    if (m)
        for (size_t k = 0; m->params[k].name && k < PARLEY_MAX_PARAMS; k++)
            opts->param[k] = m->params[k].def;
    opts->flags = PARLEY_RUN_HISTORY;
}

static int parse_choice(const parley_param *p, const char *text, double *out)
{
    for (size_t k = 0; p->choices[k]; k++)
        if (strcmp(p->choices[k], text) == 0) {
            *out = (double)k;
            return 1;
        }
    return 0;
}

static int parse_bool(const char *text, double *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on", NULL};
    static const char *const no[] = {"0", "false", "no", "off", NULL};
    for (size_t k = 0; yes[k]; k++) {
        if (strcmp(text, yes[k]) == 0) {
            *out = 1;
            return 1;
        }
        if (strcmp(text, no[k]) == 0) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}

static void list_choices(const parley_param *p, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; p->choices[k] && used < n; k++) {
        int w = snprintf(buf + used, n - used, "%s%s", k ? ", " : "", p->choices[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

int parley_run_opts_set(parley_run_opts *opts, const parley_model *m,
                        const char *assignment, parley_error *err)
{
    const char *eq = strchr(assignment, '=');
    char name[64];
    if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof name)
        return parley_error_set(err, PARLEY_EINVAL,
                                "expected NAME=VALUE for a parameter of model %s, got \"%s\"",
                                m->name, assignment);
    memcpy(name, assignment, (size_t)(eq - assignment));
    name[eq - assignment] = '\0';
    const char *text = eq + 1;
    long k = parley_model_find_param(m, name);
    if (k < 0)
        return parley_error_set(err, PARLEY_EINVAL,
                                "model %s has no parameter \"%s\" (see `parley models %s`)",
                                m->name, name, m->name);
    const parley_param *p = &m->params[k];
    double value = 0;
    char *end = NULL;
    switch (p->type) {
    case PARLEY_PARAM_CHOICE: {
        if (!parse_choice(p, text, &value)) {
            char choices[256];
            list_choices(p, choices, sizeof choices);
            return parley_error_set(err, PARLEY_EINVAL,
                                    "parameter %s of model %s: \"%s\" is not one of: %s",
                                    name, m->name, text, choices);
        }
        break;
    }
    case PARLEY_PARAM_BOOL:
        if (!parse_bool(text, &value))
            return parley_error_set(err, PARLEY_EINVAL,
                                    "parameter %s of model %s: expected true or false, "
                                    "got \"%s\"",
                                    name, m->name, text);
        break;
    case PARLEY_PARAM_INT:
    case PARLEY_PARAM_REAL:
        errno = 0;
        value = strtod(text, &end);
        if (!*text || *end || errno || !isfinite(value) ||
            (p->type == PARLEY_PARAM_INT && value != floor(value)))
            return parley_error_set(err, PARLEY_EINVAL,
                                    "parameter %s of model %s: expected %s, got \"%s\"", name,
                                    m->name,
                                    p->type == PARLEY_PARAM_INT ? "an integer" : "a number",
                                    text);
        if (value < p->min || value > p->max)
            return parley_error_set(err, PARLEY_EINVAL,
                                    "parameter %s of model %s: %g is outside [%g, %g]", name,
                                    m->name, value, p->min, p->max);
        break;
    }
    opts->param[k] = value;
    return PARLEY_OK;
}

char *parley_param_format(const parley_param *p, double value, char *buf, size_t n)
{
    switch (p->type) {
    case PARLEY_PARAM_CHOICE: {
        size_t count = 0;
        while (p->choices[count])
            count++;
        size_t k = value >= 0 && value < (double)count ? (size_t)value : 0;
        snprintf(buf, n, "%s", count ? p->choices[k] : "");
        break;
    }
    case PARLEY_PARAM_BOOL:
        snprintf(buf, n, "%s", value != 0 ? "true" : "false");
        break;
    case PARLEY_PARAM_INT:
        snprintf(buf, n, "%.0f", value);
        break;
    case PARLEY_PARAM_REAL:
        snprintf(buf, n, "%.17g", value);
        break;
    }
    return buf;
}

int parley_model_run(const parley_model *m, const parley_scenario *sc,
                     const parley_run_opts *opts, parley_result *result,
                     parley_error *err)
{
    parley_run_opts defaults;
    if (!opts) {
        parley_run_opts_init(&defaults, m);
        opts = &defaults;
    }
    if (parley_result_reset(result, sc->n_actors, sc->n_issues))
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    return m->run(sc, opts, result, err);
}
