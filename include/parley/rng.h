/* parley/rng.h — counter-based random numbers (Random123 Philox4x32-10).
 *
 * There is no generator object shared between threads: a stream is the pair
 * (seed, stream index), e.g. (run seed, Monte Carlo sample), and the k-th
 * number of a stream is a pure function of (seed, stream, k).  A sample
 * therefore gets the same numbers on any thread, process or machine.
 *
 * parley_rng is a small value type: a cursor into one stream.  Copying it
 * copies the cursor. */
#ifndef PARLEY_RNG_H
#define PARLEY_RNG_H

#include <stdint.h>

typedef struct parley_rng {
    uint64_t seed;
    uint64_t stream;
    uint64_t block;     /* next Philox block within the stream */
    uint32_t buf[4];    /* the current block's four words */
    unsigned used;      /* words of buf already handed out (4: empty) */
} parley_rng;

/* Starts a cursor at the beginning of stream (seed, stream). */
void parley_rng_init(parley_rng *rng, uint64_t seed, uint64_t stream);

/* One raw Philox4x32-10 block: key = (k0, k1), counter = (c0..c3).  Exposed
 * for the known-answer test against Random123's published vectors. */
void parley_rng_philox(const uint32_t counter[4], const uint32_t key[2],
                       uint32_t out[4]);

uint32_t parley_rng_u32(parley_rng *rng);
uint64_t parley_rng_u64(parley_rng *rng);
/* Uniform on the open interval (0, 1), 53 random bits. */
double parley_rng_uniform(parley_rng *rng);
/* Uniform integer in [0, n), unbiased; n > 0. */
uint64_t parley_rng_below(parley_rng *rng, uint64_t n);
/* Standard normal (Box-Muller; both values are not cached, so the stream
 * position after a call is always the same). */
double parley_rng_normal(parley_rng *rng);

#endif
