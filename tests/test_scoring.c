/* test_scoring.c — Brier, log and CRPS scores, dates, time averaging and
 * calibration bins (parley/scoring.h).  Reference values are worked by hand
 * or, where marked, by an independent numerical integration in Python:
 * the midpoint rule with 400 000 steps of (F(x) - [x >= y])^2 over the
 * piecewise-linear F, run once, figures pasted here. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "parley/scoring.h"

#define TOL 1e-12

Test(scoring, brier_by_hand)
{
    cr_assert_float_eq(parley_score_brier(0.7, 1), 0.09, TOL);   /* 0.3^2 */
    cr_assert_float_eq(parley_score_brier(0.7, 0), 0.49, TOL);   /* 0.7^2 */
    cr_assert_float_eq(parley_score_brier(0.0, 0), 0.0, TOL);
    cr_assert_float_eq(parley_score_brier(0.0, 1), 1.0, TOL);
    cr_assert(isnan(parley_score_brier(1.2, 1)));
    cr_assert(isnan(parley_score_brier(NAN, 0)));
}

Test(scoring, log_score_natural_log_and_clamp)
{
    /* -ln 0.7 and -ln 0.3 (Python math.log). */
    cr_assert_float_eq(parley_score_log(0.7, 1), 0.35667494393873245, TOL);
    cr_assert_float_eq(parley_score_log(0.7, 0), 1.2039728043259361, TOL);
    /* Certainty and a miss: clamped to 1e-6, -ln 1e-6 = 13.815510557964274. */
    cr_assert_float_eq(parley_score_log(1.0, 0), 13.815510557964274, 1e-9);
    cr_assert_float_eq(parley_score_log(0.0, 1), 13.815510557964274, 1e-9);
    /* Certainty and a hit: -ln(1 - 1e-6) ~ 1e-6, not 0. */
    cr_assert_float_eq(parley_score_log(1.0, 1), 1.0000005e-6, 1e-12);
    cr_assert(isnan(parley_score_log(-0.1, 1)));
}

Test(scoring, dates_parse_and_format)
{
    long day = 0;
    cr_assert_eq(parley_date_parse("1970-01-01", &day, NULL), PARLEY_OK);
    cr_assert_eq(day, 0);
    cr_assert_eq(parley_date_parse("2014-03-31", &day, NULL), PARLEY_OK);
    cr_assert_eq(day, 16160); /* Python: (date(2014,3,31) - date(1970,1,1)).days */
    char buf[16];
    cr_assert_str_eq(parley_date_format(16160, buf, sizeof buf), "2014-03-31");
    cr_assert_str_eq(parley_date_format(-1, buf, sizeof buf), "1969-12-31");
    cr_assert_eq(parley_date_parse("2000-02-29", &day, NULL), PARLEY_OK);
    parley_error err;
    cr_assert_eq(parley_date_parse("2014-02-29", &day, &err), PARLEY_EPARSE);
    cr_assert(strstr(err.message, "not a day"), "%s", err.message);
    cr_assert_eq(parley_date_parse("1900-02-29", &day, NULL), PARLEY_EPARSE);
    cr_assert_eq(parley_date_parse("2014-3-31", &day, NULL), PARLEY_EPARSE);
    cr_assert_eq(parley_date_parse("2014-03-31T00:00", &day, NULL), PARLEY_EPARSE);
    cr_assert_eq(parley_date_parse("2014-13-01", &day, NULL), PARLEY_EPARSE);
}

Test(scoring, crps_uniform_against_closed_form)
{
    /* F uniform on [0, 100] (one bin, or quantiles at 0 and 1): for y in the
     * scale the integral is (y^3 + (100 - y)^3) / (3 * 100^2); for y = 30:
     * (27000 + 343000) / 30000 = 12.3333...  Below the scale by 10 it is
     * 10 + 100/3. */
    parley_dist d;
    double w = 1;
    cr_assert_eq(parley_dist_from_histogram(0, 100, &w, 1, &d, NULL), PARLEY_OK);
    cr_assert_float_eq(parley_score_crps(&d, 30), 370000.0 / 30000.0, 1e-12);
    cr_assert_float_eq(parley_score_crps(&d, -10), 10 + 100.0 / 3, 1e-12);
    cr_assert_float_eq(parley_score_crps(&d, 130), 30 + 100.0 / 3, 1e-12);
    parley_dist q;
    cr_assert_eq(parley_dist_parse("q:0=0;1=100", 0, 100, &q, NULL), PARLEY_OK);
    cr_assert_float_eq(parley_score_crps(&q, 30), 370000.0 / 30000.0, 1e-12);
}

Test(scoring, crps_quantiles_and_histogram_against_integration)
{
    parley_dist d;
    /* Knots (0,0) (20,.1) (40,.5) (70,.9) (100,1); y = 55.  By hand, with
     * the integral of a squared linear piece (b-a)(u^2+uv+v^2)/3: 20(.01)/3
     * + 20(.01+.05+.25)/3 + 15(.25+.35+.49)/3 + 15(.09+.03+.01)/3 + 30(.01)/3
     * = 25/3; Python's integration gave 8.33334933. */
    cr_assert_eq(parley_dist_parse("q:0.1=20;0.5=40;0.9=70", 0, 100, &d, NULL), PARLEY_OK);
    cr_assert_eq(d.n, 5);
    cr_assert_float_eq(parley_score_crps(&d, 55), 25.0 / 3, 1e-12);
    /* Two bins weighted 1:3 over [0, 100]; y = 70.  By hand: 50(.0625)/3 +
     * 20(.0625+.1375+.3025)/3 + 30(.2025)/3 = 77/12; Python: 6.41665717. */
    cr_assert_eq(parley_dist_parse("h:1,3", 0, 100, &d, NULL), PARLEY_OK);
    cr_assert_float_eq(parley_score_crps(&d, 70), 77.0 / 12, 1e-12);
    /* A point mass at y scores 0; at distance 10 it scores 10. */
    double levels[2] = {0, 1}, values[2] = {40, 40};
    cr_assert_eq(parley_dist_from_quantiles(0, 100, levels, values, 2, &d, NULL), PARLEY_OK);
    cr_assert_float_eq(parley_score_crps(&d, 40), 0, 1e-12);
    cr_assert_float_eq(parley_score_crps(&d, 50), 10, 1e-12);
}

Test(scoring, bad_distributions_are_refused)
{
    parley_dist d;
    parley_error err;
    cr_assert_eq(parley_dist_parse("q:0.5=40;0.4=50", 0, 100, &d, &err), PARLEY_EINVAL);
    cr_assert(strstr(err.message, "increase"), "%s", err.message);
    cr_assert_eq(parley_dist_parse("q:0.4=60;0.5=50", 0, 100, &d, &err), PARLEY_EINVAL);
    cr_assert_eq(parley_dist_parse("q:0.5=140", 0, 100, &d, &err), PARLEY_EINVAL);
    cr_assert_eq(parley_dist_parse("h:0,0", 0, 100, &d, &err), PARLEY_EINVAL);
    cr_assert_eq(parley_dist_parse("h:1,-1", 0, 100, &d, &err), PARLEY_EINVAL);
    cr_assert_eq(parley_dist_parse("normal(3,4)", 0, 100, &d, &err), PARLEY_EPARSE);
    cr_assert_eq(parley_dist_parse("q:0.5", 0, 100, &d, &err), PARLEY_EPARSE);
    cr_assert_eq(parley_dist_parse("h:1;2", 0, 100, &d, &err), PARLEY_EPARSE);
    cr_assert_eq(parley_dist_parse("h:1", 5, 5, &d, &err), PARLEY_EINVAL);
}

Test(scoring, time_average_worked_example)
{
    /* 0.2 on 1 April, 0.6 on 11 April, scored until 11 May; it happened.
     * Brier: 0.64 for 10 days, 0.16 for 30: (6.4 + 4.8) / 40 = 0.28.
     * Log: (10 (-ln .2) + 30 (-ln .6)) / 40 = 0.7854786959330181 (Python). */
    long days[2], end;
    parley_date_parse("2014-04-01", &days[0], NULL);
    parley_date_parse("2014-04-11", &days[1], NULL);
    parley_date_parse("2014-05-11", &end, NULL);
    double brier[2] = {parley_score_brier(0.2, 1), parley_score_brier(0.6, 1)};
    double log_score[2] = {parley_score_log(0.2, 1), parley_score_log(0.6, 1)};
    cr_assert_float_eq(parley_score_time_average(days, brier, 2, end), 0.28, 1e-12);
    cr_assert_float_eq(parley_score_time_average(days, log_score, 2, end), 0.7854786959330181,
                       1e-12);
    /* Every forecast on the last day: the last one counts. */
    long same[2] = {end, end};
    cr_assert_float_eq(parley_score_time_average(same, brier, 2, end), 0.16, 1e-12);
    /* Out of order, or after the end: NaN. */
    long backwards[2] = {days[1], days[0]};
    cr_assert(isnan(parley_score_time_average(backwards, brier, 2, end)));
    cr_assert(isnan(parley_score_time_average(days, brier, 2, days[0])));
    cr_assert(isnan(parley_score_time_average(days, brier, 0, end)));
}

Test(scoring, calibration_bins)
{
    const double p[] = {0.05, 0.15, 0.12, 0.3, 0.95, 1.0, NAN, 0.7};
    const int happened[] = {0, 1, 0, 1, 1, 0, 1, 1};
    parley_calibration_bin bins[PARLEY_CALIBRATION_BINS];
    parley_calibration(p, happened, 8, bins);
    cr_assert_eq(bins[0].count, 1);
    cr_assert_float_eq(bins[0].mean_forecast, 0.05, TOL);
    cr_assert_float_eq(bins[0].observed, 0.0, TOL);
    cr_assert_eq(bins[1].count, 2);
    cr_assert_float_eq(bins[1].mean_forecast, 0.135, TOL);
    cr_assert_float_eq(bins[1].observed, 0.5, TOL);
    cr_assert_eq(bins[2].count, 0);
    cr_assert(isnan(bins[2].mean_forecast));
    cr_assert_eq(bins[3].count, 1, "0.3 belongs to [0.3, 0.4)");
    cr_assert_eq(bins[7].count, 1, "0.7 belongs to [0.7, 0.8)");
    cr_assert_eq(bins[9].count, 2, "1.0 is in the last bin");
    cr_assert_float_eq(bins[9].mean_forecast, 0.975, TOL);
    cr_assert_float_eq(bins[9].observed, 0.5, TOL);
    size_t total = 0;
    for (size_t b = 0; b < PARLEY_CALIBRATION_BINS; b++)
        total += bins[b].count;
    cr_assert_eq(total, 7, "NaN is skipped");
}
