/* backtest_stats.c — intervals, breakdowns and paired comparisons of a
 * backtest (parley/backtest.h).
 *
 * The cluster (block) bootstrap: Davison & Hinkley, Bootstrap Methods and
 * their Application (1997), section 3.8 — resample whole clusters (here the
 * proposals whose issues were negotiated together) when observations within
 * a cluster are dependent; percentile intervals (their section 5.3.1).
 * Quantiles interpolate between order statistics as R's type 7 (Hyndman &
 * Fan, The American Statistician 50, 1996). */
#include "parley/backtest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/rng.h"

/* An error that prints as 10 but was computed as 10 + 1e-14 is within 10. */
#define WITHIN_SLACK 1e-9

void parley_backtest_stats_opts_init(parley_backtest_stats_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->seed = 1;
    opts->resamples = 2000;
    opts->level = 0.95;
    opts->within = 10;
    opts->group_key = "proposal";
    opts->n_breakdowns = 2;
    opts->breakdowns[0] = "procedure";
    opts->breakdowns[1] = "rule";
}

void parley_backtest_stats_free(parley_backtest_stats *stats)
{
    if (!stats)
        return;
    for (size_t s = 0; stats->subset_names && s < stats->n_subsets; s++)
        parley_free(stats->subset_names[s]);
    parley_free(stats->subset_names);
    parley_free(stats->cells);
    parley_free(stats);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile p of v[0..n-1] (sorted in place; NaNs dropped first), R type 7. */
static double quantile(double *v, size_t n, double p)
{
    size_t k = 0;
    for (size_t j = 0; j < n; j++)
        if (!isnan(v[j]))
            v[k++] = v[j];
    if (k == 0)
        return NAN;
    qsort(v, k, sizeof *v, compare_double);
    double h = (double)(k - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= k)
        return v[k - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* What is known of each scored issue: its group and subsets. */
typedef struct layout {
    size_t n_items, n_groups, n_subsets;
    size_t *group;        /* per item */
    unsigned char *in;    /* n_subsets * n_items */
    size_t *group_start;  /* CSR over groups: items of group g are */
    size_t *group_items;  /* group_items[group_start[g] .. group_start[g+1]) */
} layout;

static void layout_free(layout *l)
{
    parley_free(l->group);
    parley_free(l->in);
    parley_free(l->group_start);
    parley_free(l->group_items);
}

/* The value of breakdown key for a scored item ("" when missing). */
static const char *breakdown_value(const parley_scenario *sc, size_t issue, const char *key)
{
    if (strcmp(key, "rule") == 0)
        return parley_rule_kind_name(sc->issues[issue].rule.kind);
    const char *value = parley_scenario_get_meta(sc, key);
    return value ? value : "";
}

/* Index of text in names[0..n), or n. */
static size_t find_name(char *const *names, size_t n, const char *text)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(names[k], text) == 0)
            return k;
    return n;
}

static int compare_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Subset names: "all", then "key=value" per breakdown, values sorted. */
static int make_subsets(const parley_backtest_model *bm, parley_scenario *const *scenarios,
                        const parley_backtest_stats_opts *opts, parley_backtest_stats *stats)
{
    size_t cap = 1 + opts->n_breakdowns * (bm->n_items ? bm->n_items : 1);
    if (!(stats->subset_names = parley_calloc(cap, sizeof *stats->subset_names)) ||
        !(stats->subset_names[0] = parley_strdup("all")))
        return PARLEY_ENOMEM;
    stats->n_subsets = 1;
    for (size_t b = 0; b < opts->n_breakdowns; b++) {
        size_t first = stats->n_subsets;
        for (size_t k = 0; k < bm->n_items; k++) {
            const parley_backtest_item *item = &bm->items[k];
            char name[160];
            snprintf(name, sizeof name, "%s=%s", opts->breakdowns[b],
                     breakdown_value(scenarios[item->scenario], item->issue,
                                     opts->breakdowns[b]));
            if (find_name(stats->subset_names + first, stats->n_subsets - first, name) <
                stats->n_subsets - first)
                continue;
            if (!(stats->subset_names[stats->n_subsets] = parley_strdup(name)))
                return PARLEY_ENOMEM;
            stats->n_subsets++;
        }
        qsort(stats->subset_names + first, stats->n_subsets - first,
              sizeof *stats->subset_names, compare_name);
    }
    return PARLEY_OK;
}

static int make_layout(const parley_backtest_model *bm, parley_scenario *const *scenarios,
                       const parley_backtest_stats_opts *opts,
                       const parley_backtest_stats *stats, layout *l)
{
    size_t n = bm->n_items, n1 = n ? n : 1;
    l->n_items = n;
    l->n_subsets = stats->n_subsets;
    char **keys = parley_calloc(n1, sizeof *keys);
    l->group = parley_calloc(n1, sizeof *l->group);
    l->in = parley_calloc(n1 * stats->n_subsets, 1);
    l->group_start = parley_calloc(n1 + 1, sizeof *l->group_start);
    l->group_items = parley_calloc(n1, sizeof *l->group_items);
    int rc = PARLEY_ENOMEM;
    if (!keys || !l->group || !l->in || !l->group_start || !l->group_items)
        goto done;
    for (size_t k = 0; k < n; k++) {
        const parley_backtest_item *item = &bm->items[k];
        const parley_scenario *sc = scenarios[item->scenario];
        const char *key = opts->group_key ? parley_scenario_get_meta(sc, opts->group_key) : NULL;
        char own[64];
        if (!key) { /* its own group */
            snprintf(own, sizeof own, "\x1f%zu", item->scenario);
            key = own;
        }
        size_t g = find_name(keys, l->n_groups, key);
        if (g == l->n_groups && !(keys[l->n_groups++] = parley_strdup(key)))
            goto done;
        l->group[k] = g;
        l->in[k] = 1;
        for (size_t s = 1; s < stats->n_subsets; s++) {
            const char *name = stats->subset_names[s];
            size_t key_len = strcspn(name, "=");
            char breakdown[160];
            snprintf(breakdown, sizeof breakdown, "%.*s", (int)key_len, name);
            l->in[s * n + k] =
                strcmp(name + key_len + 1, breakdown_value(sc, item->issue, breakdown)) == 0;
        }
    }
    for (size_t k = 0; k < n; k++)
        l->group_start[l->group[k] + 1]++;
    for (size_t g = 0; g < l->n_groups; g++)
        l->group_start[g + 1] += l->group_start[g];
    size_t *fill = parley_calloc(l->n_groups ? l->n_groups : 1, sizeof *fill);
    if (!fill)
        goto done;
    for (size_t k = 0; k < n; k++)
        l->group_items[l->group_start[l->group[k]] + fill[l->group[k]]++] = k;
    parley_free(fill);
    rc = PARLEY_OK;
done:
    for (size_t g = 0; keys && g < l->n_groups; g++)
        parley_free(keys[g]);
    parley_free(keys);
    return rc;
}

/* Statistics of one model over a multiset of items (groups drawn). */
typedef struct sample_stats {
    double mae, median, within, diff;
    size_t n, n_paired;
} sample_stats;

static sample_stats sample(const parley_backtest_model *bm, const parley_backtest_model *base,
                           const layout *l, size_t subset, const size_t *groups,
                           size_t n_groups, double within, double *scratch)
{
    sample_stats out = {NAN, NAN, NAN, NAN, 0, 0};
    double total = 0, diff_total = 0;
    size_t n_within = 0;
    for (size_t j = 0; j < n_groups; j++) {
        size_t g = groups[j];
        for (size_t at = l->group_start[g]; at < l->group_start[g + 1]; at++) {
            size_t k = l->group_items[at];
            double error = bm->items[k].error;
            if (!l->in[subset * l->n_items + k] || isnan(error))
                continue;
            scratch[out.n++] = error;
            total += error;
            n_within += error <= within + WITHIN_SLACK;
            if (base && !isnan(base->items[k].error)) {
                diff_total += error - base->items[k].error;
                out.n_paired++;
            }
        }
    }
    if (out.n) {
        out.mae = total / (double)out.n;
        out.within = (double)n_within / (double)out.n;
        out.median = quantile(scratch, out.n, 0.5);
    }
    if (out.n_paired)
        out.diff = diff_total / (double)out.n_paired;
    return out;
}

static parley_interval interval(double estimate, double *draws, size_t n, double level)
{
    parley_interval out = {estimate, NAN, NAN};
    if (n) {
        out.low = quantile(draws, n, (1 - level) / 2);
        out.high = quantile(draws, n, 1 - (1 - level) / 2);
    }
    return out;
}

/* Every model on subset s: estimates, then the bootstrap. */
static int fill_subset(const parley_backtest *bt, const parley_backtest_stats_opts *opts,
                       parley_backtest_stats *stats, const layout *l, size_t s)
{
    size_t n_models = bt->n_models, B = opts->resamples;
    size_t *groups = parley_calloc(l->n_groups ? l->n_groups : 1, sizeof *groups);
    size_t n_groups = 0, biggest = 1;
    for (size_t g = 0; groups && g < l->n_groups; g++) {
        int any = 0;
        for (size_t at = l->group_start[g]; at < l->group_start[g + 1]; at++)
            any |= l->in[s * l->n_items + l->group_items[at]];
        if (any) {
            groups[n_groups++] = g;
            size_t size = l->group_start[g + 1] - l->group_start[g];
            biggest = size > biggest ? size : biggest;
        }
    }
    size_t *drawn = parley_calloc(n_groups ? n_groups : 1, sizeof *drawn);
    double *scratch = parley_calloc((n_groups ? n_groups : 1) * biggest, sizeof *scratch);
    double *draws = parley_calloc(4 * n_models * (B ? B : 1), sizeof *draws);
    int rc = PARLEY_ENOMEM;
    if (!groups || !drawn || !scratch || !draws)
        goto done;
    const parley_backtest_model *base =
        stats->baseline >= 0 ? &bt->models[stats->baseline] : NULL;
    for (size_t b = 0; b < B && n_groups; b++) {
        parley_rng rng;
        parley_rng_init(&rng, opts->seed, ((uint64_t)s << 32) | (uint64_t)b);
        for (size_t j = 0; j < n_groups; j++)
            drawn[j] = groups[parley_rng_below(&rng, n_groups)];
        for (size_t m = 0; m < n_models; m++) {
            const parley_backtest_model *other = (long)m == stats->baseline ? NULL : base;
            sample_stats st = sample(&bt->models[m], other, l, s, drawn, n_groups,
                                     opts->within, scratch);
            double *at = draws + 4 * m * B;
            at[b] = st.mae;
            at[B + b] = st.median;
            at[2 * B + b] = st.within;
            at[3 * B + b] = st.diff;
        }
    }
    for (size_t m = 0; m < n_models; m++) {
        const parley_backtest_model *other = (long)m == stats->baseline ? NULL : base;
        sample_stats st = sample(&bt->models[m], other, l, s, groups, n_groups, opts->within,
                                 scratch);
        parley_backtest_cell *cell = &stats->cells[m * stats->n_subsets + s];
        size_t n_draws = n_groups ? B : 0;
        double *at = draws + 4 * m * B;
        cell->n_issues = st.n;
        cell->n_paired = st.n_paired;
        cell->mae = interval(st.mae, at, n_draws, opts->level);
        cell->median = interval(st.median, at + B, n_draws, opts->level);
        cell->within = interval(st.within, at + 2 * B, n_draws, opts->level);
        cell->diff = interval(st.diff, at + 3 * B, other ? n_draws : 0, opts->level);
        for (size_t j = 0; j < n_groups; j++) {
            size_t g = groups[j];
            for (size_t k = l->group_start[g]; k < l->group_start[g + 1]; k++) {
                size_t item = l->group_items[k];
                if (l->in[s * l->n_items + item] && !isnan(bt->models[m].items[item].error)) {
                    cell->n_groups++;
                    break;
                }
            }
        }
    }
    rc = PARLEY_OK;
done:
    parley_free(groups);
    parley_free(drawn);
    parley_free(scratch);
    parley_free(draws);
    return rc;
}

int parley_backtest_stats_compute(const parley_backtest *bt,
                                  parley_scenario *const *scenarios,
                                  const parley_backtest_stats_opts *opts,
                                  parley_backtest_stats **out, parley_error *err)
{
    parley_backtest_stats_opts defaults;
    if (!opts) {
        parley_backtest_stats_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    if (!(opts->level > 0 && opts->level < 1) ||
        opts->n_breakdowns > PARLEY_BACKTEST_MAX_BREAKDOWNS)
        return parley_error_set(err, PARLEY_EINVAL,
                                "expected a level in (0, 1) and at most %d breakdowns",
                                PARLEY_BACKTEST_MAX_BREAKDOWNS);
    long baseline = -1;
    for (size_t m = 0; opts->baseline && m < bt->n_models && baseline < 0; m++)
        if (strcmp(bt->models[m].label, opts->baseline) == 0)
            baseline = (long)m;
    if (opts->baseline && baseline < 0)
        return parley_error_set(err, PARLEY_ENOTFOUND,
                                "the baseline \"%s\" is not among the models backtested",
                                opts->baseline);
    parley_backtest_stats *stats = parley_calloc(1, sizeof *stats);
    layout l = {0};
    int rc = PARLEY_ENOMEM;
    if (!stats)
        goto fail;
    stats->opts = *opts;
    stats->baseline = baseline;
    stats->n_models = bt->n_models;
    parley_backtest_model empty = {0};
    const parley_backtest_model *first = bt->n_models ? &bt->models[0] : &empty;
    if ((rc = make_subsets(first, scenarios, opts, stats)) ||
        (rc = make_layout(first, scenarios, opts, stats, &l)))
        goto fail;
    rc = PARLEY_ENOMEM;
    stats->cells = parley_calloc(bt->n_models * stats->n_subsets + 1, sizeof *stats->cells);
    if (!stats->cells)
        goto fail;
    for (size_t s = 0; s < stats->n_subsets; s++)
        if ((rc = fill_subset(bt, opts, stats, &l, s)))
            goto fail;
    layout_free(&l);
    *out = stats;
    return PARLEY_OK;
fail:
    layout_free(&l);
    parley_backtest_stats_free(stats);
    return parley_error_set(err, rc, "out of memory");
}
