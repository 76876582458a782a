/* sweep_run.c — running a sweep's cases (parley/sweep.h).
 *
 * OpenMP hands cases to threads; each thread keeps its own copy of the
 * scenario, resets the varied numbers of each case over it and runs the
 * model (or Monte Carlo, one thread per case, so that the case's summary does
 * not depend on who ran it).  A case's statistics go to its own slot, so the
 * result is the same for any number of threads and any split of the cases. */
#include "parley/sweep.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "parley/alloc.h"
#include "sweep_internal.h"

void parley_sweep_opts_init(parley_sweep_opts *opts)
{
    memset(opts, 0, sizeof *opts);
}

parley_sweep_result *parley_sweep_result_new(const parley_sweep *s)
{
    parley_sweep_result *r = parley_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->n_cases = parley_sweep_count_cases(s);
    r->n_issues = s->scenario->n_issues;
    size_t cells = (size_t)r->n_cases * PARLEY_SWEEP_N_STATS * r->n_issues;
    r->done = parley_calloc((size_t)r->n_cases, 1);
    r->status = parley_calloc((size_t)r->n_cases, sizeof *r->status);
    r->stats = parley_malloc((cells ? cells : 1) * sizeof *r->stats);
    if (!r->done || !r->status || !r->stats) {
        parley_sweep_result_free(r);
        return NULL;
    }
    for (size_t k = 0; k < cells; k++)
        r->stats[k] = NAN;
    return r;
}

void parley_sweep_result_free(parley_sweep_result *r)
{
    if (!r)
        return;
    parley_free(r->done);
    parley_free(r->status);
    parley_free(r->stats);
    parley_free(r);
}

typedef struct sweep_shared {
    const parley_sweep *sweep;
    const parley_sweep_opts *opts;
    parley_sweep_result *result;
    uint64_t total, done;
    int stop;          /* 1: cancelled, 2: failed */
    int error_code;
    parley_error error;
} sweep_shared;

typedef struct sweep_worker {
    parley_scenario *sc;
    parley_result *result;
} sweep_worker;

static int run_once(const parley_sweep *s, sweep_worker *w, const parley_run_opts *opts,
                    parley_sweep_result *r, uint64_t c, parley_error *err)
{
    int rc = parley_model_run(s->model, w->sc, opts, w->result, err);
    if (rc != PARLEY_OK)
        return rc;
    for (size_t i = 0; i < r->n_issues; i++)
        *parley_sweep_result_at(r, c, PARLEY_SWEEP_MEAN, i) = w->result->forecast[i];
    return PARLEY_OK;
}

static int run_mc(const parley_sweep *s, sweep_worker *w, const parley_sweep_opts *sopts,
                  const parley_run_opts *opts, parley_sweep_result *r, uint64_t c,
                  parley_error *err)
{
    parley_mc_opts mc;
    parley_mc_opts_init(&mc);
    mc.samples = sopts->samples;
    mc.seed = sopts->seed;
    mc.spread = sopts->spread;
    mc.threads = 1;
    mc.run = opts;
    parley_mc_result *summary = NULL;
    int rc = parley_mc_run(s->model, w->sc, &mc, &summary, err);
    if (rc != PARLEY_OK) {
        parley_mc_result_free(summary);
        return rc;
    }
    static const double levels[] = {0.05, 0.5, 0.95};
    for (size_t i = 0; i < r->n_issues; i++) {
        *parley_sweep_result_at(r, c, PARLEY_SWEEP_MEAN, i) = summary->issues[i].mean;
        *parley_sweep_result_at(r, c, PARLEY_SWEEP_SD, i) = summary->issues[i].sd;
        for (int q = 0; q < 3; q++)
            *parley_sweep_result_at(r, c, (parley_sweep_stat)(PARLEY_SWEEP_Q05 + q), i) =
                parley_mc_quantile(summary, i, levels[q]);
    }
    parley_mc_result_free(summary);
    return PARLEY_OK;
}

static void record(sweep_shared *run, int code, const parley_error *err)
{
#pragma omp critical(parley_sweep_failure)
    {
        if (!run->error_code) {
            run->error_code = code;
            run->error = *err;
        }
    }
#pragma omp atomic write
    run->stop = 2;
}

static void run_case(sweep_shared *run, sweep_worker *w, uint64_t c)
{
    const parley_sweep *s = run->sweep;
    parley_run_opts opts = s->run;
    opts.flags = 0;
    opts.on_round = NULL;
    opts.seed = run->opts->seed;
    opts.stream = 0;
    parley_sweep_case_apply(s, c, w->sc, &opts);
    parley_error err;
    parley_error_clear(&err);
    int rc = run->opts->samples ? run_mc(s, w, run->opts, &opts, run->result, c, &err)
                                : run_once(s, w, &opts, run->result, c, &err);
    if (rc != PARLEY_OK && rc != PARLEY_EUNDEF) {
        record(run, rc, &err);
        return;
    }
    run->result->status[c] = rc;
    if (run->opts->on_case) {
        int stored;
#pragma omp critical(parley_sweep_on_case)
        stored = run->opts->on_case(run->result, c, run->opts->userdata, &err);
        if (stored != PARLEY_OK) {
            record(run, stored, &err);
            return;
        }
    }
    run->result->done[c] = 1;
    uint64_t done;
#pragma omp atomic capture
    done = ++run->done;
    if (run->opts->progress && omp_get_thread_num() == 0 &&
        run->opts->progress(done, run->total, run->opts->userdata)) {
#pragma omp atomic write
        run->stop = 1;
    }
}

int parley_sweep_run(const parley_sweep *s, const parley_sweep_opts *opts, uint64_t first,
                     uint64_t end, parley_sweep_result *r, parley_error *err)
{
    if (!s || !opts || !r)
        return parley_error_set(err, PARLEY_EINVAL, "no sweep, options or result");
    if (first > end || end > r->n_cases || r->n_cases != parley_sweep_count_cases(s))
        return parley_error_set(err, PARLEY_EINVAL, "cases [%llu, %llu) of a sweep of %llu",
                                (unsigned long long)first, (unsigned long long)end,
                                (unsigned long long)r->n_cases);
    if (opts->threads < 0 || !(opts->spread >= 0) || !isfinite(opts->spread) ||
        opts->samples >= PARLEY_MC_SAMPLER_STREAM)
        return parley_error_set(err, PARLEY_EINVAL, "bad sweep options");
    sweep_shared run = {.sweep = s, .opts = opts, .result = r};
    for (uint64_t c = first; c < end; c++)
        run.total += !r->done[c];
    if (run.total == 0)
        return PARLEY_OK;
    int n_workers = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    if ((uint64_t)n_workers > run.total)
        n_workers = (int)run.total;
    sweep_worker *workers = parley_calloc((size_t)n_workers, sizeof *workers);
    int rc = PARLEY_ENOMEM;
    if (!workers)
        goto fail;
    for (int t = 0; t < n_workers; t++) {
        workers[t].sc = parley_scenario_copy(s->scenario);
        workers[t].result = parley_result_new();
        if (!workers[t].sc || !workers[t].result)
            goto fail;
    }
    int64_t from = (int64_t)first, to = (int64_t)end;
#pragma omp parallel num_threads(n_workers)
    {
        sweep_worker *w = &workers[omp_get_thread_num()];
        int stop;
#pragma omp for schedule(dynamic, 1)
        for (int64_t c = from; c < to; c++) {
#pragma omp atomic read
            stop = run.stop;
            if (!stop && !r->done[c])
                run_case(&run, w, (uint64_t)c);
        }
    }
    if (run.stop == 2) {
        rc = run.error_code;
        if (err)
            *err = run.error;
    } else if (run.stop == 1) {
        rc = parley_error_set(err, PARLEY_ECANCEL, "cancelled after %llu of %llu cases",
                              (unsigned long long)run.done, (unsigned long long)run.total);
    } else {
        rc = PARLEY_OK;
    }
fail:
    if (rc == PARLEY_ENOMEM)
        parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    for (int t = 0; workers && t < n_workers; t++) {
        parley_scenario_free(workers[t].sc);
        parley_result_free(workers[t].result);
    }
    parley_free(workers);
    return rc;
}
