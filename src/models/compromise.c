/* compromise.c — the compromise model: the capability-and-salience weighted
 * mean of the positions.
 *
 * Thomson, Stokman, Achen & König, The European Union Decides (2006), ch. 6;
 * Achen derives it as an approximation of the Nash bargaining solution.  It
 * is the benchmark in studies of EU decision making (MODELS.md section 1):
 *
 *     O = sum_i w_i x_i / sum_i w_i,   w_i = c_i s_i                (1)
 *
 * over the actors with a stake in the issue. */
#include "parley/model.h"
#include "model_util.h"

static const parley_param params[] = {{NULL}};
static const parley_event_kind events[] = {{NULL}};

static int forecast_issue(const parley_scenario *sc, const parley_run_opts *opts,
                          size_t issue, parley_result *result)
{
    (void)opts;
    double weighted_sum = 0, weight_total = 0;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_stake *stake = parley_stake_at(sc, a, issue);
        if (!stake->present)
            continue;
        double weight = sc->actors[a].capability.value * stake->salience.value;
        weighted_sum += weight * stake->position.value;
        weight_total += weight;
    }
    if (!(weight_total > 0))
        return parley_result_set_issue_note(result, issue,
                                            "no actor with a stake and a salience above 0");
    result->forecast[issue] = weighted_sum / weight_total; /* (1) */
    return PARLEY_OK;
}

static int run(const parley_scenario *sc, const parley_run_opts *opts,
               parley_result *result, parley_error *err)
{
    return parley_model_forecast_each_issue(sc, opts, result, err, forecast_issue);
}

const parley_model parley_model_compromise = {
    .name = "compromise",
    .summary = "weighted mean of positions (capability x salience)",
    .reference = "Thomson, Stokman, Achen & Koenig (2006), The European Union Decides",
    .params = params,
    .events = events,
    .iterative = 0,
    .run = run,
    .describe = NULL,
};
