/* parley/web.h — the local web UI: a page and a JSON API over HTTP.
 *
 * parley_web_start serves, from a pool of threads, the page (its assets are
 * compiled into libparley, so nothing is fetched from the network) and the
 * JSON API described in docs/api.md: the models, the scenarios of one
 * directory, model runs, Monte Carlo and sensitivity jobs (each on its own
 * thread, followed by polling and cancelled through the progress callback),
 * and the runs of a store.
 *
 * The server refuses, whatever the bind address: request bodies over
 * max_body (413), POST/PUT/DELETE whose Origin is not the server itself
 * (403), POST/PUT bodies that are not application/json (415), Host headers
 * that name another server (403: DNS rebinding), and any scenario path that
 * leaves the scenario directory (400).
 *
 * The library never prints: the caller (`parley serve`) warns when bind is
 * not a loopback address.
 *
 * Thread-safety: the server runs on its own threads; start and stop it from
 * one thread.  Built without libmicrohttpd, parley_web_start returns
 * PARLEY_EINTERNAL and says so. */
#ifndef PARLEY_WEB_H
#define PARLEY_WEB_H

#include <stddef.h>

#include "parley/error.h"

#define PARLEY_WEB_DEFAULT_PORT 8080
#define PARLEY_WEB_DEFAULT_BIND "127.0.0.1"
#define PARLEY_WEB_DEFAULT_THREADS 4
#define PARLEY_WEB_DEFAULT_MAX_BODY (1u << 20)  /* 1 MiB: scenarios are small */
#define PARLEY_WEB_DEFAULT_MAX_JOBS 16

typedef struct parley_web parley_web;

typedef struct parley_web_opts {
    const char *bind;          /* an IPv4 or IPv6 address; borrowed for the call */
    unsigned port;             /* 0: any free port (read it with parley_web_port) */
    const char *scenario_dir;  /* the directory the API lists, reads and writes;
                                * NULL: none (only the built-in scenario) */
    const char *db_path;       /* the run store; NULL: runs are not stored and
                                * the runs routes answer 404 */
    unsigned threads;          /* request threads; 0: PARLEY_WEB_DEFAULT_THREADS */
    size_t max_body;           /* bytes; 0: PARLEY_WEB_DEFAULT_MAX_BODY */
    size_t max_jobs;           /* jobs kept (running or finished); 0: default */
    int job_threads;           /* OpenMP threads per job; 0: 1, so that jobs
                                * leave cores to the requests */
} parley_web_opts;

/* Loopback bind, default port, no directory, no store, defaults above. */
void parley_web_opts_init(parley_web_opts *opts);

/* Starts serving.  On success *out is the server (caller stops it with
 * parley_web_stop).  PARLEY_EINVAL for a bad bind address,
 * PARLEY_ENOTFOUND / PARLEY_EIO when scenario_dir cannot be opened as a
 * directory, PARLEY_EIO when the port cannot be bound (err says why),
 * PARLEY_ENOMEM, PARLEY_EINTERNAL when built without libmicrohttpd. */
int parley_web_start(const parley_web_opts *opts, parley_web **out, parley_error *err);

/* The port the server listens on (the one chosen when opts.port was 0). */
unsigned parley_web_port(const parley_web *web);

/* Cancels the running jobs, waits for them and for the request threads, and
 * frees everything.  NULL does nothing. */
void parley_web_stop(parley_web *web);

/* 1 if address is a loopback address (127.0.0.0/8, ::1, "localhost"), else 0. */
int parley_web_is_loopback(const char *address);

#endif
