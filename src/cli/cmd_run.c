/* cmd_run.c — `parley run`: models on a scenario, as a table, trace or JSON.
 * `parley` with no argument is `parley run` on the built-in scenario. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/store_opts.h"
#include "parley/alloc.h"
#include "parley/model.h"
#include "parley/report.h"

typedef struct run_args {
    cli_list models, params;
    int all, trace, json, no_store;
    const char *rounds, *seed, *format, *output, *db;
} run_args;

static const cli_usage usage = {
    "run", "[SCENARIO]",
    "Runs bargaining models on a scenario (default: the built-in ukraine-2014) and prints\n"
    "each issue with every model's forecast.",
    "SCENARIO is a file in any format parley reads (see --format), or - for standard input.\n"
    "Without --model every registered model runs; see `parley models` for their names and\n"
    "parameters.  --rounds applies to each selected model that has a `rounds` parameter.",
};

/* "rounds=N" on every selected model that has it; a model named with --model
 * that has none is an error, and so is no model having it. */
static int apply_rounds(const char *rounds, const parley_model **models, size_t n,
                        parley_run_opts *opts, int explicit_models)
{
    char assignment[64];
    snprintf(assignment, sizeof assignment, "rounds=%s", rounds);
    size_t applied = 0;
    for (size_t k = 0; k < n; k++) {
        if (parley_model_find_param(models[k], "rounds") < 0) {
            if (explicit_models)
                return cli_usage_error("run", "--rounds: model %s has no rounds parameter",
                                       models[k]->name);
            continue;
        }
        parley_error err;
        parley_error_clear(&err);
        if (parley_run_opts_set(&opts[k], models[k], assignment, &err))
            return cli_usage_error("run", "--rounds: %s", err.message);
        applied++;
    }
    if (applied == 0)
        return cli_usage_error("run", "--rounds: none of the models run has a rounds "
                                      "parameter");
    return CLI_CONTINUE;
}

static int apply_params(const cli_list *params, const parley_model *model,
                        parley_run_opts *opts)
{
    for (size_t k = 0; k < params->n; k++) {
        const char *eq = strchr(params->items[k], '=');
        char name[64];
        size_t len = eq ? (size_t)(eq - params->items[k]) : 0;
        if (eq && len < sizeof name) {
            memcpy(name, params->items[k], len);
            name[len] = '\0';
            if (parley_model_find_param(model, name) < 0) {
                char list[512] = "";
                size_t used = 0;
                for (size_t p = 0; model->params[p].name && used < sizeof list; p++) {
                    int w = snprintf(list + used, sizeof list - used, "%s%s", p ? ", " : "",
                                     model->params[p].name);
                    if (w > 0)
                        used += (size_t)w;
                }
                if (used == 0)
                    return cli_usage_error("run", "--param %s: model %s has no parameters",
                                           params->items[k], model->name);
                return cli_usage_error("run",
                                       "--param %s: model %s has no parameter \"%s\" "
                                       "(its parameters: %s)",
                                       params->items[k], model->name, name, list);
            }
        }
        parley_error err;
        parley_error_clear(&err);
        if (parley_run_opts_set(opts, model, params->items[k], &err))
            return cli_usage_error("run", "--param: %s", err.message);
    }
    return CLI_CONTINUE;
}

static int parse_seed(const char *text, uint64_t *seed)
{
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 0);
    if (!*text || *end || errno || text[0] == '-')
        return cli_usage_error("run", "--seed: expected a whole number >= 0, got \"%s\"",
                               text);
    *seed = (uint64_t)value;
    return CLI_CONTINUE;
}

static int select_models(const run_args *args, const parley_model **models, size_t *n)
{
    *n = 0;
    if (args->models.n == 0 || args->all) {
        for (const parley_model *const *m = parley_models(); *m; m++)
            models[(*n)++] = *m;
        return CLI_CONTINUE;
    }
    for (size_t k = 0; k < args->models.n; k++) {
        const parley_model *m = NULL;
        int rc = cli_find_model("run", args->models.items[k], &m);
        if (rc != CLI_CONTINUE)
            return rc;
        int seen = 0;
        for (size_t j = 0; j < *n; j++)
            seen |= models[j] == m;
        if (!seen)
            models[(*n)++] = m;
    }
    return CLI_CONTINUE;
}

/* Builds the text (table, rounds, trace) or the JSON of the runs. */
static int render(const parley_scenario *sc, const parley_report_run *runs, size_t n,
                  const run_args *args, int hints, char **out)
{
    parley_error err;
    parley_error_clear(&err);
    if (args->json)
        return parley_report_runs_json(sc, runs, n, out, &err) ? CLI_FAILURE : CLI_CONTINUE;
    char *table = NULL;
    if (parley_report_table(sc, runs, n, &table, &err))
        return CLI_FAILURE;
    size_t cap = strlen(table) + 1024;
    size_t used = 0;
    char *text = parley_malloc(cap);
    int rc = text ? CLI_CONTINUE : CLI_FAILURE;
    if (text) {
        used = (size_t)snprintf(text, cap, "%s", table);
    }
    int summarised = 0;
    for (size_t k = 0; rc == CLI_CONTINUE && k < n; k++) {
        if (!args->trace && !(runs[k].status == PARLEY_OK && runs[k].model->iterative))
            continue;
        char *part = NULL;
        if (args->trace) {
            if (parley_report_trace(sc, &runs[k], &part, &err)) {
                rc = CLI_FAILURE;
                break;
            }
        } else if (parley_report_rounds(sc, &runs[k], n == 1, &part, &err)) {
            rc = CLI_FAILURE;
            break;
        }
        size_t need = part ? strlen(part) + 2 : 0;
        char *grown = part && used + need + 1 > cap ? parley_reallocarray(text, cap = 2 * (used + need + 1), 1) : text;
        if (!part || !grown) {
            parley_free(part);
            rc = CLI_FAILURE;
            break;
        }
        text = grown;
        /* Traces are separated by a blank line; round summaries stay together. */
        int gap = args->trace || !summarised++;
        used += (size_t)snprintf(text + used, cap - used, "%s%s", gap ? "\n" : "", part);
        parley_free(part);
    }
    if (rc == CLI_CONTINUE && hints) {
        static const char hint[] =
            "\nMore: `parley run --model M --trace` shows a model's rounds and moves,\n"
            "`parley models` what each model does, `parley --help` every command.\n";
        if (used + sizeof hint > cap) {
            char *grown = parley_reallocarray(text, cap = used + sizeof hint, 1);
            if (!grown)
                rc = CLI_FAILURE;
            else
                text = grown;
        }
        if (rc == CLI_CONTINUE)
            used += (size_t)snprintf(text + used, cap - used, "%s", hint);
    }
    parley_free(table);
    if (rc != CLI_CONTINUE) {
        parley_free(text);
        return rc;
    }
    *out = text;
    return CLI_CONTINUE;
}

static int run_scenario(const char *path, const run_args *args, int hints)
{
    parley_format fmt;
    int rc = cli_parse_format("run", args->format, &fmt);
    if (rc != CLI_CONTINUE)
        return rc;
    const parley_model *models[64];
    size_t n = 0;
    if ((rc = select_models(args, models, &n)) != CLI_CONTINUE)
        return rc;
    parley_run_opts opts[64];
    uint64_t seed = 0;
    if (args->seed && (rc = parse_seed(args->seed, &seed)) != CLI_CONTINUE)
        return rc;
    for (size_t k = 0; k < n; k++) {
        parley_run_opts_init(&opts[k], models[k]);
        opts[k].seed = seed;
        opts[k].flags = PARLEY_RUN_HISTORY | (args->trace ? PARLEY_RUN_TRACE : 0);
    }
    if (args->rounds &&
        (rc = apply_rounds(args->rounds, models, n, opts, args->models.n > 0 && !args->all)) !=
            CLI_CONTINUE)
        return rc;
    if (args->params.n) {
        if (args->models.n != 1 || args->all)
            return cli_usage_error("run", "--param needs exactly one --model to apply to "
                                          "(got %zu)",
                                   args->all ? n : args->models.n);
        if ((rc = apply_params(&args->params, models[0], &opts[0])) != CLI_CONTINUE)
            return rc;
    }
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    if ((rc = cli_load_scenarios("run", path, fmt, &scenarios, &count)) != CLI_CONTINUE)
        return rc;
    if (count != 1) {
        parley_scenarios_free(scenarios, count);
        return cli_usage_error("run", "%s holds %zu scenarios; run takes one (split it with "
                                      "`parley import FILE -o DIR`, or use `parley backtest`)",
                               path ? path : "the input", count);
    }
    const parley_scenario *sc = scenarios[0];
    parley_report_run runs[64];
    parley_result *results[64] = {NULL};
    parley_error errors[64];
    struct timespec started, finished;
    timespec_get(&started, TIME_UTC);
    rc = CLI_CONTINUE;
    for (size_t k = 0; k < n && rc == CLI_CONTINUE; k++) {
        parley_error_clear(&errors[k]);
        results[k] = parley_result_new();
        if (!results[k]) {
            fprintf(stderr, "parley run: out of memory\n");
            rc = CLI_FAILURE;
            break;
        }
        int status = parley_model_run(models[k], sc, &opts[k], results[k], &errors[k]);
        runs[k] = (parley_report_run){models[k], &opts[k], results[k], status,
                                      errors[k].message};
        if (status != PARLEY_OK && status != PARLEY_EUNDEF) {
            char prefix[128];
            snprintf(prefix, sizeof prefix, "run --model %s", models[k]->name);
            rc = cli_report_error(prefix, &errors[k]);
        }
    }
    timespec_get(&finished, TIME_UTC);
    char *text = NULL;
    if (rc == CLI_CONTINUE && (rc = render(sc, runs, n, args, hints, &text)) == CLI_FAILURE)
        fprintf(stderr, "parley run: out of memory\n");
    if (rc == CLI_CONTINUE)
        rc = cli_write_output("run", args->output, text);
    /* The bare `parley` (hints) only shows the default; it leaves no store behind. */
    if (rc == CLI_CONTINUE)
        rc = cli_store_runs("run", args->db, args->no_store || hints, sc, runs, n, &started,
                            &finished, NULL);
    parley_free(text);
    for (size_t k = 0; k < n; k++)
        parley_result_free(results[k]);
    parley_scenarios_free(scenarios, count);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_finish("run");
}

int cmd_run(int argc, char **argv)
{
    run_args args = {0};
    const cli_option options[] = {
        {"model", 'm', "M", "run model M (repeatable; default: every model)", CLI_LIST,
         &args.models},
        {"all", 'a', NULL, "run every registered model", CLI_FLAG, &args.all},
        {"param", 'p', "NAME=VALUE", "set a parameter of the one --model", CLI_LIST,
         &args.params},
        {"rounds", 'r', "N", "set the rounds parameter of iterative models", CLI_STRING,
         &args.rounds},
        {"seed", 's', "S", "run seed (a whole number; default 0)", CLI_STRING, &args.seed},
        {"format", 'f', "F", "input format: auto json csv bdm ktab deu (default auto)",
         CLI_STRING, &args.format},
        {"trace", 't', NULL, "show each round's events and positions", CLI_FLAG, &args.trace},
        {"json", 'j', NULL, "print everything as JSON", CLI_FLAG, &args.json},
        {"output", 'o', "FILE", "write to FILE (atomically) instead of standard output",
         CLI_STRING, &args.output},
        {"db", 0, "PATH", "store the runs in PATH (default $PARLEY_DB, else parley.db)",
         CLI_STRING, &args.db},
        {"no-store", 0, NULL, "do not store the runs", CLI_FLAG, &args.no_store},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first > 1)
        return cli_usage_error("run", "expected at most one SCENARIO, got %d (see parley run "
                                      "--help)",
                               argc - first);
    return run_scenario(first < argc ? argv[first] : NULL, &args, 0);
}

int cli_run_default(void)
{
    run_args args = {0};
    return run_scenario(NULL, &args, 1);
}
