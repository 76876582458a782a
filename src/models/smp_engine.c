/* smp_engine.c — the state assessment and the turn of KTAB's spatial model
 * (smp.c has the interface, the options and the reasons for the structure).
 * § numbers refer to SMP-SPEC.md.  Every loop that sums keeps the spec's
 * order; OpenMP splits only independent actors or pairs. */
#include <math.h>
#include <string.h>

#include <omp.h>

#include "parley/alloc.h"
#include "smp_internal.h"

#define INTERP_OFFSET 1e-6     /* §6 */
#define DIST_BLOCK 4           /* rows of dist are padded to a multiple of this */

/* §6: round half up to 4 decimals on [0,1]. */
static double round4(double z)
{
    return (double)(int)(0.5 + z * 10000.0) / 10000.0;
}

void smp_run_free(smp_run *run)
{
    if (!run)
        return;
    double **doubles[] = {&run->x, &run->salience, &run->total_salience,
                          &run->salience_squares, &run->capability, &run->power,
                          &run->dist, &run->dist_t, &run->own_t, &run->sq_value, &run->risk,
                          &run->win_prob, &run->challenge_p, &run->challenge_gain,
                          &run->offer_init, &run->offer_recv, &run->offer_value,
                          &run->draw, &run->next_x, &run->chosen_p, &run->util,
                          &run->coalition, &run->against, &run->against_rows, &run->pce_work,
                          &run->rep_prob, &run->thread_scratch};
    for (size_t v = 0; v < sizeof doubles / sizeof *doubles; v++)
        parley_free(*doubles[v]);
    parley_free(run->target);
    parley_free(run->queue_start);
    parley_free(run->queue_item);
    parley_free(run->chosen);
    parley_free(run->cursor);
    parley_free(run->rep_of);
    parley_free(run->thread_candidates);
    parley_free(run);
}

/* Scratch of one thread: 6n for challenges; for a queue of up to n+1
 * options, utilities, coalitions, election work and probabilities. */
static size_t thread_doubles(size_t n, const smp_config *config)
{
    size_t m = n + 1;
    size_t work = config->pce == PARLEY_PCE_CONDITIONAL ? 0 : parley_pce_work_size(m);
    size_t queue = n * m + m * m + m + work + m;
    return 6 * n > queue ? 6 * n : queue;
}

smp_run *smp_run_new(size_t n, size_t k, const smp_config *config)
{
    smp_run *run = parley_calloc(1, sizeof *run);
    if (!run)
        return NULL;
    run->n = n;
    run->k = k;
    run->config = *config;
    run->threads = omp_get_max_threads();
    if (run->threads < 1)
        run->threads = 1;
    run->parallel = n >= SMP_PARALLEL_MIN;
    run->thread_doubles = thread_doubles(n, config);
    run->stride = (n + DIST_BLOCK - 1) / DIST_BLOCK * DIST_BLOCK;
    size_t nk = n * k, nn = n * n;
    int ok = (run->x = parley_calloc(nk, sizeof(double))) &&
             (run->salience = parley_calloc(nk, sizeof(double))) &&
             (run->total_salience = parley_calloc(n, sizeof(double))) &&
             (run->salience_squares = parley_calloc(n, sizeof(double))) &&
             (run->capability = parley_calloc(n, sizeof(double))) &&
             (run->power = parley_calloc(n, sizeof(double))) &&
             (run->dist = parley_calloc(n * run->stride, sizeof(double))) &&
             (run->dist_t = parley_calloc(n * run->stride, sizeof(double))) &&
             (run->own_t = parley_calloc(nn, sizeof(double))) &&
             (run->sq_value = parley_calloc(n, sizeof(double))) &&
             (run->risk = parley_calloc(n, sizeof(double))) &&
             (run->win_prob = parley_calloc(n, sizeof(double))) &&
             (run->target = parley_calloc(n, sizeof(int))) &&
             (run->challenge_p = parley_calloc(n, sizeof(double))) &&
             (run->challenge_gain = parley_calloc(n, sizeof(double))) &&
             (run->offer_init = parley_calloc(nk, sizeof(double))) &&
             (run->offer_recv = parley_calloc(nk, sizeof(double))) &&
             (run->offer_value = parley_calloc(nn, sizeof(double))) &&
             (run->queue_start = parley_calloc(n + 1, sizeof(size_t))) &&
             (run->queue_item = parley_calloc(3 * n, sizeof(long))) &&
             (run->draw = parley_calloc(n, sizeof(double))) &&
             (run->next_x = parley_calloc(nk, sizeof(double))) &&
             (run->chosen = parley_calloc(n, sizeof(long))) &&
             (run->chosen_p = parley_calloc(n, sizeof(double))) &&
             (run->util = parley_calloc(nn, sizeof(double))) &&
             (run->coalition = parley_calloc(nn, sizeof(double))) &&
             (run->against_rows = parley_calloc(nn, sizeof(double))) &&
             (run->against = parley_calloc(n, sizeof(double))) &&
             (run->pce_work = parley_calloc(parley_pce_work_size(n), sizeof(double))) &&
             (run->rep_prob = parley_calloc(n, sizeof(double))) &&
             (run->cursor = parley_calloc(n + 1, sizeof(size_t))) &&
             (run->rep_of = parley_calloc(n, sizeof(size_t))) &&
             (run->thread_scratch = parley_calloc((size_t)run->threads * run->thread_doubles,
                                                  sizeof(double))) &&
             (run->thread_candidates =
                  parley_calloc((size_t)run->threads * n, sizeof(smp_candidate)));
    if (!ok) {
        smp_run_free(run);
        return NULL;
    }
    return run;
}

double smp_distance(const smp_run *run, size_t a, size_t b)
{
    double squares = 0;
    for (size_t d = 0; d < run->k; d++) {
        double delta = run->x[a * run->k + d] - run->x[b * run->k + d];
        squares += delta * delta;
    }
    return sqrt(squares);
}

/* §2.1, §7.2: a's salience-weighted distance from its ideal to point y. */
static double weighted_distance(const smp_run *run, size_t a, const double *y)
{
    const double *s = run->salience + a * run->k, *ideal = run->x + a * run->k;
    if (!(run->salience_squares[a] > 0))
        return 0; /* no stake anywhere: indifferent to every point */
    double squares = 0;
    for (size_t d = 0; d < run->k; d++) {
        double t = s[d] * (ideal[d] - y[d]);
        squares = squares + t * t;
    }
    return sqrt(squares / run->salience_squares[a]);
}

/* Runs an election with the run's rules; NaN-free even when a Markov model
 * stops early (its last iterate is used). */
static void elect(const smp_run *run, size_t n_voters, size_t n_options, const double *util,
                  double *coalition, double *against, double *work, double *prob)
{
    parley_pce_coalitions(run->config.vote, n_voters, n_options, run->capability, util,
                          n_options, coalition, against);
    (void)parley_pce_probabilities(run->config.pce, run->config.victory, n_options,
                                   coalition, work, prob);
}

/* elect for the big elections (all actors' positions), coalition rows
 * split between threads; rows are independent, so the bits do not change.
 * Each row's C_ba go first to a row of against_rows, not straight into
 * column a, where threads on neighbouring rows would share cache lines. */
static void elect_parallel(smp_run *run, size_t n_options, const double *util, double *prob)
{
    const size_t n = run->n, m = n_options;
    double *coalition = run->coalition, *against = run->against_rows;
#pragma omp parallel if (run->parallel)
    {
#pragma omp for schedule(dynamic, 4)
        for (size_t a = 0; a < m; a++)
            parley_pce_coalition_row(run->config.vote, n, a, run->capability, util, m,
                                     coalition + a * m, against + a * m);
        /* C_ba into column a, each thread filling rows b of its own */
#pragma omp for schedule(static)
        for (size_t b = 0; b < m; b++)
            for (size_t a = b + 1; a < m; a++)
                coalition[b * m + a] = against[a * m + b];
    }
    (void)parley_pce_probabilities(run->config.pce, run->config.victory, n_options,
                                   run->coalition, run->pce_work, prob);
}

/* §2.3: R from the probabilities of the actors' positions. */
static void risk_from_prob(smp_run *run, const double *prob)
{
    double p_min = 1.0, p_max = 0.0;
    for (size_t i = 0; i < run->n; i++) {
        p_min = prob[i] < p_min ? prob[i] : p_min;
        p_max = prob[i] > p_max ? prob[i] : p_max;
    }
    for (size_t i = 0; i < run->n; i++) {
        double p = prob[i];
        if (!(p_max > p_min)) /* KTAB divides by zero here; nobody stands out */
            run->risk[i] = 0;
        else if (run->config.range == SMP_RANGE_MIN)
            run->risk[i] = (p - p_min) / (p_max - p_min);
        else if (run->config.range == SMP_RANGE_MAX)
            run->risk[i] = (2 * p - (p_max + p_min)) / (p_max - p_min);
        else
            run->risk[i] = (3 * p - (p_max + 2 * p_min)) / (2 * (p_max - p_min));
    }
}

/* §10: each actor's chance that its position wins. */
static void win_probabilities(smp_run *run)
{
    size_t n = run->n, n_reps = 0;
    size_t *reps = run->cursor;
    for (size_t i = 0; i < n; i++) {
        size_t joined = n_reps;
        for (size_t m = 0; m < n_reps && joined == n_reps; m++)
            if (smp_distance(run, i, reps[m]) < SMP_POSITION_TOLERANCE)
                joined = m;
        if (joined == n_reps)
            reps[n_reps++] = i;
        run->rep_of[i] = joined;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < n_reps; m++)
            run->util[i * n_reps + m] = run->own_t[reps[m] * n + i];
    elect_parallel(run, n_reps, run->util, run->rep_prob);
    for (size_t i = 0; i < n; i++) {
        size_t last = run->rep_of[i]; /* the last representative within reach */
        for (size_t m = last + 1; m < n_reps; m++)
            if (smp_distance(run, i, reps[m]) < SMP_POSITION_TOLERANCE)
                last = m;
        run->win_prob[i] = run->rep_prob[last];
    }
}

void smp_assess_state(smp_run *run, int want_win_prob)
{
    const size_t n = run->n, k = run->k, stride = run->stride;
    const int adjust = run->config.adjust;
    double *dist = run->dist;
#pragma omp parallel for schedule(static) if (run->parallel)
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            dist[i * stride + j] = weighted_distance(run, i, run->x + j * k);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            run->dist_t[j * stride + i] = dist[i * stride + j];
    /* §2.3: risk-neutral utilities, an election over all positions. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            run->util[i * n + j] = smp_utility(dist[i * stride + j], 0);
    double *prob = run->sq_value; /* overwritten below */
    elect_parallel(run, n, run->util, prob);
    risk_from_prob(run, prob);
    /* §2.4 with h = a, and §7.2's status-quo value, voters in lanes. */
#pragma omp parallel for schedule(static) if (run->parallel)
    for (size_t a = 0; a < n; a++) {
        double r_aa = smp_estimate_risk(adjust, run->risk[a], run->risk[a]);
        for (size_t m = 0; m < n; m++)
            run->own_t[m * n + a] = smp_utility(dist[a * stride + m], r_aa);
    }
    double *sq = run->sq_value;
    for (size_t a = 0; a < n; a++)
        sq[a] = 0.0;
    for (size_t m = 0; m < n; m++) {
        const double *row = run->own_t + m * n;
#pragma omp simd
        for (size_t a = 0; a < n; a++)
            sq[a] = sq[a] + row[a];
    }
    for (size_t a = 0; a < n; a++)
        sq[a] = sq[a] / (double)n;
    if (want_win_prob)
        win_probabilities(run);
}

/* §6: the S2P2 bargain of initiator i with its target, from i's view. */
static void build_offer(smp_run *run, size_t i)
{
    const size_t k = run->k, j = (size_t)run->target[i];
    const double p_i = run->challenge_p[i], p_j = 1 - p_i;
    for (size_t d = 0; d < k; d++) {
        double w_i = pow(run->salience[i * k + d], 2) * pow(p_i, 2);
        double w_j = pow(run->salience[j * k + d], 2) * pow(p_j, 2);
        double x_i = run->x[i * k + d], x_j = run->x[j * k + d];
        run->offer_init[i * k + d] =
            round4(((w_i + INTERP_OFFSET) * x_i + w_j * x_j) / (w_i + INTERP_OFFSET + w_j));
        run->offer_recv[i * k + d] =
            round4((w_i * x_i + (INTERP_OFFSET + w_j) * x_j) / (w_i + INTERP_OFFSET + w_j));
    }
}

typedef double quad_d __attribute__((vector_size(4 * sizeof(double))));

enum { OFFER_BLOCK = 4 }; /* bargains whose §7.2 sums share one pass */

/* §7.2's sums for a block of bargains: value[o][a] gains A^a_am for m in
 * ascending order, except the bargain's two principals (skip[m] bit o).
 * Eight voters of every bargain keep their sums in registers while m runs,
 * so each row of own_t is read once per block, not once per bargain; each
 * sum keeps its order, so the bits are those of one bargain at a time. */
PARLEY_SIMD_CLONES
static void add_third_party_values(const smp_run *run, double *const *value, size_t count,
                                   const unsigned char *skip)
{
    const size_t n = run->n;
    size_t a0 = 0;
    /* written out, one variable per vector: GCC keeps an array of
     * vectors on the stack */
#define LOAD_SUMS(o) \
    quad_d lo##o, hi##o; \
    memcpy(&lo##o, value[o] + a0, sizeof lo##o); \
    memcpy(&hi##o, value[o] + a0 + 4, sizeof hi##o)
#define ADD_ROW(o) \
    if (!(skipped >> o & 1u)) { \
        lo##o = lo##o + row_lo; \
        hi##o = hi##o + row_hi; \
    }
#define STORE_SUMS(o) \
    if (o < count) { \
        memcpy(value[o] + a0, &lo##o, sizeof lo##o); \
        memcpy(value[o] + a0 + 4, &hi##o, sizeof hi##o); \
    }
    for (; a0 + 8 <= n; a0 += 8) {
        LOAD_SUMS(0);
        LOAD_SUMS(1);
        LOAD_SUMS(2);
        LOAD_SUMS(3);
        for (size_t m = 0; m < n; m++) {
            quad_d row_lo, row_hi;
            memcpy(&row_lo, run->own_t + m * n + a0, sizeof row_lo);
            memcpy(&row_hi, run->own_t + m * n + a0 + 4, sizeof row_hi);
            unsigned skipped = skip[m];
            ADD_ROW(0)
            ADD_ROW(1)
            ADD_ROW(2)
            ADD_ROW(3)
        }
        STORE_SUMS(0)
        STORE_SUMS(1)
        STORE_SUMS(2)
        STORE_SUMS(3)
    }
#undef LOAD_SUMS
#undef ADD_ROW
#undef STORE_SUMS
    for (size_t o = 0; o < count; o++)
        for (size_t m = 0; m < n; m++)
            if (!(skip[m] >> o & 1u))
                for (size_t a = a0; a < n; a++)
                    value[o][a] = value[o][a] + run->own_t[m * n + a];
}

/* §7.2: the value of bargains offers[0 .. count-1] (count <= OFFER_BLOCK)
 * to every voter.  skip: n bytes of scratch. */
static void value_offers(smp_run *run, const size_t *offers, size_t count,
                         unsigned char *skip)
{
    const size_t n = run->n, k = run->k;
    double *value[OFFER_BLOCK];
    memset(skip, 0, n);
    for (size_t o = 0; o < OFFER_BLOCK; o++) {
        /* a short block repeats its first bargain in the lanes it does not
         * use, whose sums are then dropped */
        size_t i = offers[o < count ? o : 0], j = (size_t)run->target[i];
        value[o] = run->offer_value + i * n;
        skip[i] |= (unsigned char)(1u << o);
        skip[j] |= (unsigned char)(1u << o);
    }
    for (size_t o = 0; o < count; o++) {
        const double *y_i = run->offer_init + offers[o] * k;
        const double *y_j = run->offer_recv + offers[o] * k;
        for (size_t a = 0; a < n; a++) {
            /* weighted_distance to both points in one pass */
            const double *s = run->salience + a * k, *ideal = run->x + a * k;
            double squares_i = 0, squares_j = 0, d_i = 0, d_j = 0;
            if (run->salience_squares[a] > 0) {
                for (size_t d = 0; d < k; d++) {
                    double t_i = s[d] * (ideal[d] - y_i[d]);
                    double t_j = s[d] * (ideal[d] - y_j[d]);
                    squares_i = squares_i + t_i * t_i;
                    squares_j = squares_j + t_j * t_j;
                }
                d_i = sqrt(squares_i / run->salience_squares[a]);
                d_j = sqrt(squares_j / run->salience_squares[a]);
            }
            value[o][a] = smp_utility(d_i, run->risk[a]) + smp_utility(d_j, run->risk[a]);
        }
    }
    add_third_party_values(run, value, count, skip);
    for (size_t o = 0; o < count; o++)
        for (size_t a = 0; a < n; a++)
            value[o][a] = value[o][a] / (double)n;
}

/* §7.1 in the canonical order: for each initiator i, SQ_i into Q_i, then
 * i's bargain into Q_i and into its target's queue. */
static void build_queues(smp_run *run)
{
    const size_t n = run->n;
    size_t *start = run->queue_start;
    for (size_t q = 0; q <= n; q++)
        start[q] = 0;
    for (size_t i = 0; i < n; i++) {
        start[i + 1] += 1 + (run->target[i] >= 0);
        if (run->target[i] >= 0)
            start[run->target[i] + 1] += 1;
    }
    for (size_t q = 0; q < n; q++)
        start[q + 1] += start[q];
    size_t *fill = run->cursor;
    for (size_t q = 0; q < n; q++)
        fill[q] = start[q];
    for (size_t i = 0; i < n; i++) {
        run->queue_item[fill[i]++] = -1;
        if (run->target[i] >= 0) {
            run->queue_item[fill[i]++] = (long)i;
            run->queue_item[fill[run->target[i]]++] = (long)i;
        }
    }
}

/* §7.3-7.4: actor q's choice from its queue and its new position. */
static void resolve_queue(smp_run *run, size_t q, double *scratch)
{
    const size_t n = run->n, k = run->k;
    const long *items = run->queue_item + run->queue_start[q];
    const size_t m = run->queue_start[q + 1] - run->queue_start[q];
    double *util = scratch, *coalition = util + n * m, *against = coalition + m * m;
    double *prob = against + m, *work = prob + m;
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < m; b++)
            util[a * m + b] = items[b] < 0 ? run->sq_value[a]
                                           : run->offer_value[(size_t)items[b] * n + a];
    elect(run, n, m, util, coalition, against, work, prob);
    size_t pick = 0;
    if (run->config.stochastic) {
        double cumulative = 0;
        pick = m;
        for (size_t b = 0; b < m && pick == m; b++) {
            cumulative += prob[b];
            if (run->draw[q] < cumulative)
                pick = b;
        }
        if (pick == m) /* rounding left the draw above the last sum */
            for (pick = m - 1; pick > 0 && !(prob[pick] > 0); pick--)
                ;
    } else {
        for (size_t b = 1; b < m; b++)
            if (prob[b] > prob[pick])
                pick = b;
    }
    long from = items[pick];
    const double *to = from < 0 ? run->x + q * k
                       : (size_t)from == q ? run->offer_init + (size_t)from * k
                                           : run->offer_recv + (size_t)from * k;
    memcpy(run->next_x + q * k, to, k * sizeof *to);
    run->chosen[q] = from;
    run->chosen_p[q] = prob[pick];
}

void smp_turn(smp_run *run, parley_rng *rng)
{
    const size_t n = run->n;
    smp_choose_targets(run);
    for (size_t i = 0; i < n; i++)
        if (run->target[i] >= 0)
            build_offer(run, i);
    size_t *offers = run->cursor, n_offers = 0;
    for (size_t i = 0; i < n; i++)
        if (run->target[i] >= 0)
            offers[n_offers++] = i;
#pragma omp parallel for schedule(dynamic, 1) if (run->parallel)
    for (size_t first = 0; first < n_offers; first += OFFER_BLOCK) {
        size_t count = n_offers - first < OFFER_BLOCK ? n_offers - first : OFFER_BLOCK;
        value_offers(run, offers + first, count,
                     (unsigned char *)(run->thread_scratch +
                                       (size_t)omp_get_thread_num() * run->thread_doubles));
    }
    build_queues(run);
    if (rng)
        for (size_t q = 0; q < n; q++)
            run->draw[q] = parley_rng_uniform(rng);
#pragma omp parallel for schedule(dynamic, 1) if (run->parallel)
    for (size_t q = 0; q < n; q++)
        resolve_queue(run, q, run->thread_scratch +
                                  (size_t)omp_get_thread_num() * run->thread_doubles);
    memcpy(run->x, run->next_x, n * run->k * sizeof *run->x);
}
