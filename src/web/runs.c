/* runs.c — the runs of the store: list, read, diff, report. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "parley/alloc.h"
#include "parley/html.h"
#include "parley/store.h"
#include "report/json_util.h"
#include "web/web_internal.h"

parley_store *web_store_open(const web_context *ctx, unsigned flags, web_response *res)
{
    if (!ctx->db_path) {
        web_reply_error(res, 404, "no_store", NULL,
                        "the server keeps no runs (parley serve --db PATH)");
        return NULL;
    }
    parley_store *store = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_open(ctx->db_path, flags, &store, &err) != PARLEY_OK) {
        web_reply_parley_error(res, &err);
        return NULL;
    }
    return store;
}

static json_t *info_json(const parley_run_info *info)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:I, s:s, "
                          "s:s, s:s, s:s, s:f}",
                          "id", (json_int_t)info->id, "kind", parley_run_kind_name(info->kind),
                          "model", info->model, "scenario_id", info->scenario_id,
                          "scenario_name", info->scenario_name, "sha256", info->sha256,
                          "n_actors", (json_int_t)info->n_actors, "n_issues",
                          (json_int_t)info->n_issues, "seed", rj_u64(info->seed), "samples",
                          rj_u64(info->samples), "n_rounds", (json_int_t)info->n_rounds,
                          "stop_reason", info->stop_reason, "version", info->version,
                          "started", info->started, "finished", info->finished, "seconds",
                          info->seconds);
    return o;
}

void web_list_runs(const web_context *ctx, const web_request *req,
                   const char *const *captures, web_response *res)
{
    (void)req, (void)captures;
    struct stat st;
    if (ctx->db_path && stat(ctx->db_path, &st) != 0 && errno == ENOENT) {
        web_reply_json(res, 200, web_dump(json_pack("{s:[]}", "runs")));
        return;
    }
    parley_store *store = web_store_open(ctx, PARLEY_STORE_READONLY, res);
    if (!store)
        return;
    parley_run_info *infos = NULL;
    size_t count = 0;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_list(store, NULL, &infos, &count, &err) != PARLEY_OK) {
        web_reply_parley_error(res, &err);
    } else {
        json_t *list = json_array();
        for (size_t k = count; k-- > 0;) /* newest first, as the page lists them */
            json_array_append_new(list, info_json(&infos[k]));
        web_reply_json(res, 200, web_dump(json_pack("{s:o}", "runs", list)));
    }
    parley_free(infos);
    parley_store_close(store);
}

/* Loads the run whose id is text, or replies 400/404 and returns NULL. */
static parley_stored_run *load_run(parley_store *store, const char *text, web_response *res)
{
    char *end = NULL;
    errno = 0;
    long long id = strtoll(text, &end, 10);
    if (!*text || *end || errno || id <= 0) {
        web_reply_error(res, 400, "invalid", "id", "a run id is a whole number > 0, not "
                        "\"%s\"", text);
        return NULL;
    }
    parley_stored_run *run = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_load(store, (int64_t)id, &run, &err) != PARLEY_OK) {
        web_reply_parley_error(res, &err);
        return NULL;
    }
    return run;
}

static json_t *stored_run_json(const parley_stored_run *run)
{
    json_t *o = json_pack("{s:o}", "info", info_json(&run->info));
    if (run->result && run->model)
        rj_set(o, "run", rj_run(run->scenario, run->model, &run->opts, run->result));
    if (run->mc)
        rj_set(o, "mc", web_mc_json(run->scenario, run->mc,
                                    (const char *const *)run->mc_event_texts));
    return o;
}

void web_get_run(const web_context *ctx, const web_request *req,
                 const char *const *captures, web_response *res)
{
    (void)req;
    parley_store *store = web_store_open(ctx, PARLEY_STORE_READONLY, res);
    parley_stored_run *run = store ? load_run(store, captures[0], res) : NULL;
    if (run)
        web_reply_json(res, 200, web_dump(stored_run_json(run)));
    parley_stored_run_free(run);
    parley_store_close(store);
}

static json_t *changes_json(const parley_run_change *changes, size_t count)
{
    json_t *list = json_array();
    for (size_t k = 0; k < count; k++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:o}", "section",
                                              parley_change_section_name(changes[k].section),
                                              "what", changes[k].what, "before",
                                              changes[k].before, "after", changes[k].after,
                                              "delta", rj_number(changes[k].delta)));
    return list;
}

void web_diff_runs(const web_context *ctx, const web_request *req,
                   const char *const *captures, web_response *res)
{
    (void)req;
    parley_store *store = web_store_open(ctx, PARLEY_STORE_READONLY, res);
    parley_stored_run *a = store ? load_run(store, captures[0], res) : NULL;
    parley_stored_run *b = a ? load_run(store, captures[1], res) : NULL;
    parley_run_change *changes = NULL;
    size_t count = 0;
    parley_error err;
    parley_error_clear(&err);
    if (b && parley_runs_diff(a, b, &changes, &count, &err) != PARLEY_OK)
        web_reply_parley_error(res, &err);
    else if (b)
        web_reply_json(res, 200, web_dump(json_pack("{s:I, s:I, s:o}", "a", (json_int_t)a->info.id,
                                                    "b", (json_int_t)b->info.id, "changes",
                                                    changes_json(changes, count))));
    parley_free(changes);
    parley_stored_run_free(a);
    parley_stored_run_free(b);
    parley_store_close(store);
}

/* The stored run as parley/html.h's self-contained report: the run's
 * forecasts and path, or the Monte Carlo summary with its options. */
static int render_report(const parley_stored_run *run, char **html, parley_error *err)
{
    parley_html_report report;
    parley_html_report_init(&report);
    char source[96];
    snprintf(source, sizeof source, "run %lld of the store", (long long)run->info.id);
    report.sc = run->scenario;
    report.source = source;
    report.version = run->info.version;
    report.generated = run->info.finished;
    parley_report_run one = {run->model, &run->opts, run->result, PARLEY_OK, NULL};
    parley_mc_opts mc_opts;
    parley_mc_opts_init(&mc_opts);
    if (run->result && run->model) {
        report.runs = &one;
        report.n_runs = 1;
    }
    if (run->mc && run->model) {
        mc_opts.samples = run->mc->samples;
        mc_opts.seed = run->mc->seed;
        mc_opts.spread = run->mc->spread;
        mc_opts.run = &run->opts;
        report.mc_model = run->model;
        report.mc_opts = &mc_opts;
        report.mc = run->mc;
        report.mc_event_texts = (const char *const *)run->mc_event_texts;
    }
    return parley_report_html(&report, html, err);
}

void web_get_run_report(const web_context *ctx, const web_request *req,
                        const char *const *captures, web_response *res)
{
    (void)req;
    parley_store *store = web_store_open(ctx, PARLEY_STORE_READONLY, res);
    parley_stored_run *run = store ? load_run(store, captures[0], res) : NULL;
    char *html = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (run && !run->model)
        web_reply_error(res, 422, "undefined", "id", "this parley has no model \"%s\"",
                        run->info.model);
    else if (run && render_report(run, &html, &err) != PARLEY_OK)
        web_reply_parley_error(res, &err);
    else if (run) {
        web_reply_json(res, 200, html);
        res->content_type = "text/html; charset=utf-8";
    }
    parley_stored_run_free(run);
    parley_store_close(store);
}
