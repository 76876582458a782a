/* summary.c — streaming summaries (summary.h), partial summaries (merge,
 * pack, finish) and reading quantiles and histograms from a Monte Carlo
 * result (parley/montecarlo.h). */
#include "summary.h"

#include <math.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/montecarlo.h"

mc_moments mc_moments_of(const double *values, size_t n, size_t stride)
{
    mc_moments m = {0, 0, 0};
    double sum = 0;
    for (size_t k = 0; k < n; k++) {
        double x = values[k * stride];
        if (!isnan(x)) {
            sum += x;
            m.count++;
        }
    }
    if (m.count == 0)
        return m;
    double mean = sum / (double)m.count;
    /* The second pass corrects the mean for the rounding of the first
     * (Chan, Golub & LeVeque 1983, the "corrected two-pass" algorithm). */
    double m2 = 0, correction = 0;
    for (size_t k = 0; k < n; k++) {
        double x = values[k * stride];
        if (!isnan(x)) {
            double d = x - mean;
            m2 += d * d;
            correction += d;
        }
    }
    m.mean = mean + correction / (double)m.count;
    m.m2 = m2 - correction * correction / (double)m.count;
    if (m.m2 < 0)
        m.m2 = 0;
    return m;
}

void mc_moments_merge(mc_moments *a, const mc_moments *b)
{
    if (b->count == 0)
        return;
    if (a->count == 0) {
        *a = *b;
        return;
    }
    double na = (double)a->count, nb = (double)b->count, n = na + nb;
    double delta = b->mean - a->mean;
    a->mean += delta * nb / n;
    a->m2 += b->m2 + delta * delta * na * nb / n;
    a->count += b->count;
}

size_t mc_bin_of(double x, double low, double high)
{
    double t = (x - low) / (high - low) * PARLEY_MC_BINS;
    if (!(t > 0))
        return 0;
    if (t >= PARLEY_MC_BINS)
        return PARLEY_MC_BINS - 1;
    return (size_t)t;
}

double parley_mc_quantile(const parley_mc_result *r, size_t issue, double q)
{
    const parley_mc_issue *is = &r->issues[issue];
    if (is->count == 0 || !is->bins)
        return NAN;
    if (q <= 0)
        return is->min;
    if (q >= 1)
        return is->max;
    /* The q-quantile is the point where the cumulative count reaches
     * q * count, the count of each bin spread evenly across it. */
    double target = q * (double)is->count;
    double width = (is->high - is->low) / PARLEY_MC_BINS;
    uint64_t below = 0;
    for (size_t j = 0; j < PARLEY_MC_BINS; j++) {
        uint64_t in_bin = is->bins[j];
        if (in_bin && (double)(below + in_bin) >= target) {
            double x = is->low + ((double)j + (target - (double)below) / (double)in_bin) * width;
            /* The data cannot lie beyond their extremes. */
            return x < is->min ? is->min : x > is->max ? is->max : x;
        }
        below += in_bin;
    }
    return is->max;
}

void parley_mc_histogram(const parley_mc_result *r, size_t issue, size_t n_bins,
                         uint64_t *counts)
{
    const parley_mc_issue *is = &r->issues[issue];
    memset(counts, 0, n_bins * sizeof *counts);
    if (!is->bins || n_bins == 0)
        return;
    for (size_t j = 0; j < PARLEY_MC_BINS; j++) {
        size_t coarse = (size_t)(((double)j + 0.5) * (double)n_bins / PARLEY_MC_BINS);
        counts[coarse < n_bins ? coarse : n_bins - 1] += is->bins[j];
    }
}

/* ---- partial summaries -------------------------------------------------- */

int mc_partial_alloc(struct parley_mc_partial *p)
{
    size_t n_issues = p->n_issues ? p->n_issues : 1;
    p->block_moments = parley_calloc((size_t)p->n_blocks * n_issues, sizeof *p->block_moments);
    p->block_done = parley_calloc((size_t)p->n_blocks ? (size_t)p->n_blocks : 1, 1);
    p->low = parley_calloc(n_issues, sizeof *p->low);
    p->high = parley_calloc(n_issues, sizeof *p->high);
    p->bins = parley_calloc(n_issues * PARLEY_MC_BINS, sizeof *p->bins);
    p->min = parley_calloc(n_issues, sizeof *p->min);
    p->max = parley_calloc(n_issues, sizeof *p->max);
    p->undefined = parley_calloc(n_issues, sizeof *p->undefined);
    p->event_counts = parley_calloc(p->n_events ? p->n_events : 1, sizeof *p->event_counts);
    if (!p->block_moments || !p->block_done || !p->low || !p->high || !p->bins || !p->min ||
        !p->max || !p->undefined || !p->event_counts)
        return PARLEY_ENOMEM;
    for (size_t i = 0; i < p->n_issues; i++) {
        p->min[i] = INFINITY;
        p->max[i] = -INFINITY;
    }
    if (p->keep) {
        size_t cells = (size_t)p->samples * p->n_issues;
        p->kept = parley_malloc((cells ? cells : 1) * sizeof *p->kept);
        if (!p->kept)
            return PARLEY_ENOMEM;
        for (size_t c = 0; c < cells; c++)
            p->kept[c] = NAN;
    }
    return PARLEY_OK;
}

void parley_mc_partial_free(parley_mc_partial *p)
{
    if (!p)
        return;
    parley_free(p->block_moments);
    parley_free(p->block_done);
    parley_free(p->low);
    parley_free(p->high);
    parley_free(p->bins);
    parley_free(p->min);
    parley_free(p->max);
    parley_free(p->undefined);
    parley_free(p->event_counts);
    parley_free(p->kept);
    parley_free(p);
}

/* The samples of block b and where they start. */
static size_t block_span(const parley_mc_partial *p, uint64_t b, uint64_t *first)
{
    *first = b * p->block;
    uint64_t left = p->samples - *first;
    return left < p->block ? (size_t)left : p->block;
}

int parley_mc_partial_merge(parley_mc_partial *into, const parley_mc_partial *from,
                            parley_error *err)
{
    if (into->samples != from->samples || into->block != from->block ||
        into->n_issues != from->n_issues || into->n_events != from->n_events ||
        into->keep != from->keep || into->seed != from->seed)
        return parley_error_set(err, PARLEY_EINVAL, "partial summaries of different runs");
    for (uint64_t b = 0; b < from->n_blocks; b++)
        if (from->block_done[b] && into->block_done[b])
            return parley_error_set(err, PARLEY_EINVAL,
                                    "block %llu summarised twice", (unsigned long long)b);
    size_t n_issues = from->n_issues;
    for (uint64_t b = 0; b < from->n_blocks; b++) {
        if (!from->block_done[b])
            continue;
        into->block_done[b] = 1;
        memcpy(into->block_moments + b * n_issues, from->block_moments + b * n_issues,
               n_issues * sizeof *into->block_moments);
        if (into->kept) {
            uint64_t first;
            size_t n = block_span(from, b, &first);
            memcpy(into->kept + first * n_issues, from->kept + first * n_issues,
                   n * n_issues * sizeof *into->kept);
        }
    }
    for (size_t j = 0; j < n_issues * PARLEY_MC_BINS; j++)
        into->bins[j] += from->bins[j];
    for (size_t i = 0; i < n_issues; i++) {
        into->undefined[i] += from->undefined[i];
        into->min[i] = fmin(into->min[i], from->min[i]);
        into->max[i] = fmax(into->max[i], from->max[i]);
    }
    for (size_t e = 0; e < from->n_events; e++)
        into->event_counts[e] += from->event_counts[e];
    into->failed += from->failed;
    into->cancelled |= from->cancelled;
    return PARLEY_OK;
}

/* ---- packing: a header of 64-bit words, then the arrays ---------------- */

static const char pack_magic[8] = "PLYMCP1";
enum { PACK_WORDS = 10 };

typedef struct cursor {
    unsigned char *at;        /* writing; NULL when only counting */
    const unsigned char *in;  /* reading */
    size_t used, len;
} cursor;

static void put(cursor *c, const void *data, size_t n)
{
    if (c->at)
        memcpy(c->at + c->used, data, n);
    c->used += n;
}

static int get(cursor *c, void *data, size_t n)
{
    if (n > c->len - c->used)
        return -1;
    memcpy(data, c->in + c->used, n);
    c->used += n;
    return 0;
}

static void pack_into(const parley_mc_partial *p, cursor *c)
{
    uint64_t words[PACK_WORDS] = {p->samples, p->seed, p->n_blocks, p->block, p->n_issues,
                                  p->n_events, (uint64_t)p->keep, (uint64_t)p->cancelled,
                                  p->failed, 0};
    memcpy(&words[9], &p->spread, sizeof p->spread);
    size_t n_issues = p->n_issues;
    put(c, pack_magic, sizeof pack_magic);
    put(c, words, sizeof words);
    put(c, p->block_done, (size_t)p->n_blocks);
    put(c, p->block_moments, (size_t)p->n_blocks * n_issues * sizeof *p->block_moments);
    put(c, p->low, n_issues * sizeof *p->low);
    put(c, p->high, n_issues * sizeof *p->high);
    put(c, p->bins, n_issues * PARLEY_MC_BINS * sizeof *p->bins);
    put(c, p->min, n_issues * sizeof *p->min);
    put(c, p->max, n_issues * sizeof *p->max);
    put(c, p->undefined, n_issues * sizeof *p->undefined);
    put(c, p->event_counts, p->n_events * sizeof *p->event_counts);
    /* Only finished blocks' rows of a kept table travel. */
    for (uint64_t b = 0; p->kept && b < p->n_blocks; b++)
        if (p->block_done[b]) {
            uint64_t first;
            size_t n = block_span(p, b, &first);
            put(c, p->kept + first * n_issues, n * n_issues * sizeof *p->kept);
        }
}

int parley_mc_partial_pack(const parley_mc_partial *p, unsigned char **buf, size_t *len,
                           parley_error *err)
{
    cursor count = {0};
    pack_into(p, &count);
    cursor c = {.at = parley_malloc(count.used)};
    *buf = c.at;
    *len = count.used;
    if (!c.at)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    pack_into(p, &c);
    return PARLEY_OK;
}

int parley_mc_partial_unpack(const unsigned char *buf, size_t len, parley_mc_partial **out,
                             parley_error *err)
{
    *out = NULL;
    cursor c = {.in = buf, .len = len};
    char magic[sizeof pack_magic];
    uint64_t words[PACK_WORDS];
    if (get(&c, magic, sizeof magic) || memcmp(magic, pack_magic, sizeof magic) ||
        get(&c, words, sizeof words))
        return parley_error_set(err, PARLEY_EPARSE, "not a partial Monte Carlo summary");
    /* Sizes are checked against the buffer before anything is allocated. */
    uint64_t n_blocks = words[2], n_issues = words[4], n_events = words[5];
    if (words[3] == 0 || n_issues > len || n_events > len || n_blocks > len ||
        n_blocks != (words[0] + words[3] - 1) / words[3] ||
        (words[6] && words[0] * n_issues / (n_issues ? n_issues : 1) != words[0]))
        return parley_error_set(err, PARLEY_EPARSE, "corrupt partial Monte Carlo summary");
    parley_mc_partial *p = parley_calloc(1, sizeof *p);
    if (!p)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    p->samples = words[0];
    p->seed = words[1];
    p->n_blocks = n_blocks;
    p->block = (size_t)words[3];
    p->n_issues = (size_t)n_issues;
    p->n_events = (size_t)n_events;
    p->keep = words[6] != 0;
    p->cancelled = words[7] != 0;
    p->failed = words[8];
    memcpy(&p->spread, &words[9], sizeof p->spread);
    if (p->keep && p->samples > len) {
        parley_mc_partial_free(p);
        return parley_error_set(err, PARLEY_EPARSE, "corrupt partial Monte Carlo summary");
    }
    if (mc_partial_alloc(p)) {
        parley_mc_partial_free(p);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    size_t ni = p->n_issues;
    int bad = get(&c, p->block_done, (size_t)n_blocks) ||
              get(&c, p->block_moments, (size_t)n_blocks * ni * sizeof *p->block_moments) ||
              get(&c, p->low, ni * sizeof *p->low) || get(&c, p->high, ni * sizeof *p->high) ||
              get(&c, p->bins, ni * PARLEY_MC_BINS * sizeof *p->bins) ||
              get(&c, p->min, ni * sizeof *p->min) || get(&c, p->max, ni * sizeof *p->max) ||
              get(&c, p->undefined, ni * sizeof *p->undefined) ||
              get(&c, p->event_counts, p->n_events * sizeof *p->event_counts);
    for (uint64_t b = 0; !bad && p->kept && b < n_blocks; b++)
        if (p->block_done[b]) {
            uint64_t first;
            size_t n = block_span(p, b, &first);
            bad = get(&c, p->kept + first * ni, n * ni * sizeof *p->kept);
        }
    if (bad || c.used != len) {
        parley_mc_partial_free(p);
        return parley_error_set(err, PARLEY_EPARSE, "truncated partial Monte Carlo summary");
    }
    *out = p;
    return PARLEY_OK;
}

int parley_mc_partial_finish(parley_mc_partial *p, parley_mc_result **out, parley_error *err)
{
    *out = NULL;
    size_t n_issues = p->n_issues;
    parley_mc_result *r = parley_calloc(1, sizeof *r);
    if (!r)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    r->issues = parley_calloc(n_issues ? n_issues : 1, sizeof *r->issues);
    r->events = parley_calloc(p->n_events ? p->n_events : 1, sizeof *r->events);
    if (!r->issues || !r->events)
        goto nomem;
    r->n_issues = n_issues;
    r->n_events = p->n_events;
    r->samples = p->samples;
    r->seed = p->seed;
    r->spread = p->spread;
    r->failed = p->failed;
    r->cancelled = p->cancelled;
    for (uint64_t b = 0; b < p->n_blocks; b++) {
        uint64_t first;
        if (p->block_done[b])
            r->done += block_span(p, b, &first);
        else
            r->cancelled = 1;
    }
    for (size_t i = 0; i < n_issues; i++) {
        parley_mc_issue *is = &r->issues[i];
        mc_moments total = {0, 0, 0};
        for (uint64_t b = 0; b < p->n_blocks; b++)
            if (p->block_done[b])
                mc_moments_merge(&total, &p->block_moments[b * n_issues + i]);
        is->count = total.count;
        is->mean = total.count ? total.mean : NAN;
        is->sd = total.count > 1 ? sqrt(total.m2 / (double)(total.count - 1)) : NAN;
        is->low = p->low[i];
        is->high = p->high[i];
        is->undefined = p->undefined[i];
        is->min = total.count ? p->min[i] : NAN;
        is->max = total.count ? p->max[i] : NAN;
        is->bins = parley_malloc(PARLEY_MC_BINS * sizeof *is->bins);
        if (!is->bins)
            goto nomem;
        memcpy(is->bins, p->bins + i * PARLEY_MC_BINS, PARLEY_MC_BINS * sizeof *is->bins);
    }
    for (size_t e = 0; e < r->n_events; e++) {
        parley_mc_event_result *ev = &r->events[e];
        ev->count = p->event_counts[e];
        double prob = r->done ? (double)ev->count / (double)r->done : NAN;
        ev->probability = prob;
        ev->std_error = r->done ? sqrt(prob * (1 - prob) / (double)r->done) : NAN;
    }
    r->kept = p->kept;
    p->kept = NULL;
    *out = r;
    return PARLEY_OK;
nomem:
    parley_mc_result_free(r);
    return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
}
