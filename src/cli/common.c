/* common.c — diagnostics, loading and writing for every subcommand. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "parley/alloc.h"
#include "parley/report.h"

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "parley%s%s: ", command ? " " : "", command ? command : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_USAGE;
}

int cli_exit_code(int code)
{
    switch (code) {
    case PARLEY_OK:
        return CLI_OK;
    case PARLEY_ENOMEM:
    case PARLEY_EIO:
    case PARLEY_ECANCEL:
    case PARLEY_EINTERNAL:
        return CLI_FAILURE;
    default:
        return CLI_USAGE;
    }
}

int cli_report_error(const char *command, const parley_error *err)
{
    char line[2048];
    parley_error_format(err, line, sizeof line);
    /* The diagnostic is one line: a message with a newline would break it. */
    for (char *c = line; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    fprintf(stderr, "parley%s%s: %s\n", command ? " " : "", command ? command : "", line);
    return cli_exit_code(err->code);
}

int cli_parse_format(const char *command, const char *name, parley_format *out)
{
    *out = PARLEY_FORMAT_AUTO;
    if (!name)
        return CLI_CONTINUE;
    int f = parley_format_parse(name);
    if (f < 0) {
        char names[256] = "";
        size_t used = 0;
        for (int k = 0; k <= PARLEY_FORMAT_DEU && used < sizeof names; k++) {
            int w = snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "",
                             parley_format_name((parley_format)k));
            if (w > 0)
                used += (size_t)w;
        }
        return cli_usage_error(command, "unknown format \"%s\" (expected one of: %s)", name,
                               names);
    }
    *out = (parley_format)f;
    return CLI_CONTINUE;
}

int cli_find_model(const char *command, const char *name, const parley_model **out)
{
    *out = name ? parley_model_find(name) : parley_models()[0];
    if (*out)
        return CLI_CONTINUE;
    char names[512] = "";
    size_t used = 0;
    for (const parley_model *const *m = parley_models(); *m && used < sizeof names; m++) {
        int w = snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                         (*m)->name);
        if (w > 0)
            used += (size_t)w;
    }
    return cli_usage_error(command, "unknown model \"%s\" (models: %s)", name, names);
}

int cli_load_scenarios(const char *command, const char *path, parley_format fmt,
                       parley_scenario ***out, size_t *count)
{
    parley_error err;
    parley_error_clear(&err);
    int rc;
    if (path) {
        rc = parley_scenarios_load(path, fmt, out, count, &err);
    } else {
        size_t len = 0;
        const char *json = parley_default_scenario_json(&len);
        rc = parley_scenarios_parse(json, len, "ukraine-2014 (built in)", PARLEY_FORMAT_JSON,
                                    out, count, &err);
    }
    if (rc == PARLEY_OK)
        return CLI_CONTINUE;
    if (err.file[0] == '\0')
        parley_error_at(&err, path ? path : "ukraine-2014 (built in)", 0, 0, NULL);
    cli_report_error(command, &err);
    /* An unreadable or malformed input is the user's to fix: 2; only running
     * out of memory is a runtime failure. */
    return rc == PARLEY_ENOMEM ? CLI_FAILURE : CLI_USAGE;
}

int cli_write_output(const char *command, const char *path, const char *text)
{
    if (!path || strcmp(path, "-") == 0) {
        fputs(text, stdout);
        return CLI_CONTINUE;
    }
    parley_error err;
    parley_error_clear(&err);
    if (parley_write_file_atomic(path, text, strlen(text), &err)) {
        if (err.file[0] == '\0')
            parley_error_at(&err, path, 0, 0, NULL);
        cli_report_error(command, &err);
        return CLI_FAILURE;
    }
    return CLI_CONTINUE;
}

int cli_write_scenario(const char *command, const parley_scenario *sc, parley_format fmt,
                       const char *path)
{
    char *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    int rc = parley_scenario_format(sc, fmt, &text, &err) == PARLEY_OK
                 ? cli_write_output(command, path, text)
                 : cli_report_error(command, &err);
    parley_free(text);
    return rc;
}

int cli_finish(const char *command)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "parley%s%s: could not write to standard output\n",
                command ? " " : "", command ? command : "");
        return CLI_FAILURE;
    }
    return CLI_OK;
}

int cli_write_buf(const char *command, parley_buf *b, const char *path)
{
    char *text = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (parley_buf_finish(b, &text, &err) != PARLEY_OK)
        return cli_report_error(command, &err);
    int rc = cli_write_output(command, path, text);
    parley_free(text);
    return rc == CLI_CONTINUE ? cli_finish(command) : rc;
}

/* The escape for byte c as a JSON string literal needs it, in out; 0 when c
 * stands for itself.  The buffer and the stream writers share it so that
 * every command's JSON escapes alike. */
static int json_escape(unsigned char c, char out[8])
{
    if (c == '"' || c == '\\')
        return snprintf(out, 8, "\\%c", c);
    if (c < 0x20)
        return snprintf(out, 8, "\\u%04x", c);
    return 0;
}

void cli_put_json_string(parley_buf *b, const char *s)
{
    char esc[8];
    parley_buf_puts(b, "\"");
    for (; s && *s; s++) {
        int n = json_escape((unsigned char)*s, esc);
        parley_buf_append(b, n > 0 ? esc : s, n > 0 ? (size_t)n : 1);
    }
    parley_buf_puts(b, "\"");
}

void cli_print_json_string(FILE *out, const char *s)
{
    char esc[8];
    fputc('"', out);
    for (; s && *s; s++) {
        if (json_escape((unsigned char)*s, esc) > 0)
            fputs(esc, out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

void cli_put_json_number(parley_buf *b, double x)
{
    if (isfinite(x))
        parley_buf_printf(b, "%.17g", x);
    else
        parley_buf_puts(b, "null");
}

void cli_print_json_number(FILE *out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fputs("null", out);
}

/* ---- the numbers of the Monte Carlo commands ------------------------------ */

int cli_parse_count(const char *command, const char *option, const char *text, uint64_t min,
                    uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end); /* accepts 1e6 */
    if (!*text || *end || errno || !(value >= (double)min) || value > 9e18 ||
        value != floor(value))
        return cli_usage_error(command, "%s: expected a whole number >= %" PRIu64 ", got \"%s\"",
                               option, min, text);
    *out = (uint64_t)value;
    return CLI_CONTINUE;
}

int cli_parse_threads(const char *command, const char *text, int *out)
{
    uint64_t value = 0;
    int rc = cli_parse_count(command, "--threads", text, 1, &value);
    if (rc != CLI_CONTINUE)
        return rc;
    if (value > 4096)
        return cli_usage_error(command, "--threads: at most 4096");
    *out = (int)value;
    return CLI_CONTINUE;
}

int cli_parse_spread(const char *command, const char *text, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (!*text || *end || errno || !(value >= 0) || !isfinite(value))
        return cli_usage_error(command, "--spread: expected a number >= 0, got \"%s\"", text);
    *out = value;
    return CLI_CONTINUE;
}
