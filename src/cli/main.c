/* main.c — `parley`: dispatches to one subcommand per file (cmd_*.c).
 * With no argument it runs every model on the built-in scenario. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

const cli_command cli_commands[] = {
    {"run", cmd_run, "run models on a scenario and print their forecasts"},
    {"models", cmd_models, "list the models, their parameters and trace events"},
    {"validate", cmd_validate, "check scenario files"},
    {"import", cmd_import, "convert BDM, KTAB, DEU or CSV files to parley JSON"},
    {"export", cmd_export, "write a scenario as JSON, CSV, BDM or KTAB"},
    {"backtest", cmd_backtest, "score models against known outcomes (e.g. DEU III)"},
    {"mc", cmd_mc, "Monte Carlo over the inputs' uncertainty: distributions, event probabilities"},
    {"sensitivity", cmd_sensitivity, "which inputs move each issue's forecast most"},
    {"sweep", cmd_sweep, "run every combination of varied inputs and parameters"},
    {"runs", cmd_runs, "list, show, diff, export and delete stored runs"},
    {"forecast", cmd_forecast, "the forecast ledger: questions, forecasts, resolutions, scores"},
    {"report", cmd_report, "write an HTML report with charts (and PNG charts with --png)"},
    {"serve", cmd_serve, "the local web UI: edit a scenario, run models, follow jobs"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: parley [COMMAND] [OPTIONS]\n\n"
                 "Forecasts multi-party negotiations with bargaining models.  Without a command,\n"
                 "runs every model on the built-in scenario (Ukraine, 2014) and prints a table.\n\n"
                 "commands:\n");
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fprintf(out, "\n`parley COMMAND --help` describes a command; `man parley` all of them.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_run_default();
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return cli_finish(NULL);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("parley %s\n", PARLEY_VERSION);
        return cli_finish(NULL);
    }
    for (const cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0)
            return c->run(argc - 1, argv + 1);
    if (argv[1][0] == '-')
        fprintf(stderr, "parley: unknown option %s (see parley --help)\n", argv[1]);
    else
        fprintf(stderr, "parley: unknown command \"%s\" (see parley --help)\n", argv[1]);
    return CLI_USAGE;
}
