/* fuzz_json.c — libFuzzer target for the JSON scenario reader
 * (docs/scenario-format.md) and the JSON and long-CSV writers. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const parley_format writers[] = {PARLEY_FORMAT_JSON, PARLEY_FORMAT_CSV};
    fuzz_one(data, size, PARLEY_FORMAT_JSON, writers, 2);
    return 0;
}
