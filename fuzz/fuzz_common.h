/* fuzz_common.h — what the fuzz targets share: parse the input in one format
 * and, when it is accepted, check that parley's own output of the scenario
 * reads back (a reader must accept everything its writer produces). */
#ifndef PARLEY_FUZZ_COMMON_H
#define PARLEY_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "parley/format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reads_back(const parley_scenario *sc, parley_format fmt)
{
    char *text = NULL;
    parley_error err;
    if (parley_scenario_format(sc, fmt, &text, &err) != PARLEY_OK)
        return; /* BDM/KTAB refuse scenarios that do not fit them */
    parley_scenario **again = NULL;
    size_t count = 0;
    if (parley_scenarios_parse(text, strlen(text), "fuzz-output", fmt, &again, &count, &err) !=
        PARLEY_OK)
        abort(); /* parley wrote something it cannot read */
    parley_scenarios_free(again, count);
    parley_free(text);
}

static void fuzz_one(const uint8_t *data, size_t size, parley_format fmt,
                     const parley_format *writers, size_t n_writers)
{
    parley_scenario **all = NULL;
    size_t count = 0;
    parley_error err;
    if (parley_scenarios_parse((const char *)data, size, "fuzz-input", fmt, &all, &count,
                               &err) != PARLEY_OK) {
        if (all || count)
            abort(); /* a failed read must leave nothing behind */
        return;
    }
    for (size_t k = 0; k < count && k < 4; k++)
        for (size_t w = 0; w < n_writers; w++)
            reads_back(all[k], writers[w]);
    parley_scenarios_free(all, count);
}

#endif
