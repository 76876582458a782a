/* nash.c — the asymmetric Nash bargaining solution with a reference point.
 *
 * Nash, "The bargaining problem", Econometrica 18 (1950); the asymmetric form
 * with weights as in Achen, "Evaluating political decision-making models", in
 * Thomson et al., The European Union Decides (2006).  MODELS.md section 3:
 *
 *   maximise  N(x) = sum_i w_i ln(u_i(x) - u_i(d)),   w_i = c_i s_i      (1)
 *   over the x with u_i(x) > u_i(d) for every actor i with w_i > 0,      (2)
 *   u_i(x) = -|x - x_i|  (loss = linear)  or  -(x - x_i)^2  (quadratic). (3)
 *
 * With either loss, u_i(x) > u_i(d) exactly when |x - x_i| < |d - x_i|, so
 * the set (2) is the intersection of the open intervals centred on each x_i
 * that reach d: it is empty unless every weighted actor stands strictly on
 * the same side of d, and then it is (d, min_i 2 x_i - d) (or the mirror).
 * N is concave on that interval (a sum of logs of concave positive
 * functions), so its maximum is where its derivative changes sign; the
 * derivative is decreasing, which bisection finds to machine precision.
 * Where (2) is empty the forecast is d, and the result says so.
 *
 * Actors with zero salience carry no weight: they neither bargain nor
 * constrain the set (2). */
#include <math.h>

#include "parley/alloc.h"
#include "parley/model.h"
#include "model_util.h"

static const char *const loss_names[] = {"linear", "quadratic", NULL};
enum { LOSS_LINEAR, LOSS_QUADRATIC };

static const parley_param params[] = {
    {"loss", "utility loss with distance: linear |x - x_i| or quadratic (x - x_i)^2",
     PARLEY_PARAM_CHOICE, LOSS_LINEAR, 0, 1, loss_names},
    {NULL},
};
static const parley_event_kind events[] = {{NULL}};

typedef struct bargainer {
    double position, weight;
} bargainer;

/* dN/dx at x (1), with a subgradient at a kink of the linear loss. */
static double slope(const bargainer *b, size_t n, double reference, double x, int loss)
{
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        double offset = x - b[k].position;
        double at_reference = reference - b[k].position;
        if (loss == LOSS_QUADRATIC) {
            double gain = at_reference * at_reference - offset * offset;
            total += b[k].weight * (-2.0 * offset) / gain;
        } else {
            double gain = fabs(at_reference) - fabs(offset);
            double direction = offset > 0 ? -1.0 : offset < 0 ? 1.0 : 0.0;
            total += b[k].weight * direction / gain;
        }
    }
    return total;
}

/* The maximiser of (1) on the open interval (lo, hi), by bisection on the
 * sign of the decreasing derivative. */
static double maximise(const bargainer *b, size_t n, double reference, double lo,
                       double hi, int loss)
{
    for (int step = 0; step < 200; step++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (slope(b, n, reference, mid, loss) > 0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static int forecast_issue(const parley_scenario *sc, const parley_run_opts *opts,
                          size_t issue, parley_result *result)
{
    int loss = (int)opts->param[0];
    const parley_issue *is = &sc->issues[issue];
    if (!is->has_status_quo)
        return parley_result_set_issue_note(
            result, issue,
            "issue \"%s\" has no status quo: Nash bargaining needs a reference point", is->id);
    double reference = is->status_quo.value;
    bargainer stack[64];
    bargainer *b = stack;
    size_t n = 0, above = 0, below = 0;
    double upper = INFINITY, lower = -INFINITY; /* bounds of the set (2) */
    if (sc->n_actors > 64 && !(b = parley_malloc(sc->n_actors * sizeof *b)))
        return PARLEY_ENOMEM;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_stake *stake = parley_stake_at(sc, a, issue);
        double weight = sc->actors[a].capability.value * stake->salience.value;
        if (!stake->present || !(weight > 0))
            continue;
        double x = stake->position.value;
        b[n].position = x;
        b[n].weight = weight;
        n++;
        if (x > reference) {
            above++;
            upper = fmin(upper, 2 * x - reference);
        } else if (x < reference) {
            below++;
            lower = fmax(lower, 2 * x - reference);
        }
    }
    int rc = PARLEY_OK;
    if (n == 0) {
        rc = parley_result_set_issue_note(result, issue,
                                          "no actor with a stake and a salience above 0");
    } else if (above == n) {
        result->forecast[issue] = maximise(b, n, reference, reference, upper, loss);
    } else if (below == n) {
        result->forecast[issue] = maximise(b, n, reference, lower, reference, loss);
    } else {
        result->forecast[issue] = reference;
        rc = parley_result_set_issue_note(
            result, issue,
            "no outcome leaves every actor better off than the status quo %g: the "
            "forecast is the status quo",
            reference);
    }
    if (b != stack)
        parley_free(b);
    return rc;
}

static int run(const parley_scenario *sc, const parley_run_opts *opts,
               parley_result *result, parley_error *err)
{
    return parley_model_forecast_each_issue(sc, opts, result, err, forecast_issue);
}

const parley_model parley_model_nash = {
    .name = "nash",
    .summary = "asymmetric Nash bargaining solution against the status quo",
    .reference = "Nash (1950); Achen (2006) in Thomson et al., The European Union Decides",
    .params = params,
    .events = events,
    .iterative = 0,
    .run = run,
    .describe = NULL,
};
