/* parley/scoring.h — proper scores for forecasts: Brier and log scores for
 * yes/no questions, CRPS for numbers, time averaging over a forecaster's
 * updates, and calibration bins.  The conventions (orientation, logarithm,
 * clamping, tails of a distribution) are those of docs/scoring.md.
 *
 * Every function here is pure: no allocation, no state, safe from any
 * number of threads.  Only the C library is included (STYLE.md 9). */
#ifndef PARLEY_SCORING_H
#define PARLEY_SCORING_H

#include <stddef.h>

#include "parley/error.h"

/* ---- dates ---------------------------------------------------------------- */

/* Parses an ISO 8601 calendar date "YYYY-MM-DD" (years 1000..9999, a real
 * day of the month) into *day, the days since 1970-01-01 (proleptic
 * Gregorian).  Nothing may follow the date.  PARLEY_OK or PARLEY_EPARSE
 * (err->message says what was expected). */
int parley_date_parse(const char *text, long *day, parley_error *err);

/* Writes day (as parley_date_parse) as "YYYY-MM-DD" into buf (>= 11 bytes);
 * returns buf. */
char *parley_date_format(long day, char *buf, size_t n);

/* ---- binary questions ----------------------------------------------------- */

/* p is clamped to [PARLEY_LOG_CLAMP, 1 - PARLEY_LOG_CLAMP] by the log score,
 * so that a confident miss costs ln(1e6) = 13.8, not infinity. */
#define PARLEY_LOG_CLAMP 1e-6

/* (p - o)^2 with o = 1 if outcome, else 0: 0 is perfect, 1 the worst;
 * lower is better.  NaN for p outside [0, 1] or NaN. */
double parley_score_brier(double p, int outcome);

/* -ln(p) if outcome, else -ln(1 - p), natural log, p clamped as above:
 * lower is better, 0 is perfect.  NaN for p outside [0, 1] or NaN. */
double parley_score_log(double p, int outcome);

/* ---- numeric questions ---------------------------------------------------- */

/* The most knots a distribution holds: up to 64 quantiles or bins plus the
 * two ends of the scale. */
#define PARLEY_DIST_MAX_KNOTS 66

/* A forecast distribution as a piecewise-linear cumulative distribution
 * function through n knots (x[k], cdf[k]): x non-decreasing (equal x give a
 * jump: a point mass), cdf non-decreasing from cdf[0] = 0 to cdf[n-1] = 1.
 * F(x) = 0 left of x[0] and 1 right of x[n-1]. */
typedef struct parley_dist {
    size_t n;
    double x[PARLEY_DIST_MAX_KNOTS];
    double cdf[PARLEY_DIST_MAX_KNOTS];
} parley_dist;

/* From n quantiles (levels[k] strictly increasing in [0, 1], values[k]
 * non-decreasing in [low, high]) on the scale [low, high]: the CDF is linear
 * between quantiles and reaches 0 at low and 1 at high unless levels 0 and 1
 * are given.  PARLEY_EINVAL (with the reason) for anything else. */
int parley_dist_from_quantiles(double low, double high, const double *levels,
                               const double *values, size_t n, parley_dist *out,
                               parley_error *err);

/* From n >= 1 equal-width bins over [low, high] with weights >= 0 (summing
 * to > 0; they are normalised), mass spread evenly inside each bin.
 * PARLEY_EINVAL for anything else. */
int parley_dist_from_histogram(double low, double high, const double *weights, size_t n,
                               parley_dist *out, parley_error *err);

/* Parses the text form a ledger stores: "q:0.05=10;0.5=30;0.95=60"
 * (level=value pairs) or "h:1,2,7" (bin weights over [low, high]).
 * PARLEY_EPARSE or PARLEY_EINVAL with the reason. */
int parley_dist_parse(const char *text, double low, double high, parley_dist *out,
                      parley_error *err);

/* The continuous ranked probability score of d for the outcome y:
 * integral over x of (F(x) - [x >= y])^2, in the units of the scale, exact
 * for the piecewise-linear F; lower is better, 0 only for a point mass at
 * y.  NaN when d is empty or y is NaN. */
double parley_score_crps(const parley_dist *d, double y);

/* ---- time averaging and calibration --------------------------------------- */

/* The average of n scores where score k holds from days[k] to days[k + 1]
 * (the last one to end_day): a forecaster is scored on what they said on
 * each day until the question closed.  days must be non-decreasing and <=
 * end_day.  When every span is empty (all forecasts made on end_day) it is
 * the last score.  NaN for n == 0 or bad days. */
double parley_score_time_average(const long *days, const double *scores, size_t n,
                                 long end_day);

#define PARLEY_CALIBRATION_BINS 10

/* One bin of a calibration table: forecasts p in [low, high) (the last bin
 * includes 1). */
typedef struct parley_calibration_bin {
    double low, high;
    size_t count;
    double mean_forecast; /* NaN when count == 0 */
    double observed;      /* share of those forecasts whose event happened */
} parley_calibration_bin;

/* Sorts n binary forecasts p[k] with outcomes happened[k] (0 or 1) into
 * PARLEY_CALIBRATION_BINS bins of width 0.1.  Forecasts outside [0, 1] or
 * NaN are skipped. */
void parley_calibration(const double *p, const int *happened, size_t n,
                        parley_calibration_bin bins[PARLEY_CALIBRATION_BINS]);

#endif
