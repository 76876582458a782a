/* test_cli.c — the `parley` command, run as a user would (support.h). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "cli/cli.h"
#include "parley/model.h"
#include "support.h"

static int run(const char *args, char **out, char **err)
{
    int status = test_run_parley(args, out, err);
    cr_assert(status >= 0, "could not run parley %s", args);
    return status;
}

/* The command table lives in main.c, which is not linked into tests: the
 * commands are listed by `parley --help` and checked one by one. */
Test(cli, help_on_every_command)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(run("--help", &out, &err), 0);
    cr_assert(strstr(out, "usage: parley"));
    int commands = 0;
    char *line = strstr(out, "commands:\n");
    cr_assert(line);
    for (line = strchr(line, '\n') + 1; line && strncmp(line, "  ", 2) == 0;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char name[64], args[128];
        cr_assert_eq(sscanf(line, " %63s", name), 1);
        snprintf(args, sizeof args, "%s --help", name);
        char *help = NULL, *help_err = NULL;
        cr_expect_eq(run(args, &help, &help_err), 0, "parley %s", args);
        char expect[96];
        snprintf(expect, sizeof expect, "usage: parley %s", name);
        cr_expect(strstr(help, expect), "parley %s --help printed: %s", name, help);
        cr_expect(strstr(help, "--help"), "parley %s --help lists --help", name);
        cr_expect_str_empty(help_err);
        free(help);
        free(help_err);
        commands++;
    }
    cr_assert_geq(commands, 6);
    free(out);
    free(err);
}

/* Every command `parley --help` lists has its own section in the man page,
 * `.SS "parley NAME ...`, so that a new command cannot ship undocumented. */
Test(cli, man_page_has_a_section_per_command)
{
    char *man = test_read_file(test_source("docs/parley.1"), NULL);
    cr_assert(man, "could not read docs/parley.1");
    char *out = NULL, *err = NULL;
    cr_assert_eq(run("--help", &out, &err), 0);
    char *line = strstr(out, "commands:\n");
    cr_assert(line);
    int commands = 0;
    for (line = strchr(line, '\n') + 1; line && strncmp(line, "  ", 2) == 0;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char name[64], heading[96];
        cr_assert_eq(sscanf(line, " %63s", name), 1);
        /* The name ends the heading or is followed by a space: "run" must
         * not be satisfied by "runs". */
        snprintf(heading, sizeof heading, "\n.SS \"parley %s ", name);
        char alone[96];
        snprintf(alone, sizeof alone, "\n.SS \"parley %s\"", name);
        cr_expect(strstr(man, heading) || strstr(man, alone),
                  "docs/parley.1 has no section .SS \"parley %s ...\"", name);
        commands++;
    }
    cr_assert_geq(commands, 13);
    free(out);
    free(err);
    free(man);
}

Test(cli, unknown_command_and_bad_option_exit_2)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(run("frobnicate", &out, &err), 2);
    cr_assert(strstr(err, "frobnicate"));
    free(out);
    free(err);
    cr_assert_eq(run("run --no-such-option", &out, &err), 2);
    cr_assert(strstr(err, "parley run: unknown option --no-such-option"), "%s", err);
    cr_assert_eq(strchr(err, '\n'), err + strlen(err) - 1, "one line: %s", err);
    free(out);
    free(err);
    cr_assert_eq(run("run --rounds", &out, &err), 2);
    free(out);
    free(err);
    cr_assert_eq(run("run --model no-such-model", &out, &err), 2);
    cr_assert(strstr(err, "no-such-model"));
    free(out);
    free(err);
}

Test(cli, no_argument_prints_every_issue_and_model)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(run("", &out, &err), 0, "stderr: %s", err);
    /* Every model in the registry appears (or is footnoted as not run). */
    for (const parley_model *const *m = parley_models(); *m; m++)
        cr_expect(strstr(out, (*m)->name), "model %s missing from:\n%s", (*m)->name, out);
    /* Every issue name of the built-in scenario, which the JSON output lists. */
    char *json_text = NULL;
    cr_assert_eq(run("run --json", &json_text, NULL), 0);
    json_error_t jerr;
    json_t *root = json_loads(json_text, 0, &jerr);
    cr_assert(root, "JSON: %s", jerr.text);
    json_t *first_run = json_array_get(json_object_get(root, "runs"), 0);
    json_t *forecasts = json_object_get(first_run, "forecasts");
    cr_assert_gt(json_array_size(forecasts), 0);
    size_t k;
    json_t *item;
    json_array_foreach(forecasts, k, item) {
        const char *name = json_string_value(json_object_get(item, "name"));
        cr_expect(name && strstr(out, name), "issue %s missing", name);
    }
    size_t width = 0;
    for (const char *c = out; *c; c++) {
        width = *c == '\n' ? 0 : width + ((*c & 0xC0) != 0x80);
        cr_expect_leq(width, 100, "a line is wider than 100 columns");
    }
    json_decref(root);
    free(json_text);
    free(out);
    free(err);
}

Test(cli, run_json_holds_forecasts)
{
    char *out = NULL, *err = NULL, args[1024];
    snprintf(args, sizeof args, "run '%s' --model compromise --json",
             test_data("emission-standards.csv"));
    cr_assert_eq(run(args, &out, &err), 0, "stderr: %s", err);
    json_error_t jerr;
    json_t *root = json_loads(out, 0, &jerr);
    cr_assert(root, "not JSON (%s): %s", jerr.text, out);
    json_t *runs = json_object_get(root, "runs");
    cr_assert_eq(json_array_size(runs), 1);
    json_t *r = json_array_get(runs, 0);
    cr_assert_str_eq(json_string_value(json_object_get(r, "model")), "compromise");
    json_t *forecast = json_object_get(json_array_get(json_object_get(r, "forecasts"), 0),
                                       "forecast");
    cr_assert(json_is_number(forecast));
    /* Scholz et al. (2011) Table 1 data: the capability-and-salience weighted
     * mean, computed by hand from tests/data/emission-standards.csv. */
    double x = json_number_value(forecast);
    cr_assert(x > 4 && x < 10, "forecast %g off the scale", x);
    json_decref(root);
    free(out);
    free(err);
}

Test(cli, param_and_rounds_errors)
{
    char *out = NULL, *err = NULL, args[1024];
    snprintf(args, sizeof args, "run '%s' --param x=1", test_data("emission-standards.csv"));
    cr_assert_eq(run(args, &out, &err), 2);
    cr_assert(strstr(err, "--param"), "%s", err);
    free(out);
    free(err);
    snprintf(args, sizeof args, "run '%s' --model nash --param nope=1",
             test_data("emission-standards.csv"));
    cr_assert_eq(run(args, &out, &err), 2);
    cr_assert(strstr(err, "loss"), "the params are listed: %s", err);
    free(out);
    free(err);
    snprintf(args, sizeof args, "run '%s' --model compromise --rounds 5",
             test_data("emission-standards.csv"));
    cr_assert_eq(run(args, &out, &err), 2);
    cr_assert(strstr(err, "rounds"), "%s", err);
    free(out);
    free(err);
}

Test(cli, validate_bad_file_exits_2_naming_it)
{
    char path[] = "/tmp/parley-test-bad-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *bad = "Actor,Capability,Position,Salience\nA,ten,50,0.5\n";
    cr_assert_eq(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
    close(fd);
    char *out = NULL, *err = NULL, args[2048];
    snprintf(args, sizeof args, "validate '%s' '%s'", test_data("emission-standards.csv"), path);
    cr_assert_eq(run(args, &out, &err), 2);
    cr_assert(strstr(out, "emission-standards.csv: ok (10 actors, 1 issues)"), "%s", out);
    cr_assert(strstr(err, path), "stderr names the file: %s", err);
    cr_assert(strncmp(err, "parley validate: ", 17) == 0, "%s", err);
    unlink(path);
    free(out);
    free(err);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

Test(cli, import_export_round_trip_atomic)
{
    char dir[] = "/tmp/parley-test-dir-XXXXXX";
    cr_assert(mkdtemp(dir));
    char *out = NULL, *err = NULL, args[4096];
    snprintf(args, sizeof args, "import '%s' -o '%s/a.json'", test_data("ktab-SOE-Pol-Comp.csv"),
             dir);
    cr_assert_eq(run(args, &out, &err), 0, "%s", err);
    free(out);
    free(err);
    /* -o leaves exactly the file: no temporary file behind. */
    cr_assert_eq(count_entries(dir), 1);
    snprintf(args, sizeof args, "export '%s/a.json' --to csv -o '%s/b.csv'", dir, dir);
    cr_assert_eq(run(args, &out, &err), 0, "%s", err);
    free(out);
    free(err);
    snprintf(args, sizeof args, "import '%s/b.csv' -o '%s/c.json'", dir, dir);
    cr_assert_eq(run(args, &out, &err), 0, "%s", err);
    free(out);
    free(err);
    cr_assert_eq(count_entries(dir), 3);
    char a_path[4096], c_path[4096];
    snprintf(a_path, sizeof a_path, "%s/a.json", dir);
    snprintf(c_path, sizeof c_path, "%s/c.json", dir);
    char *a = test_read_file(a_path, NULL), *c = test_read_file(c_path, NULL);
    cr_assert(a && c);
    cr_assert_str_eq(a, c, "JSON -> CSV -> JSON changed the scenario");
    free(a);
    free(c);
    /* A scenario written to stdout is the same JSON. */
    snprintf(args, sizeof args, "import '%s'", test_data("ktab-SOE-Pol-Comp.csv"));
    cr_assert_eq(run(args, &out, &err), 0);
    a = test_read_file(a_path, NULL);
    cr_assert_str_eq(out, a);
    free(a);
    free(out);
    free(err);
    for (const char *name = "a.json"; name; name = strcmp(name, "a.json") == 0 ? "b.csv"
                                             : strcmp(name, "b.csv") == 0 ? "c.json" : NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        unlink(path);
    }
    rmdir(dir);
}

Test(cli, import_many_scenarios_to_a_directory)
{
    char dir[] = "/tmp/parley-test-deu-XXXXXX";
    cr_assert(mkdtemp(dir));
    char *out = NULL, *err = NULL, args[4096];
    snprintf(args, sizeof args, "import '%s' -o '%s/deu'", test_data("deu3-test.csv"), dir);
    cr_assert_eq(run(args, &out, &err), 0, "%s", err);
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/deu", dir);
    cr_assert_eq(count_entries(sub), 127);
    free(out);
    free(err);
    snprintf(args, sizeof args, "rm -r '%s'", dir);
    cr_assert_eq(system(args), 0);
}

Test(cli, models_json_lists_every_model)
{
    char *out = NULL, *err = NULL;
    cr_assert_eq(run("models --json", &out, &err), 0);
    json_t *root = json_loads(out, 0, NULL);
    cr_assert(json_is_array(root));
    size_t n = 0;
    for (const parley_model *const *m = parley_models(); *m; m++)
        n++;
    cr_assert_eq(json_array_size(root), n);
    json_decref(root);
    free(out);
    free(err);
    cr_assert_eq(run("models no-such-model", &out, &err), 2);
    free(out);
    free(err);
}

/* Every command that takes a model by name refuses an unknown one the same
 * way: exit 2, one line, and the names it would have taken. */
Test(cli, unknown_model_exits_2_listing_the_models)
{
    const char *commands[] = {"run --no-store --model nosuch", "models nosuch",
                              "report --model nosuch --samples 0",
                              "mc --no-store --model nosuch", "sensitivity --model nosuch",
                              "sweep --no-store --model nosuch --vary russia.capability=1"};
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        char *out = NULL, *err = NULL;
        cr_assert_eq(run(commands[k], &out, &err), 2, "%s: %s", commands[k], err);
        cr_assert(strstr(err, "unknown model \"nosuch\" (models: compromise"), "%s: %s",
                  commands[k], err);
        cr_assert(strstr(err, "median"), "%s: %s", commands[k], err);
        cr_assert(strchr(err, '\n') == err + strlen(err) - 1, "one line: %s", err);
        free(out);
        free(err);
    }
}
