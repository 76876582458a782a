/* median.c — the weighted median (Black's median voter).
 *
 * Black, "On the rationale of group decision-making", J. Political Economy
 * 56 (1948); as a forecasting model in Bueno de Mesquita & Stokman (eds.),
 * European Community Decision Making (1994).  MODELS.md section 2:
 *
 *   sort the actors by position; the forecast is the first position at which
 *   the cumulative weight w_i = c_i s_i reaches half of sum w.          (1)
 *
 * Ties: when the cumulative weight reaches exactly half at a position, that
 * (lower) position is the forecast — the lower median.  The median beats
 * every other position in the pairwise vote v_jk = sum_i w_i (|x_i - x_k| -
 * |x_i - x_j|) (2), which the tests check. */
#include <stdlib.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "model_util.h"

static const parley_param params[] = {{NULL}};
static const parley_event_kind events[] = {{NULL}};

typedef struct weighted_position {
    double position;
    double weight;
} weighted_position;

static int by_position(const void *a, const void *b)
{
    double x = ((const weighted_position *)a)->position;
    double y = ((const weighted_position *)b)->position;
    return (x > y) - (x < y);
}

static int forecast_issue(const parley_scenario *sc, const parley_run_opts *opts,
                          size_t issue, parley_result *result)
{
    (void)opts;
    weighted_position *voters = parley_malloc((sc->n_actors ? sc->n_actors : 1) *
                                              sizeof *voters);
    if (!voters)
        return PARLEY_ENOMEM;
    size_t n = 0;
    double weight_total = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_stake *stake = parley_stake_at(sc, a, issue);
        double weight = sc->actors[a].capability.value * stake->salience.value;
        if (!stake->present || !(weight > 0))
            continue;
        voters[n].position = stake->position.value;
        voters[n].weight = weight;
        weight_total += weight;
        n++;
    }
    int rc = PARLEY_OK;
    if (n == 0) {
        rc = parley_result_set_issue_note(result, issue,
                                          "no actor with a stake and a salience above 0");
    } else {
        qsort(voters, n, sizeof *voters, by_position);
        double cumulative = 0;
        size_t k = 0;
        /* (1): the first position where the running weight reaches half. */
        for (; k < n; k++) {
            cumulative += voters[k].weight;
            if (cumulative >= 0.5 * weight_total)
                break;
        }
        result->forecast[issue] = voters[k < n ? k : n - 1].position;
    }
    parley_free(voters);
    return rc;
}

static int run(const parley_scenario *sc, const parley_run_opts *opts,
               parley_result *result, parley_error *err)
{
    return parley_model_forecast_each_issue(sc, opts, result, err, forecast_issue);
}

const parley_model parley_model_median = {
    .name = "median",
    .summary = "weighted median position (lower median on ties)",
    .reference = "Black (1948); Bueno de Mesquita & Stokman (1994)",
    .params = params,
    .events = events,
    .iterative = 0,
    .run = run,
    .describe = NULL,
};
