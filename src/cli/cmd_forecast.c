/* cmd_forecast.c — `parley forecast`: the forecast ledger (parley/ledger.h):
 * ask questions, add forecasts by people or from Monte Carlo runs, resolve,
 * list, score, import and export CSV.  Conventions in docs/scoring.md.
 * This file holds the dispatch and the helpers the subcommands share;
 * forecast.h says where each subcommand lives. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/forecast.h"
#include "cli/store_opts.h"
#include "parley/ledger.h"

const char forecast_ledger_details[] =
    "The ledger lives in the run store: --db PATH, else $PARLEY_DB, else parley.db.\n"
    "QUESTION is a question's number or the id given at `ask --id`.  Dates are\n"
    "YYYY-MM-DD.  Scores and the CSV columns are described in docs/scoring.md.";

/* ---- shared helpers --------------------------------------------------------- */

/* Copies value into a fixed field, refusing what does not fit. */
int forecast_set_field(const char *command, const char *option, char *dst, size_t n,
                     const char *value)
{
    if (strlen(value) >= n)
        return cli_usage_error(command, "%s is longer than %zu characters", option, n - 1);
    memcpy(dst, value, strlen(value) + 1);
    return CLI_CONTINUE;
}

int forecast_parse_number(const char *command, const char *option, const char *text,
                        double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    if (!*text || errno || *end || !isfinite(*out))
        return cli_usage_error(command, "%s \"%s\": expected a number", option, text);
    return CLI_CONTINUE;
}

/* Today's UTC date, YYYY-MM-DD. */
static void today(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm utc;
    if (!gmtime_r(&now, &utc))
        snprintf(buf, n, "1970-01-01");
    else
        strftime(buf, n, "%Y-%m-%d", &utc);
}

/* The date option (default today), checked. */
int forecast_take_date(const char *command, const char *given, char *dst, size_t n)
{
    if (!given) {
        today(dst, n);
        return CLI_CONTINUE;
    }
    long day;
    parley_error err;
    parley_error_clear(&err);
    if (parley_date_parse(given, &day, &err) != PARLEY_OK)
        return cli_usage_error(command, "--date: %s", err.message);
    return forecast_set_field(command, "--date", dst, n, given);
}

/* Parses options, insists on min..max operands, opens the store (*db is
 * read after parsing, since --db sets it). */
int forecast_begin(const cli_usage *usage, const cli_option *options, int argc, char **argv,
                 int min_operands, int max_operands, const char *const *db, unsigned flags,
                 int *first, parley_store **store)
{
    int rc = cli_parse(usage, options, argc, argv, first);
    if (rc != CLI_CONTINUE)
        return rc;
    int operands = argc - *first;
    if (operands < min_operands)
        return cli_usage_error(usage->command, "expected %s (see parley %s --help)",
                               usage->operands, usage->command);
    if (operands > max_operands)
        return cli_usage_error(usage->command, "unexpected operand \"%s\"",
                               argv[*first + max_operands]);
    return cli_store_open(usage->command, *db, flags, store);
}

int forecast_fail(const char *command, parley_store *store, const parley_error *err)
{
    parley_store_close(store);
    return cli_report_error(command, err);
}

/* ---- dispatch --------------------------------------------------------------- */

static const cli_command forecast_commands[] = {
    {"ask", forecast_ask, "add a question: text, resolution criteria, close date, kind"},
    {"add", forecast_add, "add a forecast by a person (-p, --dist) or a Monte Carlo run"},
    {"resolve", forecast_resolve, "record a question's outcome with its source"},
    {"list", forecast_list, "list questions, or one question's forecasts"},
    {"score", forecast_score, "Brier, log, CRPS; leaderboard; calibration table (--svg)"},
    {"import", forecast_import, "load questions, forecasts and resolutions from CSV"},
    {"export", forecast_export, "write the ledger as CSV"},
    {NULL, NULL, NULL},
};

int cmd_forecast(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *out = argc < 2 ? stderr : stdout;
        fprintf(out, "usage: parley forecast COMMAND [OPTIONS]\n\n"
                     "The forecast ledger: questions, forecasts by people and models, "
                     "resolutions, scores.\n\ncommands:\n");
        for (const cli_command *c = forecast_commands; c->name; c++)
            fprintf(out, "  %-8s %s\n", c->name, c->summary);
        fprintf(out, "\n%s\n`parley forecast COMMAND --help` describes one; --json on "
                     "each prints JSON; --help shows this help and exits.\n",
                forecast_ledger_details);
        return argc < 2 ? CLI_USAGE : cli_finish("forecast");
    }
    for (const cli_command *c = forecast_commands; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0)
            return c->run(argc - 1, argv + 1);
    return cli_usage_error("forecast", "unknown command \"%s\" (expected ask, add, resolve, "
                                       "list, score, import or export)",
                           argv[1]);
}
