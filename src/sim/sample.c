/* sample.c — drawing a scenario from its spreads (sample.h).
 *
 * A value with sd > 0 is drawn from a normal with mean = its stated value,
 * truncated to the allowed range (positions: the issue's scale; saliences:
 * [0, 1]; capabilities: [PARLEY_MC_MIN_CAPABILITY * value, inf)), by inverse
 * CDF: x = mean + sd * Phi^-1(Phi(a) + u (Phi(b) - Phi(a))).  A value with a
 * range is drawn uniformly from the range intersected with the allowed one.
 * A value with neither gets sd = spread * (width of its scale) when the
 * default spread is > 0, else stays fixed. */
#include "sample.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

#include <Random123/philox.h>

const char *parley_input_kind_name(parley_input_kind kind)
{
    static const char *const names[] = {
#define PARLEY_X_NAME(name, text) text,
        PARLEY_INPUT_KINDS(PARLEY_X_NAME)
#undef PARLEY_X_NAME
    };
    return (size_t)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

char *parley_input_describe(const parley_scenario *sc, const parley_input *in,
                            char *buf, size_t n)
{
    const char *actor = in->actor >= 0 ? sc->actors[in->actor].id : "";
    const char *issue = in->issue >= 0 ? sc->issues[in->issue].id : "";
    switch (in->kind) {
    case PARLEY_INPUT_CAPABILITY:
        snprintf(buf, n, "capability of %s", actor);
        break;
    case PARLEY_INPUT_POSITION:
        snprintf(buf, n, "position of %s on %s", actor, issue);
        break;
    case PARLEY_INPUT_SALIENCE:
        snprintf(buf, n, "salience of %s on %s", actor, issue);
        break;
    case PARLEY_INPUT_STATUS_QUO:
        snprintf(buf, n, "status quo of %s", issue);
        break;
    }
    return buf;
}

/* Acklam's algorithm (P. J. Acklam, "An algorithm for computing the inverse
 * normal cumulative distribution function", 2003): rational approximations
 * in a central region and in the two tails. */
static inline double normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    const double p_low = 0.02425;
    if (!(p > 0))
        return -INFINITY;
    if (!(p < 1))
        return INFINITY;
    if (p < p_low) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - p_low) {
        double q = sqrt(-2 * log1p(-p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double mc_normal_quantile(double p)
{
    return normal_quantile(p);
}

static double normal_cdf(double z)
{
    return 0.5 * erfc(-z / M_SQRT2);
}

/* Fills the draw and the swing ends for one value whose allowed range is
 * [allowed_lo, allowed_hi] and whose default sd is default_sd.  Returns 1 if
 * the value is uncertain (an input), 0 if it stays fixed. */
static int describe_value(const parley_value *v, double allowed_lo, double allowed_hi,
                          double default_sd, mc_draw *draw, parley_input *in)
{
    double sd = 0;
    memset(draw, 0, sizeof *draw);
    in->base = v->value;
    if (v->spread == PARLEY_SPREAD_RANGE) {
        double lo = fmax(v->low, allowed_lo), hi = fmin(v->high, allowed_hi);
        if (!(hi > lo))
            return 0;
        draw->uniform = 1;
        draw->lo = in->low = lo;
        draw->hi = in->high = hi;
        return 1;
    }
    sd = v->spread == PARLEY_SPREAD_SD ? v->sd : default_sd;
    if (!(sd > 0) || !isfinite(sd))
        return 0;
    draw->mean = v->value;
    draw->sd = sd;
    draw->lo = allowed_lo;
    draw->hi = allowed_hi;
    draw->cdf_lo = normal_cdf((allowed_lo - v->value) / sd);
    draw->cdf_span = normal_cdf((allowed_hi - v->value) / sd) - draw->cdf_lo;
    in->low = fmax(v->value - sd, allowed_lo);
    in->high = fmin(v->value + sd, allowed_hi);
    return draw->cdf_span > 0;
}

/* Visits every value of sc in a fixed order: capabilities, then for each
 * issue its status quo and each actor's position and salience. */
static size_t collect(const parley_scenario *sc, double spread, mc_draw *draws,
                      parley_input *inputs)
{
    size_t n = 0;
    mc_draw draw;
    parley_input in;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_value *cap = &sc->actors[a].capability;
        in = (parley_input){PARLEY_INPUT_CAPABILITY, (long)a, -1, 0, 0, 0};
        if (describe_value(cap, PARLEY_MC_MIN_CAPABILITY * cap->value, INFINITY,
                           spread * cap->value, &draw, &in)) {
            if (draws) {
                draws[n] = draw;
                inputs[n] = in;
            }
            n++;
        }
    }
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        double width = issue->high - issue->low;
        if (issue->has_status_quo) {
            in = (parley_input){PARLEY_INPUT_STATUS_QUO, -1, (long)i, 0, 0, 0};
            if (describe_value(&issue->status_quo, issue->low, issue->high,
                               spread * width, &draw, &in)) {
                if (draws) {
                    draws[n] = draw;
                    inputs[n] = in;
                }
                n++;
            }
        }
        for (size_t a = 0; a < sc->n_actors; a++) {
            const parley_stake *stake = parley_stake_at(sc, a, i);
            if (!stake->present)
                continue;
            in = (parley_input){PARLEY_INPUT_POSITION, (long)a, (long)i, 0, 0, 0};
            if (describe_value(&stake->position, issue->low, issue->high, spread * width,
                               &draw, &in)) {
                if (draws) {
                    draws[n] = draw;
                    inputs[n] = in;
                }
                n++;
            }
            in = (parley_input){PARLEY_INPUT_SALIENCE, (long)a, (long)i, 0, 0, 0};
            if (describe_value(&stake->salience, 0, 1, spread, &draw, &in)) {
                if (draws) {
                    draws[n] = draw;
                    inputs[n] = in;
                }
                n++;
            }
        }
    }
    return n;
}

int mc_plan_init(mc_plan *plan, const parley_scenario *sc, double spread)
{
    memset(plan, 0, sizeof *plan);
    size_t n = collect(sc, spread, NULL, NULL);
    plan->draws = parley_calloc(n ? n : 1, sizeof *plan->draws);
    plan->inputs = parley_calloc(n ? n : 1, sizeof *plan->inputs);
    if (!plan->draws || !plan->inputs) {
        mc_plan_free(plan);
        return PARLEY_ENOMEM;
    }
    plan->n_inputs = collect(sc, spread, plan->draws, plan->inputs);
    return PARLEY_OK;
}

void mc_plan_free(mc_plan *plan)
{
    parley_free(plan->draws);
    parley_free(plan->inputs);
    memset(plan, 0, sizeof *plan);
}

static inline double quantile(const mc_draw *draw, double u)
{
    double x;
    if (draw->uniform)
        x = draw->lo + u * (draw->hi - draw->lo);
    else
        x = draw->mean + draw->sd * normal_quantile(draw->cdf_lo + u * draw->cdf_span);
    /* Rounding (or a quantile of 0 or 1) must not leave the allowed range. */
    return x < draw->lo ? draw->lo : x > draw->hi ? draw->hi : x;
}

double mc_plan_quantile(const mc_plan *plan, size_t j, double u)
{
    return quantile(&plan->draws[j], u);
}

/* 32 bits per input are plenty for perturbing an input and make one Philox
 * block serve four inputs; the half step keeps u in (0, 1). */
static inline double word_to_uniform(uint32_t word)
{
    return ((double)word + 0.5) * 0x1.0p-32;
}

void mc_plan_draw(const mc_plan *plan, parley_rng *rng, double *values)
{
    for (size_t j = 0; j < plan->n_inputs; j++)
        values[j] = quantile(&plan->draws[j], word_to_uniform(parley_rng_u32(rng)));
}

int mc_plan_targets(const mc_plan *plan, parley_scenario *sc, double **targets)
{
    for (size_t j = 0; j < plan->n_inputs; j++) {
        const parley_input *in = &plan->inputs[j];
        switch (in->kind) {
        case PARLEY_INPUT_CAPABILITY:
            targets[j] = &sc->actors[in->actor].capability.value;
            break;
        case PARLEY_INPUT_POSITION:
            targets[j] = &parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->position.value;
            break;
        case PARLEY_INPUT_SALIENCE:
            targets[j] = &parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->salience.value;
            break;
        case PARLEY_INPUT_STATUS_QUO:
            targets[j] = &sc->issues[in->issue].status_quo.value;
            break;
        }
    }
    return PARLEY_OK;
}

void mc_plan_draw_into(const mc_plan *plan, uint64_t seed, uint64_t stream,
                       double *const *targets)
{
    /* The words of parley_rng's stream (seed, stream) in order (rng.h's
     * layout), with the Philox call inlined: this loop is most of the cost
     * of a Monte Carlo sample for the cheap models. */
    philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    philox4x32_ctr_t counter = {{0, 0, (uint32_t)stream, (uint32_t)(stream >> 32)}};
    size_t n = plan->n_inputs;
    for (size_t j = 0; j < n; j += 4) {
        philox4x32_ctr_t words = philox4x32(counter, key);
        counter.v[0]++;
        size_t end = j + 4 < n ? j + 4 : n;
        for (size_t k = j; k < end; k++)
            *targets[k] = quantile(&plan->draws[k], word_to_uniform(words.v[k - j]));
    }
}

void mc_plan_set(const mc_plan *plan, size_t j, parley_scenario *sc, double value)
{
    const parley_input *in = &plan->inputs[j];
    switch (in->kind) {
    case PARLEY_INPUT_CAPABILITY:
        sc->actors[in->actor].capability.value = value;
        break;
    case PARLEY_INPUT_POSITION:
        parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->position.value = value;
        break;
    case PARLEY_INPUT_SALIENCE:
        parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->salience.value = value;
        break;
    case PARLEY_INPUT_STATUS_QUO:
        sc->issues[in->issue].status_quo.value = value;
        break;
    }
}

int parley_scenario_has_spread(const parley_scenario *sc)
{
    return collect(sc, 0, NULL, NULL) > 0;
}
