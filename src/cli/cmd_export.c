/* cmd_export.c — `parley export`: a scenario to JSON, parley CSV, BDM or KTAB. */
#include <string.h>

#include "cli/cli.h"
#include "parley/alloc.h"
#include "parley/format.h"

static const cli_usage usage = {
    "export", "FILE",
    "Writes the scenario in FILE in another format: json (canonical), csv (parley's\n"
    "lossless long CSV), bdm (Actor,Capability,Position,Salience; one issue) or ktab.",
    "BDM and KTAB cannot hold everything (notes, spreads, rules, several issues for BDM):\n"
    "a scenario that does not fit is refused with the reason.",
};

int cmd_export(int argc, char **argv)
{
    const char *format = NULL, *to = NULL, *output = NULL;
    const cli_option options[] = {
        {"to", 't', "F", "output format: json csv bdm ktab (required)", CLI_STRING, &to},
        {"format", 'f', "F", "input format (default auto)", CLI_STRING, &format},
        {"output", 'o', "OUT", "write to OUT (atomically) instead of standard output",
         CLI_STRING, &output},
        {NULL, 0, NULL, NULL, CLI_FLAG, NULL},
    };
    int first = 0;
    int rc = cli_parse(&usage, options, argc, argv, &first);
    if (rc != CLI_CONTINUE)
        return rc;
    if (argc - first != 1)
        return cli_usage_error("export", "expected one FILE (see parley export --help)");
    if (!to)
        return cli_usage_error("export", "--to F is required (json, csv, bdm or ktab)");
    parley_format in_fmt, out_fmt;
    if ((rc = cli_parse_format("export", format, &in_fmt)) != CLI_CONTINUE ||
        (rc = cli_parse_format("export", to, &out_fmt)) != CLI_CONTINUE)
        return rc;
    if (out_fmt == PARLEY_FORMAT_AUTO || out_fmt == PARLEY_FORMAT_DEU)
        return cli_usage_error("export", "--to %s: parley writes json, csv, bdm and ktab", to);
    parley_scenario **scenarios = NULL;
    size_t count = 0;
    if ((rc = cli_load_scenarios("export", argv[first], in_fmt, &scenarios, &count)) !=
        CLI_CONTINUE)
        return rc;
    if (count != 1) {
        parley_scenarios_free(scenarios, count);
        return cli_usage_error("export", "%s holds %zu scenarios; export takes one (split "
                                         "it with `parley import FILE -o DIR`)",
                               argv[first], count);
    }
    rc = cli_write_scenario("export", scenarios[0], out_fmt, output);
    parley_scenarios_free(scenarios, count);
    if (rc != CLI_CONTINUE)
        return rc;
    return cli_finish("export");
}
