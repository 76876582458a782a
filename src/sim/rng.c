/* rng.c — Philox4x32-10 streams from Random123 (parley/rng.h).
 *
 * Counter layout: (block low 32, block high 32, stream low 32, stream high
 * 32); key: (seed low 32, seed high 32).  So the k-th block of stream s under
 * seed z is philox4x32(ctr = {k, s}, key = z): a pure function. */
#include "parley/rng.h"

#include <math.h>

#include <Random123/philox.h>

void parley_rng_philox(const uint32_t counter[4], const uint32_t key[2],
                       uint32_t out[4])
{
    philox4x32_ctr_t ctr = {{counter[0], counter[1], counter[2], counter[3]}};
    philox4x32_key_t k = {{key[0], key[1]}};
    philox4x32_ctr_t r = philox4x32(ctr, k);
    for (int i = 0; i < 4; i++)
        out[i] = r.v[i];
}

void parley_rng_init(parley_rng *rng, uint64_t seed, uint64_t stream)
{
    rng->seed = seed;
    rng->stream = stream;
    rng->block = 0;
    rng->used = 4;
}

static void refill(parley_rng *rng)
{
    uint32_t counter[4] = {(uint32_t)rng->block, (uint32_t)(rng->block >> 32),
                           (uint32_t)rng->stream, (uint32_t)(rng->stream >> 32)};
    uint32_t key[2] = {(uint32_t)rng->seed, (uint32_t)(rng->seed >> 32)};
    parley_rng_philox(counter, key, rng->buf);
    rng->block++;
    rng->used = 0;
}

uint32_t parley_rng_u32(parley_rng *rng)
{
    if (rng->used >= 4)
        refill(rng);
    return rng->buf[rng->used++];
}

uint64_t parley_rng_u64(parley_rng *rng)
{
    uint64_t high = parley_rng_u32(rng);
    return (high << 32) | parley_rng_u32(rng);
}

double parley_rng_uniform(parley_rng *rng)
{
    /* 53 bits, shifted by half a step so that 0 and 1 never occur. */
    uint64_t bits = parley_rng_u64(rng) >> 11;
    return ((double)bits + 0.5) * 0x1.0p-53;
}

uint64_t parley_rng_below(parley_rng *rng, uint64_t n)
{
    /* Rejection of the short top bucket keeps it unbiased. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = parley_rng_u64(rng);
    while (x >= limit);
    return x % n;
}

double parley_rng_normal(parley_rng *rng)
{
    double u1 = parley_rng_uniform(rng);
    double u2 = parley_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}
