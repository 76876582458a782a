/* smp_internal.h — the state and turn of the spatial model (smp.c), kept
 * apart from its interface code (private to src/models). */
#ifndef PARLEY_SMP_INTERNAL_H
#define PARLEY_SMP_INTERNAL_H

#include <stddef.h>

#include "parley/rng.h"
#include "pce.h"

enum { SMP_ADJUST_FULL, SMP_ADJUST_TWO_THIRDS, SMP_ADJUST_HALF, SMP_ADJUST_ONE_THIRD,
       SMP_ADJUST_NONE };
enum { SMP_RANGE_MIN, SMP_RANGE_MID, SMP_RANGE_MAX };
enum { SMP_COMMIT_NONE, SMP_COMMIT_SEMI, SMP_COMMIT_FULL };

/* Below this many actors a run uses one thread: a turn's phases are then
 * too short (under a millisecond) for threads to pay for their wake-ups
 * and barriers, and on a busy machine they cost more than they save. */
#define SMP_PARALLEL_MIN 128

/* Positions closer than this (Euclidean, [0,1]) are one option (§10). */
#define SMP_POSITION_TOLERANCE 1e-3

typedef struct smp_config {
    parley_vote_rule vote;
    parley_victory_model victory;
    parley_pce_model pce;
    int adjust, range, commit;  /* SMP_ADJUST_*, SMP_RANGE_*, SMP_COMMIT_* */
    int stochastic;
} smp_config;

/* A possible target j of §5 and the bound on its gain. */
typedef struct smp_candidate {
    double bound;
    size_t target;
} smp_candidate;

/* Everything a run needs, allocated once.  Matrices are row-major n x n. */
typedef struct smp_run {
    size_t n, k;
    smp_config config;
    /* the input, on [0,1] */
    double *x;                 /* n*k positions (= ideals) of the current state */
    double *salience;          /* n*k */
    double *total_salience;    /* S_i */
    double *salience_squares;  /* sum_d s_id^2 */
    double *capability, *power; /* c_i and S_i c_i */
    /* the current state (§2) */
    size_t stride;             /* row length of dist: n rounded up to a SIMD block */
    double *dist;              /* D_ij at dist[i*stride + j]; padding is 0 */
    double *dist_t;            /* D_ij at dist_t[j*stride + i]: columns of D as rows */
    double *own_t;             /* own_t[m*n + a] = A^a_am, a's own utilities, transposed */
    double *sq_value;          /* §7.2 V_a of any status quo */
    double *risk;              /* R_i */
    double *win_prob;          /* §10, when asked for */
    /* the current turn */
    int *target;               /* -1: no challenge */
    double *challenge_p, *challenge_gain;
    double *offer_init, *offer_recv;   /* n*k: initiator i's bargain, by i */
    double *offer_value;       /* n*n: row i, value of i's bargain to each voter */
    size_t *queue_start;       /* n+1 */
    long *queue_item;          /* 3n: -1 = status quo, else the initiator */
    double *draw;              /* n uniforms for stochastic choices */
    double *next_x;            /* n*k */
    long *chosen;              /* -1: status quo, else the bargain's initiator */
    double *chosen_p;
    /* scratch */
    double *util, *coalition, *against, *pce_work; /* elections with n options */
    double *against_rows;      /* n*n: C_ba by rows, before they go into columns */
    double *rep_prob;          /* n: §10 probability of each distinct position */
    size_t *cursor;            /* n+1: queue fill cursors, §10 representatives */
    size_t *rep_of;            /* n: §10 the first representative of each actor */
    int threads;
    int parallel;              /* n >= SMP_PARALLEL_MIN: loops over actors use threads */
    size_t thread_doubles;
    double *thread_scratch;
    smp_candidate *thread_candidates; /* n per thread, §5 */
} smp_run;

/* §2.2: utility of distance d with risk attitude r. */
static inline double smp_utility(double d, double r)
{
    /* d > 1 multiplies r by 1.0, which is exact: no branch, so lanes
     * vectorise (a branch around d * r would need a trap-free guarantee) */
    return (1 - d) * (1 + (d <= 1 ? d : 1.0) * r);
}

/* §2.4 (Model::estNRA): h's estimate of i's risk attitude. */
static inline double smp_estimate_risk(int adjust, double r_h, double r_i)
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

static inline double smp_vote(parley_vote_rule rule, double weight, double u_a, double u_b)
{
    if (rule == PARLEY_VOTE_PROP)
        return weight * (u_a - u_b);
    return parley_pce_vote(rule, weight, u_a, u_b);
}

/* NULL on ENOMEM; free with smp_run_free (NULL does nothing). */
smp_run *smp_run_new(size_t n, size_t k, const smp_config *config);
void smp_run_free(smp_run *run);

/* §2 for the positions in run->x: distances, risk attitudes, own
 * utilities; §10's win probabilities too when want_win_prob. */
void smp_assess_state(smp_run *run, int want_win_prob);

/* One turn (§4-§8): challenges, bargains, queues; run->x becomes the new
 * state (call smp_assess_state next).  rng: NULL for deterministic
 * choices, else the run's stream. */
void smp_turn(smp_run *run, parley_rng *rng);

/* §4-§5: every actor's target, challenge P and gain for this turn
 * (smp_challenge.c). */
void smp_choose_targets(smp_run *run);

/* Euclidean distance between two actors' positions on [0,1]. */
double smp_distance(const smp_run *run, size_t a, size_t b);

#endif
