/* cmd_import.c — `parley import`: any readable format to parley's JSON. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "parley/alloc.h"
#include "parley/format.h"

static const cli_usage usage = {
    "import", "FILE",
    "Converts a scenario file (BDM table, KTAB CSV, DEU III, parley CSV or JSON) to\n"
    "parley's native JSON.",
    "A file with one scenario becomes one JSON document (standard output or -o OUT).\n"
    "A file with many (DEU III: one scenario per issue) needs -o DIR: each scenario is\n"
    "written to DIR/<id>.json (DIR is created if missing).  Without -o the scenarios\n"
    "go to standard output as one JSON array.",
};

/* A file name made from a scenario id: no path separators, no dot files. */
static void file_name_for(const char *id, char *buf, size_t n)
{
    snprintf(buf, n, "%s", id && *id ? id : "scenario");
    for (char *c = buf; *c; c++)
        if (*c == '/' || *c == '\\')
            *c = '-';
    if (buf[0] == '.')
        buf[0] = '_';
}

static int write_directory(const char *dir, parley_scenario **scenarios, size_t count)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "parley import: %s: cannot create the directory: %s\n", dir,
                strerror(errno));
        return CLI_FAILURE;
    }
    for (size_t s = 0; s < count; s++) {
        char name[256], path[4096];
        file_name_for(scenarios[s]->id, name, sizeof name);
        snprintf(path, sizeof path, "%s/%s.json", dir, name);
        parley_error err;
        parley_error_clear(&err);
        if (parley_scenario_save(scenarios[s], PARLEY_FORMAT_JSON, path, &err)) {
            if (err.file[0] == '\0')
                parley_error_at(&err, path, 0, 0, NULL);
            cli_report_error("import", &err);
            return CLI_FAILURE;
        }
    }
    printf("%zu scenarios written to %s/\n", count, dir);
    return CLI_CONTINUE;
}

static int write_array(parley_scenario **scenarios, size_t count)
{
    printf("[\n");
    for (size_t s = 0; s < count; s++) {
        char *text = NULL;
        parley_error err;
        parley_error_clear(&err);
        if (parley_scenario_format(scenarios[s], PARLEY_FORMAT_JSON, &text, &err))
            return cli_report_error("import", &err);
        size_t len = strlen(text);
        while (len && text[len - 1] == '\n')
            len--;
        printf("%.*s%s\n", (int)len, text, s + 1 < count ? "," : "");
        parley_free(text);
    }
    printf("]\n");
    return CLI_CONTINUE;
}

int cmd_import(int argc, char **argv)
{
    const char *format = NULL, *output = NULL;
    const cli_option options[] = {
        {"format", 'f', "F", "input format: auto csv bdm ktab deu json (default auto)",
         CLI_STRING, &format},
        {"output", 'o', "OUT", "write to OUT (a directory for many scenarios)", CLI_STRING,
         &output},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("import", "expected one FILE (see parley import --help)");
    parley_format fmt;
    if ((rc = cli_parse_format("import", format, &fmt)) != CLI_CONTINUE)
        return rc;
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    if ((rc = cli_load_scenarios("import", argv[first], fmt, &scenarios, &count)) !=
        CLI_CONTINUE)
        return rc;
    if (count == 1) {
        rc = cli_write_scenario("import", scenarios[0], PARLEY_FORMAT_JSON, output);
    } else if (output && strcmp(output, "-") != 0) {
        rc = write_directory(output, scenarios, count);
    } else {
        rc = write_array(scenarios, count);
    }
    parley_scenarios_free(scenarios, count);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_finish("import");
}
