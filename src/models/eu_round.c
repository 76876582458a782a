/* eu_round.c — one round of the expected-utility model on one issue.
 *
 * Bueno de Mesquita, "Political forecasting: an expected utility method", in
 * Bueno de Mesquita & Stokman (eds.), European Community Decision Making
 * (1994); as replicated by Scholz, Calbert & Smith, "Unravelling Bueno de
 * Mesquita's group decision model", Journal of Theoretical Politics 23(4)
 * (2011), whose appendix numbers the equations cited here.  The paper leaves
 * several steps ambiguous; the reading is MODELS.md section 4's, step by
 * step, and each alternative is a parley_eu_options field:
 *
 *   1. risk pass 1: every r_i = 1;
 *   2. the utilities of i about j, with exponent r;
 *   3. P_i, the chance that i prevails over j (eq. 31), over a global
 *      denominator D;
 *   4. E_i(U_ij), i's expected utility of challenging j (eq. 25);
 *   5. security and risk (eqs. 32-34), then pass 2 recomputes 2-4;
 *   6. each ordered pair classified from the view of the actor who would
 *      move, the compromise offer by eq. 35;
 *   7. each actor takes one offer: a conflict it loses, else a compromise,
 *      else a capitulation; all moves at once.
 *
 * The sums over third parties in step 3 come from eu_votes.c in O(n^2). */
#include <math.h>
#include <stdlib.h>

#include "parley/alloc.h"
#include "eu_internal.h"

typedef struct ranked_position {
    double position, weight;
    size_t index;
} ranked_position;

/* Ranks of the offers an actor may take (step 7): higher wins. */
enum { OFFER_NONE, OFFER_CAPITULATION, OFFER_COMPROMISE, OFFER_CONFLICT_LOST };

struct parley_eu_work {
    size_t capacity;
    ranked_position *ranked;
    /* the actors sorted by position, and their index in the caller's arrays */
    size_t *order;
    double *position, *salience, *weight, *exponent;
    /* the sweep of eu_votes.c */
    double *column_total, *column_prefix;
    size_t *cursor;
    double *votes_for_a, *votes_for_b;
    /* the best offer so far of each actor (caller's indices) */
    int *best_rank;
    double *best_key, *best_offer;
    size_t *best_proposer;
};

void parley_eu_work_free(parley_eu_work *work)
{
    if (!work)
        return;
    parley_free(work->ranked);
    parley_free(work->order);
    parley_free(work->position);
    parley_free(work->salience);
    parley_free(work->weight);
    parley_free(work->exponent);
    parley_free(work->column_total);
    parley_free(work->column_prefix);
    parley_free(work->cursor);
    parley_free(work->votes_for_a);
    parley_free(work->votes_for_b);
    parley_free(work->best_rank);
    parley_free(work->best_key);
    parley_free(work->best_offer);
    parley_free(work->best_proposer);
    parley_free(work);
}

parley_eu_work *parley_eu_work_new(size_t n)
{
    parley_eu_work *work = parley_calloc(1, sizeof *work);
    if (!work)
        return NULL;
    size_t size = n ? n : 1;
    work->capacity = n;
    work->ranked = parley_calloc(size, sizeof *work->ranked);
    work->order = parley_calloc(size, sizeof *work->order);
    work->position = parley_calloc(size, sizeof(double));
    work->salience = parley_calloc(size, sizeof(double));
    work->weight = parley_calloc(size, sizeof(double));
    work->exponent = parley_calloc(size, sizeof(double));
    work->column_total = parley_calloc(size, sizeof(double));
    work->column_prefix = parley_calloc(size, sizeof(double));
    work->cursor = parley_calloc(size, sizeof *work->cursor);
    work->votes_for_a = parley_calloc(size, sizeof(double));
    work->votes_for_b = parley_calloc(size, sizeof(double));
    work->best_rank = parley_calloc(size, sizeof *work->best_rank);
    work->best_key = parley_calloc(size, sizeof(double));
    work->best_offer = parley_calloc(size, sizeof(double));
    work->best_proposer = parley_calloc(size, sizeof *work->best_proposer);
    if (!work->ranked || !work->order || !work->position || !work->salience ||
        !work->weight || !work->exponent || !work->column_total || !work->column_prefix ||
        !work->cursor || !work->votes_for_a || !work->votes_for_b || !work->best_rank ||
        !work->best_key || !work->best_offer || !work->best_proposer) {
        parley_eu_work_free(work);
        return NULL;
    }
    return work;
}

/* By position, then by index, so that the order never depends on qsort. */
static int by_position(const void *a, const void *b)
{
    const ranked_position *x = a, *y = b;
    if (x->position != y->position)
        return (x->position > y->position) - (x->position < y->position);
    return (x->index > y->index) - (x->index < y->index);
}

double parley_eu_weighted_median(parley_eu_work *work, size_t n, const double *position,
                                 const double *weight)
{
    double weight_total = 0;
    for (size_t a = 0; a < n; a++) {
        work->ranked[a] = (ranked_position){position[a], weight[a], a};
        weight_total += weight[a];
    }
    if (!(weight_total > 0))
        return NAN;
    qsort(work->ranked, n, sizeof *work->ranked, by_position);
    double cumulative = 0;
    for (size_t k = 0; k < n; k++) {
        cumulative += work->ranked[k].weight;
        if (cumulative >= 0.5 * weight_total)
            return work->ranked[k].position;
    }
    return work->ranked[n - 1].position;
}

/* Step 2: i's utilities about j, with d = |x_i - x_j|/R the pair's distance
 * and |x_i - mu|/R i's distance from the median:
 *   U_s = 2 - 4(0.5 - 0.5 d)^r,  U_f = 2 - 4(0.5 + 0.5 d)^r,  U_sq = 2 - 4(0.5)^r,
 *   U_b = 2 - 4(0.5 - 0.25(|x_i - mu|/R + d))^r,  U_w = 2 - 4(0.5 + 0.25(...))^r.
 * Each lies in [-2, 2] while both distances are at most 1.  The first three
 * depend only on the pair and r, so the two expected utilities that decide
 * one actor's move share them (and pow() is most of a round's time). */
enum { U_SUCCESS, U_FAILURE, U_BETTER, U_WORSE, U_STATUS_QUO };

static double power(double base, double exponent)
{
    return exponent == 1.0 ? base : pow(base, exponent);
}

static void contest_utilities(double pair_distance, double r, double u[5])
{
    u[U_SUCCESS] = 2 - 4 * power(0.5 - 0.5 * pair_distance, r);
    u[U_FAILURE] = 2 - 4 * power(0.5 + 0.5 * pair_distance, r);
    u[U_STATUS_QUO] = 2 - 4 * power(0.5, r);
}

/* U_b and U_w: needed only when Q < 1 (or for a trace). */
static void median_utilities(double pair_distance, double median_distance, double r,
                             double u[5])
{
    double spread = 0.25 * (median_distance + pair_distance);
    u[U_BETTER] = 2 - 4 * power(fmax(0.0, 0.5 - spread), r);
    u[U_WORSE] = 2 - 4 * power(0.5 + spread, r);
}

/* Step 4, eq. 25: i's expected utility of challenging j,
 *   E_i(U_ij) = s [P_i U_s + (1 - P_i) U_f] + (1 - s) U_s
 *               - Q U_sq - (1 - Q) [T U_b + (1 - T) U_w],
 * with s the salience at stake and T = 1 when i is nearer the median than
 * to j (T drops out when Q = 1). */
static double expected_utility(const parley_eu_options *opts, double p_win,
                               double salience_at_stake, double pair_distance,
                               double median_distance, const double u[5])
{
    double contest = salience_at_stake * (p_win * u[U_SUCCESS] + (1 - p_win) * u[U_FAILURE]) +
                     (1 - salience_at_stake) * u[U_SUCCESS];
    double status_quo = opts->q * u[U_STATUS_QUO];
    if (opts->q != 1.0) {
        int median_nearer = median_distance < pair_distance; /* T */
        status_quo += (1 - opts->q) * (median_nearer ? u[U_BETTER] : u[U_WORSE]);
    }
    return contest - status_quo;
}

/* Step 3, eq. 31: P_i from the sums of positive votes of the pair. */
static double probability(const parley_eu_options *opts, double votes_for, double votes_against,
                          double total)
{
    double denominator =
        opts->denominator == PARLEY_EU_DENOMINATOR_PAIR ? votes_for + votes_against : total;
    return denominator > 0 ? votes_for / denominator : 0.0;
}

/* The expected utilities of the sorted pair (p, q) in both directions, with
 * exponents r_pq for E_p(U_pq) and r_qp for E_q(U_qp). */
typedef struct pair_view {
    double p_of[2];        /* P_p, P_q */
    double median_distance[2];
    double distance;
} pair_view;

static double salience_at_stake(const parley_eu_work *work, const parley_eu_options *opts,
                                size_t challenger, size_t challenged)
{
    return work->salience[opts->salience_of == PARLEY_EU_SALIENCE_CHALLENGER ? challenger
                                                                             : challenged];
}

/* Steps 6 and 7 for proposer p's challenge to mover q (sorted indices), with
 * a = E_p(U_pq) and b = E_q(U_qp). */
static void consider_offer(parley_eu_work *work, const parley_eu_options *opts, size_t p,
                           size_t q, double a, double b, const pair_view *view, int p_side,
                           const double u[5], parley_eu_pair_fn on_pair, void *userdata)
{
    double from = work->position[q], toward = work->position[p];
    parley_eu_class kind;
    int rank = OFFER_NONE;
    double offer = from, key = 0;
    if (a > 0 && b > 0) {
        /* conflict: the one with the smaller expected utility gives way */
        kind = PARLEY_EU_CONFLICT;
        if (a > b) {
            rank = OFFER_CONFLICT_LOST;
            offer = toward;
            key = fabs(offer - from);
        }
    } else if (a > 0 && b < 0 && fabs(a) > fabs(b)) {
        kind = PARLEY_EU_COMPROMISE;
        rank = OFFER_COMPROMISE;
        offer = from + (toward - from) * fabs(b / a); /* eq. 35 */
        key = opts->compromise_rule == PARLEY_EU_COMPROMISE_SMALLEST_MOVE
                  ? fabs(offer - from)
                  : (fabs(a) * toward + fabs(b) * from) / (fabs(a) + fabs(b));
    } else if (a > 0 && b < 0) {
        kind = PARLEY_EU_CAPITULATION;
        rank = OFFER_CAPITULATION;
        offer = toward;
        key = fabs(offer - from);
    } else if (a < 0 && b < 0) {
        kind = PARLEY_EU_STATUS_QUO;
    } else {
        kind = PARLEY_EU_NO_CHALLENGE;
    }
    size_t proposer = work->order[p], mover = work->order[q];
    if (rank != OFFER_NONE &&
        (rank > work->best_rank[mover] ||
         (rank == work->best_rank[mover] &&
          (key < work->best_key[mover] ||
           (key == work->best_key[mover] && proposer < work->best_proposer[mover]))))) {
        work->best_rank[mover] = rank;
        work->best_key[mover] = key;
        work->best_offer[mover] = offer;
        work->best_proposer[mover] = proposer;
    }
    if (on_pair) {
        parley_eu_pair pair = {
            .proposer = proposer,
            .mover = mover,
            .kind = kind,
            .p_proposer = view->p_of[p_side],
            .p_mover = view->p_of[!p_side],
            .e_proposer = a,
            .e_mover = b,
            .offer = offer,
        };
        for (int k = 0; k < 5; k++)
            pair.utility[k] = u[k];
        on_pair(userdata, &pair);
    }
}

/* Sorts the actors by position and copies them into the work arrays. */
static void sort_actors(parley_eu_work *work, const parley_eu_actors *actors)
{
    size_t n = actors->n;
    for (size_t a = 0; a < n; a++)
        work->ranked[a] = (ranked_position){actors->position[a], actors->weight[a], a};
    qsort(work->ranked, n, sizeof *work->ranked, by_position);
    for (size_t k = 0; k < n; k++) {
        size_t a = work->ranked[k].index;
        work->order[k] = a;
        work->position[k] = actors->position[a];
        work->salience[k] = actors->salience[a];
        work->weight[k] = actors->weight[a];
    }
}

static parley_eu_votes votes_over(parley_eu_work *work, size_t n, double range,
                                  const double *exponent)
{
    return (parley_eu_votes){
        .n = n,
        .position = work->position,
        .weight = work->weight,
        .exponent = exponent,
        .range = range,
        .column_total = work->column_total,
        .cursor = work->cursor,
        .column_prefix = work->column_prefix,
    };
}

static pair_view view_of(const parley_eu_work *work, const parley_eu_options *opts,
                         size_t p, size_t q, double range, double median, double total)
{
    pair_view view;
    view.distance = fabs(work->position[p] - work->position[q]) / range;
    view.median_distance[0] = fabs(work->position[p] - median) / range;
    view.median_distance[1] = fabs(work->position[q] - median) / range;
    view.p_of[0] = probability(opts, work->votes_for_a[q], work->votes_for_b[q], total);
    view.p_of[1] = probability(opts, work->votes_for_b[q], work->votes_for_a[q], total);
    return view;
}

/* Pass 1 and step 5: security S_i = sum_j E_j(U_ji), the expected utilities
 * of the challenges i receives (eq. 32), with every r = 1; then
 *   R_i = (2 S_i - max S - min S) / (max S - min S)        (eq. 33)
 *   r_i = (1 - R_i/3) / (1 + R_i/3), in [0.5, 2]           (eq. 34)
 * (all r_i = 1 when every S_i is the same). */
static void compute_risk(parley_eu_work *work, const parley_eu_actors *actors, double median,
                         const parley_eu_options *opts, parley_eu_outcome *out)
{
    size_t n = actors->n;
    double range = actors->range, u[5] = {0}, u_other[5] = {0};
    int need_median = opts->q != 1.0;
    for (size_t a = 0; a < n; a++)
        out->security[a] = 0;
    parley_eu_votes votes = votes_over(work, n, range, NULL);
    double total = parley_eu_votes_total(&votes);
    for (size_t p = 0; p < n; p++) {
        parley_eu_votes_row(&votes, p, work->votes_for_a, work->votes_for_b);
        for (size_t q = p + 1; q < n; q++) {
            if (work->position[p] == work->position[q])
                continue; /* no contest between equal positions */
            pair_view view = view_of(work, opts, p, q, range, median, total);
            contest_utilities(view.distance, 1.0, u);
            if (need_median) {
                median_utilities(view.distance, view.median_distance[0], 1.0, u);
                median_utilities(view.distance, view.median_distance[1], 1.0, u_other);
            }
            for (int k = 0; k < 5; k++)
                if (k != U_BETTER && k != U_WORSE)
                    u_other[k] = u[k];
            double p_challenges_q =
                expected_utility(opts, view.p_of[0], salience_at_stake(work, opts, p, q),
                                 view.distance, view.median_distance[0], u);
            double q_challenges_p =
                expected_utility(opts, view.p_of[1], salience_at_stake(work, opts, q, p),
                                 view.distance, view.median_distance[1], u_other);
            out->security[work->order[q]] += p_challenges_q;
            out->security[work->order[p]] += q_challenges_p;
        }
    }
    double most = -INFINITY, least = INFINITY;
    for (size_t a = 0; a < n; a++) {
        most = fmax(most, out->security[a]);
        least = fmin(least, out->security[a]);
    }
    for (size_t a = 0; a < n; a++) {
        double relative = most > least
                              ? (2 * out->security[a] - most - least) / (most - least)
                              : 0.0;
        out->risk_exponent[a] = (1 - relative / 3) / (1 + relative / 3);
    }
}

void parley_eu_round(parley_eu_work *work, const parley_eu_actors *actors, double median,
                     const parley_eu_options *opts, int risk_from_pass_1,
                     parley_eu_outcome *out, parley_eu_pair_fn on_pair, void *userdata)
{
    size_t n = actors->n;
    double range = actors->range;
    sort_actors(work, actors);
    if (risk_from_pass_1) {
        compute_risk(work, actors, median, opts, out);
    } else {
        for (size_t a = 0; a < n; a++)
            out->security[a] = NAN;
    }
    /* Pass 2: steps 2-4 with the risk exponents, votes with each voter's own. */
    for (size_t k = 0; k < n; k++)
        work->exponent[k] = out->risk_exponent[work->order[k]];
    for (size_t a = 0; a < n; a++) {
        work->best_rank[a] = OFFER_NONE;
        work->best_proposer[a] = (size_t)-1;
    }
    parley_eu_votes votes = votes_over(work, n, range, work->exponent);
    double total = parley_eu_votes_total(&votes);
    int own = opts->exponent_of == PARLEY_EU_EXPONENT_OWN;
    double u_of_proposer[5] = {0}, u_of_mover[5] = {0};
    int need_median = opts->q != 1.0 || on_pair != NULL;
    for (size_t p = 0; p < n; p++) {
        parley_eu_votes_row(&votes, p, work->votes_for_a, work->votes_for_b);
        for (size_t q = p + 1; q < n; q++) {
            if (work->position[p] == work->position[q]) {
                if (on_pair) {
                    pair_view nothing = {{0, 0}, {0, 0}, 0};
                    double zero[5] = {0};
                    consider_offer(work, opts, p, q, 0, 0, &nothing, 0, zero, on_pair, userdata);
                    consider_offer(work, opts, q, p, 0, 0, &nothing, 1, zero, on_pair, userdata);
                }
                continue;
            }
            pair_view view = view_of(work, opts, p, q, range, median, total);
            double s_pq = salience_at_stake(work, opts, p, q);
            double s_qp = salience_at_stake(work, opts, q, p);
            for (int mover_side = 1; mover_side >= 0; mover_side--) {
                /* the mover m and the proposer: a = E_proposer(U_proposer,m),
                 * b = E_m(U_m,proposer), both with m's exponent (or each its
                 * own) */
                size_t mover = mover_side ? q : p, proposer = mover_side ? p : q;
                int proposer_side = !mover_side;
                double r_mover = work->exponent[mover];
                double r_proposer = own ? work->exponent[proposer] : r_mover;
                contest_utilities(view.distance, r_mover, u_of_mover);
                if (r_proposer == r_mover) {
                    for (int k = 0; k < 5; k++)
                        u_of_proposer[k] = u_of_mover[k];
                } else {
                    contest_utilities(view.distance, r_proposer, u_of_proposer);
                }
                if (need_median) {
                    median_utilities(view.distance, view.median_distance[proposer_side],
                                     r_proposer, u_of_proposer);
                    median_utilities(view.distance, view.median_distance[mover_side],
                                     r_mover, u_of_mover);
                }
                double a = expected_utility(opts, view.p_of[proposer_side],
                                            proposer_side ? s_qp : s_pq, view.distance,
                                            view.median_distance[proposer_side], u_of_proposer);
                double b = expected_utility(opts, view.p_of[mover_side],
                                            mover_side ? s_qp : s_pq, view.distance,
                                            view.median_distance[mover_side], u_of_mover);
                consider_offer(work, opts, proposer, mover, a, b, &view, proposer_side,
                               u_of_proposer, on_pair, userdata);
            }
        }
    }
    /* Step 7: all moves at once. */
    for (size_t a = 0; a < n; a++) {
        int moves = work->best_rank[a] != OFFER_NONE;
        out->position[a] = moves ? work->best_offer[a] : actors->position[a];
        out->offer_taken[a] = moves ? work->best_proposer[a] : (size_t)-1;
    }
}
