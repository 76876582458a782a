/* backtest_report.c — a backtest's intervals as a text table and as an SVG
 * dot-and-interval plot (parley/backtest.h).
 *
 * The chart module (parley/chart.h) draws runs, Monte Carlo and
 * sensitivity; it has no chart of errors with intervals, so this one is
 * hand-written SVG in the same spirit: text stays text, classes name the
 * parts ("plot", "estimate", "interval", "model-label", "subset-title"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "parley/backtest.h"
#include "report_internal.h"

static void put_interval(parley_buf *b, parley_interval in, double scale, const char *unit)
{
    char text[48];
    if (isnan(in.estimate))
        snprintf(text, sizeof text, "-");
    else if (isnan(in.low))
        snprintf(text, sizeof text, "%.1f%s", in.estimate * scale, unit);
    else
        snprintf(text, sizeof text, "%.1f%s [%.1f, %.1f]", in.estimate * scale, unit,
                 in.low * scale, in.high * scale);
    parley_buf_printf(b, " %-21s", text);
}

static void put_diff(parley_buf *b, parley_interval in, int is_baseline)
{
    char text[48];
    if (is_baseline)
        snprintf(text, sizeof text, "(baseline)");
    else if (isnan(in.estimate))
        snprintf(text, sizeof text, "-");
    else if (isnan(in.low))
        snprintf(text, sizeof text, "%+.2f", in.estimate);
    else
        snprintf(text, sizeof text, "%+.2f [%+.2f, %+.2f]", in.estimate, in.low, in.high);
    parley_buf_printf(b, " %s", text);
}

int parley_backtest_stats_text(const parley_backtest_stats *stats, const parley_backtest *bt,
                               char **out, parley_error *err)
{
    parley_buf b = {0};
    const parley_backtest_stats_opts *opts = &stats->opts;
    parley_buf_printf(&b, "bootstrap: %zu resamples of %s groups, seed %llu, %.0f %% percentile "
                   "intervals\n",
               opts->resamples, opts->group_key ? opts->group_key : "scenario",
               (unsigned long long)opts->seed, 100 * opts->level);
    for (size_t s = 0; s < stats->n_subsets; s++) {
        size_t groups = 0, issues = 0;
        for (size_t m = 0; m < stats->n_models; m++) {
            const parley_backtest_cell *cell = parley_backtest_cell_at(stats, m, s);
            groups = cell->n_groups > groups ? cell->n_groups : groups;
            issues = cell->n_issues > issues ? cell->n_issues : issues;
        }
        parley_buf_printf(&b, "\n%s: %zu issues, %zu groups\n", stats->subset_names[s], issues,
                   groups);
        char within[32], versus[160];
        snprintf(within, sizeof within, "within %g", opts->within);
        snprintf(versus, sizeof versus, "minus %s",
                 stats->baseline >= 0 ? bt->models[stats->baseline].label : "(no baseline)");
        parley_buf_printf(&b, "%-24s %4s %-21s %-21s %-21s %s\n", "model", "n", "MAE", "median AE",
                   within, versus);
        for (size_t m = 0; m < stats->n_models; m++) {
            const parley_backtest_cell *cell = parley_backtest_cell_at(stats, m, s);
            rep_put_cut(&b, bt->models[m].label, 24);
            size_t width = rep_width(bt->models[m].label);
            for (size_t pad = width < 24 ? width : 24; pad < 24; pad++)
                parley_buf_puts(&b, " ");
            parley_buf_printf(&b, " %4zu", cell->n_issues);
            put_interval(&b, cell->mae, 1, "");
            put_interval(&b, cell->median, 1, "");
            put_interval(&b, cell->within, 100, "%");
            put_diff(&b, cell->diff, (long)m == stats->baseline);
            parley_buf_puts(&b, "\n");
        }
    }
    return parley_buf_finish(&b, out, err);
}

static void put_escaped(parley_buf *b, const char *text)
{
    for (const char *c = text; *c; c++) {
        switch (*c) {
        case '&': parley_buf_puts(b, "&amp;"); break;
        case '<': parley_buf_puts(b, "&lt;"); break;
        case '>': parley_buf_puts(b, "&gt;"); break;
        case '"': parley_buf_puts(b, "&quot;"); break;
        default: parley_buf_printf(b, "%c", *c); break;
        }
    }
}

/* Layout of the SVG, in pixels. */
enum { SVG_WIDTH = 760, LABEL_WIDTH = 200, ROW = 18, TITLE = 26, GAP = 14, MARGIN = 10 };

int parley_backtest_stats_svg(const parley_backtest_stats *stats, const parley_backtest *bt,
                              const char *title, char **out, parley_error *err)
{
    double top = 0;
    for (size_t k = 0; k < stats->n_models * stats->n_subsets; k++) {
        const parley_interval *mae = &stats->cells[k].mae;
        top = fmax(top, isnan(mae->high) ? (isnan(mae->estimate) ? 0 : mae->estimate) : mae->high);
    }
    top = top > 0 ? 10 * ceil(top / 10) : 10;
    double plot_x = LABEL_WIDTH, plot_w = SVG_WIDTH - LABEL_WIDTH - 2 * MARGIN;
    double panel_h = TITLE + ROW * (double)stats->n_models + GAP;
    double height = 2 * TITLE + panel_h * (double)stats->n_subsets + 20;
    parley_buf b = {0};
    parley_buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
               "viewBox=\"0 0 %d %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
               SVG_WIDTH, height, SVG_WIDTH, height);
    parley_buf_puts(&b, "<text class=\"title\" x=\"10\" y=\"18\" font-size=\"14\">");
    put_escaped(&b, title ? title : "backtest");
    parley_buf_printf(&b, ": mean absolute error with %.0f %% bootstrap intervals</text>\n",
               100 * stats->opts.level);
    double y = 2 * TITLE;
    for (size_t s = 0; s < stats->n_subsets; s++) {
        double plot_h = ROW * (double)stats->n_models;
        parley_buf_puts(&b, "<text class=\"subset-title\" x=\"10\" font-weight=\"bold\" ");
        parley_buf_printf(&b, "y=\"%.1f\">", y + 14);
        put_escaped(&b, stats->subset_names[s]);
        parley_buf_puts(&b, "</text>\n");
        y += TITLE;
        parley_buf_printf(&b,
                   "<rect class=\"plot\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                   "fill=\"none\" stroke=\"#999\"/>\n",
                   plot_x, y, plot_w, plot_h);
        for (int tick = 0; tick <= 10; tick += 2) {
            double x = plot_x + plot_w * tick / 10.0;
            parley_buf_printf(&b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                       "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                       "font-size=\"10\">%g</text>\n",
                       x, y, x, y + plot_h, x, y + plot_h + 11, top * tick / 10.0);
        }
        for (size_t m = 0; m < stats->n_models; m++) {
            const parley_backtest_cell *cell = parley_backtest_cell_at(stats, m, s);
            double row_y = y + ROW * ((double)m + 0.5);
            parley_buf_printf(&b, "<text class=\"model-label\" x=\"%.1f\" y=\"%.1f\" "
                           "text-anchor=\"end\">", plot_x - 6, row_y + 4);
            put_escaped(&b, bt->models[m].label);
            parley_buf_puts(&b, "</text>\n");
            if (isnan(cell->mae.estimate))
                continue;
            if (!isnan(cell->mae.low))
                parley_buf_printf(&b,
                           "<line class=\"interval\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                           "y2=\"%.1f\" stroke=\"#0072B2\" stroke-width=\"2\"/>\n",
                           plot_x + plot_w * cell->mae.low / top, row_y,
                           plot_x + plot_w * cell->mae.high / top, row_y);
            parley_buf_printf(&b,
                       "<circle class=\"estimate\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
                       "fill=\"%s\"><title>%.2f</title></circle>\n",
                       plot_x + plot_w * cell->mae.estimate / top, row_y,
                       (long)m == stats->baseline ? "#D55E00" : "#0072B2", cell->mae.estimate);
        }
        y += plot_h + GAP + 6;
    }
    parley_buf_puts(&b, "</svg>\n");
    return parley_buf_finish(&b, out, err);
}
