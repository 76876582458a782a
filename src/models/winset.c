/* winset.c — the 1-D winset of a decision rule and the bargains inside it
 * (winset.h).
 *
 * Tsebelis, Veto Players (2002), ch. 1: the winset W(d) of the status quo d
 * is the set of points a winning coalition prefers to d.  In one dimension,
 * with linear loss, voter i prefers x to d iff x lies strictly between d and
 * its reach r_i = 2 x_i - d.  Sorting the voters on one side by reach, from
 * the farthest, the coalition preferring x is a prefix of that order; the
 * first prefix that wins fixes the far end of W(d) on that side at the
 * reach of its last member (ties join together). */
#include "winset.h"

#include <math.h>

/* A relative tolerance for comparing shares: 255/345 of a sum of integer
 * vote weights must count as reached when it is. */
#define SHARE_SLACK 1e-12

static int reaches(double have, double total, double share, int strict)
{
    if (!(share > 0))
        return 1;
    double need = share * total;
    if (strict)
        return have > need + SHARE_SLACK * total;
    return have >= need - SHARE_SLACK * total;
}

int parley_winset_wins(const parley_winset_voter *voters, size_t n, const int *member,
                       const parley_winset_rule *rule)
{
    double weight = 0, weight_total = rule->absent_weight;
    double population = 0, population_total = rule->absent_population;
    size_t count = 0, count_total = rule->absent_count;
    for (size_t k = 0; k < n; k++) {
        if (voters[k].votes) {
            weight_total += voters[k].weight;
            population_total += voters[k].population;
            count_total++;
        }
        if (member[k] && voters[k].votes) {
            weight += voters[k].weight;
            population += voters[k].population;
            count++;
        } else if (!member[k] && voters[k].veto) {
            return 0;
        }
    }
    if (!reaches(weight, weight_total, rule->weight_share, rule->strict))
        return 0;
    if (rule->blocking_min && count_total - count < rule->blocking_min && count > 0)
        return 1;
    return reaches((double)count, (double)count_total, rule->count_share, 0) &&
           reaches(population, population_total, rule->population_share, 0);
}

/* Sorts the voters strictly on side (+1 above d, -1 below) by reach, the
 * farthest first, into order; returns how many there are. */
static size_t sort_side(const parley_winset_voter *voters, size_t n, double reference,
                        int side, size_t *order)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        double offset = side * (voters[k].position - reference);
        if (!(offset > 0))
            continue;
        size_t at = m++;
        /* Insertion: n is a few dozen voters at most in practice. */
        while (at > 0 && side * (voters[order[at - 1]].position - reference) < offset) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = k;
    }
    return m;
}

/* The far end of W(d) on one side, or NaN when that side is empty. */
static double side_end(const parley_winset_voter *voters, size_t n, double reference,
                       const parley_winset_rule *rule, int side, size_t *order, int *member)
{
    size_t m = sort_side(voters, n, reference, side, order);
    for (size_t k = 0; k < n; k++)
        member[k] = 0;
    for (size_t k = 0; k < m;) {
        double position = voters[order[k]].position;
        /* Voters with the same reach join the coalition together. */
        while (k < m && voters[order[k]].position == position)
            member[order[k++]] = 1;
        if (parley_winset_wins(voters, n, member, rule))
            return 2 * position - reference;
    }
    return NAN;
}

void parley_winset_compute(const parley_winset_voter *voters, size_t n, double reference,
                           const parley_winset_rule *rule, size_t *scratch,
                           parley_winset *out)
{
    int flags_stack[PARLEY_WINSET_MAX_VOTERS];
    out->reference = reference;
    out->has_below = out->has_above = 0;
    out->below_lo = out->above_hi = reference;
    if (n > sizeof flags_stack / sizeof *flags_stack)
        return; /* callers check n against PARLEY_WINSET_MAX_VOTERS */
    double above = side_end(voters, n, reference, rule, +1, scratch, flags_stack);
    double below = side_end(voters, n, reference, rule, -1, scratch, flags_stack);
    if (!isnan(above)) {
        out->has_above = 1;
        out->above_hi = above;
    }
    if (!isnan(below)) {
        out->has_below = 1;
        out->below_lo = below;
    }
}

int parley_winset_empty(const parley_winset *ws)
{
    return !ws->has_below && !ws->has_above;
}

double parley_winset_project(const parley_winset *ws, double x)
{
    double d = ws->reference;
    double lo = ws->has_below ? ws->below_lo : d;
    double hi = ws->has_above ? ws->above_hi : d;
    return x < lo ? lo : x > hi ? hi : x;
}

/* d/dx of sum w_i ln(|d - x_i| - |x - x_i|) over the bargainers in gains[]. */
static double nash_slope(const parley_bargainer *b, size_t n, const int *gains,
                         double reference, double x)
{
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        if (!gains[k])
            continue;
        double gain = fabs(reference - b[k].position) - fabs(x - b[k].position);
        double direction = b[k].position > x ? 1.0 : b[k].position < x ? -1.0 : 0.0;
        total += b[k].weight * direction / gain;
    }
    return total;
}

double parley_winset_nash(const parley_winset *ws, const parley_bargainer *b, size_t n,
                          double x_hint)
{
    double d = ws->reference;
    int side;
    if (ws->has_above && ws->has_below)
        side = x_hint >= d ? +1 : -1;
    else if (ws->has_above)
        side = +1;
    else if (ws->has_below)
        side = -1;
    else
        return NAN;
    double end = side > 0 ? ws->above_hi : ws->below_lo;
    int gains_stack[PARLEY_WINSET_MAX_VOTERS];
    if (n > sizeof gains_stack / sizeof *gains_stack)
        return NAN;
    size_t n_gain = 0;
    for (size_t k = 0; k < n; k++) {
        double reach = 2 * b[k].position - d;
        gains_stack[k] = b[k].weight > 0 && side * (b[k].position - d) > 0 &&
                         side * (reach - end) >= 0;
        n_gain += (size_t)gains_stack[k];
    }
    if (!n_gain)
        return NAN;
    double lo = side > 0 ? d : end, hi = side > 0 ? end : d;
    for (int step = 0; step < 200; step++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (nash_slope(b, n, gains_stack, d, mid) > 0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}
