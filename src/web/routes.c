/* routes.c — the one routing table, and the two smallest handlers.
 *
 * A pattern is matched segment by segment: "*" takes one segment, "**" the
 * rest of the path (so that a scenario name holding a decoded "/" reaches
 * its handler and is refused there with a clear message, rather than
 * falling through to 404).  A path that matches a pattern under another
 * method is 405 with Allow. */
#include <string.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "parley/report.h"
#include "web/web_internal.h"

typedef struct web_route {
    const char *method;
    const char *pattern;
    web_handler *handler;
} web_route;

static const web_route routes[] = {
    {"GET", "/api/models", web_get_models},
    {"GET", "/api/scenarios", web_list_scenarios},
    {"GET", "/api/scenarios/**", web_get_scenario},
    {"PUT", "/api/scenarios/**", web_put_scenario},
    {"POST", "/api/validate", web_post_validate},
    {"POST", "/api/run", web_post_run},
    {"GET", "/api/jobs", web_list_jobs},
    {"POST", "/api/jobs", web_post_job},
    {"GET", "/api/jobs/*", web_get_job},
    {"DELETE", "/api/jobs/*", web_cancel_job},
    {"GET", "/api/runs", web_list_runs},
    {"GET", "/api/runs/*", web_get_run},
    {"GET", "/api/runs/*/diff/*", web_diff_runs},
    {"GET", "/api/runs/*/report", web_get_run_report},
    {"GET", "/**", web_get_asset},
    {NULL, NULL, NULL},
};

/* Matches path against pattern; the captured segments go into buf (one
 * string after another) and captures[].  1 on a match. */
static int match(const char *pattern, const char *path, char *buf, size_t size,
                 const char **captures)
{
    size_t n_captures = 0, used = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/')
            return 0;
        pattern++, path++;
        size_t seg = strcspn(path, "/");
        size_t pseg = strcspn(pattern, "/");
        const char *take = NULL;
        size_t take_len = 0;
        if (pseg == 2 && strncmp(pattern, "**", 2) == 0) {
            take = path, take_len = strlen(path);
        } else if (pseg == 1 && *pattern == '*') {
            if (seg == 0)
                return 0;
            take = path, take_len = seg;
        } else if (pseg != seg || strncmp(pattern, path, seg) != 0) {
            return 0;
        }
        if (take) {
            if (n_captures == WEB_MAX_CAPTURES || used + take_len + 1 > size)
                return 0;
            memcpy(buf + used, take, take_len);
            buf[used + take_len] = '\0';
            captures[n_captures++] = buf + used;
            used += take_len + 1;
            path += take_len;
        } else {
            path += seg;
        }
        pattern += pseg;
    }
    return *pattern == '\0' && *path == '\0';
}

void web_dispatch(const web_context *ctx, const web_request *req, web_response *res)
{
    char buf[1024];
    const char *captures[WEB_MAX_CAPTURES] = {NULL, NULL};
    const char *allowed = NULL;
    for (const web_route *r = routes; r->method; r++) {
        if (!match(r->pattern, req->path, buf, sizeof buf, captures))
            continue;
        if (strcmp(r->method, req->method) == 0) {
            r->handler(ctx, req, captures, res);
            return;
        }
        if (!allowed && strcmp(r->pattern, "/**") != 0)
            allowed = r->method;
    }
    if (allowed) {
        web_reply_error(res, 405, "method_not_allowed", NULL, "%s is not allowed on %s",
                        req->method, req->path);
        res->allow = allowed;
        return;
    }
    web_reply_error(res, 404, "not_found", NULL, "no route for %s %s", req->method,
                    req->path);
}

void web_get_models(const web_context *ctx, const web_request *req,
                    const char *const *captures, web_response *res)
{
    (void)ctx, (void)req, (void)captures;
    char *text = NULL;
    parley_error err;
    if (parley_models_to_json(parley_models(), &text, &err) != PARLEY_OK) {
        web_reply_parley_error(res, &err);
        return;
    }
    web_reply_json(res, 200, text);
}

void web_get_asset(const web_context *ctx, const web_request *req,
                   const char *const *captures, web_response *res)
{
    (void)ctx, (void)captures;
    const char *path = strcmp(req->path, "/") == 0 ? "/index.html" : req->path;
    if (strncmp(path, "/api/", 5) != 0)
        for (const web_asset *a = parley_web_assets; a->path; a++)
            if (strcmp(a->path, path) == 0) {
                web_reply_static(res, 200, a->content_type, (const char *)a->bytes, a->size);
                return;
            }
    web_reply_error(res, 404, "not_found", NULL, "no route for %s %s", req->method,
                    req->path);
}
