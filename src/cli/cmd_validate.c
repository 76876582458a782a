/* cmd_validate.c — `parley validate`: reads files and says whether each is a
 * valid scenario. */
#include <stdio.h>

#include "cli/cli.h"
#include "parley/format.h"

static const cli_usage usage = {
    "validate", "FILE...",
    "Checks that each FILE is a valid scenario and prints \"FILE: ok (N actors, M issues)\"\n"
    "or the first error in it.",
    "Exits with 2 if any file is bad.",
};

int cmd_validate(int argc, char **argv)
{
    const char *format = NULL;
    const cli_option options[] = {
        {"format", 'f', "F", "input format: auto json csv bdm ktab deu (default auto)",
         CLI_STRING, &format},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (first >= argc)
        return cli_usage_error("validate", "expected at least one FILE (see parley validate "
                                           "--help)");
    parley_format fmt;
    if ((rc = cli_parse_format("validate", format, &fmt)) != CLI_CONTINUE)
        return rc;
    int worst = CLI_OK;
    for (int k = first; k < argc; k++) {
        parley_scenario **scenarios = NULL;
        size_t count = 0;
        rc = cli_load_scenarios("validate", argv[k], fmt, &scenarios, &count);
        if (rc != CLI_CONTINUE) {
            if (rc > worst)
                worst = rc;
            continue;
        }
        if (count == 1) {
            printf("%s: ok (%zu actors, %zu issues)\n", argv[k], scenarios[0]->n_actors,
                   scenarios[0]->n_issues);
        } else {
            size_t issues = 0, actors = 0;
            for (size_t s = 0; s < count; s++) {
                issues += scenarios[s]->n_issues;
                if (scenarios[s]->n_actors > actors)
                    actors = scenarios[s]->n_actors;
            }
            printf("%s: ok (%zu scenarios, up to %zu actors, %zu issues in all)\n", argv[k],
                   count, actors, issues);
        }
        parley_scenarios_free(scenarios, count);
    }
    rc = cli_finish("validate");
    return rc != CLI_OK ? rc : worst;
}
