/* fuzz_csv.c — libFuzzer target for the CSV readers reached by format
 * detection (BDM table, KTAB's CSV, parley's long CSV) and for every writer. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const parley_format writers[] = {PARLEY_FORMAT_CSV, PARLEY_FORMAT_BDM,
                                            PARLEY_FORMAT_KTAB};
    fuzz_one(data, size, PARLEY_FORMAT_AUTO, writers, 3);
    return 0;
}
