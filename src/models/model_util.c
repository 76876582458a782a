/* model_util.c — helpers shared by the one-shot models. */
#include "model_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

void parley_scenario_positions(const parley_scenario *sc, double *out)
{
    for (size_t a = 0; a < sc->n_actors; a++)
        for (size_t i = 0; i < sc->n_issues; i++) {
            const parley_stake *stake = parley_stake_at(sc, a, i);
            out[a * sc->n_issues + i] = stake->present ? stake->position.value : NAN;
        }
}

int parley_model_forecast_each_issue(const parley_scenario *sc,
                                     const parley_run_opts *opts,
                                     parley_result *result, parley_error *err,
                                     parley_issue_fn forecast)
{
    size_t n = sc->n_actors * sc->n_issues;
    if (opts->flags & PARLEY_RUN_HISTORY) {
        double *input = parley_malloc((n ? n : 1) * sizeof *input);
        if (!input)
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        parley_scenario_positions(sc, input);
        int rc = parley_result_push_state(result, input);
        parley_free(input);
        if (rc)
            return parley_error_set(err, rc, "out of memory");
    }
    size_t forecasts = 0;
    for (size_t i = 0; i < sc->n_issues; i++) {
        if (forecast(sc, opts, i, result))
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        if (!isnan(result->forecast[i]))
            forecasts++;
    }
    snprintf(result->stop_reason, sizeof result->stop_reason, "one step");
    if (forecasts == 0 && sc->n_issues > 0) {
        parley_error_at(err, NULL, 0, 0, sc->issues[0].id);
        return parley_error_set(err, PARLEY_EUNDEF, "%s",
                                result->issue_note[0] ? result->issue_note[0]
                                                      : "no forecast");
    }
    if (sc->n_issues == 0)
        return parley_error_set(err, PARLEY_EUNDEF, "the scenario has no issues");
    return PARLEY_OK;
}
