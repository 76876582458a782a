/* eu_votes.c — the vote sums of eq. 31 of the expected-utility model in
 * O(n^2) per pass instead of O(n^3).
 *
 * Scholz, Calbert & Smith (2011), eq. 31, as read in MODELS.md section 4:
 * voter k's vote for position a over position b is
 *
 *     v_k(a, b) = f_k(b) - f_k(a),   f_k(y) = w_k (|x_k - y| / R)^{r_k},
 *
 * and the model needs, for every ordered pair of actors (i, j), the sum of
 * the positive votes N(i, j) = sum_k max(0, v_k(x_i, x_j)), and the global
 * denominator D = sum_k sum_a sum_b |v_k(x_a, x_b)|.
 *
 * Why this is fast.  f_k grows with the distance from x_k whatever r_k > 0
 * is, so v_k(x_i, x_j) > 0 exactly when voter k is nearer x_i than x_j: for
 * x_i < x_j, when x_k lies below the midpoint m = (x_i + x_j)/2.  So
 *
 *     N(i, j) = sum_{x_k <= m} f_k(x_j) - sum_{x_k <= m} f_k(x_i),
 *
 * two prefix sums over the voters sorted by position, of the "columns"
 * f_.(x_j) and f_.(x_i) (a voter exactly at m adds 0 to either side).  With
 * r_k = 1 (pass 1) prefix sums of w and w x would do; with a different
 * exponent per voter (pass 2) no such algebra applies, but the queries come
 * in order: taking the pairs i < j row by row, each column c is asked for
 * prefixes at m(i, c) for i < c in increasing order, then at m(c, j) for
 * j > c in increasing order, and every one of those midpoints is at least
 * the previous.  So one forward cursor per column answers all its queries:
 * every f_k(x_c) is computed once, O(n^2) in all, O(n) memory.  The other
 * side follows from the column totals T_c = sum_k f_k(x_c):
 *
 *     N(j, i) = N(i, j) - (T_j - T_i).
 *
 * D: for one voter, sum_a sum_b |f_k(x_a) - f_k(x_b)| over values sorted
 * ascending g_0 <= ... <= g_{n-1} is 2 sum_t g_t (2t - n + 1), and the
 * actors sorted by distance from x_k are a merge of those below (going
 * down) and those above (going up): O(n) per voter. */
#include <math.h>

#include "eu_internal.h"

/* f_k(at): voter k's weighted distance term. */
static double distance_term(const parley_eu_votes *votes, size_t voter, double at)
{
    double distance = fabs(votes->position[voter] - at) / votes->range;
    double exponent = votes->exponent ? votes->exponent[voter] : 1.0;
    return votes->weight[voter] * (exponent == 1.0 ? distance : pow(distance, exponent));
}

double parley_eu_votes_total(parley_eu_votes *votes)
{
    size_t n = votes->n;
    const double *x = votes->position;
    for (size_t c = 0; c < n; c++) {
        votes->column_total[c] = 0;
        votes->column_prefix[c] = 0;
        votes->cursor[c] = 0;
    }
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        if (!(votes->weight[k] > 0))
            continue;
        /* Actors by distance from x_k: k itself, then a merge of those
         * below (down from k - 1) and those above (up from k + 1). */
        double sum = 0;
        size_t below = k, above = k + 1;
        for (size_t rank = 0; rank < n; rank++) {
            size_t actor;
            if (rank == 0)
                actor = k;
            else if (below == 0)
                actor = above++;
            else if (above == n || x[k] - x[below - 1] <= x[above] - x[k])
                actor = --below;
            else
                actor = above++;
            double value = distance_term(votes, k, x[actor]);
            votes->column_total[actor] += value;
            sum += value * (2.0 * (double)rank - (double)(n - 1));
        }
        total += 2.0 * sum;
    }
    return total;
}

/* The sum of column c over the voters at or below m, moving c's cursor. */
static double column_prefix(parley_eu_votes *votes, size_t c, double m)
{
    size_t k = votes->cursor[c];
    double sum = votes->column_prefix[c];
    while (k < votes->n && votes->position[k] <= m)
        sum += distance_term(votes, k++, votes->position[c]);
    votes->cursor[c] = k;
    votes->column_prefix[c] = sum;
    return sum;
}

void parley_eu_votes_row(parley_eu_votes *votes, size_t a, double *for_a, double *for_b)
{
    const double *x = votes->position;
    for (size_t b = a + 1; b < votes->n; b++) {
        if (x[b] == x[a]) {
            for_a[b] = for_b[b] = 0;
            continue;
        }
        double midpoint = 0.5 * (x[a] + x[b]);
        double toward_a = column_prefix(votes, b, midpoint) - column_prefix(votes, a, midpoint);
        for_a[b] = fmax(0.0, toward_a);
        for_b[b] = fmax(0.0, toward_a - (votes->column_total[b] - votes->column_total[a]));
    }
}
