/* jobs.c — Monte Carlo and sensitivity jobs, each on its own thread.
 *
 * A job is started by POST /api/jobs, followed by polling GET /api/jobs/ID
 * (done/total from the progress callback, then the result) and cancelled by
 * DELETE /api/jobs/ID, which the progress callback passes on to the run.
 * The table holds at most max_jobs jobs; a new one evicts the oldest
 * finished job, and when all are running the answer is 503.  One mutex
 * guards the table and every job's state fields; the run itself reads only
 * what it was given at the start. */
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "parley/alloc.h"
#include "parley/montecarlo.h"
#include "parley/sensitivity.h"
#include "web/web_internal.h"

#define MAX_EVENTS 16
#define MAX_MC_SAMPLES 10000000u
#define MAX_SENS_SAMPLES 100000u

typedef enum job_state { JOB_RUNNING, JOB_DONE, JOB_CANCELLED, JOB_FAILED } job_state;
static const char *const state_names[] = {"running", "done", "cancelled", "failed"};
typedef enum job_kind { JOB_MC, JOB_SENSITIVITY } job_kind;
static const char *const kind_names[] = {"mc", "sensitivity", NULL};

typedef struct web_job {
    unsigned long id;
    job_kind kind;
    atomic_int cancel;
    pthread_t thread;
    /* the input, owned, read only by the job's thread */
    parley_scenario *sc;
    const parley_model *model;
    parley_run_opts run;
    uint64_t samples, seed;
    double spread;
    int threads;
    size_t n_events;
    parley_mc_event *events[MAX_EVENTS];
    /* under the table's mutex */
    job_state state;
    uint64_t done, total;
    struct timespec started, finished;
    json_t *result;          /* when done (or cancelled with a partial result) */
    json_t *error;           /* when failed */
} web_job;

struct web_jobs {
    pthread_mutex_t lock;
    size_t max;
    unsigned long next_id;
    web_job **slots;         /* max entries, NULL: free */
};

int web_jobs_new(size_t max_jobs, web_jobs **out)
{
    web_jobs *jobs = parley_calloc(1, sizeof *jobs);
    if (jobs)
        jobs->slots = parley_calloc(max_jobs, sizeof *jobs->slots);
    if (!jobs || !jobs->slots) {
        parley_free(jobs);
        return PARLEY_ENOMEM;
    }
    pthread_mutex_init(&jobs->lock, NULL);
    jobs->max = max_jobs;
    jobs->next_id = 1;
    *out = jobs;
    return PARLEY_OK;
}

static void job_free(web_job *job)
{
    if (!job)
        return;
    parley_scenario_free(job->sc);
    for (size_t k = 0; k < job->n_events; k++)
        parley_mc_event_free(job->events[k]);
    json_decref(job->result);
    json_decref(job->error);
    parley_free(job);
}

void web_jobs_free(web_jobs *jobs)
{
    if (!jobs)
        return;
    for (size_t k = 0; k < jobs->max; k++)
        if (jobs->slots[k])
            atomic_store(&jobs->slots[k]->cancel, 1);
    for (size_t k = 0; k < jobs->max; k++)
        if (jobs->slots[k]) {
            pthread_join(jobs->slots[k]->thread, NULL);
            job_free(jobs->slots[k]);
        }
    pthread_mutex_destroy(&jobs->lock);
    parley_free(jobs->slots);
    parley_free(jobs);
}

/* ---- the job's thread --------------------------------------------------- */

typedef struct job_progress {
    web_jobs *jobs;
    web_job *job;
} job_progress;

static int on_progress(uint64_t done, uint64_t total, void *userdata)
{
    job_progress *p = userdata;
    pthread_mutex_lock(&p->jobs->lock);
    p->job->done = done;
    p->job->total = total;
    pthread_mutex_unlock(&p->jobs->lock);
    return atomic_load(&p->job->cancel);
}

static int run_mc(web_job *job, job_progress *progress, json_t **result, parley_error *err)
{
    parley_mc_opts opts;
    parley_mc_opts_init(&opts);
    opts.samples = job->samples;
    opts.seed = job->seed;
    opts.threads = job->threads;
    opts.spread = job->spread;
    opts.run = &job->run;
    opts.events = (const parley_mc_event *const *)job->events;
    opts.n_events = job->n_events;
    opts.progress = on_progress;
    opts.userdata = progress;
    parley_mc_result *r = NULL;
    int code = parley_mc_run(job->model, job->sc, &opts, &r, err);
    if (r) {
        const char *texts[MAX_EVENTS];
        for (size_t k = 0; k < job->n_events; k++)
            texts[k] = parley_mc_event_text(job->events[k]);
        *result = web_mc_json(job->sc, r, texts);
    }
    parley_mc_result_free(r);
    return code;
}

static int run_sensitivity(web_job *job, job_progress *progress, json_t **result,
                           parley_error *err)
{
    parley_sensitivity_opts opts;
    parley_sensitivity_opts_init(&opts);
    opts.samples = job->samples;
    opts.seed = job->seed;
    opts.threads = job->threads;
    opts.spread = job->spread;
    opts.run = &job->run;
    opts.progress = on_progress;
    opts.userdata = progress;
    parley_sensitivity *s = NULL;
    int code = parley_sensitivity_run(job->model, job->sc, &opts, &s, err);
    if (s)
        *result = web_sensitivity_json(job->sc, s);
    parley_sensitivity_free(s);
    return code;
}

static void *job_main(void *arg)
{
    job_progress progress = {((job_progress *)arg)->jobs, ((job_progress *)arg)->job};
    parley_free(arg);
    web_job *job = progress.job;
    json_t *result = NULL;
    parley_error err;
    parley_error_clear(&err);
    int code = job->kind == JOB_MC ? run_mc(job, &progress, &result, &err)
                                   : run_sensitivity(job, &progress, &result, &err);
    json_t *error = NULL;
    if (code != PARLEY_OK && code != PARLEY_ECANCEL)
        error = json_pack("{s:s, s:s}", "code", parley_strerror(code), "message",
                          err.message[0] ? err.message : parley_strerror(code));
    pthread_mutex_lock(&progress.jobs->lock);
    job->state = code == PARLEY_OK ? JOB_DONE : code == PARLEY_ECANCEL ? JOB_CANCELLED
                                                                       : JOB_FAILED;
    job->result = result;
    job->error = error;
    if (code == PARLEY_OK)
        job->done = job->total;
    timespec_get(&job->finished, TIME_UTC);
    pthread_mutex_unlock(&progress.jobs->lock);
    return NULL;
}

/* ---- starting one ------------------------------------------------------- */

static int parse_kind(json_t *body, web_job *job, web_response *res)
{
    const char *kind = json_string_value(json_object_get(body, "kind"));
    for (int k = 0; kind && kind_names[k]; k++)
        if (strcmp(kind, kind_names[k]) == 0) {
            job->kind = (job_kind)k;
            return 0;
        }
    web_reply_error(res, 400, "invalid", "kind", "expected \"mc\" or \"sensitivity\"");
    return -1;
}

static int parse_spread(json_t *body, web_job *job, web_response *res)
{
    json_t *spread = json_object_get(body, "spread");
    job->spread = parley_scenario_has_spread(job->sc) ? 0 : PARLEY_MC_DEFAULT_SPREAD;
    if (!spread)
        return 0;
    if (!json_is_number(spread) || json_number_value(spread) < 0 ||
        json_number_value(spread) > 1) {
        web_reply_error(res, 400, "invalid", "spread", "expected a number from 0 to 1");
        return -1;
    }
    job->spread = json_number_value(spread);
    return 0;
}

static int parse_events(json_t *body, web_job *job, web_response *res)
{
    json_t *events = json_object_get(body, "events");
    if (!events)
        return 0;
    if (!json_is_array(events) || json_array_size(events) > MAX_EVENTS) {
        web_reply_error(res, 400, "invalid", "events", "expected at most %d event texts",
                        MAX_EVENTS);
        return -1;
    }
    for (size_t k = 0; k < json_array_size(events); k++) {
        const char *text = json_string_value(json_array_get(events, k));
        char field[32];
        snprintf(field, sizeof field, "events[%zu]", k);
        parley_error err;
        parley_error_clear(&err);
        if (!text || parley_mc_event_parse(text, job->sc, &job->events[k], &err)) {
            if (text)
                web_reply_error(res, 400, "invalid", field, "column %d: %s", err.column,
                                err.message);
            else
                web_reply_error(res, 400, "invalid", field, "expected a string");
            return -1;
        }
        job->n_events++;
    }
    return 0;
}

static int parse_job(const web_context *ctx, json_t *body, web_job *job, web_response *res)
{
    if (parse_kind(body, job, res))
        return -1;
    job->model = web_body_model(body, "model", res);
    if (!job->model)
        return -1;
    parley_run_opts_init(&job->run, job->model);
    uint64_t max = job->kind == JOB_MC ? MAX_MC_SAMPLES : MAX_SENS_SAMPLES;
    if (web_apply_params(json_object_get(body, "params"), job->model, &job->run, res) ||
        web_body_u64(body, "samples", job->kind == JOB_MC ? 1000 : 0, max, &job->samples, res) ||
        web_body_u64(body, "seed", 0, UINT64_MAX >> 1, &job->seed, res))
        return -1;
    if (job->kind == JOB_MC && job->samples == 0) {
        web_reply_error(res, 400, "invalid", "samples", "a Monte Carlo job needs samples > 0");
        return -1;
    }
    job->sc = web_body_scenario(body, res);
    if (!job->sc || parse_spread(body, job, res) || parse_events(body, job, res))
        return -1;
    job->threads = ctx->job_threads > 0 ? ctx->job_threads : 1;
    job->total = job->kind == JOB_MC ? job->samples : 0;
    return 0;
}

/* A free slot, evicting the oldest finished job if needed; -1 if all run.
 * Called with the lock held. */
static long free_slot(web_jobs *jobs)
{
    long oldest = -1;
    for (size_t k = 0; k < jobs->max; k++) {
        if (!jobs->slots[k])
            return (long)k;
        if (jobs->slots[k]->state != JOB_RUNNING &&
            (oldest < 0 || jobs->slots[k]->id < jobs->slots[oldest]->id))
            oldest = (long)k;
    }
    if (oldest >= 0) {
        pthread_join(jobs->slots[oldest]->thread, NULL); /* finished: returns at once */
        job_free(jobs->slots[oldest]);
        jobs->slots[oldest] = NULL;
    }
    return oldest;
}

static json_t *job_json(const web_job *job, int with_result);

void web_post_job(const web_context *ctx, const web_request *req,
                  const char *const *captures, web_response *res)
{
    (void)captures;
    json_t *body = web_parse_body(req, res);
    web_job *job = body ? parley_calloc(1, sizeof *job) : NULL;
    job_progress *progress = job ? parley_malloc(sizeof *progress) : NULL;
    if (body && !progress)
        web_reply_error(res, 500, "out_of_memory", NULL, "out of memory");
    if (!progress || parse_job(ctx, body, job, res))
        goto fail;
    web_jobs *jobs = ctx->jobs;
    pthread_mutex_lock(&jobs->lock);
    long slot = free_slot(jobs);
    if (slot >= 0) {
        job->id = jobs->next_id++;
        job->state = JOB_RUNNING;
        timespec_get(&job->started, TIME_UTC);
        *progress = (job_progress){jobs, job};
        if (pthread_create(&job->thread, NULL, job_main, progress) != 0)
            slot = -2;
        else
            jobs->slots[slot] = job;
    }
    json_t *answer = slot >= 0 ? job_json(job, 0) : NULL;
    pthread_mutex_unlock(&jobs->lock);
    if (slot == -1)
        web_reply_error(res, 503, "busy", NULL, "%zu jobs are running; cancel one or wait",
                        jobs->max);
    else if (slot == -2)
        web_reply_error(res, 500, "internal", NULL, "could not start a thread");
    if (slot < 0)
        goto fail;
    web_reply_json(res, 202, web_dump(answer));
    json_decref(body);
    return;
fail:
    parley_free(progress);
    job_free(job);
    json_decref(body);
}

/* ---- following and cancelling --------------------------------------------- */

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

/* Called with the lock held. */
static json_t *job_json(const web_job *job, int with_result)
{
    struct timespec now;
    timespec_get(&now, TIME_UTC);
    const struct timespec *end = job->state == JOB_RUNNING ? &now : &job->finished;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:f, s:b}", "id",
                          (json_int_t)job->id, "kind", kind_names[job->kind], "model",
                          job->model->name, "state", state_names[job->state], "done",
                          (json_int_t)job->done, "total", (json_int_t)job->total, "seconds",
                          seconds_between(&job->started, end), "cancel_requested",
                          atomic_load(&job->cancel) != 0);
    if (o && with_result) {
        json_object_set(o, "result", job->result ? job->result : json_null());
        json_object_set(o, "error", job->error ? job->error : json_null());
    }
    return o;
}

/* The job with the id in text, or NULL after a 404.  Called with the lock. */
static web_job *find_job(web_jobs *jobs, const char *text, web_response *res)
{
    char *end = NULL;
    unsigned long id = strtoul(text, &end, 10);
    for (size_t k = 0; *text != '-' && end && !*end && k < jobs->max; k++)
        if (jobs->slots[k] && jobs->slots[k]->id == id)
            return jobs->slots[k];
    web_reply_error(res, 404, "not_found", "id", "no job %s", text);
    return NULL;
}

void web_get_job(const web_context *ctx, const web_request *req,
                 const char *const *captures, web_response *res)
{
    (void)req;
    pthread_mutex_lock(&ctx->jobs->lock);
    web_job *job = find_job(ctx->jobs, captures[0], res);
    json_t *answer = job ? job_json(job, 1) : NULL;
    pthread_mutex_unlock(&ctx->jobs->lock);
    if (job)
        web_reply_json(res, 200, web_dump(answer));
}

void web_cancel_job(const web_context *ctx, const web_request *req,
                    const char *const *captures, web_response *res)
{
    (void)req;
    pthread_mutex_lock(&ctx->jobs->lock);
    web_job *job = find_job(ctx->jobs, captures[0], res);
    if (job)
        atomic_store(&job->cancel, 1);
    json_t *answer = job ? job_json(job, 0) : NULL;
    pthread_mutex_unlock(&ctx->jobs->lock);
    if (job)
        web_reply_json(res, 202, web_dump(answer));
}

void web_list_jobs(const web_context *ctx, const web_request *req,
                   const char *const *captures, web_response *res)
{
    (void)req, (void)captures;
    json_t *list = json_array();
    pthread_mutex_lock(&ctx->jobs->lock);
    for (size_t k = 0; k < ctx->jobs->max; k++)
        if (ctx->jobs->slots[k])
            json_array_append_new(list, job_json(ctx->jobs->slots[k], 0));
    pthread_mutex_unlock(&ctx->jobs->lock);
    web_reply_json(res, 200, web_dump(json_pack("{s:o}", "jobs", list)));
}
