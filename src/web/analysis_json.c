/* analysis_json.c — Monte Carlo summaries and sensitivity as JSON for the
 * page: what it draws (histograms, event probabilities, tornado bars), not
 * the full fine histogram. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "parley/alloc.h"
#include "parley/montecarlo.h"
#include "parley/sensitivity.h"
#include "report/json_util.h"
#include "web/web_internal.h"

#define WEB_MC_BINS 50  /* divides PARLEY_MC_BINS */
#define WEB_TORNADO_BARS 12

static json_t *mc_issue(const parley_scenario *sc, const parley_mc_result *r, size_t i)
{
    static const double qs[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    static const char *const qnames[] = {"p05", "p25", "p50", "p75", "p95"};
    const parley_mc_issue *is = &r->issues[i];
    json_t *o = json_object();
    rj_set(o, "issue", json_string(sc->issues[i].id));
    rj_set(o, "count", rj_u64(is->count));
    rj_set(o, "undefined", rj_u64(is->undefined));
    rj_set(o, "mean", rj_number(is->count ? is->mean : NAN));
    rj_set(o, "sd", rj_number(is->count > 1 ? is->sd : NAN));
    rj_set(o, "min", rj_number(is->count ? is->min : NAN));
    rj_set(o, "max", rj_number(is->count ? is->max : NAN));
    json_t *quantiles = json_object();
    for (size_t q = 0; q < sizeof qs / sizeof qs[0]; q++)
        rj_set(quantiles, qnames[q], rj_number(parley_mc_quantile(r, i, qs[q])));
    rj_set(o, "quantiles", quantiles);
    uint64_t counts[WEB_MC_BINS];
    parley_mc_histogram(r, i, WEB_MC_BINS, counts);
    json_t *bins = json_array();
    for (size_t b = 0; b < WEB_MC_BINS; b++)
        json_array_append_new(bins, rj_u64(counts[b]));
    rj_set(o, "histogram", json_pack("{s:f, s:f, s:o}", "low", is->low, "high", is->high,
                                     "counts", bins));
    return o;
}

json_t *web_mc_json(const parley_scenario *sc, const parley_mc_result *r,
                    const char *const *event_texts)
{
    json_t *issues = json_array(), *events = json_array();
    for (size_t i = 0; i < r->n_issues; i++)
        json_array_append_new(issues, mc_issue(sc, r, i));
    for (size_t e = 0; e < r->n_events; e++)
        json_array_append_new(events, json_pack("{s:s, s:I, s:o, s:o}", "text",
                                                event_texts[e], "count",
                                                (json_int_t)r->events[e].count, "probability",
                                                rj_number(r->events[e].probability),
                                                "std_error", rj_number(r->events[e].std_error)));
    return json_pack("{s:o, s:o, s:o, s:o, s:f, s:b, s:o, s:o}", "samples", rj_u64(r->samples),
                     "done", rj_u64(r->done), "failed", rj_u64(r->failed), "seed",
                     rj_u64(r->seed), "spread", r->spread, "cancelled", r->cancelled,
                     "issues", issues, "events", events);
}

static json_t *tornado(const parley_scenario *sc, const parley_sensitivity *s, size_t i,
                       size_t *order)
{
    parley_sensitivity_rank(s, i, order);
    json_t *bars = json_array();
    for (size_t k = 0; k < s->n_inputs && k < WEB_TORNADO_BARS; k++) {
        size_t in = order[k];
        char what[256];
        parley_input_describe(sc, &s->inputs[in], what, sizeof what);
        size_t at = in * s->n_issues + i;
        json_t *bar = json_pack("{s:s, s:s, s:f, s:f, s:f, s:o, s:o, s:f}", "input", what,
                                "kind", parley_input_kind_name(s->inputs[in].kind), "base",
                                s->inputs[in].base, "low", s->inputs[in].low, "high",
                                s->inputs[in].high, "at_low", rj_number(s->at_low[at]),
                                "at_high", rj_number(s->at_high[at]), "swing",
                                parley_sensitivity_swing(s, in, i));
        if (bar && s->first_order)
            rj_set(bar, "first_order", rj_number(s->first_order[at]));
        json_array_append_new(bars, bar);
    }
    return json_pack("{s:s, s:o, s:o}", "issue", sc->issues[i].id, "base",
                     rj_number(s->base[i]), "inputs", bars);
}

json_t *web_sensitivity_json(const parley_scenario *sc, const parley_sensitivity *s)
{
    size_t *order = parley_calloc(s->n_inputs ? s->n_inputs : 1, sizeof *order);
    if (!order)
        return NULL;
    json_t *issues = json_array();
    for (size_t i = 0; i < s->n_issues; i++)
        json_array_append_new(issues, tornado(sc, s, i, order));
    parley_free(order);
    return json_pack("{s:I, s:o, s:o}", "n_inputs", (json_int_t)s->n_inputs, "samples",
                     rj_u64(s->samples), "issues", issues);
}
