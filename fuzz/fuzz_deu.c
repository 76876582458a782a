/* fuzz_deu.c — libFuzzer target for the DEU III reader. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const parley_format writers[] = {PARLEY_FORMAT_CSV};
    fuzz_one(data, size, PARLEY_FORMAT_DEU, writers, 1);
    return 0;
}
