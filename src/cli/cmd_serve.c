/* cmd_serve.c — `parley serve`: the local web UI until Ctrl-C. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_opts.h"
#include "parley/web.h"

static const cli_usage usage = {
    "serve", "",
    "Serves the web UI and its JSON API (docs/api.md) on http://BIND:PORT/ until\n"
    "interrupted: edit a scenario, run the models, Monte Carlo, sensitivity, stored runs.",
    "The page is compiled into parley: nothing is loaded from the network.  The server\n"
    "listens on 127.0.0.1 unless --bind says otherwise; it refuses requests whose Host or\n"
    "Origin is not itself, so another web site cannot use it.  --dir names the only\n"
    "directory whose scenarios can be listed, read and saved.  Runs are stored in --db\n"
    "(default $PARLEY_DB, else parley.db) unless --no-store.",
};

static int parse_unsigned(const char *option, const char *text, unsigned max, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (!*text || *end || errno || value > max || text[0] == '-')
        return cli_usage_error("serve", "--%s: expected a whole number from 0 to %u, got "
                               "\"%s\"", option, max, text);
    *out = (unsigned)value;
    return CLI_CONTINUE;
}

/* SIGINT and SIGTERM: blocked in every thread (the server's inherit the
 * mask) and waited for in this one. */
static void stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
}

int cmd_serve(int argc, char **argv)
{
    const char *port = NULL, *bind = NULL, *dir = NULL, *db = NULL, *threads = NULL;
    int no_store = 0;
    const cli_option options[] = {
        {"port", 'p', "PORT", "port to listen on (default 8080; 0: any free port)",
         CLI_STRING, &port},
        {"bind", 'b', "ADDRESS", "address to listen on (default 127.0.0.1)", CLI_STRING, &bind},
        {"dir", 'd', "DIR", "the directory of scenarios the page may list, read and save",
         CLI_STRING, &dir},
        {"db", 0, "PATH", "the run store (default $PARLEY_DB, else parley.db)", CLI_STRING, &db},
        {"no-store", 0, NULL, "keep no runs", CLI_FLAG, &no_store},
        {"threads", 't', "N", "request threads (default 4)", CLI_STRING, &threads},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (first < argc)
        return cli_usage_error("serve", "unexpected operand \"%s\"", argv[first]);
    parley_web_opts opts;
    parley_web_opts_init(&opts);
    if ((port && (rc = parse_unsigned("port", port, 65535, &opts.port)) != CLI_CONTINUE) ||
        (threads && (rc = parse_unsigned("threads", threads, 256, &opts.threads)) != CLI_CONTINUE))
        return rc;
    if (bind)
        opts.bind = bind;
    opts.scenario_dir = dir;
    opts.db_path = no_store ? NULL : cli_store_path(db);
    if (!parley_web_is_loopback(opts.bind))
        fprintf(stderr, "parley serve: warning: listening on %s, not on loopback: anyone who "
                        "can reach this address can run models and %s scenarios\n",
                opts.bind, dir ? "overwrite" : "read");
    sigset_t set;
    stop_signals(&set);
    signal(SIGINT, SIG_DFL); /* a shell starts background jobs with SIGINT ignored */
    signal(SIGTERM, SIG_DFL);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    parley_web *web = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (parley_web_start(&opts, &web, &err) != PARLEY_OK)
        return cli_report_error("serve", &err);
    int v6 = opts.bind[0] != '[' && strchr(opts.bind, ':') != NULL;
    printf("parley serve: http://%s%s%s:%u/ (Ctrl-C stops)\n", v6 ? "[" : "", opts.bind,
           v6 ? "]" : "", parley_web_port(web));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    parley_web_stop(web);
    return CLI_OK;
}
