/* dist.h — running mc and sweep across MPI ranks (private to src/cli).
 *
 * Without PARLEY_MPI these are the single-process calls: rank 0 of 1.  With
 * it, every rank runs the same command line; blocks (mc) or cases (sweep)
 * are cut into one contiguous range per rank, each rank runs its range with
 * OpenMP, and rank 0 gathers the partial summaries and merges them by block
 * or case slot, so the result is bit-identical to one process for any
 * number of ranks.  Only rank 0 prints and writes the store: the other
 * ranks' stdout and stderr go to /dev/null, and their errors travel to rank
 * 0 with their partials.
 *
 * Every command that calls cli_dist_begin must leave through cli_dist_end
 * exactly once, on every rank: ranks that fail before the distributed step
 * tell the others so in the same collective call, so none waits forever. */
#ifndef PARLEY_CLI_DIST_H
#define PARLEY_CLI_DIST_H

#include "parley/montecarlo.h"
#include "parley/sweep.h"

/* Joins the MPI job (MPI_Init) when there is one; silences ranks > 0. */
void cli_dist_begin(int *argc, char ***argv);
/* Leaves it (MPI_Finalize); returns code, or 1 when another rank failed. */
int cli_dist_end(int code);
int cli_dist_rank(void);
int cli_dist_size(void);

/* parley_mc_run across the ranks.  On rank 0, as parley_mc_run; on other
 * ranks *out stays NULL and the return is PARLEY_OK when their part went
 * well (they print and store nothing). */
int cli_dist_mc_run(const parley_model *m, const parley_scenario *sc,
                    const parley_mc_opts *opts, parley_mc_result **out, parley_error *err);

/* parley_sweep_run over every case across the ranks; r gets every case on
 * rank 0 (cases r already holds are not run again). */
int cli_dist_sweep_run(const parley_sweep *s, const parley_sweep_opts *opts,
                       parley_sweep_result *r, parley_error *err);

#endif
