/* test_forecast_cli.c — `parley forecast` run as a user would: the seed
 * ledger imports and scores, every subcommand has --help, --json parses,
 * refusals exit 2 with one line, and a model's forecast comes from a real
 * `parley mc` run.  Every test uses a store in its own mkdtemp directory. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"
#include "support.h"

static char dir[512], db[700];

static void setup(void)
{
    cr_assert_eq(fixture_mkdtemp(dir, sizeof dir), 0);
    snprintf(db, sizeof db, "--db '%s/p.db'", dir);
}

static void teardown(void)
{
    fixture_rmdir(dir);
}

TestSuite(forecast_cli, .init = setup, .fini = teardown);

/* Runs `parley forecast ARGS --db ...`; returns the exit status. */
static int forecast(const char *args, char **out, char **err)
{
    char command[2048];
    snprintf(command, sizeof command, "forecast %s %s", args, db);
    int status = test_run_parley(command, out, err);
    cr_assert(status >= 0, "could not run parley %s", command);
    return status;
}

Test(forecast_cli, seed_ledger_imports_and_scores)
{
    char *out = NULL, *err = NULL, args[1024];
    snprintf(args, sizeof args, "import '%s'",
             test_source("scenarios/ukraine-2014-forecasts.csv"));
    cr_assert_eq(forecast(args, &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "imported 9 questions, 9 forecasts, 7 resolutions"), "%s", out);
    free(out);
    free(err);
    cr_assert_eq(forecast("score", &out, &err), 0, "%s", err);
    /* Brier means worked by hand from the CSV: article (0.07 no, 0.6 yes,
     * 0.3 yes, 0.93 yes): (.0049 + .16 + .49 + .0049) / 4 = 0.16495;
     * mutantsushi (0.75 yes, 0.5 no): (.0625 + .25) / 2 = 0.15625;
     * donnyess (0.93 no): 0.8649. */
    cr_assert(strstr(out, "mutantsushi"), "%s", out);
    cr_assert(strstr(out, "0.1562"), "%s", out);
    cr_assert(strstr(out, "0.1649"), "%s", out);
    cr_assert(strstr(out, "0.8649"), "%s", out);
    cr_assert(strstr(out, "2 questions unresolved"), "%s", out);
    cr_assert(strstr(out, "Calibration"), "%s", out);
    cr_assert(strstr(out, "[0.9, 1.0]     2          0.930     0.500"), "%s", out);
    free(out);
    free(err);
    /* Importing it again is refused whole: the ids are taken. */
    snprintf(args, sizeof args, "import '%s'",
             test_source("scenarios/ukraine-2014-forecasts.csv"));
    cr_assert_eq(forecast(args, &out, &err), 2);
    cr_assert(strstr(err, "ukraine-2014-forecasts.csv:2:"), "%s", err);
    cr_assert(strstr(err, "nothing was imported"), "%s", err);
    free(out);
    free(err);
}

Test(forecast_cli, json_output_parses)
{
    char *out = NULL, *err = NULL, args[1024];
    snprintf(args, sizeof args, "import --json '%s'",
             test_source("scenarios/ukraine-2014-forecasts.csv"));
    cr_assert_eq(forecast(args, &out, &err), 0, "%s", err);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    cr_assert(doc, "%s: %s", jerr.text, out);
    cr_assert_eq(json_integer_value(json_object_get(doc, "questions")), 9);
    json_decref(doc);
    free(out);
    free(err);
    cr_assert_eq(forecast("score --json --svg '-'", &out, &err), 0, "%s", err);
    cr_assert(strncmp(out, "<svg", 4) == 0, "the SVG goes first to stdout: %.80s", out);
    free(out);
    free(err);
    char svg_args[800];
    snprintf(svg_args, sizeof svg_args, "score --json --svg '%s/r.svg'", dir);
    cr_assert_eq(forecast(svg_args, &out, &err), 0, "%s", err);
    doc = json_loads(out, 0, &jerr);
    cr_assert(doc, "%s: %s", jerr.text, out);
    json_t *board = json_object_get(doc, "leaderboard");
    cr_assert_eq(json_array_size(board), 3);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(board, 0), "by")),
                     "mutantsushi");
    cr_assert_eq(json_array_size(json_object_get(doc, "calibration")), 10);
    json_decref(doc);
    free(out);
    free(err);
    cr_assert_eq(forecast("list --json", &out, &err), 0, "%s", err);
    doc = json_loads(out, 0, &jerr);
    cr_assert(doc, "%s", jerr.text);
    cr_assert_eq(json_array_size(doc), 9);
    cr_assert(json_is_null(json_object_get(json_array_get(doc, 6), "resolution")));
    json_decref(doc);
    free(out);
    free(err);
}

Test(forecast_cli, ask_add_resolve_and_refusals)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(forecast("ask 'Will it rain?' --criteria 'Met Office' --close 2014-06-01 "
                          "--id rain",
                          &out, &err),
                 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(forecast("add rain --by alice -p 0.7 --note 'likely' --date 2014-05-01", &out,
                          &err),
                 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(forecast("add rain --by alice -p 0.7 --date 2014-06-02", &out, &err), 2);
    cr_assert(strstr(err, "after question 1 closed"), "%s", err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "one line: %s", err);
    free(out);
    free(err);
    cr_assert_eq(forecast("add rain -p 0.7", &out, &err), 2, "--by is required");
    free(out);
    free(err);
    cr_assert_eq(forecast("resolve rain yes --source 'Met Office' --date 2014-06-01", &out,
                          &err),
                 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(forecast("resolve 1 no --source other", &out, &err), 2);
    cr_assert(strstr(err, "already resolved"), "%s", err);
    free(out);
    free(err);
    cr_assert_eq(forecast("score --by alice", &out, &err), 0, "%s", err);
    cr_assert(strstr(out, "0.0900"), "Brier (1 - 0.7)^2: %s", out);
    free(out);
    free(err);
    cr_assert_eq(forecast("frobnicate", &out, &err), 2);
    free(out);
    free(err);
}

Test(forecast_cli, help_on_every_subcommand)
{
    const char *subcommands[] = {"ask", "add", "resolve", "list", "score", "import", "export"};
    for (size_t k = 0; k < sizeof subcommands / sizeof subcommands[0]; k++) {
        char args[64], expect[64], *out = NULL, *err = NULL;
        snprintf(args, sizeof args, "%s --help", subcommands[k]);
        cr_assert_eq(forecast(args, &out, &err), 0, "%s", args);
        snprintf(expect, sizeof expect, "usage: parley forecast %s", subcommands[k]);
        cr_assert(strstr(out, expect), "%s", out);
        free(out);
        free(err);
    }
}

Test(forecast_cli, model_forecast_from_a_monte_carlo_run)
{
    char *out = NULL, *err = NULL, command[1024];
    snprintf(command, sizeof command,
             "mc -m compromise -n 200 --event 'federalisation >= 50' --json %s", db);
    cr_assert_eq(test_run_parley(command, &out, &err), 0, "%s", err);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    cr_assert(doc, "%s", jerr.text);
    double stored = json_number_value(
        json_object_get(json_array_get(json_object_get(doc, "events"), 0), "probability"));
    json_decref(doc);
    free(out);
    free(err);
    cr_assert_eq(forecast("ask 'Federal?' --criteria c --close 2030-01-01 --id fed", &out,
                          &err),
                 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(forecast("add fed --from-run 1 --event 'federalisation>=50' --date 2014-04-01 "
                          "--json",
                          &out, &err),
                 0, "%s", err);
    doc = json_loads(out, 0, &jerr);
    cr_assert(doc, "%s: %s", jerr.text, out);
    cr_assert_float_eq(json_number_value(json_object_get(doc, "probability")), stored, 1e-15);
    cr_assert_str_eq(json_string_value(json_object_get(doc, "by")), "model:compromise");
    cr_assert(json_is_false(json_object_get(doc, "from_histogram")));
    json_decref(doc);
    free(out);
    free(err);
    cr_assert_eq(forecast("add fed --from-run 1 --event 'federalisation >= 50 and language > "
                          "10'",
                          &out, &err),
                 2);
    cr_assert(strstr(err, "more than one issue"), "%s", err);
    free(out);
    free(err);
}

/* A file that cannot be read is the user's to fix (exit 2, one line naming
 * it), and the store is left as it was: not even created. */
Test(forecast_cli, import_of_an_unreadable_file_exits_2_naming_it)
{
    char *out = NULL, *err = NULL, args[1024];
    snprintf(args, sizeof args, "import '%s/missing.csv'", dir);
    cr_assert_eq(forecast(args, &out, &err), 2, "%s", err);
    cr_assert(strstr(err, "parley forecast import: "), "%s", err);
    cr_assert(strstr(err, "missing.csv"), "%s", err);
    cr_assert(strchr(err, '\n') == err + strlen(err) - 1, "one line: %s", err);
    free(out);
    free(err);
    char path[800];
    snprintf(path, sizeof path, "%s/p.db", dir);
    FILE *f = fopen(path, "rb");
    cr_assert_null(f, "the store was created");
}
