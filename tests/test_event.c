/* test_event.c — Monte Carlo event expressions: parsing, precedence,
 * evaluation and the error messages for bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/montecarlo.h"

static parley_scenario *two_issues(void)
{
    parley_scenario *sc = parley_scenario_new("ev");
    size_t fed, lang;
    cr_assert_eq(parley_scenario_add_issue(sc, "federalisation", 0, 100, "unitary",
                                           "federation", &fed, NULL), PARLEY_OK);
    cr_assert_eq(parley_scenario_add_issue(sc, "language", 0, 100, "one", "two", &lang, NULL),
                 PARLEY_OK);
    sc->issues[lang].name = parley_strdup("Official language");
    return sc;
}

static int holds(const char *text, double fed, double lang)
{
    parley_scenario *sc = two_issues();
    parley_mc_event *ev = NULL;
    parley_error err;
    int rc = parley_mc_event_parse(text, sc, &ev, &err);
    cr_assert_eq(rc, PARLEY_OK, "\"%s\": %s", text, err.message);
    cr_assert_str_eq(parley_mc_event_text(ev), text);
    double forecast[2] = {fed, lang};
    int result = parley_mc_event_eval(ev, forecast);
    parley_mc_event_free(ev);
    parley_scenario_free(sc);
    return result;
}

Test(event, comparisons)
{
    cr_assert(holds("federalisation >= 60", 60, 0));
    cr_assert(!holds("federalisation >= 60", 59.999, 0));
    cr_assert(holds("federalisation > 59.5", 60, 0));
    cr_assert(!holds("federalisation < 60", 60, 0));
    cr_assert(holds("federalisation <= 60", 60, 0));
    cr_assert(holds("federalisation == 60", 60, 0));
    cr_assert(holds("federalisation != 60", 61, 0));
    cr_assert(holds("federalisation>=6e1", 60, 0));
    cr_assert(holds("language < -1e-3 or language >= 0", 0, 0));
}

Test(event, issue_by_id_or_quoted_name)
{
    cr_assert(holds("'Official language' > 10", 0, 20));
    cr_assert(holds("\"Official language\" > 10 and language > 10", 0, 20));
}

Test(event, and_binds_tighter_than_or)
{
    /* a or b and c  ==  a or (b and c): true when a alone holds. */
    cr_assert(holds("federalisation > 50 or language > 50 and language < 0", 60, 60));
    /* (a or b) and c: false when c fails. */
    cr_assert(!holds("(federalisation > 50 or language > 50) and language < 0", 60, 60));
    cr_assert(holds("federalisation > 50 && language > 50 || federalisation < 0", 60, 60));
    cr_assert(!holds("((federalisation > 50) and (language < 50))", 60, 60));
}

Test(event, no_forecast_makes_a_comparison_false)
{
    cr_assert(!holds("federalisation != 3", NAN, 0));
    cr_assert(holds("federalisation != 3 or language == 0", NAN, 0));
}

/* Parses text expecting failure; checks the column and a part of the
 * message. */
static void rejects(const char *text, int column, const char *needle)
{
    parley_scenario *sc = two_issues();
    parley_mc_event *ev = NULL;
    parley_error err;
    parley_error_clear(&err);
    int rc = parley_mc_event_parse(text, sc, &ev, &err);
    cr_assert_eq(rc, PARLEY_EPARSE, "\"%s\" was accepted", text);
    cr_assert_null(ev);
    cr_assert_eq(err.column, column, "\"%s\": column %d, expected %d (%s)", text, err.column,
                 column, err.message);
    cr_assert(strstr(err.message, needle), "\"%s\": message \"%s\" lacks \"%s\"", text,
              err.message, needle);
    parley_scenario_free(sc);
}

Test(event, bad_expressions_name_the_position)
{
    rejects("autonomy >= 60", 1, "unknown issue \"autonomy\"");
    rejects("federalisation 60", 16, "expected a comparison");
    rejects("federalisation >= sixty", 19, "bad number \"sixty\"");
    rejects("federalisation >= 6o", 19, "bad number \"6o\"");
    rejects("federalisation >=", 18, "expected a number");
    rejects("federalisation >= 60 and", 22, "dangling \"and\"");
    rejects("federalisation >= 60 or ", 22, "dangling \"or\"");
    rejects("and federalisation >= 60", 1, "dangling");
    rejects("(federalisation >= 60", 1, "never closed");
    rejects("federalisation >= 60)", 21, "unbalanced");
    rejects("federalisation >= 60 language < 3", 22, "expected \"and\", \"or\"");
    rejects("", 1, "expected an issue");
    rejects("'Official language > 3", 1, "unterminated");
}

Test(event, allocation_failure_leaks_nothing)
{
    parley_scenario *sc = two_issues();
    int succeeded = 0;
    for (long n = 1; n < 50 && !succeeded; n++) {
        parley_mc_event *ev = NULL;
        parley_alloc_fail_after(n);
        int rc = parley_mc_event_parse("federalisation > 1 and (language < 2 or language > 3)",
                                       sc, &ev, NULL);
        parley_alloc_fail_after(0);
        cr_assert(rc == PARLEY_OK || rc == PARLEY_ENOMEM);
        succeeded = rc == PARLEY_OK;
        parley_mc_event_free(ev);
    }
    cr_assert(succeeded);
    parley_mc_event_free(NULL);
    parley_scenario_free(sc);
}
