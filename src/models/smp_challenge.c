/* smp_challenge.c — §4-§5 of SMP-SPEC: every initiator evaluates
 * challenges E(i; i; i->j) and picks its target.  This is the hot loop of a
 * turn (O(n) per evaluated target), so it is written for speed; every sum
 * still runs over the third parties in ascending order, as the spec
 * requires, and each initiator writes only its own slot, so results are
 * the same bits for any number of threads and on either compiled path. */
#include <math.h>
#include <string.h>

#include <omp.h>

#include "smp_internal.h"

#define MIN_GAIN 1e-5          /* §5: smallest expected gain worth a challenge */
#define MIN_PRINCIPAL 1e-10    /* §4: starting coalition strengths */
#define LANES 4                /* targets evaluated together in SIMD lanes */

typedef double lanes_d __attribute__((vector_size(LANES * sizeof(double))));
typedef long long lanes_i __attribute__((vector_size(LANES * sizeof(long long))));

/* v where mask, else w (bitwise; masks are all ones or all zeros).  A
 * macro: a function returning a vector trips GCC's ABI warning. */
#define select_lanes(mask, v, w) \
    ((lanes_d)(((lanes_i)(v) & (mask)) | ((lanes_i)(w) & ~(mask))))

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* The third parties of §4 for the targets js, any voting rule: ch_ij,
 * ch_ji start at the principals' base_i, base_j and gain each third
 * party's vote in ascending order. */
static void third_parties(const smp_run *run, parley_vote_rule rule, int commit, size_t i,
                          const size_t *js, const double *r, const double *col_i,
                          const double *diag, const double *base_i, const double *base_j,
                          double *ch_ij, double *ch_ji)
{
    const size_t n = run->n, stride = run->stride;
    const double *power = run->power;
    for (size_t m = 0; m < n; m++) {
        if (m == i)
            continue;
        const double u_mi = col_i[m], u_mm = diag[m], w = power[m], r_m = r[m];
        /* Actor::thirdPartyVoteSU: what m keeps if i wins with / without it */
        const double i_wins_with = commit == SMP_COMMIT_FULL ? u_mi + u_mi + u_mi
                                                             : u_mi + u_mi + u_mm;
        const double i_wins_without = commit == SMP_COMMIT_NONE ? u_mi + u_mi + u_mm
                                                                : u_mi + u_mi + u_mi;
        for (size_t l = 0; l < LANES; l++) {
            if (js[l] == m)
                continue; /* the target is no third party */
            double u_mj = smp_utility(run->dist_t[js[l] * stride + m], r_m);
            /* the little conflict (Actor::vProbLittle) */
            double v0 = smp_vote(rule, w, u_mi, u_mj);
            /* adding 0.0 to a positive strength changes no bit */
            double c_i = base_i[l] + (v0 > 0 ? v0 : 0.0);
            double c_j = base_j[l] - (v0 < 0 ? v0 : 0.0);
            double p_in = c_i / (c_i + c_j);
            double p_jn = 1.0 - p_in;
            double j_wins_without = u_mj + u_mj + (commit == SMP_COMMIT_NONE ? u_mm : u_mj);
            double j_wins_with = u_mj + u_mj + (commit == SMP_COMMIT_FULL ? u_mj : u_mm);
            double joins_i = (p_in * i_wins_with) + (p_jn * j_wins_without);
            double joins_j = (p_in * i_wins_without) + (p_jn * j_wins_with);
            double v = smp_vote(rule, w, joins_i, joins_j);
            ch_ij[l] = ch_ij[l] + (v > 0 ? v : 0.0);
            ch_ji[l] = ch_ji[l] - (v < 0 ? v : 0.0);
        }
    }
}

/* v where mask, else +0.0; v where not mask, else +0.0. */
#define keep_lanes(mask, v) ((lanes_d)((lanes_i)(v) & (mask)))
#define drop_lanes(mask, v) ((lanes_d)((lanes_i)(v) & ~(mask)))

/* Adds vote v to the side it favours.  A vote that is not positive goes
 * to ch_ji: a zero of either sign leaves it (>= 1e-10) as it is, so one
 * comparison does (votes are finite: every strength is >= 1e-10). */
ALWAYS_INLINE void add_vote(lanes_d *ch_ij, lanes_d *ch_ji, const lanes_d *vote)
{
    /* by pointer: a vector passed by value trips clang's ABI warning */
    const lanes_d v = *vote;
    lanes_i for_i = v > 0;
    *ch_ij = *ch_ij + keep_lanes(for_i, v);
    *ch_ji = *ch_ji - drop_lanes(for_i, v);
}

/* Third party m's vote *v in the lanes of targets js (proportional rule):
 * the same IEEE operations in the same order as the scalar loop, per lane.
 * Inlined with a constant commit, so each commitment rule gets its own
 * loop; each lane reads its target's column of D as a row of dist_t, so
 * the four streams run sequentially through memory. */
ALWAYS_INLINE void third_party_vote(int commit, size_t m, const double *const *column,
                                    const double *r, const double *col_i,
                                    const double *diag, const double *power,
                                    const lanes_d *b_i, const lanes_d *b_j, lanes_d *v)
{
    const lanes_d zero = {0}, one = zero + 1.0;
    const double u_mi = col_i[m], u_mm = diag[m], w = power[m], r_m = r[m];
    /* Actor::thirdPartyVoteSU: what m keeps if i wins with / without it */
    const double i_wins_with = commit == SMP_COMMIT_FULL ? u_mi + u_mi + u_mi
                                                         : u_mi + u_mi + u_mm;
    const double i_wins_without = commit == SMP_COMMIT_NONE ? u_mi + u_mi + u_mm
                                                            : u_mi + u_mi + u_mi;
    lanes_d d;
    for (size_t l = 0; l < LANES; l++)
        d[l] = column[l][m];
    lanes_d u_mj = (1 - d) * (1 + select_lanes(d <= 1, d, one) * r_m);
    /* the little conflict (Actor::vProbLittle) */
    lanes_d v0 = w * (u_mi - u_mj);
    lanes_i for_i = v0 > 0; /* else to j: a zero leaves b_j >= 1e-10 as it is */
    lanes_d c_i = *b_i + keep_lanes(for_i, v0);
    lanes_d c_j = *b_j - drop_lanes(for_i, v0);
    lanes_d p_in = c_i / (c_i + c_j);
    lanes_d p_jn = 1.0 - p_in;
    lanes_d mm = zero + u_mm;
    lanes_d j_wins_without = u_mj + u_mj + (commit == SMP_COMMIT_NONE ? mm : u_mj);
    lanes_d j_wins_with = u_mj + u_mj + (commit == SMP_COMMIT_FULL ? u_mj : mm);
    lanes_d joins_i = (p_in * i_wins_with) + (p_jn * j_wins_without);
    lanes_d joins_j = (p_in * i_wins_without) + (p_jn * j_wins_with);
    *v = w * (joins_i - joins_j);
}

/* third_parties for the proportional rule, the targets in vector lanes.
 * The third parties run in ascending order; only at the initiator (left
 * out) and at the targets (left out of their own lane) does the loop
 * stop, so the plain stretches between them need no masks.  Adding +0.0
 * to a positive strength changes no bit, which replaces conditional adds. */
ALWAYS_INLINE void third_parties_prop(const smp_run *run, int commit, size_t i,
                                      const size_t *js, const double *r,
                                      const double *col_i, const double *diag,
                                      const double *base_i, const double *base_j,
                                      double *ch_ij, double *ch_ji)
{
    const size_t n = run->n;
    const lanes_d zero = {0};
    const double *column[LANES];
    lanes_d b_i, b_j, c_ij, c_ji, v;
    lanes_i target;
    memcpy(&b_i, base_i, sizeof b_i);
    memcpy(&b_j, base_j, sizeof b_j);
    memcpy(&c_ij, ch_ij, sizeof c_ij);
    memcpy(&c_ji, ch_ji, sizeof c_ji);
    /* the stops: i and the targets, ascending, without repeats; then n */
    size_t stops[LANES + 2], n_stops = 0;
    for (size_t l = 0; l <= LANES; l++) {
        size_t stop = l < LANES ? js[l] : i, at = n_stops;
        if (l < LANES) {
            column[l] = run->dist_t + js[l] * run->stride;
            target[l] = (long long)js[l];
        }
        for (; at > 0 && stops[at - 1] > stop; at--)
            stops[at] = stops[at - 1];
        if (at > 0 && stops[at - 1] == stop) { /* a repeat: undo the shift */
            for (; at < n_stops; at++)
                stops[at] = stops[at + 1];
            continue;
        }
        stops[at] = stop;
        n_stops++;
    }
    stops[n_stops++] = n;
    size_t m = 0;
    for (size_t s = 0; s < n_stops; s++) {
        for (; m < stops[s]; m++) {
            third_party_vote(commit, m, column, r, col_i, diag, run->power, &b_i, &b_j, &v);
            add_vote(&c_ij, &c_ji, &v);
        }
        if (m == n)
            break;
        if (m != i) {
            third_party_vote(commit, m, column, r, col_i, diag, run->power, &b_i, &b_j, &v);
            v = select_lanes(target == (long long)m, zero, v); /* no third party */
            add_vote(&c_ij, &c_ji, &v);
        }
        m++;
    }
    memcpy(ch_ij, &c_ij, sizeof c_ij);
    memcpy(ch_ji, &c_ji, sizeof c_ji);
}

/* §4 for initiator i and targets js[0 .. lanes-1] (js has LANES valid
 * indices; lanes past `lanes` repeat one and are ignored), all from i's
 * view: gain[j] and p[j].  r[m] = r_im, col_i[m] = A^i_mi, diag[m] =
 * A^i_mm. */
ALWAYS_INLINE void evaluate_targets(const smp_run *run, size_t i, const size_t *js,
                                    size_t lanes, const double *r, const double *col_i,
                                    const double *diag, double *p, double *gain)
{
    const size_t stride = run->stride;
    const double *power = run->power;
    const parley_vote_rule rule = run->config.vote;
    double u_ij[LANES], base_i[LANES], base_j[LANES], ch_ij[LANES], ch_ji[LANES];
    const double u_ii = col_i[i];
    for (size_t l = 0; l < LANES; l++) {
        size_t j = js[l];
        u_ij[l] = smp_utility(run->dist[i * stride + j], r[i]);
        double contrib_i = smp_vote(rule, power[i], u_ii, u_ij[l]);
        double contrib_j = smp_vote(rule, power[j], col_i[j], diag[j]);
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
    if (rule != PARLEY_VOTE_PROP)
        third_parties(run, rule, run->config.commit, i, js, r, col_i, diag, base_i, base_j,
                      ch_ij, ch_ji);
    else if (run->config.commit == SMP_COMMIT_SEMI)
        third_parties_prop(run, SMP_COMMIT_SEMI, i, js, r, col_i, diag, base_i, base_j, ch_ij,
                           ch_ji);
    else if (run->config.commit == SMP_COMMIT_FULL)
        third_parties_prop(run, SMP_COMMIT_FULL, i, js, r, col_i, diag, base_i, base_j, ch_ij,
                           ch_ji);
    else
        third_parties_prop(run, SMP_COMMIT_NONE, i, js, r, col_i, diag, base_i, base_j, ch_ij,
                           ch_ji);
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

/* Max-heap of candidate targets by bound.  The order of evaluation only
 * decides how soon the bound prunes, never the choice.  heap[size] holds
 * a sentinel of bound -inf, so the larger child is found without a branch
 * (heaps hold at most n - 1 candidates in room for n). */
static void sift_down(smp_candidate *heap, size_t size, size_t at)
{
    const smp_candidate item = heap[at];
    for (;;) {
        size_t child = 2 * at + 1;
        if (child >= size)
            break;
        child += heap[child + 1].bound > heap[child].bound;
        if (!(heap[child].bound > item.bound))
            break;
        heap[at] = heap[child];
        at = child;
    }
    heap[at] = item;
}

/* §5: initiator i's target, its P and gain.  scratch: 6n doubles; heap: n
 * candidates. */
PARLEY_SIMD_CLONES
static void choose_target(smp_run *run, size_t i, double *scratch, smp_candidate *heap)
{
    const size_t n = run->n, stride = run->stride;
    double *r = scratch, *col_i = r + n, *diag = col_i + n, *p = diag + n, *gain = p + n;
    double *bound = gain + n;
    const int adjust = run->config.adjust;
    const double *dist_i = run->dist_t + i * stride; /* D_mi */
    for (size_t m = 0; m < n; m++) {
        r[m] = smp_estimate_risk(adjust, run->risk[i], run->risk[m]);
        col_i[m] = smp_utility(dist_i[m], r[m]);
        diag[m] = smp_utility(run->dist[m * stride + m], r[m]);
    }
    /* The gain of §4 with P = 1, its largest value for any P in [0,1]:
     * targets whose bound (with a margin far above rounding) is below the
     * best gain found cannot be chosen, so they are not evaluated, the
     * most promising first.  The choice is the same as evaluating all. */
    const double u_ii = col_i[i];
    for (size_t j = 0; j < n; j++) {
        double u_ij = smp_utility(run->dist[i * stride + j], r[i]);
        double win = u_ii + u_ii, lose = u_ij + u_ij, s_j = run->total_salience[j];
        double top = win > lose ? win : lose;
        bound[j] = j == i ? -INFINITY : (1 - s_j) * win + s_j * top - (u_ii + u_ij) + 1e-9;
    }
    /* The first block, the LANES largest bounds, comes from one pass; only
     * the candidates that its best gain leaves go into the heap. */
    size_t js[LANES], lanes = 0, candidates = 0;
    for (size_t j = 0; j < n; j++) {
        if (!(bound[j] > MIN_GAIN) || (lanes == LANES && !(bound[j] > bound[js[lanes - 1]])))
            continue;
        size_t at = lanes < LANES ? lanes++ : LANES - 1;
        for (; at > 0 && bound[j] > bound[js[at - 1]]; at--)
            js[at] = js[at - 1];
        js[at] = j;
    }
    int best_j = -1, first_block = 1;
    double best = -1.0, best_p = 0;
    while (lanes > 0) {
        for (size_t l = lanes; l < LANES; l++)
            js[l] = js[0];
        evaluate_targets(run, i, js, lanes, r, col_i, diag, p, gain);
        /* §5: the largest gain above 1e-5, the lowest j among equals */
        for (size_t l = 0; l < lanes; l++) {
            size_t j = js[l];
            bound[j] = -INFINITY; /* evaluated */
            if (MIN_GAIN < gain[j] &&
                (best < gain[j] || (best == gain[j] && (int)j < best_j))) {
                best_j = (int)j;
                best_p = p[j];
                best = gain[j];
            }
        }
        if (first_block) {
            first_block = 0;
            for (size_t j = 0; j < n; j++)
                if (bound[j] > MIN_GAIN && (best_j < 0 || bound[j] >= best))
                    heap[candidates++] = (smp_candidate){bound[j], j};
            heap[candidates] = (smp_candidate){-INFINITY, 0};
            for (size_t at = candidates / 2; at-- > 0;)
                sift_down(heap, candidates, at);
        }
        lanes = 0;
        while (lanes < LANES && candidates > 0) {
            if (best_j >= 0 && heap[0].bound < best) {
                candidates = 0; /* every bound left is smaller */
                break;
            }
            js[lanes++] = heap[0].target;
            heap[0] = heap[--candidates];
            heap[candidates] = (smp_candidate){-INFINITY, 0};
            sift_down(heap, candidates, 0);
        }
    }
    run->target[i] = best_j;
    run->challenge_p[i] = best_p;
    run->challenge_gain[i] = best_j >= 0 ? best : 0;
}

void smp_choose_targets(smp_run *run)
{
    const size_t n = run->n;
#pragma omp parallel for schedule(dynamic, 1) if (run->parallel)
    for (size_t i = 0; i < n; i++) {
        size_t thread = (size_t)omp_get_thread_num();
        choose_target(run, i, run->thread_scratch + thread * run->thread_doubles,
                      run->thread_candidates + thread * n);
    }
}
