/* test_format_malformed.c — every file in tests/data/malformed/ is refused
 * with the expected code, and the message names the file and the line or
 * the JSON path of the fault. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "parley/format.h"
#include "support.h"

typedef struct bad_case {
    const char *file;
    parley_format format;
    int code;
    int line;          /* expected line, 0: none */
    const char *path;  /* expected path, NULL: none */
    const char *words; /* the message says this */
} bad_case;

static const bad_case bad_cases[] = {
    {"truncated.json", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 1, NULL, "expected"},
    {"binary.bin", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 1, NULL, "recognise"},
    {"binary.bin", PARLEY_FORMAT_JSON, PARLEY_EPARSE, 1, NULL, "malformed JSON"},
    {"huge-number.json", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 1, NULL, "overflow"},
    {"nan.json", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 1, NULL, "NaN"},
    {"deep-nesting.json", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 1, NULL, "nested"},
    {"empty.json", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 0, NULL, "empty"},
    {"empty.json", PARLEY_FORMAT_JSON, PARLEY_EPARSE, 1, NULL, "malformed JSON"},
    {"duplicate-key.json", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 3, NULL, "duplicate"},
    {"unknown-field.json", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 0, "colour", "unknown field"},
    {"wrong-type.json", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 0, "actors[0].capability",
     "got a string"},
    {"undefined-actor.json", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 0, "positions[0].actor",
     "\"zz\" is not a defined actor"},
    {"salience-too-big.json", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 0, "positions[0].salience",
     "1.5"},
    {"position-off-scale.json", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 0, "positions[0].position",
     "[0, 1]"},
    {"duplicate-stake.json", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 0, "positions[1]",
     "second stake"},
    {"sd-and-range.json", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 0, "positions[0].position",
     "exclude"},
    {"missing-id.json", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 0, "id", "\"id\" is missing"},
    {"wrong-version.json", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 0, "parley", "version 1"},
    {"bdm-text-capability.csv", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 3, "field 2 (Capability)",
     "\"lots\""},
    {"bdm-salience-range.csv", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 3, "field 4 (Salience)",
     "150"},
    {"bdm-zero-capability.csv", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 2, "field 2 (Capability)",
     "> 0"},
    {"ktab-short-row.csv", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 4, NULL, "found 4"},
    {"ktab-empty-field.csv", PARLEY_FORMAT_AUTO, PARLEY_EPARSE, 4, "field 5 (salience 1)",
     "empty"},
    {"ktab-position-range.csv", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 4, "field 4 (position 1)",
     "150"},
    {"ktab-salience-sum.csv", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 3, NULL, "add up to 120"},
    {"ktab-missing-row.csv", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 5, NULL, "announces 4"},
    {"ktab-too-few-actors.csv", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 1, "field 3 (actors)",
     "[3, 250]"},
    {"ktab-duplicate-name.csv", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 4, "field 1 (Actor)",
     "twice"},
    {"ktab-open-quote.csv", PARLEY_FORMAT_KTAB, PARLEY_EPARSE, 1, NULL, "not closed"},
    {"deu-position-range.csv", PARLEY_FORMAT_AUTO, PARLEY_ERANGE, 2, "field 14 (pcom)", "150"},
    {"deu-short-row.csv", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 2, NULL, "found 20"},
    {"long-undefined-issue.csv", PARLEY_FORMAT_AUTO, PARLEY_ESCHEMA, 4, "field 3 (issue)",
     "\"nowhere\""},
};

Test(format_malformed, each_file_is_refused_with_its_code_and_place)
{
    for (size_t k = 0; k < sizeof bad_cases / sizeof bad_cases[0]; k++) {
        const bad_case *c = &bad_cases[k];
        char name[64];
        snprintf(name, sizeof name, "malformed/%s", c->file);
        char path[1024];
        snprintf(path, sizeof path, "%s", test_data(name));
        parley_scenario **all = (parley_scenario **)1;
        size_t count = 99;
        parley_error err;
        parley_error_clear(&err);
        int rc = parley_scenarios_load(path, c->format, &all, &count, &err);
        char text[900];
        parley_error_format(&err, text, sizeof text);
        cr_assert_eq(rc, c->code, "%s: code %d, expected %d: %s", c->file, rc, c->code, text);
        cr_assert_eq(err.code, c->code, "%s", c->file);
        cr_assert_null(all, "%s", c->file);
        cr_assert_eq(count, 0);
        cr_assert_str_eq(err.file, path, "%s: the error names the file", c->file);
        cr_assert(strstr(text, path) == text, "%s: %s", c->file, text);
        cr_assert_eq(err.line, c->line, "%s: line %d, expected %d (%s)", c->file, err.line,
                     c->line, text);
        if (c->path)
            cr_assert_str_eq(err.path, c->path, "%s: %s", c->file, text);
        cr_assert(c->line > 0 || err.path[0] || strcmp(c->file, "empty.json") == 0,
                  "%s: names neither a line nor a path", c->file);
        cr_assert(strstr(err.message, c->words), "%s: \"%s\" does not say \"%s\"", c->file,
                  err.message, c->words);
    }
}

Test(format_malformed, json_syntax_errors_give_the_column)
{
    const char *text = "{\"parley\": 1,\n  \"id\": \"x\",\n  \"actors\": [}\n";
    parley_scenario **all;
    size_t count;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_scenarios_parse(text, strlen(text), "inline.json", PARLEY_FORMAT_AUTO,
                                        &all, &count, &err),
                 PARLEY_EPARSE);
    cr_assert_eq(err.line, 3);
    cr_assert_gt(err.column, 0);
    cr_assert_str_eq(err.file, "inline.json");
}

Test(format_malformed, validation_errors_after_building_name_the_file)
{
    /* A qualified majority needs a threshold in (0.5, 1]. */
    const char *text =
        "{\"parley\": 1, \"id\": \"x\", \"actors\": [], \"positions\": [], \"issues\": [{\"id\": "
        "\"i\", \"scale\": {\"low\": 0, \"high\": 1}, \"rule\": {\"kind\": \"qualified\", "
        "\"threshold\": 0.4}}]}";
    parley_scenario **all;
    size_t count;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_scenarios_parse(text, strlen(text), "q.json", PARLEY_FORMAT_JSON, &all,
                                        &count, &err),
                 PARLEY_ERANGE);
    cr_assert_str_eq(err.path, "issues[0].rule.threshold");
    cr_assert_str_eq(err.file, "q.json");
}
