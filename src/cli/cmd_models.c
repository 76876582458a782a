/* cmd_models.c — `parley models`: what each registered model does and takes. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "parley/alloc.h"
#include "parley/model.h"
#include "parley/report.h"

static const cli_usage usage = {
    "models", "[NAME]",
    "Lists the registered models: name, summary, reference, parameters (type, default,\n"
    "range or choices) and the kinds of events they trace.",
    "Set a parameter with `parley run --model NAME --param PARAM=VALUE`.",
};

static void print_param(const parley_param *p)
{
    char def[64];
    parley_param_format(p, p->def, def, sizeof def);
    printf("    %-12s %s, default %s", p->name, parley_param_type_name(p->type), def);
    if (p->type == PARLEY_PARAM_INT || p->type == PARLEY_PARAM_REAL)
        printf(", range [%g, %g]", p->min, p->max);
    if (p->type == PARLEY_PARAM_CHOICE) {
        printf(", one of:");
        for (size_t k = 0; p->choices[k]; k++)
            printf(" %s", p->choices[k]);
    }
    printf("\n    %-12s %s\n", "", p->summary ? p->summary : "");
}

static void print_model(const parley_model *m)
{
    printf("%s%s\n  %s\n", m->name, m->iterative ? " (iterative)" : "",
           m->summary ? m->summary : "");
    if (m->reference)
        printf("  reference: %s\n", m->reference);
    if (!m->params[0].name)
        printf("  parameters: none\n");
    else
        printf("  parameters:\n");
    for (size_t k = 0; m->params[k].name; k++)
        print_param(&m->params[k]);
    if (m->events[0].name) {
        printf("  trace events:\n");
        for (size_t k = 0; m->events[k].name; k++) {
            printf("    %s", m->events[k].name);
            for (size_t v = 0; v < 4 && m->events[k].value_names[v]; v++)
                printf("%s%s", v ? ", " : " (", m->events[k].value_names[v]);
            printf("%s\n", m->events[k].value_names[0] ? ")" : "");
        }
    }
}

int cmd_models(int argc, char **argv)
{
    int json = 0;
    const cli_option options[] = {
        {"json", 'j', NULL, "print the descriptions as JSON", CLI_FLAG, &json},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first > 1)
        return cli_usage_error("models", "expected at most one model NAME");
    const parley_model *only[2] = {NULL, NULL};
    const parley_model *const *models = parley_models();
    if (first < argc) {
        if ((rc = cli_find_model("models", argv[first], &only[0])) != CLI_CONTINUE)
            return rc;
        models = only;
    }
    if (json) {
        char *text = NULL;
        parley_error err;
        parley_error_clear(&err);
        if (parley_models_to_json(models, &text, &err))
            return cli_report_error("models", &err);
        printf("%s\n", text);
        parley_free(text);
    } else {
        for (size_t k = 0; models[k]; k++) {
            if (k)
                printf("\n");
            print_model(models[k]);
        }
    }
    return cli_finish("models");
}
