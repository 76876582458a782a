/* web_internal.h — what the files of src/web share.
 *
 * server.c is the only file that knows libmicrohttpd: it turns each HTTP
 * request into a web_request, hands it to web_dispatch (routes.c, the one
 * routing table) and sends the web_response back.  Handlers are plain
 * functions of (server, request, captures) -> response, so every one of them
 * is small and none touches the network. */
#ifndef PARLEY_WEB_INTERNAL_H
#define PARLEY_WEB_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/web.h"

typedef struct web_jobs web_jobs;

/* The state every handler may read.  Set up before the daemon starts and
 * not changed afterwards, except jobs (which has its own mutex). */
typedef struct web_context {
    int dir_fd;           /* the scenario directory, O_DIRECTORY; -1: none */
    char *db_path;        /* owned; NULL: no store */
    size_t max_body;
    int job_threads;
    web_jobs *jobs;
} web_context;

typedef struct web_request {
    const char *method;   /* "GET", "POST", ... */
    const char *path;     /* decoded by the HTTP layer, without the query */
    const char *body;     /* NUL-terminated; "" when there is none */
    size_t body_len;
} web_request;

typedef struct web_response {
    unsigned status;
    const char *content_type;  /* static */
    char *body;                /* parley_malloc'd unless body_static */
    size_t len;
    int body_static;
    const char *allow;         /* the Allow header of a 405; static */
} web_response;

/* ---- responses (response.c) ------------------------------------------- */

/* A JSON body (takes text, which was parley_malloc'd) with a status. */
void web_reply_json(web_response *res, unsigned status, char *text);
/* {"error": {"code", "message", "field"}}; field may be NULL.  code is a
 * short stable word ("not_found", "invalid", ...). */
void web_reply_error(web_response *res, unsigned status, const char *code,
                     const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* The error reply for a library failure: the HTTP status and code word
 * that fit err->code, the message and the JSON path as field. */
void web_reply_parley_error(web_response *res, const parley_error *err);
/* A static body (never freed). */
void web_reply_static(web_response *res, unsigned status, const char *content_type,
                      const char *body, size_t len);
void web_response_free(web_response *res);

/* ---- routing (routes.c) ----------------------------------------------- */

#define WEB_MAX_CAPTURES 2

void web_dispatch(const web_context *ctx, const web_request *req, web_response *res);

/* ---- handlers (one group per file) ------------------------------------ */

typedef void web_handler(const web_context *ctx, const web_request *req,
                         const char *const *captures, web_response *res);

web_handler web_get_asset, web_get_models, web_post_run;
web_handler web_list_scenarios, web_get_scenario, web_put_scenario, web_post_validate;
web_handler web_post_job, web_get_job, web_cancel_job, web_list_jobs;
web_handler web_list_runs, web_get_run, web_diff_runs, web_get_run_report;

/* ---- request bodies (request_json.c) ---------------------------------- */

struct json_t;
struct parley_scenario;
struct parley_model;
struct parley_run_opts;

/* Parses the body as a JSON object, or replies 400 with jansson's message,
 * line and column and returns NULL.  Caller json_decref's. */
struct json_t *web_parse_body(const web_request *req, web_response *res);
/* Parses text as one scenario in parley's JSON (a DEU-like file with
 * several keeps the first); NULL with err filled. */
struct parley_scenario *web_parse_scenario(const char *text, size_t len, const char *name,
                                           parley_error *err);
/* The scenario under key "scenario" of body (an object in parley's JSON
 * format), or the built-in one when the key is absent.  NULL after a 400
 * reply naming the field. */
struct parley_scenario *web_body_scenario(struct json_t *body, web_response *res);
/* The model named by key (a string) of body; NULL after a 400 (404 for an
 * unknown name). */
const struct parley_model *web_body_model(struct json_t *body, const char *key,
                                          web_response *res);
/* Applies params (an object name -> number, bool or choice name; NULL: none)
 * to opts.  0, or -1 after a 400 naming the parameter. */
int web_apply_params(struct json_t *params, const struct parley_model *model,
                     struct parley_run_opts *opts, web_response *res);
/* An optional non-negative integer field of body; def when absent.  0, or -1
 * after a 400. */
int web_body_u64(struct json_t *body, const char *key, uint64_t def, uint64_t max,
                 uint64_t *out, web_response *res);

/* Serialises value (2-space indent, full precision; takes it) into
 * parley_malloc'd text, or NULL when out of memory. */
char *web_dump(struct json_t *value);

/* ---- the run store (runs.c) ------------------------------------------- */

struct parley_store;
/* Opens ctx's store (flags as parley_store_open), or replies (404 when the
 * server has no store or the file does not exist yet) and returns NULL.
 * Each request opens its own handle: a handle belongs to one thread. */
struct parley_store *web_store_open(const web_context *ctx, unsigned flags,
                                    web_response *res);

/* ---- Monte Carlo and sensitivity as JSON (analysis_json.c) ------------ */

struct parley_mc_result;
struct parley_sensitivity;
/* Per issue: id, count, undefined, mean, sd, min, max, quantiles (p05..p95),
 * a 50-bin histogram over the scale; events with text, probability and
 * standard error.  event_texts has r->n_events entries.  NULL on ENOMEM. */
struct json_t *web_mc_json(const struct parley_scenario *sc,
                           const struct parley_mc_result *r, const char *const *event_texts);
/* Per issue, the base forecast and the inputs ranked by swing (the tornado):
 * what, low and high ends, the forecast at each, the swing and the
 * first-order index when there are samples.  NULL on ENOMEM. */
struct json_t *web_sensitivity_json(const struct parley_scenario *sc,
                                    const struct parley_sensitivity *s);

/* ---- jobs (jobs.c) ---------------------------------------------------- */

int web_jobs_new(size_t max_jobs, web_jobs **out);
/* Cancels every job, joins every thread, frees. */
void web_jobs_free(web_jobs *jobs);

/* ---- assets (assets.c; the table is generated by cmake/embed_dir.cmake) */

typedef struct web_asset {
    const char *path;          /* "/app.js" */
    const unsigned char *bytes;
    size_t size;
    const char *content_type;
} web_asset;

/* NULL-path terminated. */
extern const web_asset parley_web_assets[];

#endif
