/* main.c — `parley`: dispatches to one subcommand per file (cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

const cli_command cli_commands[] = {
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: parley [COMMAND] [OPTIONS]\n\ncommands:\n");
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return CLI_OK;
    }
    if (argc >= 2)
        for (const cli_command *c = cli_commands; c->name; c++)
            if (strcmp(c->name, argv[1]) == 0)
                return c->run(argc - 1, argv + 1);
    if (argc >= 2) {
        fprintf(stderr, "parley: unknown command \"%s\"\n", argv[1]);
        usage(stderr);
        return CLI_USAGE;
    }
    usage(stdout);
    return CLI_OK;
}
