/* test_format_json.c — parley's JSON scenario format: reading every field of
 * docs/scenario-format.md, the canonical writer, lossless round trips,
 * exact numbers, atomic writes and allocation failures. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/alloc.h"
#include "parley/format.h"
#include "scenario_equal.h"
#include "support.h"

static parley_scenario *load(const char *path)
{
    parley_scenario *sc = NULL;
    parley_error err;
    parley_error_clear(&err);
    int rc = parley_scenario_load(path, PARLEY_FORMAT_AUTO, &sc, &err);
    char text[900];
    cr_assert_eq(rc, PARLEY_OK, "%s", parley_error_format(&err, text, sizeof text));
    return sc;
}

static parley_scenario *reparse(const parley_scenario *sc, parley_format fmt)
{
    char *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_scenario_format(sc, fmt, &text, &err), PARLEY_OK, "%s", err.message);
    parley_scenario **all = NULL;
    size_t count = 0;
    int rc = parley_scenarios_parse(text, strlen(text), "<round trip>", PARLEY_FORMAT_AUTO, &all,
                                    &count, &err);
    char where[900];
    cr_assert_eq(rc, PARLEY_OK, "%s\n%s", parley_error_format(&err, where, sizeof where), text);
    cr_assert_eq(count, 1);
    parley_free(text);
    parley_scenario *back = all[0];
    parley_free(all);
    return back;
}

Test(format_json, example_reads_every_field)
{
    parley_scenario *sc = load(test_data("format-example.json"));
    cr_assert_str_eq(sc->id, "example");
    cr_assert_str_eq(sc->date, "2024-05-01");
    cr_assert_str_eq(parley_scenario_get_meta(sc, "procedure"), "COD");
    cr_assert_eq(sc->n_actors, 3);
    cr_assert_eq(sc->n_issues, 2);
    cr_assert_str_eq(sc->actors[1].name, "b", "name defaults to id");
    cr_assert_eq(sc->actors[1].capability.spread, PARLEY_SPREAD_SD);
    cr_assert_eq(sc->actors[1].capability.sd, 0.2);
    cr_assert_str_eq(sc->actors[1].capability.note, "a guess");
    cr_assert_eq(sc->actors[2].capability.value, 0.1 + 0.2);
    cr_assert_eq(sc->actors[2].capability.spread, PARLEY_SPREAD_RANGE);
    const parley_issue *tax = &sc->issues[0];
    cr_assert_eq(tax->n_labels, 3);
    cr_assert_str_eq(tax->labels[1].text, "half");
    cr_assert(tax->has_status_quo);
    cr_assert_eq(tax->status_quo.low, 25);
    cr_assert_eq(tax->rule.kind, PARLEY_RULE_QUALIFIED);
    cr_assert_eq(tax->rule.threshold, 0.739);
    cr_assert_eq(tax->rule.n_veto, 1);
    cr_assert_eq(tax->rule.veto[0], 1);
    cr_assert(tax->has_outcome);
    cr_assert_eq(tax->outcome, 41.5);
    cr_assert_eq(sc->issues[1].high, 1e-3);
    const parley_stake *st = parley_stake_at(sc, 2, 0);
    cr_assert(st->present);
    cr_assert_eq(st->position.spread, PARLEY_SPREAD_SD);
    cr_assert_eq(st->position.sd, 5);
    cr_assert_str_eq(st->salience.note, "low");
    cr_assert_not(parley_stake_at(sc, 1, 1)->present);
    cr_assert_eq(parley_stake_at(sc, 0, 1)->position.value, -0.25);
    parley_scenario_free(sc);
}

Test(format_json, round_trip_is_lossless)
{
    const char *files[] = {"format-example.json", "emission-standards.csv",
                           "ktab-dummyData_3Dim.csv"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        parley_scenario *sc = load(test_data(files[k]));
        parley_scenario *back = reparse(sc, PARLEY_FORMAT_JSON);
        cr_assert(scenario_equal(sc, back), "%s: %s differs", files[k], scenario_difference);
        parley_scenario_free(back);
        parley_scenario_free(sc);
    }
}

Test(format_json, default_scenario_round_trips_if_present)
{
    const char *path = test_source("scenarios/ukraine-2014.json");
    if (access(path, R_OK) != 0)
        cr_skip_test("no default scenario yet");
    parley_scenario *sc = load(path);
    parley_scenario *back = reparse(sc, PARLEY_FORMAT_JSON);
    cr_assert(scenario_equal(sc, back), "%s differs", scenario_difference);
    parley_scenario_free(back);
    parley_scenario_free(sc);
}

Test(format_json, writer_is_canonical_and_stable)
{
    parley_scenario *sc = load(test_data("format-example.json"));
    char *first = NULL, *second = NULL;
    cr_assert_eq(parley_scenario_format(sc, PARLEY_FORMAT_JSON, &first, NULL), PARLEY_OK);
    parley_scenario *back = reparse(sc, PARLEY_FORMAT_JSON);
    cr_assert_eq(parley_scenario_format(back, PARLEY_FORMAT_JSON, &second, NULL), PARLEY_OK);
    cr_assert_str_eq(first, second);
    /* Fixed key order, 2-space indent, bare numbers without spread or note,
     * 0.1 + 0.2 needing all 17 digits. */
    cr_assert(strncmp(first, "{\n  \"parley\": 1,\n  \"id\": \"example\",\n", 34) == 0, "%s",
              first);
    cr_assert(strstr(first, "\"capability\": 2,\n"));
    cr_assert(strstr(first, "{\"value\": 0.30000000000000004, \"range\": [0.1, 0.5]}"));
    cr_assert(strstr(first, "\"rule\": {\"kind\": \"qualified\", \"threshold\": 0.739, "
                            "\"veto\": [\"b\"]}"));
    cr_assert(strstr(first, "\"text\": \"\\\"quoted\\\", with comma\""));
    cr_assert(strstr(first, "\"high\": 0.001"));
    parley_free(first);
    parley_free(second);
    parley_scenario_free(back);
    parley_scenario_free(sc);
}

Test(format_json, numbers_round_trip_exactly)
{
    /* Values whose shortest exact text needs 15, 16 and 17 digits, and the
     * extremes of the double range. */
    const double values[] = {0.1, 1.0 / 3.0, 2.0 / 3.0, 0.1 + 0.2, 1e-300, 1.7976931348623157e308,
                             4.9406564584124654e-324, 123456789.123456789, -0.0};
    parley_scenario *sc = parley_scenario_new("n");
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
        char id[16];
        snprintf(id, sizeof id, "a%zu", k);
        double capability = fabs(values[k]) > 0 ? fabs(values[k]) : 1;
        cr_assert_eq(parley_scenario_add_actor(sc, id, capability, NULL, NULL), PARLEY_OK);
    }
    cr_assert_eq(parley_scenario_add_issue(sc, "i", -1.7976931348623157e308, 1.7976931348623157e308, "l",
                                           "h", NULL, NULL),
                 PARLEY_OK);
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++)
        parley_scenario_set_stake(sc, k, 0, values[k], 0.5);
    parley_scenario *back = reparse(sc, PARLEY_FORMAT_JSON);
    cr_assert(scenario_equal(sc, back), "%s differs", scenario_difference);
    parley_scenario_free(back);
    back = reparse(sc, PARLEY_FORMAT_CSV);
    cr_assert(scenario_equal(sc, back), "%s differs in CSV", scenario_difference);
    parley_scenario_free(back);
    parley_scenario_free(sc);
}

Test(format_json, save_is_atomic_and_names_the_file_on_failure)
{
    parley_scenario *sc = load(test_data("format-example.json"));
    char dir[] = "/tmp/parley-format-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.json", dir);
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_scenario_save(sc, PARLEY_FORMAT_JSON, path, &err), PARLEY_OK);
    parley_scenario *back = load(path);
    cr_assert(scenario_equal(sc, back));
    parley_scenario_free(back);
    /* Only the target is left: no temporary file. */
    char command[512];
    snprintf(command, sizeof command, "test $(ls -A %s | wc -l) -eq 1", dir);
    cr_assert_eq(system(command), 0);
    snprintf(path, sizeof path, "%s/no/such/dir/out.json", dir);
    cr_assert_eq(parley_scenario_save(sc, PARLEY_FORMAT_JSON, path, &err), PARLEY_EIO);
    cr_assert_str_eq(err.file, path);
    snprintf(command, sizeof command, "rm -rf %s", dir);
    cr_assert_eq(system(command), 0);
    parley_scenario_free(sc);
}

Test(format_json, read_file_errors_name_the_file)
{
    char *buf;
    size_t len;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_read_file("/nonexistent/x.json", &buf, &len, &err), PARLEY_EIO);
    cr_assert_str_eq(err.file, "/nonexistent/x.json");
    cr_assert_eq(parley_read_file(test_data(""), &buf, &len, &err), PARLEY_EIO);
}

Test(format_json, format_names)
{
    cr_assert_str_eq(parley_format_name(PARLEY_FORMAT_KTAB), "ktab");
    cr_assert_eq(parley_format_parse("deu"), PARLEY_FORMAT_DEU);
    cr_assert_eq(parley_format_parse("xml"), -1);
    cr_assert_eq(parley_format_detect("  {\"parley\":1}", 14), PARLEY_FORMAT_JSON);
    cr_assert_eq(parley_format_detect(" actor , CAPABILITY,Position,salience\n", 38),
                 PARLEY_FORMAT_BDM);
    cr_assert_eq(parley_format_detect("x,y,3,1,\n", 9), PARLEY_FORMAT_KTAB);
    cr_assert_eq(parley_format_detect("hello\n", 6), PARLEY_FORMAT_AUTO);
}

Test(format_json, allocation_failures_leak_nothing)
{
    char *buf = test_read_file(test_data("format-example.json"), NULL);
    cr_assert_not_null(buf);
    long n;
    for (n = 1; n < 100000; n++) {
        parley_scenario **all = NULL;
        size_t count = 0;
        parley_error err;
        parley_error_clear(&err);
        parley_alloc_fail_after(n);
        int rc = parley_scenarios_parse(buf, strlen(buf), "example", PARLEY_FORMAT_AUTO, &all,
                                        &count, &err);
        parley_alloc_fail_after(0);
        if (rc == PARLEY_OK) {
            cr_assert_eq(count, 1);
            char *text = NULL;
            parley_alloc_fail_after(n);
            rc = parley_scenario_format(all[0], PARLEY_FORMAT_CSV, &text, &err);
            parley_alloc_fail_after(0);
            cr_assert(rc == PARLEY_OK || rc == PARLEY_ENOMEM);
            parley_free(text);
            parley_scenarios_free(all, count);
            if (rc == PARLEY_OK)
                break;
            continue;
        }
        cr_assert_eq(rc, PARLEY_ENOMEM, "allocation %ld: code %d: %s", n, rc, err.message);
        cr_assert_null(all);
    }
    cr_assert_gt(n, 10, "the read made allocations");
    free(buf);
}
