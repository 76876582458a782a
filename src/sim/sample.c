/* sample.c — drawing a scenario from its spreads (sample.h).
 *
 * A value with sd > 0 is drawn from a normal with mean = its stated value,
 * truncated to the allowed range (positions: the issue's scale; saliences:
 * [0, 1]; capabilities: [PARLEY_MC_MIN_CAPABILITY * value, inf)), by inverse
 * CDF: x = mean + sd * Phi^-1(Phi(a) + u (Phi(b) - Phi(a))).  A value with a
 * range is drawn uniformly from the range intersected with the allowed one.
 * A value with neither gets sd = spread * (width of its scale) when the
 * default spread is > 0, else stays fixed. */
#include "sample.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"

#include <Random123/philox.h>

const char *parley_input_kind_name(parley_input_kind kind)
{
    static const char *const names[] = {
#define PARLEY_X_NAME(name, text) text,
        PARLEY_INPUT_KINDS(PARLEY_X_NAME)
#undef PARLEY_X_NAME
    };
    return (size_t)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

char *parley_input_describe(const parley_scenario *sc, const parley_input *in,
                            char *buf, size_t n)
{
    const char *actor = in->actor >= 0 ? sc->actors[in->actor].id : "";
    const char *issue = in->issue >= 0 ? sc->issues[in->issue].id : "";
    switch (in->kind) {
    case PARLEY_INPUT_CAPABILITY:
        snprintf(buf, n, "capability of %s", actor);
        break;
    case PARLEY_INPUT_POSITION:
        snprintf(buf, n, "position of %s on %s", actor, issue);
        break;
    case PARLEY_INPUT_SALIENCE:
        snprintf(buf, n, "salience of %s on %s", actor, issue);
        break;
    case PARLEY_INPUT_STATUS_QUO:
        snprintf(buf, n, "status quo of %s", issue);
        break;
    }
    return buf;
}

/* Acklam's algorithm (P. J. Acklam, "An algorithm for computing the inverse
 * normal cumulative distribution function", 2003): rational approximations
 * in a central region and in the two tails. */
static inline double normal_quantile(double p)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    const double p_low = 0.02425;
    if (!(p > 0))
        return -INFINITY;
    if (!(p < 1))
        return INFINITY;
    if (p < p_low) {
        double q = sqrt(-2 * log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - p_low) {
        double q = sqrt(-2 * log1p(-p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double mc_normal_quantile(double p)
{
    return normal_quantile(p);
}

static double normal_cdf(double z)
{
    return 0.5 * erfc(-z / M_SQRT2);
}

/* Fills the draw and the swing ends for one value whose allowed range is
 * [allowed_lo, allowed_hi] and whose default sd is default_sd.  Returns 1 if
 * the value is uncertain (an input), 0 if it stays fixed. */
static int describe_value(const parley_value *v, double allowed_lo, double allowed_hi,
                          double default_sd, mc_draw *draw, parley_input *in)
{
    double sd = 0;
    memset(draw, 0, sizeof *draw);
    in->base = v->value;
    if (v->spread == PARLEY_SPREAD_RANGE) {
        double lo = fmax(v->low, allowed_lo), hi = fmin(v->high, allowed_hi);
        if (!(hi > lo))
            return 0;
        draw->uniform = 1;
        draw->lo = in->low = lo;
        draw->hi = in->high = hi;
        return 1;
    }
    sd = v->spread == PARLEY_SPREAD_SD ? v->sd : default_sd;
    if (!(sd > 0) || !isfinite(sd))
        return 0;
    draw->mean = v->value;
    draw->sd = sd;
    draw->lo = allowed_lo;
    draw->hi = allowed_hi;
    draw->cdf_lo = normal_cdf((allowed_lo - v->value) / sd);
    draw->cdf_span = normal_cdf((allowed_hi - v->value) / sd) - draw->cdf_lo;
    in->low = fmax(v->value - sd, allowed_lo);
    in->high = fmin(v->value + sd, allowed_hi);
    return draw->cdf_span > 0;
}

/* Visits every value of sc in a fixed order: capabilities, then for each
 * issue its status quo and each actor's position and salience. */
static size_t collect(const parley_scenario *sc, double spread, mc_draw *draws,
                      parley_input *inputs)
{
    size_t n = 0;
    mc_draw draw;
    parley_input in;
    for (size_t a = 0; a < sc->n_actors; a++) {
        const parley_value *cap = &sc->actors[a].capability;
        in = (parley_input){PARLEY_INPUT_CAPABILITY, (long)a, -1, 0, 0, 0};
        if (describe_value(cap, PARLEY_MC_MIN_CAPABILITY * cap->value, INFINITY,
                           spread * cap->value, &draw, &in)) {
            if (draws) {
                draws[n] = draw;
                inputs[n] = in;
            }
            n++;
        }
    }
    for (size_t i = 0; i < sc->n_issues; i++) {
        const parley_issue *issue = &sc->issues[i];
        double width = issue->high - issue->low;
        if (issue->has_status_quo) {
            in = (parley_input){PARLEY_INPUT_STATUS_QUO, -1, (long)i, 0, 0, 0};
            if (describe_value(&issue->status_quo, issue->low, issue->high,
                               spread * width, &draw, &in)) {
                if (draws) {
                    draws[n] = draw;
                    inputs[n] = in;
                }
                n++;
            }
        }
        for (size_t a = 0; a < sc->n_actors; a++) {
            const parley_stake *stake = parley_stake_at(sc, a, i);
            if (!stake->present)
                continue;
            in = (parley_input){PARLEY_INPUT_POSITION, (long)a, (long)i, 0, 0, 0};
            if (describe_value(&stake->position, issue->low, issue->high, spread * width,
                               &draw, &in)) {
                if (draws) {
                    draws[n] = draw;
                    inputs[n] = in;
                }
                n++;
            }
            in = (parley_input){PARLEY_INPUT_SALIENCE, (long)a, (long)i, 0, 0, 0};
            if (describe_value(&stake->salience, 0, 1, spread, &draw, &in)) {
                if (draws) {
                    draws[n] = draw;
                    inputs[n] = in;
                }
                n++;
            }
        }
    }
    return n;
}

/* Splits the inputs into the normal and uniform groups of the plan. */
static int plan_groups(mc_plan *plan)
{
    size_t n = plan->n_inputs, n_normal = 0;
    for (size_t j = 0; j < n; j++)
        n_normal += !plan->draws[j].uniform;
    plan->normal_index = parley_calloc(n_normal ? n_normal : 1, sizeof *plan->normal_index);
    plan->uniform_index =
        parley_calloc(n > n_normal ? n - n_normal : 1, sizeof *plan->uniform_index);
    plan->fields = parley_calloc(n ? 6 * n_normal + 2 * (n - n_normal) : 1, sizeof(double));
    if (!plan->normal_index || !plan->uniform_index || !plan->fields)
        return PARLEY_ENOMEM;
    double *fields = plan->fields;
    plan->cdf_lo = fields;
    plan->cdf_span = fields + n_normal;
    plan->mean = fields + 2 * n_normal;
    plan->sd = fields + 3 * n_normal;
    plan->lo = fields + 4 * n_normal;
    plan->hi = fields + 5 * n_normal;
    plan->uniform_lo = fields + 6 * n_normal;
    plan->uniform_hi = plan->uniform_lo + (n - n_normal);
    for (size_t j = 0; j < n; j++) {
        const mc_draw *draw = &plan->draws[j];
        if (draw->uniform) {
            plan->uniform_lo[plan->n_uniform] = draw->lo;
            plan->uniform_hi[plan->n_uniform] = draw->hi;
            plan->uniform_index[plan->n_uniform++] = j;
            continue;
        }
        size_t i = plan->n_normal++;
        plan->normal_index[i] = j;
        plan->cdf_lo[i] = draw->cdf_lo;
        plan->cdf_span[i] = draw->cdf_span;
        plan->mean[i] = draw->mean;
        plan->sd[i] = draw->sd;
        plan->lo[i] = draw->lo;
        plan->hi[i] = draw->hi;
    }
    return PARLEY_OK;
}

int mc_plan_init(mc_plan *plan, const parley_scenario *sc, double spread)
{
    memset(plan, 0, sizeof *plan);
    size_t n = collect(sc, spread, NULL, NULL);
    plan->draws = parley_calloc(n ? n : 1, sizeof *plan->draws);
    plan->inputs = parley_calloc(n ? n : 1, sizeof *plan->inputs);
    if (!plan->draws || !plan->inputs) {
        mc_plan_free(plan);
        return PARLEY_ENOMEM;
    }
    plan->n_inputs = collect(sc, spread, plan->draws, plan->inputs);
    if (plan_groups(plan)) {
        mc_plan_free(plan);
        return PARLEY_ENOMEM;
    }
    return PARLEY_OK;
}

void mc_plan_free(mc_plan *plan)
{
    parley_free(plan->draws);
    parley_free(plan->inputs);
    parley_free(plan->normal_index);
    parley_free(plan->uniform_index);
    parley_free(plan->fields);
    memset(plan, 0, sizeof *plan);
}

static inline double quantile(const mc_draw *draw, double u)
{
    double x;
    if (draw->uniform)
        x = draw->lo + u * (draw->hi - draw->lo);
    else
        x = draw->mean + draw->sd * normal_quantile(draw->cdf_lo + u * draw->cdf_span);
    /* Rounding (or a quantile of 0 or 1) must not leave the allowed range. */
    return x < draw->lo ? draw->lo : x > draw->hi ? draw->hi : x;
}

double mc_plan_quantile(const mc_plan *plan, size_t j, double u)
{
    return quantile(&plan->draws[j], u);
}

/* 32 bits per input are plenty for perturbing an input and make one Philox
 * block serve four inputs; the half step keeps u in (0, 1). */
static inline double word_to_uniform(uint32_t word)
{
    return ((double)word + 0.5) * 0x1.0p-32;
}

void mc_plan_draw(const mc_plan *plan, parley_rng *rng, double *values)
{
    for (size_t j = 0; j < plan->n_inputs; j++)
        values[j] = quantile(&plan->draws[j], word_to_uniform(parley_rng_u32(rng)));
}

int mc_plan_targets(const mc_plan *plan, parley_scenario *sc, double **targets)
{
    for (size_t j = 0; j < plan->n_inputs; j++) {
        const parley_input *in = &plan->inputs[j];
        switch (in->kind) {
        case PARLEY_INPUT_CAPABILITY:
            targets[j] = &sc->actors[in->actor].capability.value;
            break;
        case PARLEY_INPUT_POSITION:
            targets[j] = &parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->position.value;
            break;
        case PARLEY_INPUT_SALIENCE:
            targets[j] = &parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->salience.value;
            break;
        case PARLEY_INPUT_STATUS_QUO:
            targets[j] = &sc->issues[in->issue].status_quo.value;
            break;
        }
    }
    return PARLEY_OK;
}

enum { MC_CHUNK_BLOCKS = 64, MC_CHUNK = 4 * MC_CHUNK_BLOCKS }; /* inputs per pass */

/* Philox4x32-10 blocks first .. first + count - 1 of stream (seed, stream)
 * into words, one block after another as parley_rng takes them. */
static void philox_blocks_scalar(uint64_t seed, uint64_t stream, uint32_t first, size_t count,
                                 uint32_t *words)
{
    philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    philox4x32_ctr_t counter = {{first, 0, (uint32_t)stream, (uint32_t)(stream >> 32)}};
    for (size_t b = 0; b < count; b++, counter.v[0]++) {
        philox4x32_ctr_t block = philox4x32(counter, key);
        memcpy(words + 4 * b, block.v, sizeof block.v);
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MC_HAVE_AVX2 1

/* The same blocks four at a time, Random123's round on 64-bit lanes that
 * each hold one block's 32-bit word (_mm256_mul_epu32 is mulhilo32 for
 * four blocks).  Computes whole groups of four: words holds
 * 4 * round_up(count, 4) words. */
__attribute__((target("avx2")))
static void philox_blocks_avx2(uint64_t seed, uint64_t stream, uint32_t first, size_t count,
                               uint32_t *words)
{
    const __m256i low32 = _mm256_set1_epi64x(0xffffffff);
    const __m256i m0 = _mm256_set1_epi64x(PHILOX_M4x32_0);
    const __m256i m1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
    for (size_t b = 0; b < count; b += 4) {
        uint32_t c = first + (uint32_t)b;
        __m256i x0 = _mm256_set_epi64x(c + 3u, c + 2u, c + 1u, c);
        __m256i x1 = _mm256_setzero_si256();
        __m256i x2 = _mm256_set1_epi64x((uint32_t)stream);
        __m256i x3 = _mm256_set1_epi64x((uint32_t)(stream >> 32));
        uint32_t key0 = (uint32_t)seed, key1 = (uint32_t)(seed >> 32);
        for (int round = 0; round < 10; round++) {
            __m256i p0 = _mm256_mul_epu32(x0, m0), p1 = _mm256_mul_epu32(x2, m1);
            __m256i y0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x1),
                                          _mm256_set1_epi64x(key0));
            __m256i y2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x3),
                                          _mm256_set1_epi64x(key1));
            x0 = y0;
            x1 = _mm256_and_si256(p1, low32);
            x2 = y2;
            x3 = _mm256_and_si256(p0, low32);
            key0 += PHILOX_W32_0;
            key1 += PHILOX_W32_1;
        }
        uint64_t w0[4], w1[4], w2[4], w3[4];
        _mm256_storeu_si256((__m256i *)w0, x0);
        _mm256_storeu_si256((__m256i *)w1, x1);
        _mm256_storeu_si256((__m256i *)w2, x2);
        _mm256_storeu_si256((__m256i *)w3, x3);
        for (size_t l = 0; l < 4; l++) {
            uint32_t *out = words + 4 * (b + l);
            out[0] = (uint32_t)w0[l];
            out[1] = (uint32_t)w1[l];
            out[2] = (uint32_t)w2[l];
            out[3] = (uint32_t)w3[l];
        }
    }
}
#endif

static void philox_blocks(uint64_t seed, uint64_t stream, uint32_t first, size_t count,
                          uint32_t *words)
{
#ifdef MC_HAVE_AVX2
    if (__builtin_cpu_supports("avx2")) {
        philox_blocks_avx2(seed, stream, first, count, words);
        return;
    }
#endif
    philox_blocks_scalar(seed, stream, first, count, words);
}

/* Compiled for AVX2 too (as pce.h's PARLEY_SIMD_CLONES): the same IEEE
 * operations in the same order, without FMA, so the bits are the scalar
 * code's. */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define MC_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef MC_SIMD_CLONES
#define MC_SIMD_CLONES
#endif

typedef double mc_quad __attribute__((vector_size(4 * sizeof(double))));
typedef long long mc_quad_mask __attribute__((vector_size(4 * sizeof(long long))));

/* Macros, not functions: passing 32-byte vectors by value to a function
 * not compiled for AVX is an ABI GCC warns about. */
#define QUAD_LOAD(v, from) memcpy(&(v), (from), sizeof(v))
#define QUAD_SELECT(mask, yes, no) \
    ((mc_quad)(((mc_quad_mask)(yes) & (mask)) | ((mc_quad_mask)(no) & ~(mask))))
/* word_to_uniform of the words of inputs index[0..3]; words start at input
 * offset */
#define QUAD_UNIFORM(u, words, index, offset) \
    do { \
        mc_quad w_ = {(double)(words)[(index)[0] - (offset)], \
                      (double)(words)[(index)[1] - (offset)], \
                      (double)(words)[(index)[2] - (offset)], \
                      (double)(words)[(index)[3] - (offset)]}; \
        (u) = (w_ + 0.5) * 0x1.0p-32; \
    } while (0)
/* quantile()'s clamp, in its order */
#define QUAD_CLAMP(v, lo, hi) \
    do { \
        (v) = QUAD_SELECT((v) > (hi), (hi), (v)); \
        (v) = QUAD_SELECT((v) < (lo), (lo), (v)); \
    } while (0)

/* quantile() for normals first .. end - 1 of the plan, four at a time, by
 * normal_quantile's central formula whatever p is: tail[i - first] is set
 * where p is outside the central region and the value must be redone.
 * Returns how many were done (a multiple of four). */
MC_SIMD_CLONES
static size_t normal_central(const mc_plan *plan, size_t first, size_t end, size_t offset,
                             const uint32_t *words, double *x, unsigned char *tail)
{
    const double p_low = 0.02425, p_high = 1 - p_low; /* normal_quantile's */
    const size_t *index = plan->normal_index;
    size_t i = first;
    for (; i + 4 <= end; i += 4) {
        mc_quad u;
        QUAD_UNIFORM(u, words, index + i, offset);
        mc_quad cdf_lo, cdf_span, mean, sd, lo, hi;
        QUAD_LOAD(cdf_lo, plan->cdf_lo + i);
        QUAD_LOAD(cdf_span, plan->cdf_span + i);
        QUAD_LOAD(mean, plan->mean + i);
        QUAD_LOAD(sd, plan->sd + i);
        QUAD_LOAD(lo, plan->lo + i);
        QUAD_LOAD(hi, plan->hi + i);
        mc_quad p = cdf_lo + u * cdf_span;
        mc_quad q = p - 0.5;
        mc_quad r = q * q;
        mc_quad z = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r +
                        -2.759285104469687e+02) * r + 1.383577518672690e+02) * r +
                      -3.066479806614716e+01) * r + 2.506628277459239e+00) * q /
                    (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r +
                        -1.556989798598866e+02) * r + 6.680131188771972e+01) * r +
                      -1.328068155288572e+01) * r + 1);
        mc_quad v = mean + sd * z;
        QUAD_CLAMP(v, lo, hi);
        mc_quad_mask central = (p >= p_low) & (p <= p_high);
        memcpy(x + (i - first), &v, sizeof v);
        for (int l = 0; l < 4; l++)
            tail[i - first + (size_t)l] = !central[l];
    }
    return i - first;
}

/* quantile() for uniforms first .. end - 1 of the plan, four at a time.
 * Returns how many were done (a multiple of four). */
MC_SIMD_CLONES
static size_t uniform_quads(const mc_plan *plan, size_t first, size_t end, size_t offset,
                            const uint32_t *words, double *x)
{
    const size_t *index = plan->uniform_index;
    size_t i = first;
    for (; i + 4 <= end; i += 4) {
        mc_quad u;
        QUAD_UNIFORM(u, words, index + i, offset);
        mc_quad lo, hi;
        QUAD_LOAD(lo, plan->uniform_lo + i);
        QUAD_LOAD(hi, plan->uniform_hi + i);
        mc_quad v = lo + u * (hi - lo);
        QUAD_CLAMP(v, lo, hi);
        memcpy(x + (i - first), &v, sizeof v);
    }
    return i - first;
}

/* Stores the values of the inputs index[first .. end - 1]: x[i - first]
 * for the first `done` unless redo[i - first] is set, quantile() for the
 * rest. */
static void store_group(const mc_plan *plan, const size_t *index, size_t first, size_t end,
                        size_t done, const double *x, const unsigned char *redo,
                        const uint32_t *words, size_t offset, double *const *targets)
{
    for (size_t i = first; i < end; i++) {
        size_t j = index[i];
        if (i - first < done && !(redo && redo[i - first]))
            *targets[j] = x[i - first];
        else
            *targets[j] = quantile(&plan->draws[j], word_to_uniform(words[j - offset]));
    }
}

/* Advances *next past the entries of index (ascending, count of them) below
 * end; returns where it started. */
static size_t take_below(const size_t *index, size_t count, size_t end, size_t *next)
{
    size_t first = *next;
    while (*next < count && index[*next] < end)
        ++*next;
    return first;
}

void mc_plan_draw_into(const mc_plan *plan, uint64_t seed, uint64_t stream,
                       double *const *targets)
{
    /* The words of parley_rng's stream (seed, stream) in order (rng.h's
     * layout), MC_CHUNK at a time: this is most of the cost of a Monte
     * Carlo sample for the cheap models. */
    uint32_t words[MC_CHUNK];
    double x[MC_CHUNK];
    unsigned char tail[MC_CHUNK];
    size_t n = plan->n_inputs, normal = 0, uniform = 0;
    for (size_t start = 0; start < n; start += MC_CHUNK) {
        size_t end = n - start < MC_CHUNK ? n : start + MC_CHUNK;
        philox_blocks(seed, stream, (uint32_t)(start / 4), (end - start + 3) / 4, words);
        size_t first = take_below(plan->normal_index, plan->n_normal, end, &normal);
        size_t done = normal_central(plan, first, normal, start, words, x, tail);
        store_group(plan, plan->normal_index, first, normal, done, x, tail, words, start,
                    targets);
        first = take_below(plan->uniform_index, plan->n_uniform, end, &uniform);
        done = uniform_quads(plan, first, uniform, start, words, x);
        store_group(plan, plan->uniform_index, first, uniform, done, x, NULL, words, start,
                    targets);
    }
}

void mc_plan_set(const mc_plan *plan, size_t j, parley_scenario *sc, double value)
{
    const parley_input *in = &plan->inputs[j];
    switch (in->kind) {
    case PARLEY_INPUT_CAPABILITY:
        sc->actors[in->actor].capability.value = value;
        break;
    case PARLEY_INPUT_POSITION:
        parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->position.value = value;
        break;
    case PARLEY_INPUT_SALIENCE:
        parley_stake_at(sc, (size_t)in->actor, (size_t)in->issue)->salience.value = value;
        break;
    case PARLEY_INPUT_STATUS_QUO:
        sc->issues[in->issue].status_quo.value = value;
        break;
    }
}

int parley_scenario_has_spread(const parley_scenario *sc)
{
    return collect(sc, 0, NULL, NULL) > 0;
}
