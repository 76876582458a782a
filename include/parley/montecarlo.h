/* parley/montecarlo.h — Monte Carlo over the inputs' stated uncertainty.
 *
 * parley_mc_run draws N scenarios from the spreads of every capability,
 * position, salience and status quo (parley_value: a normal truncated to the
 * allowed range, or a uniform over [low, high]), runs one model on each and
 * streams the forecasts into per-issue summaries: count, mean, standard
 * deviation, min, max, a fine histogram (PARLEY_MC_BINS bins over the issue's
 * scale) from which quantiles are read, and the counts of event expressions
 * ("federalisation >= 60 and autonomy < 30").  Memory does not grow with N
 * unless opts.keep asks for the N x issues table.
 *
 * Reproducibility: sample k draws its inputs from the Philox stream
 * (seed, PARLEY_MC_SAMPLER_STREAM | k) and the model runs with stream k, so a
 * sample gets the same numbers on any thread.  Samples are summarised in
 * fixed blocks of PARLEY_MC_BLOCK samples (or opts.block; block b = samples [b*BLOCK, (b+1)*BLOCK)),
 * each block by the thread that ran it, and blocks are merged in block order
 * (means and variances) or with exact integer sums (histograms, event
 * counts), so the summary is bit-identical for any number of threads and any
 * order of completion.
 *
 * Quantiles are read from the fine histogram with linear interpolation inside
 * the bin: they are exact to within one bin, 1/PARLEY_MC_BINS of the issue's
 * scale (0.01 on a 0-100 scale).
 *
 * Thread-safety: parley_mc_run uses OpenMP internally; distinct calls share
 * nothing.  An event expression is immutable after parsing and may be
 * evaluated from any number of threads. */
#ifndef PARLEY_MONTECARLO_H
#define PARLEY_MONTECARLO_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/scenario.h"

#define PARLEY_MC_BLOCK 4096   /* samples per summary block */
#define PARLEY_MC_BINS 10000   /* fine histogram bins per issue */
/* Sampler streams are (seed, this bit | sample index); models get stream =
 * sample index, so input draws and a model's own randomness never overlap. */
#define PARLEY_MC_SAMPLER_STREAM (UINT64_C(1) << 63)
/* A capability is truncated below at this fraction of its stated value, so
 * that it stays > 0. */
#define PARLEY_MC_MIN_CAPABILITY 1e-6
/* The default of the CLI's --spread when a scenario states no spread at all:
 * a standard deviation of this fraction of each scale (positions: of the
 * issue's high - low; saliences: of [0, 1]; capabilities: of the value). */
#define PARLEY_MC_DEFAULT_SPREAD 0.1

/* The numbers of a scenario that Monte Carlo perturbs. */
#define PARLEY_INPUT_KINDS(X)                   \
    X(PARLEY_INPUT_CAPABILITY, "capability")    \
    X(PARLEY_INPUT_POSITION, "position")        \
    X(PARLEY_INPUT_SALIENCE, "salience")        \
    X(PARLEY_INPUT_STATUS_QUO, "status_quo")

typedef enum parley_input_kind {
#define PARLEY_X_ENUM(name, text) name,
    PARLEY_INPUT_KINDS(PARLEY_X_ENUM)
#undef PARLEY_X_ENUM
} parley_input_kind;

/* "capability", "position", ... */
const char *parley_input_kind_name(parley_input_kind kind);

/* One uncertain input: which number, the interval it is drawn from (or, for
 * sensitivity, swung over) and its base value. */
typedef struct parley_input {
    parley_input_kind kind;
    long actor;          /* -1 for a status quo */
    long issue;          /* -1 for a capability */
    double base;         /* the stated value */
    double low, high;    /* RANGE: the range; SD: value -/+ sd, both clipped
                          * to the allowed range (the one-at-a-time swing) */
} parley_input;

/* Writes "capability of RU", "position of RU on federalisation",
 * "status quo of federalisation" into buf (size n); returns buf. */
char *parley_input_describe(const parley_scenario *sc, const parley_input *in,
                            char *buf, size_t n);

/* ---- event expressions ------------------------------------------------ */

/* A parsed event: comparisons `ISSUE OP NUMBER` (OP one of < <= > >= == !=,
 * ISSUE an issue id or name, quoted with '' or "" if it has spaces) joined by
 * `and` / `or` (and binds tighter; && and || are accepted too) with
 * parentheses.  A comparison on an issue the model left without a forecast
 * is false. */
typedef struct parley_mc_event parley_mc_event;

/* Parses text against sc's issues.  On success *out is the event (caller
 * frees with parley_mc_event_free).  PARLEY_EPARSE with err->column the
 * 1-based position in text and a message saying what was expected (unknown
 * issue, missing operator, bad number, dangling and/or, unbalanced
 * parenthesis); PARLEY_ENOMEM. */
int parley_mc_event_parse(const char *text, const parley_scenario *sc,
                          parley_mc_event **out, parley_error *err);
void parley_mc_event_free(parley_mc_event *ev);  /* NULL does nothing */
/* The text it was parsed from; borrowed until the event is freed. */
const char *parley_mc_event_text(const parley_mc_event *ev);
/* 1 if the event holds for these forecasts (one per issue), else 0. */
int parley_mc_event_eval(const parley_mc_event *ev, const double *forecast);

/* ---- the run ---------------------------------------------------------- */

/* Progress: called from one worker thread, about every 256 samples, with the
 * samples finished so far.  Return nonzero to stop the run: parley_mc_run
 * then returns PARLEY_ECANCEL with the summary of the blocks that finished. */
typedef int (*parley_mc_progress_fn)(uint64_t done, uint64_t total, void *userdata);

typedef struct parley_mc_opts {
    uint64_t samples;               /* N > 0 */
    uint64_t seed;
    int threads;                    /* 0: OpenMP's default */
    double spread;                  /* >= 0: SD, as a fraction of each scale,
                                     * for values that state no spread; 0 keeps
                                     * them fixed */
    int keep;                       /* nonzero: keep every forecast */
    size_t block;                   /* samples per summary block; 0:
                                     * PARLEY_MC_BLOCK.  Results are
                                     * bit-identical across thread counts for
                                     * a given block size (tests use small
                                     * blocks to have many with few samples) */
    const parley_run_opts *run;     /* model parameters; NULL: defaults.  Its
                                     * flags, stream and callback are ignored */
    const parley_mc_event *const *events; /* borrowed for the call */
    size_t n_events;
    parley_mc_progress_fn progress; /* NULL: none */
    void *userdata;
} parley_mc_opts;

/* Fills opts with: 1000 samples, seed 0, default threads, spread 0, no keep,
 * default model parameters, no events, no progress. */
void parley_mc_opts_init(parley_mc_opts *opts);

typedef struct parley_mc_issue {
    uint64_t count;         /* samples with a forecast */
    uint64_t undefined;     /* samples where the model gave none */
    double mean, sd;        /* sd: sample standard deviation (n - 1) */
    double min, max;
    double low, high;       /* the issue's scale: the histogram's range */
    uint64_t *bins;         /* PARLEY_MC_BINS counts; bin j covers
                             * [low + j*w, low + (j+1)*w), w = (high-low)/BINS,
                             * the last bin includes high; forecasts off the
                             * scale are counted in the end bins */
} parley_mc_issue;

typedef struct parley_mc_event_result {
    uint64_t count;         /* samples in which the event held */
    double probability;     /* count / samples done */
    double std_error;       /* sqrt(p (1 - p) / samples done) */
} parley_mc_event_result;

/* Read-only for callers; free with parley_mc_result_free. */
typedef struct parley_mc_result {
    uint64_t samples;       /* requested */
    uint64_t done;          /* summarised (== samples unless cancelled) */
    uint64_t failed;        /* runs where the model forecast no issue */
    uint64_t seed;
    double spread;
    int cancelled;
    size_t n_issues;
    parley_mc_issue *issues;
    size_t n_events;
    parley_mc_event_result *events;
    double *kept;           /* opts.keep: samples x n_issues, sample-major,
                             * NaN where no forecast (or not run); else NULL */
} parley_mc_result;

/* Runs model m on opts->samples scenarios drawn from sc.  sc must be valid
 * (parley_scenario_validate).  On PARLEY_OK or PARLEY_ECANCEL *out is the
 * summary (caller frees with parley_mc_result_free); on any other code *out
 * is NULL.  Returns PARLEY_EINVAL for bad options, PARLEY_EUNDEF when the
 * model cannot forecast sc itself, PARLEY_ENOMEM, or what the model returned
 * (with err from the first sample that failed so). */
int parley_mc_run(const parley_model *m, const parley_scenario *sc,
                  const parley_mc_opts *opts, parley_mc_result **out,
                  parley_error *err);
void parley_mc_result_free(parley_mc_result *r);  /* NULL does nothing */

/* ---- partial runs: blocks on several processes ------------------------- */

/* The summary of some of a run's blocks, before the final merge.  A run of
 * B = ceil(samples / block) blocks may be cut into ranges run anywhere (one
 * per MPI rank, say); merging the partials and finishing gives the same
 * result, bit for bit, as parley_mc_run, because block moments are merged in
 * block order and everything else is an exact integer sum or a min/max. */
typedef struct parley_mc_partial parley_mc_partial;

/* The number of blocks of a run with these options. */
uint64_t parley_mc_block_count(const parley_mc_opts *opts);

/* Runs blocks [first_block, end_block) of the run parley_mc_run would do
 * (end_block <= parley_mc_block_count(opts); an empty range is allowed and
 * runs nothing).  On PARLEY_OK or PARLEY_ECANCEL *out is the partial (caller
 * frees with parley_mc_partial_free); otherwise *out is NULL and the codes
 * are parley_mc_run's. */
int parley_mc_run_blocks(const parley_model *m, const parley_scenario *sc,
                         const parley_mc_opts *opts, uint64_t first_block,
                         uint64_t end_block, parley_mc_partial **out, parley_error *err);
void parley_mc_partial_free(parley_mc_partial *p);  /* NULL does nothing */

/* Adds from's finished blocks to into (from is left as it was).
 * PARLEY_EINVAL when they come from different runs (samples, block size,
 * issues, events, keep) or both hold the same block. */
int parley_mc_partial_merge(parley_mc_partial *into, const parley_mc_partial *from,
                            parley_error *err);

/* Serialises p into *buf (caller frees with parley_free), *len bytes, in
 * this machine's byte order (processes of one run share an architecture).
 * PARLEY_ENOMEM. */
int parley_mc_partial_pack(const parley_mc_partial *p, unsigned char **buf, size_t *len,
                           parley_error *err);
/* Reads what parley_mc_partial_pack wrote; *out as parley_mc_run_blocks.
 * PARLEY_EPARSE for a truncated or foreign buffer, PARLEY_ENOMEM. */
int parley_mc_partial_unpack(const unsigned char *buf, size_t len, parley_mc_partial **out,
                             parley_error *err);

/* The result of the merged blocks (as parley_mc_run's: done counts the
 * finished blocks' samples; cancelled is set when a block is missing or a
 * part was cancelled).  Takes p's kept table.  *out: caller frees with
 * parley_mc_result_free.  PARLEY_ENOMEM. */
int parley_mc_partial_finish(parley_mc_partial *p, parley_mc_result **out, parley_error *err);

/* The q-quantile (0 <= q <= 1) of an issue's forecasts, interpolated inside
 * the fine bin; NaN when there are none. */
double parley_mc_quantile(const parley_mc_result *r, size_t issue, double q);

/* Sums the fine histogram into n_bins equal bins over the scale (n_bins
 * should divide PARLEY_MC_BINS; otherwise fine bins go to the coarse bin that
 * holds their centre).  counts has n_bins entries. */
void parley_mc_histogram(const parley_mc_result *r, size_t issue, size_t n_bins,
                         uint64_t *counts);

/* 1 if any number of sc states a spread, else 0 (the CLI applies
 * PARLEY_MC_DEFAULT_SPREAD to scenarios that state none). */
int parley_scenario_has_spread(const parley_scenario *sc);

#endif
