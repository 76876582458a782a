/* scenario_equal.h — field-by-field comparison of two scenarios for the
 * format round-trip tests (header-only: each test file includes it once).
 * On the first difference it records what differs in a static buffer. */
#ifndef PARLEY_TEST_SCENARIO_EQUAL_H
#define PARLEY_TEST_SCENARIO_EQUAL_H

#include <stdio.h>
#include <string.h>

#include "parley/scenario.h"

static char scenario_difference[512];

static int differ(const char *what)
{
    snprintf(scenario_difference, sizeof scenario_difference, "%s", what);
    return 0;
}

static int text_equal(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static int value_equal(const parley_value *a, const parley_value *b)
{
    if (a->value != b->value || a->spread != b->spread || !text_equal(a->note, b->note))
        return 0;
    if (a->spread == PARLEY_SPREAD_SD && a->sd != b->sd)
        return 0;
    if (a->spread == PARLEY_SPREAD_RANGE && (a->low != b->low || a->high != b->high))
        return 0;
    return 1;
}

static int issue_equal(const parley_issue *a, const parley_issue *b)
{
    if (!text_equal(a->id, b->id) || !text_equal(a->name, b->name) ||
        !text_equal(a->description, b->description) || !text_equal(a->note, b->note))
        return differ("issue texts");
    if (a->low != b->low || a->high != b->high)
        return differ("issue scale");
    if (a->n_labels != b->n_labels)
        return differ("issue label count");
    for (size_t k = 0; k < a->n_labels; k++)
        if (a->labels[k].at != b->labels[k].at ||
            !text_equal(a->labels[k].text, b->labels[k].text))
            return differ("issue label");
    if (a->has_status_quo != b->has_status_quo ||
        (a->has_status_quo && !value_equal(&a->status_quo, &b->status_quo)))
        return differ("status quo");
    if (a->has_outcome != b->has_outcome || (a->has_outcome && a->outcome != b->outcome))
        return differ("outcome");
    if (a->rule.kind != b->rule.kind || a->rule.threshold != b->rule.threshold ||
        a->rule.n_veto != b->rule.n_veto)
        return differ("rule");
    for (size_t k = 0; k < a->rule.n_veto; k++)
        if (a->rule.veto[k] != b->rule.veto[k])
            return differ("veto");
    return 1;
}

static int scenario_equal(const parley_scenario *a, const parley_scenario *b)
{
    scenario_difference[0] = '\0';
    if (!text_equal(a->id, b->id) || !text_equal(a->name, b->name) ||
        !text_equal(a->description, b->description) || !text_equal(a->date, b->date) ||
        !text_equal(a->source, b->source) || !text_equal(a->note, b->note))
        return differ("scenario texts");
    if (a->n_meta != b->n_meta)
        return differ("meta count");
    for (size_t k = 0; k < a->n_meta; k++)
        if (!text_equal(a->meta[k].key, b->meta[k].key) ||
            !text_equal(a->meta[k].value, b->meta[k].value))
            return differ("meta");
    if (a->n_actors != b->n_actors || a->n_issues != b->n_issues)
        return differ("counts");
    for (size_t k = 0; k < a->n_actors; k++) {
        const parley_actor *x = &a->actors[k], *y = &b->actors[k];
        if (!text_equal(x->id, y->id) || !text_equal(x->name, y->name) ||
            !text_equal(x->description, y->description) || !text_equal(x->note, y->note))
            return differ("actor texts");
        if (!value_equal(&x->capability, &y->capability))
            return differ("capability");
    }
    for (size_t i = 0; i < a->n_issues; i++)
        if (!issue_equal(&a->issues[i], &b->issues[i]))
            return 0;
    for (size_t k = 0; k < a->n_actors; k++)
        for (size_t i = 0; i < a->n_issues; i++) {
            const parley_stake *x = parley_stake_at(a, k, i), *y = parley_stake_at(b, k, i);
            if (x->present != y->present)
                return differ("stake presence");
            if (!x->present)
                continue;
            if (!value_equal(&x->position, &y->position))
                return differ("position");
            if (!value_equal(&x->salience, &y->salience))
                return differ("salience");
            if (!text_equal(x->note, y->note))
                return differ("stake note");
        }
    return 1;
}

#endif
