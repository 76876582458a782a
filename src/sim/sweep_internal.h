/* sweep_internal.h — the layout of a sweep (private to src/sim/sweep*.c). */
#ifndef PARLEY_SIM_SWEEP_INTERNAL_H
#define PARLEY_SIM_SWEEP_INTERNAL_H

#include "parley/sweep.h"

struct parley_sweep {
    const parley_scenario *scenario;  /* borrowed */
    const parley_model *model;        /* borrowed */
    parley_run_opts run;              /* the parameters every case starts from */
    size_t n_axes;
    parley_sweep_axis *axes;
};

#endif
