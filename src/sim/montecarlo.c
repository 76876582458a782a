/* montecarlo.c — Monte Carlo over the inputs' uncertainty
 * (parley/montecarlo.h).
 *
 * Samples are cut into blocks (PARLEY_MC_BLOCK unless opts.block says);
 * OpenMP hands blocks to threads.  A worker draws each sample of its block into its own copy of the
 * scenario (perturbed in place), runs the model into its own reused result,
 * and keeps the block's forecasts in a buffer.  Only a finished block is
 * committed: its moments go to the block's own slot (merged in block order
 * at the end), its histogram counts and event counts to the worker's integer
 * tallies (summed at the end).  Nothing on the hot path takes a lock; a
 * cancelled run drops the blocks it cut short, so what is reported is
 * exactly the finished blocks.  A run of a range of blocks stops at a
 * partial summary (summary.h), which other processes' partials can join
 * before it is finished into a result. */
#include "parley/montecarlo.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "parley/alloc.h"
#include "sample.h"
#include "summary.h"

#define PROGRESS_EVERY 256   /* samples between progress reports */

typedef struct worker {
    parley_scenario *sc;     /* perturbed in place */
    parley_result *result;
    double **targets;        /* where each input goes in sc */
    double *forecasts;       /* block x n_issues */
    uint64_t *bins;          /* n_issues x PARLEY_MC_BINS */
    double *min, *max;       /* n_issues */
    uint64_t *undefined;     /* n_issues */
    uint64_t *event_counts;  /* n_events */
    uint64_t failed;
} worker;

/* What the threads share.  stop and done are touched through OpenMP
 * atomics; the block slots are each written by one thread only. */
typedef struct shared_run {
    const parley_model *model;
    const parley_scenario *base;
    const parley_mc_opts *opts;
    parley_run_opts run_opts;
    mc_plan plan;
    size_t n_issues;
    size_t block;               /* samples per block */
    uint64_t first_block, end_block;
    parley_mc_partial *partial; /* block slots, each written by one thread */
    int stop;                   /* 1: cancelled, 2: failed */
    uint64_t done;              /* samples run, for progress */
    int error_code;
    parley_error error;
} shared_run;

void parley_mc_opts_init(parley_mc_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->samples = 1000;
}

static void worker_free(worker *w)
{
    parley_scenario_free(w->sc);
    parley_result_free(w->result);
    parley_free(w->targets);
    parley_free(w->forecasts);
    parley_free(w->bins);
    parley_free(w->min);
    parley_free(w->max);
    parley_free(w->undefined);
    parley_free(w->event_counts);
}

static int worker_init(worker *w, shared_run *run, parley_error *err)
{
    size_t n_issues = run->n_issues ? run->n_issues : 1;
    memset(w, 0, sizeof *w);
    w->sc = parley_scenario_copy(run->base);
    w->result = parley_result_new();
    w->targets = parley_calloc(run->plan.n_inputs ? run->plan.n_inputs : 1, sizeof *w->targets);
    w->forecasts = parley_calloc(run->block * n_issues, sizeof *w->forecasts);
    w->bins = parley_calloc(n_issues * PARLEY_MC_BINS, sizeof *w->bins);
    w->min = parley_calloc(n_issues, sizeof *w->min);
    w->max = parley_calloc(n_issues, sizeof *w->max);
    w->undefined = parley_calloc(n_issues, sizeof *w->undefined);
    w->event_counts = parley_calloc(run->opts->n_events + 1, sizeof *w->event_counts);
    if (!w->sc || !w->result || !w->targets || !w->forecasts || !w->bins || !w->min ||
        !w->max || !w->undefined || !w->event_counts)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    mc_plan_targets(&run->plan, w->sc, w->targets);
    for (size_t i = 0; i < run->n_issues; i++) {
        w->min[i] = INFINITY;
        w->max[i] = -INFINITY;
    }
    /* One run on the stated scenario grows the result's buffers here, in the
     * calling thread, and tells early whether the model can forecast it. */
    return parley_model_run(run->model, run->base, &run->run_opts, w->result, err);
}

static void record_failure(shared_run *run, int code, const parley_error *err)
{
#pragma omp critical(parley_mc_failure)
    {
        if (!run->error_code) {
            run->error_code = code;
            run->error = *err;
        }
    }
#pragma omp atomic write
    run->stop = 2;
}

static int should_stop(shared_run *run)
{
    int stop;
#pragma omp atomic read
    stop = run->stop;
    return stop;
}

/* Adds n samples to the progress count; the master thread reports it. */
static void report_progress(shared_run *run, uint64_t n)
{
    uint64_t done;
#pragma omp atomic capture
    {
        run->done += n;
        done = run->done;
    }
    if (run->opts->progress && omp_get_thread_num() == 0 &&
        run->opts->progress(done, run->opts->samples, run->opts->userdata)) {
#pragma omp atomic write
        run->stop = 1;
    }
}

static void commit_block(shared_run *run, worker *w, uint64_t block, size_t n)
{
    size_t n_issues = run->n_issues;
    const double *rows = w->forecasts;
    for (size_t i = 0; i < n_issues; i++) {
        run->partial->block_moments[block * n_issues + i] = mc_moments_of(rows + i, n, n_issues);
        const parley_issue *issue = &run->base->issues[i];
        uint64_t *bins = w->bins + i * PARLEY_MC_BINS;
        for (size_t k = 0; k < n; k++) {
            double x = rows[k * n_issues + i];
            if (isnan(x)) {
                w->undefined[i]++;
                continue;
            }
            bins[mc_bin_of(x, issue->low, issue->high)]++;
            if (x < w->min[i])
                w->min[i] = x;
            if (x > w->max[i])
                w->max[i] = x;
        }
    }
    for (size_t e = 0; e < run->opts->n_events; e++)
        for (size_t k = 0; k < n; k++)
            w->event_counts[e] +=
                (uint64_t)parley_mc_event_eval(run->opts->events[e], rows + k * n_issues);
    if (run->partial->kept)
        memcpy(run->partial->kept + block * run->block * n_issues, rows,
               n * n_issues * sizeof *rows);
    run->partial->block_done[block] = 1;
}

static void run_block(shared_run *run, worker *w, uint64_t block)
{
    size_t n_issues = run->n_issues;
    uint64_t first = block * run->block;
    uint64_t left = run->opts->samples - first;
    size_t n = left < run->block ? (size_t)left : run->block;
    parley_run_opts opts = run->run_opts;
    parley_error err;
    size_t since_report = 0;
    for (size_t k = 0; k < n; k++) {
        uint64_t sample = first + k;
        mc_plan_draw_into(&run->plan, run->opts->seed, PARLEY_MC_SAMPLER_STREAM | sample,
                          w->targets);
        opts.stream = sample;
        double *row = w->forecasts + k * n_issues;
        int rc = parley_model_run(run->model, w->sc, &opts, w->result, &err);
        if (rc == PARLEY_OK) {
            memcpy(row, w->result->forecast, n_issues * sizeof *row);
        } else if (rc == PARLEY_EUNDEF) {
            for (size_t i = 0; i < n_issues; i++)
                row[i] = NAN;
            w->failed++;
        } else {
            record_failure(run, rc, &err);
            return;
        }
        if (++since_report == PROGRESS_EVERY) {
            report_progress(run, since_report);
            since_report = 0;
            if (should_stop(run))
                return;
        }
    }
    report_progress(run, since_report);
    commit_block(run, w, block, n);
}

static void run_workers(shared_run *run, worker *workers, int n_workers)
{
    int64_t first = (int64_t)run->first_block, end = (int64_t)run->end_block;
#pragma omp parallel num_threads(n_workers)
    {
        worker *w = &workers[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
        for (int64_t block = first; block < end; block++)
            if (!should_stop(run))
                run_block(run, w, (uint64_t)block);
    }
}

/* Adds the workers' integer tallies and extremes to the partial: sums and
 * min/max, so the order of workers does not matter. */
static void collect(shared_run *run, worker *workers, int n_workers)
{
    parley_mc_partial *p = run->partial;
    for (int t = 0; t < n_workers; t++) {
        const worker *w = &workers[t];
        p->failed += w->failed;
        for (size_t j = 0; j < run->n_issues * PARLEY_MC_BINS; j++)
            p->bins[j] += w->bins[j];
        for (size_t i = 0; i < run->n_issues; i++) {
            p->undefined[i] += w->undefined[i];
            p->min[i] = fmin(p->min[i], w->min[i]);
            p->max[i] = fmax(p->max[i], w->max[i]);
        }
        for (size_t e = 0; e < run->opts->n_events; e++)
            p->event_counts[e] += w->event_counts[e];
    }
}

void parley_mc_result_free(parley_mc_result *r)
{
    if (!r)
        return;
    if (r->issues)
        for (size_t i = 0; i < r->n_issues; i++)
            parley_free(r->issues[i].bins);
    parley_free(r->issues);
    parley_free(r->events);
    parley_free(r->kept);
    parley_free(r);
}

static int check_opts(const parley_model *m, const parley_scenario *sc,
                      const parley_mc_opts *opts, parley_error *err)
{
    if (!m || !sc || !opts)
        return parley_error_set(err, PARLEY_EINVAL, "no model, scenario or options");
    if (opts->samples == 0 || opts->samples >= PARLEY_MC_SAMPLER_STREAM)
        return parley_error_set(err, PARLEY_EINVAL, "the number of samples must be > 0");
    if (!(opts->spread >= 0) || !isfinite(opts->spread))
        return parley_error_set(err, PARLEY_EINVAL, "the spread must be a number >= 0");
    if (opts->threads < 0)
        return parley_error_set(err, PARLEY_EINVAL, "the number of threads must be >= 0");
    if (opts->block > (size_t)1 << 24)
        return parley_error_set(err, PARLEY_EINVAL, "blocks of at most 2^24 samples");
    if (opts->n_events && !opts->events)
        return parley_error_set(err, PARLEY_EINVAL, "n_events > 0 but no events");
    if (opts->keep && opts->samples > SIZE_MAX / sizeof(double) / (sc->n_issues + 1))
        return parley_error_set(err, PARLEY_EINVAL, "too many samples to keep them all");
    return PARLEY_OK;
}

uint64_t parley_mc_block_count(const parley_mc_opts *opts)
{
    size_t block = opts->block ? opts->block : PARLEY_MC_BLOCK;
    return (opts->samples + block - 1) / block;
}

int parley_mc_run_blocks(const parley_model *m, const parley_scenario *sc,
                         const parley_mc_opts *opts, uint64_t first_block,
                         uint64_t end_block, parley_mc_partial **out, parley_error *err)
{
    *out = NULL;
    int rc = check_opts(m, sc, opts, err);
    if (rc)
        return rc;
    shared_run run = {.model = m, .base = sc, .opts = opts, .n_issues = sc->n_issues};
    run.block = opts->block ? opts->block : PARLEY_MC_BLOCK;
    uint64_t n_blocks = parley_mc_block_count(opts);
    if (first_block > end_block || end_block > n_blocks)
        return parley_error_set(err, PARLEY_EINVAL, "blocks [%llu, %llu) of a run of %llu",
                                (unsigned long long)first_block,
                                (unsigned long long)end_block, (unsigned long long)n_blocks);
    run.first_block = first_block;
    run.end_block = end_block;
    if (opts->run)
        run.run_opts = *opts->run;
    else
        parley_run_opts_init(&run.run_opts, m);
    run.run_opts.flags = 0;
    run.run_opts.on_round = NULL;
    run.run_opts.userdata = NULL;
    run.run_opts.seed = opts->seed;

    int n_workers = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    if ((uint64_t)n_workers > end_block - first_block)
        n_workers = (int)(end_block - first_block);
    worker *workers = NULL;
    parley_mc_partial *p = parley_calloc(1, sizeof *p);
    rc = PARLEY_ENOMEM;
    if (!p || mc_plan_init(&run.plan, sc, opts->spread))
        goto fail;
    p->samples = opts->samples;
    p->seed = opts->seed;
    p->spread = opts->spread;
    p->block = run.block;
    p->n_blocks = n_blocks;
    p->n_issues = sc->n_issues;
    p->n_events = opts->n_events;
    p->keep = opts->keep != 0;
    if (mc_partial_alloc(p))
        goto fail;
    for (size_t i = 0; i < sc->n_issues; i++) {
        p->low[i] = sc->issues[i].low;
        p->high[i] = sc->issues[i].high;
    }
    run.partial = p;
    workers = parley_calloc(n_workers ? (size_t)n_workers : 1, sizeof *workers);
    if (!workers)
        goto fail;
    for (int t = 0; t < n_workers; t++)
        if ((rc = worker_init(&workers[t], &run, err)) != PARLEY_OK) {
            n_workers = t + 1;
            goto fail;
        }

    if (n_workers > 0)
        run_workers(&run, workers, n_workers);
    if (run.stop == 2) {
        rc = run.error_code;
        if (err)
            *err = run.error;
        goto fail;
    }
    collect(&run, workers, n_workers);
    p->cancelled = run.stop == 1;
    rc = p->cancelled ? parley_error_set(err, PARLEY_ECANCEL, "cancelled") : PARLEY_OK;
    *out = p;
    p = NULL;
fail:
    if (rc == PARLEY_ENOMEM)
        parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    if (workers)
        for (int t = 0; t < n_workers; t++)
            worker_free(&workers[t]);
    parley_free(workers);
    mc_plan_free(&run.plan);
    parley_mc_partial_free(p);
    return rc;
}

int parley_mc_run(const parley_model *m, const parley_scenario *sc,
                  const parley_mc_opts *opts, parley_mc_result **out,
                  parley_error *err)
{
    *out = NULL;
    parley_mc_partial *p = NULL;
    int rc = check_opts(m, sc, opts, err);
    if (rc)
        return rc;
    rc = parley_mc_run_blocks(m, sc, opts, 0, parley_mc_block_count(opts), &p, err);
    if (rc != PARLEY_OK && rc != PARLEY_ECANCEL)
        return rc;
    int finished = parley_mc_partial_finish(p, out, err);
    parley_mc_partial_free(p);
    if (finished)
        return finished;
    if (rc == PARLEY_ECANCEL)
        parley_error_set(err, PARLEY_ECANCEL, "cancelled after %llu of %llu samples",
                         (unsigned long long)(*out)->done,
                         (unsigned long long)(*out)->samples);
    return rc;
}
