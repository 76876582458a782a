/* test_rng.c — parley_rng: Philox4x32-10 against Random123's published
 * known-answer vectors, the documented stream layout, and the properties of
 * the derived draws. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/rng.h"

/* Random123 1.14, tests/kat_vectors, the three "philox4x32 10" lines
 * (columns: counter[4], key[2], expected output[4]):
 *   philox4x32 10 00000000 00000000 00000000 00000000 00000000 00000000
 *                 6627e8d5 e169c58d bc57ac4c 9b00dbd8
 *   philox4x32 10 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff
 *                 408f276d 41c83b0e a20bc7c6 6d5451fd
 *   philox4x32 10 243f6a88 85a308d3 13198a2e 03707344 a4093822 299f31d0
 *                 d16cfe09 94fdcceb 5001e420 24126ea1 */
static const struct {
    uint32_t counter[4], key[2], expected[4];
} kat[] = {
    {{0x00000000, 0x00000000, 0x00000000, 0x00000000},
     {0x00000000, 0x00000000},
     {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

Test(rng, philox4x32_10_known_answers)
{
    for (size_t v = 0; v < sizeof kat / sizeof kat[0]; v++) {
        uint32_t out[4];
        parley_rng_philox(kat[v].counter, kat[v].key, out);
        for (int w = 0; w < 4; w++)
            cr_assert_eq(out[w], kat[v].expected[w], "vector %zu word %d: %08x, expected %08x",
                         v, w, out[w], kat[v].expected[w]);
    }
}

Test(rng, stream_layout_is_as_documented)
{
    /* rng.h: block k of stream s under seed z is philox(ctr = {k lo, k hi,
     * s lo, s hi}, key = {z lo, z hi}), its words handed out in order. */
    uint64_t seed = 0x0123456789abcdefULL, stream = 0xfedcba9876543210ULL;
    parley_rng rng;
    parley_rng_init(&rng, seed, stream);
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    for (uint32_t block = 0; block < 3; block++) {
        uint32_t counter[4] = {block, 0, (uint32_t)stream, (uint32_t)(stream >> 32)};
        uint32_t expected[4];
        parley_rng_philox(counter, key, expected);
        for (int w = 0; w < 4; w++)
            cr_assert_eq(parley_rng_u32(&rng), expected[w]);
    }
}

Test(rng, a_stream_is_a_pure_function_of_seed_and_index)
{
    parley_rng a, b, c;
    parley_rng_init(&a, 7, 42);
    parley_rng_init(&b, 7, 42);
    parley_rng_init(&c, 7, 43);
    int differs = 0;
    for (int k = 0; k < 100; k++) {
        uint64_t x = parley_rng_u64(&a);
        cr_assert_eq(x, parley_rng_u64(&b));
        differs |= x != parley_rng_u64(&c);
    }
    cr_assert(differs, "streams 42 and 43 gave the same numbers");
}

Test(rng, uniform_is_open_and_has_the_right_moments)
{
    parley_rng rng;
    parley_rng_init(&rng, 1, 0);
    const int n = 200000;
    double sum = 0, sum_sq = 0;
    for (int k = 0; k < n; k++) {
        double u = parley_rng_uniform(&rng);
        cr_assert(u > 0 && u < 1, "uniform %g outside (0, 1)", u);
        sum += u;
        sum_sq += u * u;
    }
    double mean = sum / n, var = sum_sq / n - mean * mean;
    /* U(0,1): mean 1/2 (sd of the estimate 0.289/sqrt(n) = 6.5e-4), var 1/12. */
    cr_assert(fabs(mean - 0.5) < 0.003, "mean %g", mean);
    cr_assert(fabs(var - 1.0 / 12) < 0.002, "variance %g", var);
}

Test(rng, normal_has_the_right_moments_and_fixed_stream_use)
{
    parley_rng rng, probe;
    parley_rng_init(&rng, 2, 5);
    const int n = 200000;
    double sum = 0, sum_sq = 0, beyond_2 = 0;
    for (int k = 0; k < n; k++) {
        double z = parley_rng_normal(&rng);
        sum += z;
        sum_sq += z * z;
        beyond_2 += fabs(z) > 2;
    }
    double mean = sum / n, var = sum_sq / n - mean * mean;
    cr_assert(fabs(mean) < 0.012, "mean %g", mean);
    cr_assert(fabs(var - 1) < 0.015, "variance %g", var);
    /* P(|Z| > 2) = erfc(2/sqrt 2) = 0.0455003 */
    cr_assert(fabs(beyond_2 / n - 0.0455003) < 0.002, "tail %g", beyond_2 / n);
    /* Each normal uses two uniforms, i.e. four words, whatever they were. */
    parley_rng_init(&rng, 2, 5);
    parley_rng_init(&probe, 2, 5);
    parley_rng_normal(&rng);
    for (int k = 0; k < 4; k++)
        parley_rng_u32(&probe);
    cr_assert_eq(parley_rng_u32(&rng), parley_rng_u32(&probe));
}

Test(rng, below_is_in_range_and_even)
{
    parley_rng rng;
    parley_rng_init(&rng, 3, 9);
    enum { BUCKETS = 10, N = 100000 };
    long counts[BUCKETS] = {0};
    for (int k = 0; k < N; k++) {
        uint64_t x = parley_rng_below(&rng, BUCKETS);
        cr_assert_lt(x, BUCKETS);
        counts[x]++;
    }
    double chi2 = 0, expected = (double)N / BUCKETS;
    for (int b = 0; b < BUCKETS; b++)
        chi2 += (counts[b] - expected) * (counts[b] - expected) / expected;
    /* chi-square with 9 degrees of freedom: P(> 27.88) = 0.001 */
    cr_assert_lt(chi2, 27.88);
    cr_assert_eq(parley_rng_below(&rng, 1), 0);
    /* A bound just above 2^63 rejects about half of the draws: it must still
     * return values below it. */
    uint64_t big = (UINT64_C(1) << 63) + 12345;
    for (int k = 0; k < 100; k++)
        cr_assert_lt(parley_rng_below(&rng, big), big);
}
