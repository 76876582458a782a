/* scoring.c — Brier, log and CRPS scores, time averaging and calibration
 * bins (parley/scoring.h; conventions in docs/scoring.md).
 *
 * Brier: G. W. Brier, "Verification of forecasts expressed in terms of
 * probability", Monthly Weather Review 78 (1950) 1-3, in its one-event form.
 * CRPS: T. Gneiting and A. E. Raftery, "Strictly proper scoring rules,
 * prediction, and estimation", JASA 102 (2007) 359-378, eq. (20). */
#include "parley/scoring.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dates ---------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d: H. Hinnant's days_from_civil, which needs
 * no time zone and no timegm. */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n, long *value)
{
    *value = 0;
    for (int k = 0; k < n; k++) {
        if (!isdigit((unsigned char)s[k]))
            return 0;
        *value = *value * 10 + (s[k] - '0');
    }
    return 1;
}

int parley_date_parse(const char *text, long *day, parley_error *err)
{
    long y, m, d;
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-' ||
        !digits(text, 4, &y) || !digits(text + 5, 2, &m) || !digits(text + 8, 2, &d) ||
        y < 1000)
        return parley_error_set(err, PARLEY_EPARSE,
                                "\"%s\" is not a date (expected YYYY-MM-DD)",
                                text ? text : "");
    static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > month_days[m - 1] || (m == 2 && d == 29 && !leap))
        return parley_error_set(err, PARLEY_EPARSE, "\"%s\" is not a day of the calendar",
                                text);
    *day = days_from_civil(y, m, d);
    return PARLEY_OK;
}

char *parley_date_format(long day, char *buf, size_t n)
{
    long y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04ld-%02ld-%02ld", y, m, d);
    return buf;
}

/* ---- binary --------------------------------------------------------------- */

double parley_score_brier(double p, int outcome)
{
    if (!(p >= 0 && p <= 1))
        return (double)NAN;
    double miss = (outcome ? 1.0 : 0.0) - p;
    return miss * miss;
}

double parley_score_log(double p, int outcome)
{
    if (!(p >= 0 && p <= 1))
        return (double)NAN;
    double said = outcome ? p : 1 - p;
    if (said < PARLEY_LOG_CLAMP)
        said = PARLEY_LOG_CLAMP;
    if (said > 1 - PARLEY_LOG_CLAMP)
        said = 1 - PARLEY_LOG_CLAMP;
    return -log(said);
}

/* ---- distributions -------------------------------------------------------- */

static int check_scale(double low, double high, parley_error *err)
{
    if (!(isfinite(low) && isfinite(high) && low < high))
        return parley_error_set(err, PARLEY_EINVAL,
                                "the scale [%g, %g] needs finite ends, low < high", low, high);
    return PARLEY_OK;
}

static void push_knot(parley_dist *d, double x, double cdf)
{
    d->x[d->n] = x;
    d->cdf[d->n] = cdf;
    d->n++;
}

int parley_dist_from_quantiles(double low, double high, const double *levels,
                               const double *values, size_t n, parley_dist *out,
                               parley_error *err)
{
    out->n = 0;
    int rc = check_scale(low, high, err);
    if (rc != PARLEY_OK)
        return rc;
    if (n == 0 || n > PARLEY_DIST_MAX_KNOTS - 2)
        return parley_error_set(err, PARLEY_EINVAL, "%zu quantiles (expected 1 to %d)", n,
                                PARLEY_DIST_MAX_KNOTS - 2);
    for (size_t k = 0; k < n; k++) {
        if (!(levels[k] >= 0 && levels[k] <= 1) || (k && !(levels[k] > levels[k - 1])))
            return parley_error_set(err, PARLEY_EINVAL,
                                    "quantile levels must increase strictly within [0, 1] "
                                    "(level %g)",
                                    levels[k]);
        if (!(values[k] >= low && values[k] <= high) || (k && values[k] < values[k - 1]))
            return parley_error_set(err, PARLEY_EINVAL,
                                    "quantile values must not decrease and must lie on the "
                                    "scale [%g, %g] (value %g at level %g)",
                                    low, high, values[k], levels[k]);
    }
    if (levels[0] > 0)
        push_knot(out, low, 0);
    for (size_t k = 0; k < n; k++)
        push_knot(out, values[k], levels[k]);
    if (levels[n - 1] < 1)
        push_knot(out, high, 1);
    if (out->n < 2 || out->x[0] == out->x[out->n - 1]) {
        /* One value at level 0 or 1 only, or all at one point: a point mass
         * there. */
        double at = out->x[0];
        out->n = 0;
        push_knot(out, at, 0);
        push_knot(out, at, 1);
    }
    return PARLEY_OK;
}

int parley_dist_from_histogram(double low, double high, const double *weights, size_t n,
                               parley_dist *out, parley_error *err)
{
    out->n = 0;
    int rc = check_scale(low, high, err);
    if (rc != PARLEY_OK)
        return rc;
    if (n == 0 || n > PARLEY_DIST_MAX_KNOTS - 2)
        return parley_error_set(err, PARLEY_EINVAL, "%zu bins (expected 1 to %d)", n,
                                PARLEY_DIST_MAX_KNOTS - 2);
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        if (!(weights[k] >= 0 && isfinite(weights[k])))
            return parley_error_set(err, PARLEY_EINVAL, "bin %zu has weight %g (expected >= 0)",
                                    k + 1, weights[k]);
        total += weights[k];
    }
    if (!(total > 0))
        return parley_error_set(err, PARLEY_EINVAL, "the bins' weights sum to 0");
    double width = (high - low) / (double)n, below = 0;
    push_knot(out, low, 0);
    for (size_t k = 0; k < n; k++) {
        below += weights[k];
        push_knot(out, k + 1 == n ? high : low + width * (double)(k + 1),
                  k + 1 == n ? 1.0 : below / total);
    }
    return PARLEY_OK;
}

/* Reads numbers separated by sep (and for quantiles "level=value" pairs). */
int parley_dist_parse(const char *text, double low, double high, parley_dist *out,
                      parley_error *err)
{
    double first[PARLEY_DIST_MAX_KNOTS], second[PARLEY_DIST_MAX_KNOTS];
    out->n = 0;
    int quantiles = text && strncmp(text, "q:", 2) == 0;
    if (!text || (!quantiles && strncmp(text, "h:", 2) != 0))
        return parley_error_set(err, PARLEY_EPARSE,
                                "\"%s\" is not a distribution (expected "
                                "q:LEVEL=VALUE;... or h:WEIGHT,...)",
                                text ? text : "");
    const char *at = text + 2;
    size_t n = 0;
    for (;;) {
        if (n == PARLEY_DIST_MAX_KNOTS - 2)
            return parley_error_set(err, PARLEY_EINVAL, "more than %d numbers in \"%s\"",
                                    PARLEY_DIST_MAX_KNOTS - 2, text);
        char *end = NULL;
        first[n] = strtod(at, &end);
        if (end == at)
            return parley_error_set(err, PARLEY_EPARSE, "expected a number at \"%s\" in \"%s\"",
                                    at, text);
        at = end;
        if (quantiles) {
            if (*at != '=')
                return parley_error_set(err, PARLEY_EPARSE,
                                        "expected LEVEL=VALUE at \"%s\" in \"%s\"", at, text);
            at++;
            second[n] = strtod(at, &end);
            if (end == at)
                return parley_error_set(err, PARLEY_EPARSE,
                                        "expected a value at \"%s\" in \"%s\"", at, text);
            at = end;
        }
        n++;
        if (*at == '\0')
            break;
        if (*at != (quantiles ? ';' : ','))
            return parley_error_set(err, PARLEY_EPARSE, "expected '%c' at \"%s\" in \"%s\"",
                                    quantiles ? ';' : ',', at, text);
        at++;
    }
    if (quantiles)
        return parley_dist_from_quantiles(low, high, first, second, n, out, err);
    return parley_dist_from_histogram(low, high, first, n, out, err);
}

/* The integral over [a, b] of the square of a function linear from u to v. */
static double square_integral(double a, double b, double u, double v)
{
    return (b - a) * (u * u + u * v + v * v) / 3;
}

double parley_score_crps(const parley_dist *d, double y)
{
    if (!d || d->n < 2 || isnan(y))
        return (double)NAN;
    double x0 = d->x[0], xn = d->x[d->n - 1];
    /* Tails: F = 0 below x0 where the step is 1, F = 1 above xn where it
     * is 0. */
    double total = (x0 > y ? x0 - y : 0) + (y > xn ? y - xn : 0);
    for (size_t k = 0; k + 1 < d->n; k++) {
        double a = d->x[k], b = d->x[k + 1], u = d->cdf[k], v = d->cdf[k + 1];
        if (b <= a)
            continue;
        if (y <= a) {
            total += square_integral(a, b, 1 - u, 1 - v);
        } else if (y >= b) {
            total += square_integral(a, b, u, v);
        } else {
            double w = u + (v - u) * (y - a) / (b - a);
            total += square_integral(a, y, u, w) + square_integral(y, b, 1 - w, 1 - v);
        }
    }
    return total;
}

/* ---- time averaging and calibration --------------------------------------- */

double parley_score_time_average(const long *days, const double *scores, size_t n,
                                 long end_day)
{
    if (n == 0)
        return (double)NAN;
    double weighted = 0;
    long span = 0;
    for (size_t k = 0; k < n; k++) {
        long until = k + 1 < n ? days[k + 1] : end_day;
        if (until < days[k])
            return (double)NAN;
        weighted += scores[k] * (double)(until - days[k]);
        span += until - days[k];
    }
    return span > 0 ? weighted / (double)span : scores[n - 1];
}

void parley_calibration(const double *p, const int *happened, size_t n,
                        parley_calibration_bin bins[PARLEY_CALIBRATION_BINS])
{
    double sum_p[PARLEY_CALIBRATION_BINS] = {0}, hits[PARLEY_CALIBRATION_BINS] = {0};
    for (size_t b = 0; b < PARLEY_CALIBRATION_BINS; b++)
        bins[b] = (parley_calibration_bin){(double)b / PARLEY_CALIBRATION_BINS,
                                           (double)(b + 1) / PARLEY_CALIBRATION_BINS, 0,
                                           (double)NAN, (double)NAN};
    for (size_t k = 0; k < n; k++) {
        if (!(p[k] >= 0 && p[k] <= 1))
            continue;
        /* Decide the bin by comparing with its edges, not by flooring
         * p * 10, so that 0.3 (0.29999... times 10) lands in [0.3, 0.4). */
        size_t b = 0;
        while (b + 1 < PARLEY_CALIBRATION_BINS && p[k] >= bins[b + 1].low)
            b++;
        bins[b].count++;
        sum_p[b] += p[k];
        hits[b] += happened[k] ? 1 : 0;
    }
    for (size_t b = 0; b < PARLEY_CALIBRATION_BINS; b++)
        if (bins[b].count) {
            bins[b].mean_forecast = sum_p[b] / (double)bins[b].count;
            bins[b].observed = hits[b] / (double)bins[b].count;
        }
}
