/* dist.c — the single-process side of dist.h; mpi_dist.c is the MPI side. */
#ifndef PARLEY_MPI
#include "cli/dist.h"

void cli_dist_begin(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
}

int cli_dist_end(int code)
{
    return code;
}

int cli_dist_rank(void)
{
    return 0;
}

int cli_dist_size(void)
{
    return 1;
}

int cli_dist_mc_run(const parley_model *m, const parley_scenario *sc,
                    const parley_mc_opts *opts, parley_mc_result **out, parley_error *err)
{
    return parley_mc_run(m, sc, opts, out, err);
}

int cli_dist_sweep_run(const parley_sweep *s, const parley_sweep_opts *opts,
                       parley_sweep_result *r, parley_error *err)
{
    return parley_sweep_run(s, opts, 0, r->n_cases, r, err);
}
#else
/* ISO C wants a declaration in every translation unit. */
typedef int cli_dist_single_process_unused;
#endif
