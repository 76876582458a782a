/* deu_institutions.c — the EU's Council votes, procedures and rules applied
 * to a DEU III scenario (parley/institutions.h).
 *
 * Sources (docs/deu-institutions.md gives them in full):
 *   - Amsterdam weights, EU-15, 62 of 87: Art. 205(2) TEC (Amsterdam
 *     consolidation), in force until 31 October 2004;
 *   - Nice weights: Protocol on the enlargement of the EU (Treaty of Nice,
 *     2001), Art. 3, as adjusted by the 2003 Act of Accession, Art. 12
 *     (EU-25: 232 of 321 from 1 November 2004) and the 2005 Act of
 *     Accession, Art. 22 (EU-27: 255 of 345 from 1 January 2007); Croatia's
 *     2012 Act of Accession, Art. 20 (EU-28: 260 of 352 from 1 July 2013);
 *     kept in Protocol No 36 on transitional provisions, Art. 3(3);
 *   - the double majority: Art. 16(4) TEU and Art. 238(3) TFEU from
 *     1 November 2014, populations from Annex III of the Council's Rules of
 *     Procedure for 2016 (Council Decision (EU, Euratom) 2015/2393), as
 *     shares of the EU population in per cent. */
#include "parley/institutions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"

typedef struct member_state {
    const char *code;          /* DEU III column code */
    int amsterdam, nice;       /* Council votes; 0: not a member then */
    int accession;             /* year of joining, for the Nice periods */
    double population_2016;    /* per cent of the EU-28 population */
} member_state;

static const member_state states[] = {
    {"at", 4, 10, 1995, 1.69},  {"be", 5, 12, 1958, 2.21},  {"bu", 0, 10, 2007, 1.42},
    {"cr", 0, 7, 2013, 0.83},   {"cy", 0, 4, 2004, 0.17},   {"cz", 0, 12, 2004, 2.05},
    {"dk", 3, 7, 1973, 1.11},   {"ee", 0, 4, 2004, 0.26},   {"fi", 3, 7, 1995, 1.08},
    {"fr", 10, 29, 1958, 13.04}, {"de", 10, 29, 1958, 15.93}, {"el", 5, 12, 1981, 2.13},
    {"hu", 0, 12, 2004, 1.94},  {"ie", 3, 7, 1973, 0.91},   {"it", 10, 29, 1958, 12.07},
    {"lv", 0, 4, 2004, 0.39},   {"lt", 0, 7, 2004, 0.57},   {"lu", 2, 4, 1958, 0.11},
    {"mt", 0, 3, 2004, 0.08},   {"nl", 5, 13, 1958, 3.37},  {"pl", 0, 27, 2004, 7.47},
    {"pt", 5, 12, 1986, 2.04},  {"ro", 0, 14, 2007, 3.90},  {"si", 0, 4, 2004, 0.41},
    {"sk", 0, 7, 2004, 1.06},   {"es", 8, 27, 1986, 9.12},  {"se", 4, 10, 1995, 1.92},
    {"uk", 10, 29, 1973, 12.73},
};
#define N_STATES (sizeof states / sizeof states[0])

typedef enum period { AMSTERDAM_15, NICE_25, NICE_27, DOUBLE_28 } period;

static const struct {
    const char *text;
    int quota;  /* votes for a qualified majority (0: double majority) */
    int last_accession;
} periods[] = {
    [AMSTERDAM_15] = {"Amsterdam votes, EU-15, 62 of 87 (Art. 205(2) TEC)", 62, 1995},
    [NICE_25] = {"Nice votes, EU-25, 232 of 321 (2003 Act of Accession, Art. 12)", 232, 2004},
    [NICE_27] = {"Nice votes, EU-27, 255 of 345 (2005 Act of Accession, Art. 22)", 255, 2007},
    [DOUBLE_28] = {"double majority, EU-28, 55 % of states and 65 % of population "
                   "(Art. 16(4) TEU, Art. 238(3) TFEU; populations of 2016, Council "
                   "Decision 2015/2393); capabilities Nice votes 352",
                   260, 2013},
};

static int votes_in(const member_state *state, period p)
{
    if (state->accession > periods[p].last_accession)
        return 0;
    return p == AMSTERDAM_15 ? state->amsterdam : state->nice;
}

static int total_votes(period p)
{
    int total = 0;
    for (size_t k = 0; k < N_STATES; k++)
        total += votes_in(&states[k], p);
    return total;
}

static int has_stake(const parley_scenario *sc, const char *code)
{
    long a = parley_scenario_find_actor(sc, code);
    for (size_t i = 0; a >= 0 && i < sc->n_issues; i++)
        if (parley_stake_at(sc, (size_t)a, i)->present)
            return 1;
    return 0;
}

/* The period from the proposal's year (the two digits after the letter of
 * its number: d00060 is a directive proposed in 2000): the rules in force
 * when most proposals of that year were decided. */
static int find_period(const parley_scenario *sc, const char *proposal, period *out)
{
    if (!proposal || !proposal[0] || proposal[1] < '0' || proposal[1] > '9' ||
        proposal[2] < '0' || proposal[2] > '9')
        return 0;
    int yy = (proposal[1] - '0') * 10 + (proposal[2] - '0');
    int year = yy >= 90 ? 1900 + yy : 2000 + yy;
    if (year <= 2002)
        *out = AMSTERDAM_15;
    else if (year >= 2013)
        *out = DOUBLE_28;
    else if (year >= 2007 || has_stake(sc, "bu") || has_stake(sc, "ro"))
        *out = NICE_27;
    else
        *out = NICE_25;
    return 1;
}

static int set_number(parley_scenario *sc, const char *prefix, const char *id, double value,
                      parley_error *err)
{
    char key[64], text[32];
    snprintf(key, sizeof key, "%s%s", prefix, id);
    snprintf(text, sizeof text, "%.10g", value);
    return parley_scenario_set_meta(sc, key, text, err);
}

static void set_capability(parley_scenario *sc, const char *id, double value)
{
    long a = parley_scenario_find_actor(sc, id);
    if (a < 0)
        return;
    sc->actors[a].capability.value = value;
    sc->actors[a].capability.spread = PARLEY_SPREAD_NONE;
}

/* The issue's rule: QMV qualified, Unan unanimity, the EP a veto player
 * under COD. */
static int set_rules(parley_scenario *sc, period p, int codecision, const char *council_rule,
                     parley_error *err)
{
    long ep = parley_scenario_find_actor(sc, "ep");
    int total = total_votes(p);
    for (size_t i = 0; i < sc->n_issues; i++) {
        parley_rule *rule = &sc->issues[i].rule;
        if (strncmp(council_rule, "QMV", 3) == 0) {
            rule->kind = PARLEY_RULE_QUALIFIED;
            rule->threshold = p == DOUBLE_28 ? 0.65 : (double)periods[p].quota / total;
        } else if (strcmp(council_rule, "Unan") == 0) {
            rule->kind = PARLEY_RULE_UNANIMITY;
        }
        parley_free(rule->veto);
        rule->veto = NULL;
        rule->n_veto = 0;
        if (codecision && ep >= 0) {
            if (!(rule->veto = parley_malloc(sizeof *rule->veto)))
                return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
            rule->veto[0] = (size_t)ep;
            rule->n_veto = 1;
        }
    }
    return PARLEY_OK;
}

int parley_deu_apply_institutions(parley_scenario *sc, parley_error *err)
{
    const char *proposal = parley_scenario_get_meta(sc, "proposal");
    const char *procedure = parley_scenario_get_meta(sc, "procedure");
    const char *council_rule = parley_scenario_get_meta(sc, "council_rule");
    period p;
    if (!procedure || !council_rule || !find_period(sc, proposal, &p))
        return parley_error_set(err, PARLEY_EINVAL,
                                "scenario %s: no DEU metadata \"proposal\" (with its year), "
                                "\"procedure\" and \"council_rule\"",
                                sc->id ? sc->id : "?");
    int codecision = strcmp(procedure, "COD") == 0;
    int smallest = 0, rc;
    for (size_t k = 0; k < N_STATES; k++) {
        const member_state *state = &states[k];
        int votes = votes_in(state, p);
        set_capability(sc, state->code, votes ? (double)votes : 1e-6);
        if (!votes || parley_scenario_find_actor(sc, state->code) < 0)
            continue;
        if (!smallest || votes < smallest)
            smallest = votes;
        if ((rc = set_number(sc, PARLEY_META_VOTE_WEIGHT, state->code, votes, err)))
            return rc;
        if (p == DOUBLE_28 &&
            (rc = set_number(sc, PARLEY_META_POPULATION, state->code, state->population_2016,
                             err)))
            return rc;
    }
    int total = total_votes(p);
    double blocking = total - periods[p].quota + 1;
    set_capability(sc, "com", blocking);
    set_capability(sc, "ep", codecision ? blocking : smallest);
    if ((rc = parley_scenario_set_meta(sc, PARLEY_META_QUALIFIED,
                                       p == DOUBLE_28 ? PARLEY_QUALIFIED_DOUBLE : "weighted",
                                       err)) ||
        (rc = parley_scenario_set_meta(sc, "institutions", periods[p].text, err)))
        return rc;
    return set_rules(sc, p, codecision, council_rule, err);
}
