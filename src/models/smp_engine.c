/* smp_engine.c — the state assessment and the turn of KTAB's spatial model
 * (smp.c has the interface, the options and the reasons for the structure).
 * § numbers refer to SMP-SPEC.md.  Every loop that sums keeps the spec's
 * order; OpenMP splits only independent actors or pairs. */
#include <math.h>
#include <string.h>

#include <omp.h>

#include "parley/alloc.h"
#include "smp_internal.h"

#define MIN_GAIN 1e-5          /* §5: smallest expected gain worth a challenge */
#define MIN_PRINCIPAL 1e-10    /* §4: starting coalition strengths */
#define INTERP_OFFSET 1e-6     /* §6 */
#define TARGET_BLOCK 4         /* targets evaluated together in SIMD lanes */

/* §2.2: utility of distance d with risk attitude r. */
static inline double utility(double d, double r)
{
    /* d > 1 multiplies r by 1.0, which is exact: no branch, so lanes
     * vectorise (a branch around d * r would need a trap-free guarantee) */
    return (1 - d) * (1 + (d <= 1 ? d : 1.0) * r);
}

/* §2.4 (Model::estNRA): h's estimate of i's risk attitude. */
static inline double estimate_risk(int adjust, double r_h, double r_i)
{
    switch (adjust) {
    case SMP_ADJUST_FULL:
        return r_i;
    case SMP_ADJUST_TWO_THIRDS:
        return (r_h + (2.0 * r_i)) / 3.0;
    case SMP_ADJUST_HALF:
        return (r_h + r_i) / 2;
    case SMP_ADJUST_NONE:
        return r_h;
    case SMP_ADJUST_ONE_THIRD:
    default:
        return ((2.0 * r_h) + r_i) / 3.0;
    }
}

static inline double vote(parley_vote_rule rule, double weight, double u_a, double u_b)
{
    if (rule == PARLEY_VOTE_PROP)
        return weight * (u_a - u_b);
    return parley_pce_vote(rule, weight, u_a, u_b);
}

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
                          &run->dist, &run->own_t, &run->sq_value, &run->risk,
                          &run->win_prob, &run->challenge_p, &run->challenge_gain,
                          &run->offer_init, &run->offer_recv, &run->offer_value,
                          &run->draw, &run->next_x, &run->chosen_p, &run->util,
                          &run->coalition, &run->against, &run->pce_work,
                          &run->rep_prob, &run->thread_scratch};
    for (size_t v = 0; v < sizeof doubles / sizeof *doubles; v++)
        parley_free(*doubles[v]);
    parley_free(run->target);
    parley_free(run->queue_start);
    parley_free(run->queue_item);
    parley_free(run->chosen);
    parley_free(run->cursor);
    parley_free(run->rep_of);
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
    run->thread_doubles = thread_doubles(n, config);
    run->stride = (n + TARGET_BLOCK - 1) / TARGET_BLOCK * TARGET_BLOCK;
    size_t nk = n * k, nn = n * n;
    int ok = (run->x = parley_calloc(nk, sizeof(double))) &&
             (run->salience = parley_calloc(nk, sizeof(double))) &&
             (run->total_salience = parley_calloc(n, sizeof(double))) &&
             (run->salience_squares = parley_calloc(n, sizeof(double))) &&
             (run->capability = parley_calloc(n, sizeof(double))) &&
             (run->power = parley_calloc(n, sizeof(double))) &&
             (run->dist = parley_calloc(n * run->stride, sizeof(double))) &&
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
             (run->against = parley_calloc(n, sizeof(double))) &&
             (run->pce_work = parley_calloc(parley_pce_work_size(n), sizeof(double))) &&
             (run->rep_prob = parley_calloc(n, sizeof(double))) &&
             (run->cursor = parley_calloc(n + 1, sizeof(size_t))) &&
             (run->rep_of = parley_calloc(n, sizeof(size_t))) &&
             (run->thread_scratch = parley_calloc((size_t)run->threads * run->thread_doubles,
                                                  sizeof(double)));
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
 * split between threads; rows are independent, so the bits do not change. */
static void elect_parallel(smp_run *run, size_t n_options, const double *util, double *prob)
{
    const size_t n = run->n;
#pragma omp parallel for schedule(dynamic, 4)
    for (size_t a = 0; a < n_options; a++)
        parley_pce_coalition_rows(run->config.vote, n, n_options, a, a + 1, run->capability,
                                  util, n_options, run->coalition,
                                  run->thread_scratch + (size_t)omp_get_thread_num() *
                                                            run->thread_doubles);
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
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            dist[i * stride + j] = weighted_distance(run, i, run->x + j * k);
    /* §2.3: risk-neutral utilities, an election over all positions. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            run->util[i * n + j] = utility(dist[i * stride + j], 0);
    double *prob = run->sq_value; /* overwritten below */
    elect_parallel(run, n, run->util, prob);
    risk_from_prob(run, prob);
    /* §2.4 with h = a, and §7.2's status-quo value, voters in lanes. */
#pragma omp parallel for schedule(static)
    for (size_t a = 0; a < n; a++) {
        double r_aa = estimate_risk(adjust, run->risk[a], run->risk[a]);
        for (size_t m = 0; m < n; m++)
            run->own_t[m * n + a] = utility(dist[a * stride + m], r_aa);
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

/* The third parties of §4 for a block of targets j0.. (any voting rule):
 * ch_ij, ch_ji start at the principals' base_i, base_j and gain each third
 * party's vote in ascending order. */
static void third_parties(const smp_run *run, parley_vote_rule rule, int commit, size_t i,
                          const size_t *js, const double *r, const double *col_i,
                          const double *diag, const double *base_i, const double *base_j,
                          double *ch_ij, double *ch_ji)
{
    const size_t n = run->n, stride = run->stride;
    const double *dist = run->dist, *power = run->power;
    for (size_t m = 0; m < n; m++) {
        if (m == i)
            continue;
        const double u_mi = col_i[m], u_mm = diag[m], w = power[m], r_m = r[m];
        const double *drow = dist + m * stride;
        /* Actor::thirdPartyVoteSU: what m keeps if i wins with / without it */
        const double i_wins_with = commit == SMP_COMMIT_FULL ? u_mi + u_mi + u_mi
                                                             : u_mi + u_mi + u_mm;
        const double i_wins_without = commit == SMP_COMMIT_NONE ? u_mi + u_mi + u_mm
                                                                : u_mi + u_mi + u_mi;
        double v[TARGET_BLOCK];
        for (size_t l = 0; l < TARGET_BLOCK; l++) {
            double u_mj = utility(drow[js[l]], r_m);
            /* the little conflict (Actor::vProbLittle) */
            double v0 = vote(rule, w, u_mi, u_mj);
            /* adding 0.0 to a positive strength changes no bit */
            double c_i = base_i[l] + (v0 > 0 ? v0 : 0.0);
            double c_j = base_j[l] - (v0 < 0 ? v0 : 0.0);
            double p_in = c_i / (c_i + c_j);
            double p_jn = 1.0 - p_in;
            double j_wins_without = u_mj + u_mj + (commit == SMP_COMMIT_NONE ? u_mm : u_mj);
            double j_wins_with = u_mj + u_mj + (commit == SMP_COMMIT_FULL ? u_mj : u_mm);
            double joins_i = (p_in * i_wins_with) + (p_jn * j_wins_without);
            double joins_j = (p_in * i_wins_without) + (p_jn * j_wins_with);
            v[l] = vote(rule, w, joins_i, joins_j);
        }
        for (size_t l = 0; l < TARGET_BLOCK; l++)
            if (js[l] == m)
                v[l] = 0.0; /* the target is no third party: adds nothing */
        for (size_t l = 0; l < TARGET_BLOCK; l++) {
            ch_ij[l] = ch_ij[l] + (v[l] > 0 ? v[l] : 0.0);
            ch_ji[l] = ch_ji[l] - (v[l] < 0 ? v[l] : 0.0);
        }
    }
}

typedef double lanes_d __attribute__((vector_size(TARGET_BLOCK * sizeof(double))));
typedef long long lanes_i __attribute__((vector_size(TARGET_BLOCK * sizeof(long long))));

/* v where mask, else w (bitwise; masks are all ones or all zeros).  A
 * macro: a function returning a 64-byte vector trips GCC's ABI warning. */
#define select_lanes(mask, v, w) \
    ((lanes_d)(((lanes_i)(v) & (mask)) | ((lanes_i)(w) & ~(mask))))

/* third_parties for the proportional rule, the targets in vector lanes:
 * the same IEEE operations in the same order per lane, so the same bits.
 * Adding +0.0 to a positive strength changes nothing, which replaces the
 * conditional adds. */
static void third_parties_prop(const smp_run *run, int commit, size_t i, const size_t *js,
                               const double *r, const double *col_i, const double *diag,
                               const double *base_i, const double *base_j, double *ch_ij,
                               double *ch_ji)
{
    const size_t n = run->n, stride = run->stride;
    const double *dist = run->dist, *power = run->power;
    const lanes_d zero = {0}, one = zero + 1.0;
    lanes_d b_i, b_j, c_ij, c_ji;
    memcpy(&b_i, base_i, sizeof b_i);
    memcpy(&b_j, base_j, sizeof b_j);
    memcpy(&c_ij, ch_ij, sizeof c_ij);
    memcpy(&c_ji, ch_ji, sizeof c_ji);
    lanes_d lane = zero;
    for (size_t l = 0; l < TARGET_BLOCK; l++)
        lane[l] = (double)js[l];
    for (size_t m = 0; m < n; m++) {
        if (m == i)
            continue;
        const double u_mi = col_i[m], u_mm = diag[m], w = power[m], r_m = r[m];
        const double i_wins_with = commit == SMP_COMMIT_FULL ? u_mi + u_mi + u_mi
                                                             : u_mi + u_mi + u_mm;
        const double i_wins_without = commit == SMP_COMMIT_NONE ? u_mi + u_mi + u_mm
                                                                : u_mi + u_mi + u_mi;
        lanes_d d;
        const double *drow = dist + m * stride;
        for (size_t l = 0; l < TARGET_BLOCK; l++)
            d[l] = drow[js[l]];
        lanes_d u_mj = (1 - d) * (1 + select_lanes(d <= 1, d, one) * r_m);
        lanes_d v0 = w * (u_mi - u_mj);
        lanes_d c_i = b_i + select_lanes(v0 > 0, v0, zero);
        lanes_d c_j = b_j - select_lanes(v0 < 0, v0, zero);
        lanes_d p_in = c_i / (c_i + c_j);
        lanes_d p_jn = 1.0 - p_in;
        lanes_d mm = zero + u_mm;
        lanes_d j_wins_without = u_mj + u_mj + (commit == SMP_COMMIT_NONE ? mm : u_mj);
        lanes_d j_wins_with = u_mj + u_mj + (commit == SMP_COMMIT_FULL ? u_mj : mm);
        lanes_d joins_i = (p_in * i_wins_with) + (p_jn * j_wins_without);
        lanes_d joins_j = (p_in * i_wins_without) + (p_jn * j_wins_with);
        lanes_d v = w * (joins_i - joins_j);
        v = select_lanes(lane == (double)m, zero, v); /* the target is no third party */
        c_ij = c_ij + select_lanes(v > 0, v, zero);
        c_ji = c_ji - select_lanes(v < 0, v, zero);
    }
    memcpy(ch_ij, &c_ij, sizeof c_ij);
    memcpy(ch_ji, &c_ji, sizeof c_ji);
}

/* §4 for initiator i and targets js[0 .. lanes-1] (js has TARGET_BLOCK
 * valid indices; lanes past `lanes` repeat one and are ignored), all
 * from i's view: gain[j] and p[j].  r[m] = r_im, col_i[m] = A^i_mi,
 * diag[m] = A^i_mm.  Each target's coalition sums run over the third
 * parties in ascending order in its own lane. */
static void evaluate_targets(const smp_run *run, parley_vote_rule rule, int commit,
                             size_t i, const size_t *js, size_t lanes, const double *r,
                             const double *col_i, const double *diag, double *p,
                             double *gain)
{
    const size_t n = run->n, stride = run->stride;
    const double *dist = run->dist, *power = run->power;
    double u_ij[TARGET_BLOCK], base_i[TARGET_BLOCK], base_j[TARGET_BLOCK];
    double ch_ij[TARGET_BLOCK], ch_ji[TARGET_BLOCK];
    (void)n;
    const double u_ii = col_i[i];
    for (size_t l = 0; l < TARGET_BLOCK; l++) {
        size_t j = js[l];
        u_ij[l] = utility(dist[i * stride + j], r[i]);
        double contrib_i = vote(rule, power[i], u_ii, u_ij[l]);
        double contrib_j = vote(rule, power[j], col_i[j], diag[j]);
        double c_ij = MIN_PRINCIPAL, c_ji = MIN_PRINCIPAL;
        if (contrib_i > 0.0)
            c_ij = c_ij + contrib_i;
        if (contrib_i < 0.0)
            c_ji = c_ji - contrib_i;
        if (contrib_j > 0.0)
            c_ij = c_ij + contrib_j;
        if (contrib_j < 0.0)
            c_ji = c_ji - contrib_j;
        base_i[l] = ch_ij[l] = c_ij;
        base_j[l] = ch_ji[l] = c_ji;
    }
    if (rule == PARLEY_VOTE_PROP)
        third_parties_prop(run, commit, i, js, r, col_i, diag, base_i, base_j, ch_ij, ch_ji);
    else
        third_parties(run, rule, commit, i, js, r, col_i, diag, base_i, base_j, ch_ij, ch_ji);
    for (size_t l = 0; l < lanes; l++) {
        size_t j = js[l];
        double s_j = run->total_salience[j];
        double p_ij = ch_ij[l] / (ch_ij[l] + ch_ji[l]);
        double p_ji = ch_ji[l] / (ch_ij[l] + ch_ji[l]);
        double eu_sq = u_ii + u_ij[l];
        double eu_win = u_ii + u_ii;
        double eu_lose = u_ij[l] + u_ij[l];
        double eu_contest = p_ij * eu_win + p_ji * eu_lose;
        double eu_challenge = (1 - s_j) * eu_win + s_j * eu_contest;
        p[j] = p_ij;
        gain[j] = eu_challenge - eu_sq;
    }
}

/* §5: initiator i's target, its P and gain. */
static void choose_target(smp_run *run, size_t i, double *scratch)
{
    const size_t n = run->n;
    double *r = scratch, *col_i = r + n, *diag = col_i + n, *p = diag + n, *gain = p + n;
    double *bound = gain + n;
    const int adjust = run->config.adjust;
    for (size_t m = 0; m < n; m++) {
        r[m] = estimate_risk(adjust, run->risk[i], run->risk[m]);
        col_i[m] = utility(run->dist[m * run->stride + i], r[m]);
        diag[m] = utility(run->dist[m * run->stride + m], r[m]);
    }
    /* The gain of §4 with P = 1, its largest value for any P in [0,1]:
     * targets whose bound (with a margin far above rounding) is below the
     * best gain found cannot be chosen, so they are not evaluated.  The
     * choice is the same as evaluating all of them. */
    const double u_ii = col_i[i];
    for (size_t j = 0; j < n; j++) {
        double u_ij = utility(run->dist[i * run->stride + j], r[i]);
        double win = u_ii + u_ii, lose = u_ij + u_ij, s_j = run->total_salience[j];
        double top = win > lose ? win : lose;
        bound[j] = j == i ? -INFINITY : (1 - s_j) * win + s_j * top - (u_ii + u_ij) + 1e-9;
    }
    parley_vote_rule rule = run->config.vote;
    int commit = run->config.commit;
    int best_j = -1;
    double best = -1.0, best_p = 0;
    for (;;) {
        size_t js[TARGET_BLOCK], lanes = 0;
        /* the TARGET_BLOCK largest bounds left, largest first */
        for (; lanes < TARGET_BLOCK; lanes++) {
            size_t top = n;
            for (size_t j = 0; j < n; j++)
                if (bound[j] > -INFINITY && (top == n || bound[j] > bound[top]))
                    top = j;
            if (top == n || bound[top] <= MIN_GAIN || (best_j >= 0 && bound[top] < best))
                break;
            js[lanes] = top;
            bound[top] = -INFINITY;
        }
        if (lanes == 0)
            break;
        for (size_t l = lanes; l < TARGET_BLOCK; l++)
            js[l] = js[0];
        evaluate_targets(run, rule, commit, i, js, lanes, r, col_i, diag, p, gain);
        /* §5: the largest gain above 1e-5, the lowest j among equals */
        for (size_t l = 0; l < lanes; l++) {
            size_t j = js[l];
            if (MIN_GAIN < gain[j] &&
                (best < gain[j] || (best == gain[j] && (int)j < best_j))) {
                best_j = (int)j;
                best_p = p[j];
                best = gain[j];
            }
        }
        if (lanes < TARGET_BLOCK)
            break;
    }
    run->target[i] = best_j;
    run->challenge_p[i] = best_p;
    run->challenge_gain[i] = best_j >= 0 ? best : 0;
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

/* §7.2: the value of i's bargain to every voter, voters in lanes. */
static void value_offer(smp_run *run, size_t i)
{
    const size_t n = run->n, j = (size_t)run->target[i];
    double *value = run->offer_value + i * n;
    for (size_t a = 0; a < n; a++)
        value[a] = utility(weighted_distance(run, a, run->offer_init + i * run->k),
                           run->risk[a]) +
                   utility(weighted_distance(run, a, run->offer_recv + i * run->k),
                           run->risk[a]);
    for (size_t m = 0; m < n; m++) {
        if (m == i || m == j)
            continue;
        const double *row = run->own_t + m * n;
#pragma omp simd
        for (size_t a = 0; a < n; a++)
            value[a] = value[a] + row[a];
    }
    for (size_t a = 0; a < n; a++)
        value[a] = value[a] / (double)n;
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
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t i = 0; i < n; i++)
        choose_target(run, i, run->thread_scratch +
                                  (size_t)omp_get_thread_num() * run->thread_doubles);
    for (size_t i = 0; i < n; i++)
        if (run->target[i] >= 0)
            build_offer(run, i);
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t i = 0; i < n; i++)
        if (run->target[i] >= 0)
            value_offer(run, i);
    build_queues(run);
    if (rng)
        for (size_t q = 0; q < n; q++)
            run->draw[q] = parley_rng_uniform(rng);
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t q = 0; q < n; q++)
        resolve_queue(run, q, run->thread_scratch +
                                  (size_t)omp_get_thread_num() * run->thread_doubles);
    memcpy(run->x, run->next_x, n * run->k * sizeof *run->x);
}
