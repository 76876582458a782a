/* mpi_dist.c — dist.h over MPI (compiled into the MPI build only).
 *
 * Each rank sends rank 0 one message: a status word, then either its error
 * record or its packed part (a Monte Carlo partial summary, or its cases'
 * rows).  Rank 0 merges the parts by block or case slot, never by arrival,
 * so the result does not depend on the number of ranks.  A rank that dies
 * takes the job down (MPI's default error handler, and mpirun's watch over
 * its processes) before rank 0 has anything to print or store. */
#ifdef PARLEY_MPI
#include <limits.h>
#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/dist.h"
#include "parley/alloc.h"

static struct {
    int active;   /* MPI_Init was called */
    int synced;   /* the start-up check has been done */
    int rank, size;
} dist = {0, 0, 0, 1};

/* Under mpirun or srun; a plain `parley mc` does not start MPI at all. */
static int launched_by_mpi(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK",
                                       "PMI_SIZE", NULL};
    for (const char *const *v = vars; *v; v++)
        if (getenv(*v))
            return 1;
    return 0;
}

void cli_dist_begin(int *argc, char ***argv)
{
    if (dist.active || !launched_by_mpi())
        return;
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised && MPI_Init(argc, argv) != MPI_SUCCESS)
        return;
    dist.active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &dist.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &dist.size);
    if (dist.rank > 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            MPI_Abort(MPI_COMM_WORLD, 1);
    }
}

/* Every rank says whether it got as far as the run; all learn if one did
 * not.  Returns 1 when every rank is ready. */
static int sync_ready(int ready)
{
    int all = ready;
    if (dist.active && !dist.synced)
        MPI_Allreduce(&ready, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    dist.synced = 1;
    return all;
}

int cli_dist_end(int code)
{
    if (!dist.active)
        return code;
    sync_ready(code == 0);
    MPI_Finalize();
    dist.active = 0;
    return code;
}

int cli_dist_rank(void)
{
    return dist.rank;
}

int cli_dist_size(void)
{
    return dist.size;
}

/* [first, end) of n items for this rank: contiguous, sizes within one. */
static void my_range(uint64_t n, uint64_t *first, uint64_t *end)
{
    *first = n * (uint64_t)dist.rank / (uint64_t)dist.size;
    *end = n * (uint64_t)(dist.rank + 1) / (uint64_t)dist.size;
}

/* A test hook: PARLEY_TEST_KILL_RANK=R kills rank R just before it sends,
 * as a crashed or preempted node would. */
static void maybe_die(void)
{
    const char *victim = getenv("PARLEY_TEST_KILL_RANK");
    if (victim && atoi(victim) == dist.rank)
        raise(SIGKILL);
}

/* Builds the message: status, then payload (or the error record). */
static unsigned char *message_new(int code, const parley_error *err, const void *payload,
                                  size_t payload_len, size_t *len)
{
    int64_t status = code;
    const void *body = code == PARLEY_OK || code == PARLEY_ECANCEL ? payload : (const void *)err;
    size_t body_len = code == PARLEY_OK || code == PARLEY_ECANCEL ? payload_len : sizeof *err;
    *len = sizeof status + body_len;
    unsigned char *message = parley_malloc(*len);
    if (!message)
        return NULL;
    memcpy(message, &status, sizeof status);
    if (body_len)
        memcpy(message + sizeof status, body, body_len);
    return message;
}

/* Gathers every rank's message on rank 0: *all (rank 0 only; caller frees)
 * holds them back to back, offsets[r] and lengths[r] locate rank r's. */
static int gather(const unsigned char *message, size_t len, unsigned char **all,
                  int *offsets, int *lengths, parley_error *err)
{
    *all = NULL;
    if (len > INT_MAX)
        return parley_error_set(err, PARLEY_EINVAL, "a rank's part exceeds 2 GiB; use more ranks");
    int my_len = (int)len;
    MPI_Gather(&my_len, 1, MPI_INT, lengths, 1, MPI_INT, 0, MPI_COMM_WORLD);
    size_t total = 0;
    if (dist.rank == 0) {
        for (int r = 0; r < dist.size; r++) {
            if (total + (size_t)lengths[r] > INT_MAX)
                return parley_error_set(err, PARLEY_EINVAL,
                                        "the ranks' parts exceed 2 GiB; use fewer samples per run");
            offsets[r] = (int)total;
            total += (size_t)lengths[r];
        }
        *all = parley_malloc(total ? total : 1);
        if (!*all)
            MPI_Abort(MPI_COMM_WORLD, 1);   /* the others are already sending */
    }
    MPI_Gatherv(message, my_len, MPI_BYTE, *all, lengths, offsets, MPI_BYTE, 0,
                MPI_COMM_WORLD);
    return PARLEY_OK;
}

/* Sends this rank's status and payload to rank 0 and gathers them there
 * (see gather); *offsets and *lengths: caller frees. */
static int send_to_root(int code, const parley_error *my_err, const void *payload,
                        size_t payload_len, unsigned char **all, int **offsets, int **lengths,
                        parley_error *err)
{
    size_t len;
    unsigned char *message = message_new(code, my_err, payload, payload_len, &len);
    *offsets = parley_calloc((size_t)dist.size, sizeof **offsets);
    *lengths = parley_calloc((size_t)dist.size, sizeof **lengths);
    if (!message || !*offsets || !*lengths)
        MPI_Abort(MPI_COMM_WORLD, 1);
    maybe_die();
    int rc = gather(message, len, all, *offsets, *lengths, err);
    parley_free(message);
    return rc;
}

/* The status of rank r's message; copies its error into err when failed. */
static int message_status(const unsigned char *message, int len, int r, parley_error *err)
{
    int64_t status;
    if ((size_t)len < sizeof status)
        return parley_error_set(err, PARLEY_EINTERNAL, "rank %d sent nothing", r);
    memcpy(&status, message, sizeof status);
    if (status == PARLEY_OK || status == PARLEY_ECANCEL)
        return (int)status;
    if ((size_t)len == sizeof status + sizeof *err && err) {
        memcpy(err, message + sizeof status, sizeof *err);
        char text[sizeof err->message];
        snprintf(text, sizeof text, "rank %d: %s", r, err->message);
        memcpy(err->message, text, sizeof text);
    }
    return (int)status;
}

static int not_ready(parley_error *err)
{
    return parley_error_set(err, PARLEY_EINTERNAL,
                            "another rank failed before the run started (run it without "
                            "mpirun to see why)");
}

int cli_dist_mc_run(const parley_model *m, const parley_scenario *sc,
                    const parley_mc_opts *opts, parley_mc_result **out, parley_error *err)
{
    *out = NULL;
    if (!dist.active || dist.size == 1) {
        sync_ready(1);
        return dist.rank == 0 ? parley_mc_run(m, sc, opts, out, err) : PARLEY_OK;
    }
    if (!sync_ready(1))
        return not_ready(err);
    uint64_t first, end;
    my_range(parley_mc_block_count(opts), &first, &end);
    parley_mc_partial *mine = NULL;
    parley_error my_err;
    parley_error_clear(&my_err);
    int code = parley_mc_run_blocks(m, sc, opts, first, end, &mine, &my_err);
    unsigned char *packed = NULL;
    size_t packed_len = 0;
    if ((code == PARLEY_OK || code == PARLEY_ECANCEL) &&
        parley_mc_partial_pack(mine, &packed, &packed_len, &my_err))
        code = PARLEY_ENOMEM;
    int *offsets = NULL, *lengths = NULL;
    unsigned char *all = NULL;
    int rc = send_to_root(code, &my_err, packed, packed_len, &all, &offsets, &lengths, err);
    parley_free(packed);
    if (dist.rank != 0 || rc) {
        rc = rc ? rc : code == PARLEY_ECANCEL ? PARLEY_OK : code;
        goto done;
    }
    /* Rank 0 merges the others into its own partial, by block slot. */
    for (int r = 0; r < dist.size && !rc; r++) {
        int status = message_status(all + offsets[r], lengths[r], r, err);
        if (status != PARLEY_OK && status != PARLEY_ECANCEL) {
            rc = status;
            break;
        }
        if (r == 0)
            continue;
        parley_mc_partial *theirs = NULL;
        rc = parley_mc_partial_unpack(all + offsets[r] + sizeof(int64_t),
                                      (size_t)lengths[r] - sizeof(int64_t), &theirs, err);
        if (!rc)
            rc = parley_mc_partial_merge(mine, theirs, err);
        parley_mc_partial_free(theirs);
    }
    if (!rc && (rc = parley_mc_partial_finish(mine, out, err)) == PARLEY_OK && (*out)->cancelled)
        rc = parley_error_set(err, PARLEY_ECANCEL, "cancelled after %llu of %llu samples",
                              (unsigned long long)(*out)->done,
                              (unsigned long long)(*out)->samples);
done:
    parley_free(all);
    parley_free(offsets);
    parley_free(lengths);
    parley_mc_partial_free(mine);
    return rc;
}

/* A rank's cases travel as: done flags, statuses, stats rows. */
static size_t case_bytes(const parley_sweep_result *r)
{
    return 1 + sizeof(int) + PARLEY_SWEEP_N_STATS * r->n_issues * sizeof(double);
}

static void pack_cases(const parley_sweep_result *r, uint64_t first, uint64_t end,
                       unsigned char *buf)
{
    size_t n = (size_t)(end - first), row = PARLEY_SWEEP_N_STATS * r->n_issues;
    memcpy(buf, r->done + first, n);
    memcpy(buf + n, r->status + first, n * sizeof(int));
    memcpy(buf + n + n * sizeof(int), r->stats + first * row, n * row * sizeof(double));
}

static void unpack_cases(parley_sweep_result *r, uint64_t first, uint64_t end,
                         const unsigned char *buf)
{
    size_t n = (size_t)(end - first), row = PARLEY_SWEEP_N_STATS * r->n_issues;
    memcpy(r->done + first, buf, n);
    memcpy(r->status + first, buf + n, n * sizeof(int));
    memcpy(r->stats + first * row, buf + n + n * sizeof(int), n * row * sizeof(double));
}

int cli_dist_sweep_run(const parley_sweep *s, const parley_sweep_opts *opts,
                       parley_sweep_result *r, parley_error *err)
{
    if (!dist.active || dist.size == 1) {
        sync_ready(1);
        return parley_sweep_run(s, opts, 0, r->n_cases, r, err);
    }
    if (!sync_ready(1))
        return not_ready(err);
    /* Cases rank 0 already holds (--resume) are not run again anywhere. */
    MPI_Bcast(r->done, (int)r->n_cases, MPI_BYTE, 0, MPI_COMM_WORLD);
    uint64_t first, end;
    my_range(r->n_cases, &first, &end);
    parley_error my_err;
    parley_error_clear(&my_err);
    int code = parley_sweep_run(s, opts, first, end, r, &my_err);
    size_t payload_len = (size_t)(end - first) * case_bytes(r);
    unsigned char *payload = parley_malloc(payload_len ? payload_len : 1);
    if (!payload)
        MPI_Abort(MPI_COMM_WORLD, 1);
    pack_cases(r, first, end, payload);
    int *offsets = NULL, *lengths = NULL;
    unsigned char *all = NULL;
    int rc = send_to_root(code, &my_err, payload, payload_len, &all, &offsets, &lengths, err);
    parley_free(payload);
    if (dist.rank != 0 || rc) {
        rc = rc ? rc : code;
        goto done;
    }
    for (int k = 0; k < dist.size; k++) {
        int status = message_status(all + offsets[k], lengths[k], k, err);
        if (status != PARLEY_OK && status != PARLEY_ECANCEL) {
            rc = status;
            break;
        }
        if (status == PARLEY_ECANCEL)
            rc = parley_error_set(err, PARLEY_ECANCEL, "cancelled");
        uint64_t their_first = r->n_cases * (uint64_t)k / (uint64_t)dist.size;
        uint64_t their_end = r->n_cases * (uint64_t)(k + 1) / (uint64_t)dist.size;
        if (k > 0)
            unpack_cases(r, their_first, their_end, all + offsets[k] + sizeof(int64_t));
    }
done:
    parley_free(all);
    parley_free(offsets);
    parley_free(lengths);
    return rc;
}
#else
/* ISO C wants a declaration in every translation unit. */
typedef int cli_mpi_dist_unused;
#endif
