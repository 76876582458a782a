/* runs_sweeps.c — the sweeps that `parley runs list` shows after the runs
 * (store_opts.h).  Sweeps have their own ids; `parley sweep --resume ID`
 * and `parley report --sweep ID` take them. */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"

#define LINE_BYTES 256

int cli_store_sweeps_text(const char *command, parley_store *store, char **text)
{
    *text = NULL;
    parley_sweep_info *infos = NULL;
    size_t n = 0;
    parley_error err;
    parley_error_clear(&err);
    if (parley_store_sweep_list(store, &infos, &n, &err) != PARLEY_OK)
        return cli_report_error(command, &err);
    size_t cap = (n + 3) * LINE_BYTES;
    char *out = parley_malloc(cap);
    if (!out) {
        parley_free(infos);
        fprintf(stderr, "parley %s: out of memory\n", command);
        return CLI_FAILURE;
    }
    size_t used = 0;
    int unfinished = 0;
    out[0] = '\0';
    if (n)
        used += (size_t)snprintf(out, cap, "\n%5s  %-19s  %-11s  %-20s  %-8s  %8s  %11s  %s\n",
                                 "SWEEP", "STARTED (UTC)", "MODEL", "SCENARIO", "SHA-256",
                                 "SAMPLES", "CASES", "VARY");
    for (size_t k = 0; k < n && used < cap; k++) {
        const parley_sweep_info *w = &infos[k];
        char cases[48];
        unfinished |= !w->finished[0];
        snprintf(cases, sizeof cases, "%" PRIu64 "/%" PRIu64 "%s", w->n_stored, w->n_cases,
                 w->finished[0] ? "" : "*");
        used += (size_t)snprintf(out + used, cap - used,
                                 "%5" PRId64 "  %-19.19s  %-11.11s  %-20.20s  %-8.8s  %8" PRIu64
                                 "  %11s  %.100s\n",
                                 w->id, w->started, w->model, w->scenario_id, w->sha256,
                                 w->samples, cases, w->vary);
    }
    if (unfinished && used < cap)
        snprintf(out + used, cap - used,
                 "(* unfinished: `parley sweep --resume ID` runs the rest)\n");
    parley_free(infos);
    *text = out;
    return CLI_CONTINUE;
}
