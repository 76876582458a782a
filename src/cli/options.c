/* options.c — one option table per command gives both its getopt_long parser
 * and its --help text (STYLE.md 12), so that they cannot disagree. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

enum { MAX_OPTIONS = 40, LONG_ONLY_BASE = 256, HELP_ID = 255 };

static const cli_option help_option = {"help", 'h', NULL, "show this help and exit",
                                       CLI_FLAG, NULL};

static void print_help(const cli_usage *usage, const cli_option *options)
{
    printf("usage: parley %s [OPTIONS]%s%s\n\n%s\n\noptions:\n", usage->command,
           usage->operands && *usage->operands ? " " : "",
           usage->operands ? usage->operands : "", usage->summary);
    for (size_t k = 0;; k++) {
        const cli_option *o = options[k].name ? &options[k] : &help_option;
        char left[64];
        int used = o->short_name ? snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->name)
                                 : snprintf(left, sizeof left, "    --%s", o->name);
        if (o->arg && used > 0 && (size_t)used < sizeof left)
            snprintf(left + used, sizeof left - (size_t)used, " %s", o->arg);
        if (strlen(left) > 24)
            printf("  %s\n  %-24s  %s\n", left, "", o->help);
        else
            printf("  %-24s  %s\n", left, o->help);
        if (o == &help_option)
            break;
    }
    if (usage->details)
        printf("\n%s\n", usage->details);
}

int cli_parse(const cli_usage *usage, const cli_option *options, int argc, char **argv,
              int *first_operand)
{
    struct option longs[MAX_OPTIONS + 2];
    char shorts[3 * MAX_OPTIONS + 8];
    size_t n = 0, used = 0;
    shorts[used++] = ':'; /* report a missing argument as ':' */
    for (; options[n].name && n < MAX_OPTIONS; n++) {
        const cli_option *o = &options[n];
        longs[n] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
                                   o->short_name ? o->short_name : LONG_ONLY_BASE + (int)n};
        if (o->short_name) {
            shorts[used++] = (char)o->short_name;
            if (o->arg)
                shorts[used++] = ':';
        }
    }
    longs[n] = (struct option){"help", no_argument, NULL, HELP_ID};
    longs[n + 1] = (struct option){NULL, 0, NULL, 0};
    shorts[used++] = 'h';
    shorts[used] = '\0';
    optind = 0; /* GNU: reinitialise, since main may have parsed before */
    opterr = 0;
    for (;;) {
        int index = -1;
        int c = getopt_long(argc, argv, shorts, longs, &index);
        if (c == -1)
            break;
        if (c == 'h' || c == HELP_ID) {
            print_help(usage, options);
            return CLI_OK;
        }
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (c == ':')
                return cli_usage_error(usage->command,
                                       "option %s needs an argument (see parley %s --help)",
                                       bad, usage->command);
            if (optopt && !(bad[0] == '-' && bad[1] == '-'))
                return cli_usage_error(usage->command,
                                       "unknown option -%c (see parley %s --help)", optopt,
                                       usage->command);
            return cli_usage_error(usage->command, "unknown option %s (see parley %s --help)",
                                   bad, usage->command);
        }
        const cli_option *o = NULL;
        for (size_t k = 0; k < n && !o; k++)
            if ((options[k].short_name && c == options[k].short_name) ||
                c == LONG_ONLY_BASE + (int)k)
                o = &options[k];
        if (!o)
            return cli_usage_error(usage->command, "internal error: option %d", c);
        switch (o->kind) {
        case CLI_FLAG:
            *(int *)o->target = 1;
            break;
        case CLI_STRING:
            *(const char **)o->target = optarg;
            break;
        case CLI_LIST: {
            cli_list *list = o->target;
            if (list->n == CLI_LIST_MAX)
                return cli_usage_error(usage->command, "--%s given more than %d times",
                                       o->name, CLI_LIST_MAX);
            list->items[list->n++] = optarg;
            break;
        }
        }
    }
    *first_operand = optind;
    return CLI_CONTINUE;
}
