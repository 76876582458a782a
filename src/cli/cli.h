/* cli.h — what the subcommands of `parley` share (private to src/cli). */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/buf.h"
#include "parley/error.h"
#include "parley/format.h"
#include "parley/model.h"
#include "parley/scenario.h"

/* Exit codes (STYLE.md 13). */
enum { CLI_OK = 0, CLI_FAILURE = 1, CLI_USAGE = 2 };
/* Returned by the helpers below when the command should go on. */
enum { CLI_CONTINUE = -1 };

/* A subcommand: argv[0] is its name.  Returns an exit code. */
typedef int (*cli_command_fn)(int argc, char **argv);

typedef struct cli_command {
    const char *name;
    cli_command_fn run;
    const char *summary;
} cli_command;

/* The table in main.c. */
extern const cli_command cli_commands[];

/* The commands (one file each: cmd_<name>.c). */
int cmd_run(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_mc(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* `parley` with no argument: every model on the built-in scenario. */
int cli_run_default(void);

/* ---- options: one table gives the parser and the --help text ------------ */

typedef enum cli_option_kind {
    CLI_FLAG,   /* target is an int, set to 1 */
    CLI_STRING, /* target is a const char *, the last one given wins */
    CLI_LIST    /* target is a cli_list, each use appends */
} cli_option_kind;

#define CLI_LIST_MAX 64
typedef struct cli_list {
    size_t n;
    const char *items[CLI_LIST_MAX];
} cli_list;

/* An option; a table ends with a NULL name.  --help (-h) is added. */
typedef struct cli_option {
    const char *name;     /* long name without "--" */
    int short_name;       /* 0: none */
    const char *arg;      /* the argument's name in --help ("FILE"); NULL for flags */
    const char *help;     /* one line */
    cli_option_kind kind;
    void *target;
} cli_option;

typedef struct cli_usage {
    const char *command;  /* "run" */
    const char *operands; /* "[SCENARIO]" */
    const char *summary;  /* one line */
    const char *details;  /* paragraphs after the options; NULL if none */
} cli_usage;

/* Parses argv (argv[0] is the command).  Returns CLI_CONTINUE with the
 * index of the first operand in *first_operand, CLI_OK after printing --help
 * to stdout, or CLI_USAGE after one line on stderr. */
int cli_parse(const cli_usage *usage, const cli_option *options, int argc, char **argv,
              int *first_operand);

/* ---- diagnostics ------------------------------------------------------- */

/* "parley COMMAND: message" on stderr; returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The exit code for a library error: 1 for out of memory, I/O and internal
 * failures, 2 for bad input. */
int cli_exit_code(int code);

/* "parley COMMAND: FILE:LINE:COL: PATH: message" on stderr; returns
 * cli_exit_code(err->code). */
int cli_report_error(const char *command, const parley_error *err);

/* ---- models ---------------------------------------------------------------- */

/* The registered model called name (NULL: the first registered model) in
 * *out.  CLI_CONTINUE, or CLI_USAGE after one line listing every model's
 * name.  The model is static: nothing to free. */
int cli_find_model(const char *command, const char *name, const parley_model **out);

/* ---- input and output --------------------------------------------------- */

/* Parses a --format name (NULL: auto).  CLI_CONTINUE or CLI_USAGE. */
int cli_parse_format(const char *command, const char *name, parley_format *out);

/* Formats sc as fmt and writes it to path as cli_write_output does.
 * CLI_CONTINUE, or an exit code after the diagnostic. */
int cli_write_scenario(const char *command, const parley_scenario *sc, parley_format fmt,
                       const char *path);

/* Loads the scenarios of path (NULL: the built-in default scenario).
 * CLI_CONTINUE, or an exit code after the diagnostic (2 for an unreadable or
 * bad file). */
int cli_load_scenarios(const char *command, const char *path, parley_format fmt,
                       parley_scenario ***out, size_t *count);

/* Writes text to path atomically, or to stdout when path is NULL or "-".
 * CLI_CONTINUE or CLI_FAILURE after the diagnostic. */
int cli_write_output(const char *command, const char *path, const char *text);

/* The exit code for the end of a command that wrote to stdout: CLI_OK, or
 * CLI_FAILURE with a diagnostic when stdout could not be written. */
int cli_finish(const char *command);

/* Finishes b and writes its text to path (NULL or "-": stdout), then ends
 * the command as cli_finish does.  b is emptied either way.  Returns CLI_OK,
 * or CLI_FAILURE after the diagnostic (out of memory, or the write failed). */
int cli_write_buf(const char *command, parley_buf *b, const char *path);

/* ---- JSON pieces for the commands that write JSON by hand --------------- */

/* Appends s as a JSON string literal (NULL as ""): quote and backslash
 * escaped, every other control character as \u00XX. */
void cli_put_json_string(parley_buf *b, const char *s);

/* Appends x with 17 significant digits, or null when it is not finite. */
void cli_put_json_number(parley_buf *b, double x);

/* The same two, written straight to a stream (the commands that print
 * their JSON as they go). */
void cli_print_json_string(FILE *out, const char *s);
void cli_print_json_number(FILE *out, double x);

/* ---- the numbers of the Monte Carlo commands (mc, sweep) ----------------- */

/* A whole number >= min written as an integer or a real ("1e6") in *out.
 * CLI_CONTINUE or CLI_USAGE after "OPTION: expected a whole number >= MIN". */
int cli_parse_count(const char *command, const char *option, const char *text, uint64_t min,
                    uint64_t *out);

/* --threads: a whole number in 1..4096.  CLI_CONTINUE or CLI_USAGE. */
int cli_parse_threads(const char *command, const char *text, int *out);

/* --spread: a finite number >= 0.  CLI_CONTINUE or CLI_USAGE. */
int cli_parse_spread(const char *command, const char *text, double *out);

#endif
