/* parley/scenario.h — the scenario: actors, issues, their stakes.
 *
 * A scenario is plain data: actors (with a capability), issues (with a scale
 * whose ends are described in words, an optional status quo and the rule that
 * settles it) and, for each actor and issue, an optional stake (a position on
 * the issue's scale and a salience in [0, 1]).  Every number may carry a spread
 * for Monte Carlo and a note (the source sentence it rests on).
 *
 * The structs are public so that models read them without accessor calls in
 * their inner loops; treat a scenario you did not build as read-only.  All
 * strings and arrays inside a scenario are owned by it and freed by
 * parley_scenario_free.  Build one with parley_scenario_new and the _add
 * functions, or load one with parley_scenario_load (parley/format.h).
 *
 * Thread-safety: a scenario that nobody modifies may be read from any number
 * of threads at once. */
#ifndef PARLEY_SCENARIO_H
#define PARLEY_SCENARIO_H

#include <stddef.h>

#include "parley/error.h"

/* How uncertain a number is.  Monte Carlo draws a normal with this standard
 * deviation truncated to the allowed range (SD), or a uniform over
 * [low, high] (RANGE). */
typedef enum parley_spread_kind {
    PARLEY_SPREAD_NONE = 0,
    PARLEY_SPREAD_SD,
    PARLEY_SPREAD_RANGE
} parley_spread_kind;

typedef struct parley_value {
    double value;
    parley_spread_kind spread;
    double sd;          /* PARLEY_SPREAD_SD */
    double low, high;   /* PARLEY_SPREAD_RANGE: low <= value <= high */
    char *note;         /* owned; NULL if none */
} parley_value;

typedef struct parley_actor {
    char *id;           /* unique, used to refer to the actor */
    char *name;         /* for people; defaults to id */
    char *description;  /* NULL if none */
    parley_value capability; /* > 0, any scale: models normalise */
    char *note;
} parley_actor;

/* A point on an issue's scale described in words.  Every issue has at least
 * its two ends. */
typedef struct parley_label {
    double at;
    char *text;
} parley_label;

#define PARLEY_RULE_KINDS(X)             \
    X(PARLEY_RULE_NONE, "none")          \
    X(PARLEY_RULE_MAJORITY, "majority")  \
    X(PARLEY_RULE_QUALIFIED, "qualified")\
    X(PARLEY_RULE_UNANIMITY, "unanimity")

typedef enum parley_rule_kind {
#define PARLEY_X_ENUM(name, text) name,
    PARLEY_RULE_KINDS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_rule_kind;

/* The decision rule that settles an issue against its status quo. */
typedef struct parley_rule {
    parley_rule_kind kind;
    double threshold;   /* QUALIFIED: share of the vote weight needed, in (0.5, 1] */
    size_t n_veto;
    size_t *veto;       /* indices of actors with a veto; owned */
} parley_rule;

typedef struct parley_issue {
    char *id;
    char *name;
    char *description;
    double low, high;       /* the scale, low < high */
    size_t n_labels;        /* >= 2: the two ends, then any others, sorted by at */
    parley_label *labels;
    int has_status_quo;
    parley_value status_quo;
    parley_rule rule;
    int has_outcome;        /* known outcome (backtests) */
    double outcome;
    char *note;
} parley_issue;

typedef struct parley_stake {
    int present;            /* 0: the actor has no stake in this issue */
    parley_value position;  /* on the issue's scale */
    parley_value salience;  /* in [0, 1] */
    char *note;
} parley_stake;

/* Free-form string metadata (e.g. a DEU issue's "proposal", "procedure"). */
typedef struct parley_meta {
    char *key;
    char *value;
} parley_meta;

typedef struct parley_scenario {
    char *id;
    char *name;
    char *description;
    char *date;             /* ISO 8601 date of the situation described, or NULL */
    char *source;
    char *note;
    size_t n_meta;
    parley_meta *meta;
    size_t n_actors;
    parley_actor *actors;
    size_t n_issues;
    parley_issue *issues;
    parley_stake *stakes;   /* n_actors * n_issues, actor-major: see parley_stake_at */
    size_t cap_actors, cap_issues; /* allocated sizes; private */
} parley_scenario;

/* The stake of actor a in issue i. */
static inline parley_stake *parley_stake_at(const parley_scenario *sc,
                                            size_t actor, size_t issue)
{
    return &sc->stakes[actor * sc->n_issues + issue];
}

/* A new empty scenario with the given id (copied; may be NULL).
 * Caller frees with parley_scenario_free.  NULL when out of memory. */
parley_scenario *parley_scenario_new(const char *id);

/* Frees sc and everything it owns; NULL does nothing. */
void parley_scenario_free(parley_scenario *sc);

/* A deep copy; caller frees.  NULL when out of memory. */
parley_scenario *parley_scenario_copy(const parley_scenario *sc);

/* Adds an actor with the given id (copied) and capability, no stakes.
 * Returns PARLEY_OK and its index in *index (may be NULL), PARLEY_EINVAL for a
 * duplicate id, PARLEY_ENOMEM. */
int parley_scenario_add_actor(parley_scenario *sc, const char *id,
                              double capability, size_t *index, parley_error *err);

/* Adds an issue with the given id, scale and end labels (all copied; labels
 * may be NULL, then "low"/"high" words are not set and the numbers are shown).
 * Returns PARLEY_OK and its index in *index (may be NULL), PARLEY_EINVAL for a
 * duplicate id or low >= high, PARLEY_ENOMEM. */
int parley_scenario_add_issue(parley_scenario *sc, const char *id, double low,
                              double high, const char *low_label,
                              const char *high_label, size_t *index,
                              parley_error *err);

/* Adds a label at a point of an issue's scale (text copied), keeping labels
 * sorted.  PARLEY_ERANGE if at is off the scale. */
int parley_issue_add_label(parley_issue *issue, double at, const char *text,
                           parley_error *err);

/* Sets actor a's stake in issue i (no spread, no note). */
void parley_scenario_set_stake(parley_scenario *sc, size_t actor, size_t issue,
                               double position, double salience);

/* Adds (or replaces) a metadata pair; both copied. */
int parley_scenario_set_meta(parley_scenario *sc, const char *key,
                             const char *value, parley_error *err);
/* The value for key, or NULL; borrowed until sc changes. */
const char *parley_scenario_get_meta(const parley_scenario *sc, const char *key);

/* Index of the actor / issue with this id, or -1. */
long parley_scenario_find_actor(const parley_scenario *sc, const char *id);
long parley_scenario_find_issue(const parley_scenario *sc, const char *id);

/* Checks every invariant of the data model (ids unique and non-empty,
 * capability > 0 and finite, low < high, labels on the scale, positions on
 * their issue's scale, saliences in [0, 1], spreads sane, status quo on the
 * scale, rule thresholds in (0.5, 1], veto indices valid).  On failure fills
 * err with the JSON-style path of the first offending value
 * ("actors[2].capability") and returns PARLEY_ERANGE or PARLEY_ESCHEMA. */
int parley_scenario_validate(const parley_scenario *sc, parley_error *err);

/* The label nearest to x on the issue's scale; borrowed.  NULL if none. */
const char *parley_issue_nearest_label(const parley_issue *issue, double x);

/* Name of a rule kind ("qualified"); parse back with parley_rule_kind_parse
 * (returns -1 for an unknown name). */
const char *parley_rule_kind_name(parley_rule_kind kind);
int parley_rule_kind_parse(const char *name);

#endif
