/* cli.h — what the subcommands of `parley` share (private to src/cli). */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include <stdio.h>

/* Exit codes (STYLE.md 13). */
enum { CLI_OK = 0, CLI_FAILURE = 1, CLI_USAGE = 2 };

/* A subcommand: argv[0] is its name.  Returns an exit code. */
typedef int (*cli_command_fn)(int argc, char **argv);

typedef struct cli_command {
    const char *name;
    cli_command_fn run;
    const char *summary;
} cli_command;

/* The table in main.c. */
extern const cli_command cli_commands[];

#endif
