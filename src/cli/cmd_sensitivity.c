/* cmd_sensitivity.c — `parley sensitivity`: which inputs move each issue's
 * forecast most (parley/sensitivity.h): a tornado table of one-at-a-time
 * swings and, with --samples, first-order variance-based indices. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/dist.h"
#include "parley/alloc.h"
#include "parley/sensitivity.h"


static const cli_usage usage = {
    "sensitivity", "[SCENARIO]",
    "Shows which inputs move each issue's forecast most: each uncertain input swung alone\n"
    "over its stated range (a tornado table, largest first) and, with --samples, the\n"
    "first-order variance-based (Sobol') index of each input.",
    "An input's range is its stated [low, high], or value -/+ sd clipped to the allowed\n"
    "range.  Values that state no spread are fixed unless --spread F gives them an sd of\n"
    "F times their scale (default: 0.1 when the scenario states no spread at all).\n"
    "The indices (Saltelli et al. 2010) take N x (inputs + 2) model runs.",
};

static int parse_number(const char *option, const char *text, double min, double *out)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (!*text || *end || errno || !(value >= min) || !isfinite(value))
        return cli_usage_error("sensitivity", "%s: expected a number >= %g, got \"%s\"", option,
                               min, text);
    *out = value;
    return CLI_CONTINUE;
}

static void print_json(const parley_scenario *sc, const parley_model *m,
                       const parley_sensitivity *s, size_t *order)
{
    char name[512];
    printf("{\"scenario\": ");
    cli_print_json_string(stdout, sc->id);
    printf(", \"model\": ");
    cli_print_json_string(stdout, m->name);
    printf(", \"samples\": %" PRIu64 ", \"issues\": [", s->samples);
    for (size_t i = 0; i < s->n_issues; i++) {
        printf("%s\n  {\"id\": ", i ? "," : "");
        cli_print_json_string(stdout, sc->issues[i].id);
        printf(", \"forecast\": ");
        cli_print_json_number(stdout, s->base[i]);
        printf(", \"variance\": ");
        cli_print_json_number(stdout, s->variance ? s->variance[i] : NAN);
        printf(", \"inputs\": [");
        parley_sensitivity_rank(s, i, order);
        for (size_t r = 0; r < s->n_inputs; r++) {
            size_t k = order[r];
            const parley_input *in = &s->inputs[k];
            printf("%s\n   {\"input\": ", r ? "," : "");
            cli_print_json_string(stdout, parley_input_describe(sc, in, name, sizeof name));
            printf(", \"kind\": \"%s\", \"actor\": ", parley_input_kind_name(in->kind));
            if (in->actor >= 0)
                cli_print_json_string(stdout, sc->actors[in->actor].id);
            else
                printf("null");
            printf(", \"low\": ");
            cli_print_json_number(stdout, in->low);
            printf(", \"high\": ");
            cli_print_json_number(stdout, in->high);
            printf(", \"forecast_at_low\": ");
            cli_print_json_number(stdout, s->at_low[k * s->n_issues + i]);
            printf(", \"forecast_at_high\": ");
            cli_print_json_number(stdout, s->at_high[k * s->n_issues + i]);
            printf(", \"swing\": ");
            cli_print_json_number(stdout, parley_sensitivity_swing(s, k, i));
            printf(", \"first_order\": ");
            cli_print_json_number(stdout,
                                  s->first_order ? s->first_order[k * s->n_issues + i] : NAN);
            printf("}");
        }
        printf("]}");
    }
    printf("]}\n");
}

static void print_text(const parley_scenario *sc, const parley_model *m,
                       const parley_sensitivity *s, size_t *order, size_t top)
{
    char name[512];
    printf("Sensitivity: %s, model %s, %zu uncertain inputs", sc->id, m->name, s->n_inputs);
    if (s->samples)
        printf(", first-order indices from %" PRIu64 " samples", s->samples);
    printf("\n");
    for (size_t i = 0; i < s->n_issues; i++) {
        printf("\n%s (forecast %.4g)\n", sc->issues[i].id, s->base[i]);
        printf("  %-60s %9s %9s %9s%s\n", "input (low .. high)", "at low", "at high", "swing",
               s->first_order ? "  first-order" : "");
        parley_sensitivity_rank(s, i, order);
        for (size_t r = 0; r < s->n_inputs && r < top; r++) {
            size_t k = order[r];
            const parley_input *in = &s->inputs[k];
            char label[600];
            snprintf(label, sizeof label, "%s (%.3g .. %.3g)",
                     parley_input_describe(sc, in, name, sizeof name), in->low, in->high);
            double swing = parley_sensitivity_swing(s, k, i);
            printf("  %-60.60s %9.4g %9.4g %9.4g", label, s->at_low[k * s->n_issues + i],
                   s->at_high[k * s->n_issues + i], swing);
            if (s->first_order)
                printf("  %11.3f", s->first_order[k * s->n_issues + i]);
            printf("\n");
        }
        if (s->n_inputs > top)
            printf("  (%zu more inputs; --top N shows more)\n", s->n_inputs - top);
    }
}

static int sensitivity_main(int argc, char **argv)
{
    const char *model_name = NULL, *samples = NULL, *seed = NULL, *threads = NULL,
               *spread = NULL, *top_text = NULL, *format = NULL;
    cli_list params = {0};
    int json = 0;
    const cli_option options[] = {
        {"model", 'm', "M", "the model to run (default: the first in `parley models`)",
         CLI_STRING, &model_name},
        {"param", 'p', "NAME=VALUE", "set a model parameter (repeatable)", CLI_LIST, &params},
        {"samples", 'n', "N", "also estimate first-order indices from N samples", CLI_STRING,
         &samples},
        {"seed", 's', "S", "random seed (default 0)", CLI_STRING, &seed},
        {"threads", 't', "T", "worker threads (default: one per core)", CLI_STRING, &threads},
        {"spread", 0, "F", "sd as a fraction of each scale for values stating none",
         CLI_STRING, &spread},
        {"top", 0, "N", "inputs shown per issue (default 10; JSON shows all)", CLI_STRING,
         &top_text},
        {"json", 'j', NULL, "print JSON", CLI_FLAG, &json},
        {"format", 'f', "F", "input format (default auto)", CLI_STRING, &format},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first > 1)
        return cli_usage_error("sensitivity", "expected at most one SCENARIO");
    parley_sensitivity_opts opts;
    parley_sensitivity_opts_init(&opts);
    double value = 0, top = 10;
    const parley_model *model = NULL;
    if ((rc = cli_find_model("sensitivity", model_name, &model)) != CLI_CONTINUE)
        return rc;
    if (samples) {
        if ((rc = parse_number("--samples", samples, 1, &value)) != CLI_CONTINUE)
            return rc;
        opts.samples = (uint64_t)value;
    }
    if (seed) {
        if ((rc = parse_number("--seed", seed, 0, &value)) != CLI_CONTINUE)
            return rc;
        opts.seed = (uint64_t)value;
    }
    if (threads) {
        if ((rc = parse_number("--threads", threads, 1, &value)) != CLI_CONTINUE)
            return rc;
        opts.threads = value > 4096 ? 4096 : (int)value;
    }
    if (spread && (rc = cli_parse_spread("sensitivity", spread, &opts.spread)) != CLI_CONTINUE)
        return rc;
    if (top_text && (rc = parse_number("--top", top_text, 1, &top)) != CLI_CONTINUE)
        return rc;
    parley_format fmt;
    if ((rc = cli_parse_format("sensitivity", format, &fmt)) != CLI_CONTINUE)
        return rc;
    parley_run_opts run_opts;
    parley_run_opts_init(&run_opts, model);
    for (size_t k = 0; k < params.n; k++) {
        parley_error err;
        parley_error_clear(&err);
        if (parley_run_opts_set(&run_opts, model, params.items[k], &err))
            return cli_usage_error("sensitivity", "--param: %s", err.message);
    }
    opts.run = &run_opts;
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    rc = cli_load_scenarios("sensitivity", first < argc ? argv[first] : NULL, fmt, &scenarios,
                            &count);
    if (rc != CLI_CONTINUE)
        return rc;
    parley_sensitivity *s = NULL;
    size_t *order = NULL;
    if (count != 1) {
        rc = cli_usage_error("sensitivity", "the input holds %zu scenarios; give one", count);
        goto done;
    }
    parley_scenario *sc = scenarios[0];
    if (!spread && !parley_scenario_has_spread(sc))
        opts.spread = PARLEY_MC_DEFAULT_SPREAD;
    parley_error err;
    parley_error_clear(&err);
    if (parley_sensitivity_run(model, sc, &opts, &s, &err)) {
        rc = cli_report_error("sensitivity", &err);
        goto done;
    }
    order = parley_calloc(s->n_inputs ? s->n_inputs : 1, sizeof *order);
    if (!order) {
        fprintf(stderr, "parley sensitivity: out of memory\n");
        rc = CLI_FAILURE;
        goto done;
    }
    if (json)
        print_json(sc, model, s, order);
    else
        print_text(sc, model, s, order, (size_t)top);
    rc = cli_finish("sensitivity");
done:
    parley_free(order);
    parley_sensitivity_free(s);
    parley_scenarios_free(scenarios, count);
    return rc;
}

/* Not split across MPI ranks yet (docs/cluster.md): under mpirun rank 0
 * does the whole analysis and the other ranks wait, so it prints once. */
int cmd_sensitivity(int argc, char **argv)
{
    cli_dist_begin(&argc, &argv);
    int rc = cli_dist_rank() == 0 ? sensitivity_main(argc, argv) : CLI_OK;
    return cli_dist_end(rc);
}
