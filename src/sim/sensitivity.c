/* sensitivity.c — one-at-a-time swings and first-order variance-based
 * indices (parley/sensitivity.h).
 *
 * Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010), "Variance
 * based sensitivity analysis of model output", Computer Physics
 * Communications 181, 259-270: the first-order estimator of Table 2 (b),
 *     V_i = 1/N sum_j f(B)_j (f(A_B^i)_j - f(A)_j),    S_i = V_i / V(Y),
 * with V(Y) from the 2N runs of A and B together and f(B) centred on their
 * mean (which leaves the expectation alone and makes the error independent
 * of where the scale puts 0).  Rows are summed in blocks
 * of ROWS_PER_BLOCK, each by one thread, and blocks merged in block order. */
#include "parley/sensitivity.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/rng.h"
#include "sample.h"
#include "summary.h"

#define ROWS_PER_BLOCK 64

void parley_sensitivity_opts_init(parley_sensitivity_opts *opts)
{
    memset(opts, 0, sizeof *opts);
}

void parley_sensitivity_free(parley_sensitivity *s)
{
    if (!s)
        return;
    parley_free(s->inputs);
    parley_free(s->base);
    parley_free(s->at_low);
    parley_free(s->at_high);
    parley_free(s->first_order);
    parley_free(s->variance);
    parley_free(s);
}

double parley_sensitivity_swing(const parley_sensitivity *s, size_t input, size_t issue)
{
    double low = s->at_low[input * s->n_issues + issue];
    double high = s->at_high[input * s->n_issues + issue];
    double swing = fabs(high - low);
    return isnan(swing) ? 0 : swing;
}

void parley_sensitivity_rank(const parley_sensitivity *s, size_t issue, size_t *order)
{
    /* Insertion sort: stable, and k is a few hundred at most. */
    for (size_t k = 0; k < s->n_inputs; k++) {
        double swing = parley_sensitivity_swing(s, k, issue);
        size_t at = k;
        while (at > 0 && parley_sensitivity_swing(s, order[at - 1], issue) < swing) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = k;
    }
}

/* Runs m on sc and copies the forecasts (NaN for all when the model cannot
 * forecast this draw). */
static int forecast(const parley_model *m, const parley_scenario *sc,
                    const parley_run_opts *opts, parley_result *result, double *out,
                    parley_error *err)
{
    int rc = parley_model_run(m, sc, opts, result, err);
    if (rc == PARLEY_OK) {
        memcpy(out, result->forecast, sc->n_issues * sizeof *out);
        return PARLEY_OK;
    }
    for (size_t i = 0; i < sc->n_issues; i++)
        out[i] = NAN;
    return rc == PARLEY_EUNDEF ? PARLEY_OK : rc;
}

static int one_at_a_time(const parley_model *m, const mc_plan *plan,
                         const parley_run_opts *opts, parley_scenario *sc,
                         parley_result *result, parley_sensitivity *s, parley_error *err)
{
    int rc = parley_model_run(m, sc, opts, result, err);
    if (rc)
        return rc;
    memcpy(s->base, result->forecast, sc->n_issues * sizeof *s->base);
    for (size_t k = 0; k < plan->n_inputs; k++) {
        const parley_input *in = &plan->inputs[k];
        double *low = s->at_low + k * sc->n_issues, *high = s->at_high + k * sc->n_issues;
        mc_plan_set(plan, k, sc, in->low);
        if ((rc = forecast(m, sc, opts, result, low, err)) != PARLEY_OK)
            return rc;
        mc_plan_set(plan, k, sc, in->high);
        if ((rc = forecast(m, sc, opts, result, high, err)) != PARLEY_OK)
            return rc;
        mc_plan_set(plan, k, sc, in->base);
    }
    return PARLEY_OK;
}

/* What one block of rows adds up. */
typedef struct block_sums {
    mc_moments *moments;   /* n_issues: f(A) and f(B) together */
    double *sum;           /* n_inputs x n_issues: f(B) (f(A_B^i) - f(A)) */
    double *diff;          /* n_inputs x n_issues: f(A_B^i) - f(A) */
    uint64_t *count;       /* n_inputs x n_issues: rows where all three exist */
} block_sums;

typedef struct sens_worker {
    parley_scenario *sc;
    parley_result *result;
    double *a, *b;              /* the rows' inputs */
    double *fa, *fb, *fab;      /* forecasts: n_issues each */
    double *column;             /* ROWS_PER_BLOCK x 2 x n_issues for moments */
} sens_worker;

typedef struct sens_run {
    const parley_model *model;
    const parley_sensitivity_opts *opts;
    parley_run_opts run_opts;
    const mc_plan *plan;
    size_t n_issues;
    block_sums *blocks;
    int stop;
    uint64_t done;
    int error_code;
    parley_error error;
} sens_run;

static void set_row(const mc_plan *plan, parley_scenario *sc, const double *values)
{
    for (size_t k = 0; k < plan->n_inputs; k++)
        mc_plan_set(plan, k, sc, values[k]);
}

static int sample_block(sens_run *run, sens_worker *w, uint64_t block)
{
    const mc_plan *plan = run->plan;
    size_t n_issues = run->n_issues, n_inputs = plan->n_inputs;
    block_sums *sums = &run->blocks[block];
    uint64_t first = block * ROWS_PER_BLOCK;
    uint64_t left = run->opts->samples - first;
    size_t rows = left < ROWS_PER_BLOCK ? (size_t)left : ROWS_PER_BLOCK;
    parley_run_opts opts = run->run_opts;
    parley_error err;
    int rc = PARLEY_OK;
    for (size_t r = 0; r < rows && !rc; r++) {
        uint64_t row = first + r;
        parley_rng rng;
        parley_rng_init(&rng, run->opts->seed, PARLEY_SENS_STREAM | (2 * row));
        mc_plan_draw(plan, &rng, w->a);
        parley_rng_init(&rng, run->opts->seed, PARLEY_SENS_STREAM | (2 * row + 1));
        mc_plan_draw(plan, &rng, w->b);
        opts.stream = row;
        set_row(plan, w->sc, w->b);
        if ((rc = forecast(run->model, w->sc, &opts, w->result, w->fb, &err)))
            break;
        set_row(plan, w->sc, w->a);
        if ((rc = forecast(run->model, w->sc, &opts, w->result, w->fa, &err)))
            break;
        memcpy(w->column + 2 * r * n_issues, w->fa, n_issues * sizeof *w->fa);
        memcpy(w->column + (2 * r + 1) * n_issues, w->fb, n_issues * sizeof *w->fb);
        for (size_t k = 0; k < n_inputs && !rc; k++) {
            mc_plan_set(plan, k, w->sc, w->b[k]);   /* A with column k from B */
            rc = forecast(run->model, w->sc, &opts, w->result, w->fab, &err);
            mc_plan_set(plan, k, w->sc, w->a[k]);
            for (size_t i = 0; i < n_issues && !rc; i++) {
                double diff = w->fab[i] - w->fa[i];
                double term = w->fb[i] * diff;
                if (!isnan(term)) {
                    sums->sum[k * n_issues + i] += term;
                    sums->diff[k * n_issues + i] += diff;
                    sums->count[k * n_issues + i]++;
                }
            }
        }
    }
    if (rc) {
#pragma omp critical(parley_sens_failure)
        {
            if (!run->error_code) {
                run->error_code = rc;
                run->error = err;
            }
        }
#pragma omp atomic write
        run->stop = 2;
        return rc;
    }
    for (size_t i = 0; i < n_issues; i++)
        sums->moments[i] = mc_moments_of(w->column + i, 2 * rows, n_issues);
    uint64_t done;
#pragma omp atomic capture
    {
        run->done += rows;
        done = run->done;
    }
    if (run->opts->progress && omp_get_thread_num() == 0 &&
        run->opts->progress(done, run->opts->samples, run->opts->userdata)) {
#pragma omp atomic write
        run->stop = 1;
    }
    return PARLEY_OK;
}

static void free_workers(sens_worker *workers, int n)
{
    for (int t = 0; workers && t < n; t++) {
        parley_scenario_free(workers[t].sc);
        parley_result_free(workers[t].result);
        parley_free(workers[t].a);
        parley_free(workers[t].b);
        parley_free(workers[t].fa);
        parley_free(workers[t].fb);
        parley_free(workers[t].fab);
        parley_free(workers[t].column);
    }
    parley_free(workers);
}

static void free_blocks(block_sums *blocks, uint64_t n)
{
    for (uint64_t b = 0; blocks && b < n; b++) {
        parley_free(blocks[b].moments);
        parley_free(blocks[b].sum);
        parley_free(blocks[b].diff);
        parley_free(blocks[b].count);
    }
    parley_free(blocks);
}

static int first_order(const parley_model *m, const parley_scenario *sc, const mc_plan *plan,
                       const parley_sensitivity_opts *opts, const parley_run_opts *run_opts,
                       parley_sensitivity *s, parley_error *err)
{
    size_t n_issues = sc->n_issues ? sc->n_issues : 1;
    size_t cells = (plan->n_inputs ? plan->n_inputs : 1) * n_issues;
    uint64_t n_blocks = (opts->samples + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
    int n_workers = opts->threads > 0 ? opts->threads : omp_get_max_threads();
    if ((uint64_t)n_workers > n_blocks)
        n_workers = (int)n_blocks;
    sens_run run = {.model = m, .opts = opts, .run_opts = *run_opts, .plan = plan,
                    .n_issues = sc->n_issues};
    int rc = PARLEY_ENOMEM;
    sens_worker *workers = parley_calloc((size_t)n_workers, sizeof *workers);
    run.blocks = parley_calloc((size_t)n_blocks, sizeof *run.blocks);
    s->first_order = parley_calloc(cells, sizeof *s->first_order);
    s->variance = parley_calloc(n_issues, sizeof *s->variance);
    if (!workers || !run.blocks || !s->first_order || !s->variance)
        goto done;
    for (uint64_t b = 0; b < n_blocks; b++) {
        run.blocks[b].moments = parley_calloc(n_issues, sizeof *run.blocks[b].moments);
        run.blocks[b].sum = parley_calloc(cells, sizeof *run.blocks[b].sum);
        run.blocks[b].diff = parley_calloc(cells, sizeof *run.blocks[b].diff);
        run.blocks[b].count = parley_calloc(cells, sizeof *run.blocks[b].count);
        if (!run.blocks[b].moments || !run.blocks[b].sum || !run.blocks[b].diff ||
            !run.blocks[b].count)
            goto done;
    }
    size_t n_values = plan->n_inputs ? plan->n_inputs : 1;
    for (int t = 0; t < n_workers; t++) {
        sens_worker *w = &workers[t];
        w->sc = parley_scenario_copy(sc);
        w->result = parley_result_new();
        w->a = parley_calloc(n_values, sizeof *w->a);
        w->b = parley_calloc(n_values, sizeof *w->b);
        w->fa = parley_calloc(n_issues, sizeof *w->fa);
        w->fb = parley_calloc(n_issues, sizeof *w->fb);
        w->fab = parley_calloc(n_issues, sizeof *w->fab);
        w->column = parley_calloc(2 * ROWS_PER_BLOCK * n_issues, sizeof *w->column);
        if (!w->sc || !w->result || !w->a || !w->b || !w->fa || !w->fb || !w->fab ||
            !w->column)
            goto done;
        /* Grow the result's buffers here, in the calling thread. */
        if (parley_result_reset(w->result, sc->n_actors, sc->n_issues))
            goto done;
    }
    int64_t blocks = (int64_t)n_blocks;
#pragma omp parallel num_threads(n_workers)
    {
        sens_worker *w = &workers[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < blocks; b++) {
            int stop;
#pragma omp atomic read
            stop = run.stop;
            if (!stop)
                sample_block(&run, w, (uint64_t)b);
        }
    }
    if (run.stop == 2) {
        rc = run.error_code;
        if (err)
            *err = run.error;
        goto done;
    }
    if (run.stop == 1) {
        rc = parley_error_set(err, PARLEY_ECANCEL, "cancelled");
        goto done;
    }
    for (size_t i = 0; i < sc->n_issues; i++) {
        mc_moments total = {0, 0, 0};
        for (uint64_t b = 0; b < n_blocks; b++)
            mc_moments_merge(&total, &run.blocks[b].moments[i]);
        s->variance[i] = total.count > 1 ? total.m2 / (double)(total.count - 1) : NAN;
        for (size_t k = 0; k < plan->n_inputs; k++) {
            double sum = 0, diff = 0;
            uint64_t count = 0;
            for (uint64_t b = 0; b < n_blocks; b++) {
                sum += run.blocks[b].sum[k * sc->n_issues + i];
                diff += run.blocks[b].diff[k * sc->n_issues + i];
                count += run.blocks[b].count[k * sc->n_issues + i];
            }
            /* f(B) centred on the mean: the same expectation, since
             * E[f(A_B^i) - f(A)] = 0, but an error that does not grow with
             * the mean's distance from 0. */
            double v = count ? (sum - total.mean * diff) / (double)count : NAN;
            s->first_order[k * sc->n_issues + i] =
                s->variance[i] > 0 ? v / s->variance[i] : NAN;
        }
    }
    s->samples = opts->samples;
    rc = PARLEY_OK;
done:
    if (rc == PARLEY_ENOMEM)
        parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    free_workers(workers, n_workers);
    free_blocks(run.blocks, n_blocks);
    return rc;
}

int parley_sensitivity_run(const parley_model *m, const parley_scenario *sc,
                           const parley_sensitivity_opts *opts,
                           parley_sensitivity **out, parley_error *err)
{
    *out = NULL;
    if (!m || !sc || !opts)
        return parley_error_set(err, PARLEY_EINVAL, "no model, scenario or options");
    if (!(opts->spread >= 0) || !isfinite(opts->spread))
        return parley_error_set(err, PARLEY_EINVAL, "the spread must be a number >= 0");
    if (opts->threads < 0)
        return parley_error_set(err, PARLEY_EINVAL, "the number of threads must be >= 0");
    if (opts->samples >= PARLEY_SENS_STREAM / 2)
        return parley_error_set(err, PARLEY_EINVAL, "too many samples");
    parley_run_opts run_opts;
    if (opts->run)
        run_opts = *opts->run;
    else
        parley_run_opts_init(&run_opts, m);
    run_opts.flags = 0;
    run_opts.on_round = NULL;
    run_opts.userdata = NULL;
    run_opts.seed = opts->seed;

    mc_plan plan;
    parley_scenario *work = NULL;
    parley_result *result = NULL;
    int rc = PARLEY_ENOMEM;
    parley_sensitivity *s = parley_calloc(1, sizeof *s);
    if (mc_plan_init(&plan, sc, opts->spread)) {
        parley_free(s);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    if (!s)
        goto fail;
    size_t n_issues = sc->n_issues ? sc->n_issues : 1;
    size_t cells = (plan.n_inputs ? plan.n_inputs : 1) * n_issues;
    s->n_inputs = plan.n_inputs;
    s->n_issues = sc->n_issues;
    s->inputs = parley_calloc(plan.n_inputs ? plan.n_inputs : 1, sizeof *s->inputs);
    s->base = parley_calloc(n_issues, sizeof *s->base);
    s->at_low = parley_calloc(cells, sizeof *s->at_low);
    s->at_high = parley_calloc(cells, sizeof *s->at_high);
    work = parley_scenario_copy(sc);
    result = parley_result_new();
    if (!s->inputs || !s->base || !s->at_low || !s->at_high || !work || !result)
        goto fail;
    if (plan.n_inputs)
        memcpy(s->inputs, plan.inputs, plan.n_inputs * sizeof *s->inputs);
    if ((rc = one_at_a_time(m, &plan, &run_opts, work, result, s, err)) != PARLEY_OK)
        goto fail;
    if (opts->samples &&
        (rc = first_order(m, sc, &plan, opts, &run_opts, s, err)) != PARLEY_OK)
        goto fail;
    *out = s;
    s = NULL;
fail:
    if (rc == PARLEY_ENOMEM)
        parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    parley_sensitivity_free(s);
    parley_scenario_free(work);
    parley_result_free(result);
    mc_plan_free(&plan);
    return rc;
}
