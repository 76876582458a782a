/* ledger_run.c — a stored Monte Carlo run's probability of an event, for a
 * model's forecast in the ledger (parley/ledger.h). */
#include "ledger_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"

/* Copies text without the blanks outside quotes, so that "a>=60" and
 * "a >= 60" compare equal.  out has strlen(text) + 1 bytes. */
static void squeeze(const char *text, char *out)
{
    char quote = 0;
    for (; *text; text++) {
        if (quote) {
            quote = *text == quote ? 0 : quote;
        } else if (*text == '\'' || *text == '"') {
            quote = *text;
        } else if (isspace((unsigned char)*text)) {
            continue;
        }
        *out++ = *text;
    }
    *out = '\0';
}

static int same_event(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *sa = parley_malloc(na + 1), *sb = parley_malloc(nb + 1);
    int same = -1; /* out of memory */
    if (sa && sb) {
        squeeze(a, sa);
        squeeze(b, sb);
        same = strcmp(sa, sb) == 0;
    }
    parley_free(sa);
    parley_free(sb);
    return same;
}

static int is_word_char(char c)
{
    return c && !isspace((unsigned char)c) && !strchr("<>=!()&|'\"", c);
}

static long issue_named(const parley_scenario *sc, const char *word)
{
    long found = parley_scenario_find_issue(sc, word);
    for (size_t i = 0; found < 0 && i < sc->n_issues; i++)
        if (sc->issues[i].name && strcmp(sc->issues[i].name, word) == 0)
            found = (long)i;
    return found;
}

/* The one issue a parsed event compares, or -1 when it compares several.
 * It walks the grammar of parley/montecarlo.h: comparisons ISSUE OP NUMBER
 * joined by and/or and parentheses; the text is known to parse. */
static long only_issue(const char *text, const parley_scenario *sc)
{
    long issue = -2;
    const char *at = text;
    for (;;) {
        while (*at && (isspace((unsigned char)*at) || *at == '(' || *at == ')'))
            at++;
        if (!*at)
            break;
        if (strncmp(at, "&&", 2) == 0 || strncmp(at, "||", 2) == 0) {
            at += 2;
            continue;
        }
        size_t len = 0;
        const char *word = at;
        if (*at == '\'' || *at == '"') {
            const char *close = strchr(at + 1, *at);
            if (!close)
                return -1;
            word = at + 1;
            len = (size_t)(close - word);
            at = close + 1;
        } else {
            while (is_word_char(at[len]))
                len++;
            at += len;
            if ((len == 3 && strncmp(word, "and", 3) == 0) ||
                (len == 2 && strncmp(word, "or", 2) == 0))
                continue;
        }
        char name[256];
        if (len == 0 || len >= sizeof name)
            return -1;
        memcpy(name, word, len);
        name[len] = '\0';
        long found = issue_named(sc, name);
        if (found < 0 || (issue >= 0 && found != issue))
            return -1;
        issue = found;
        while (*at && (isspace((unsigned char)*at) || strchr("<>=!", *at)))
            at++;
        char *end = NULL;
        strtod(at, &end);
        if (end == at)
            return -1;
        at = end;
    }
    return issue >= 0 ? issue : -1;
}

/* The share of samples whose forecast of issue makes ev true, from the
 * issue's fine histogram evaluated at each bin's centre. */
static double histogram_probability(const parley_mc_result *mc, size_t issue,
                                    const parley_mc_event *ev, double *forecast)
{
    const parley_mc_issue *summary = &mc->issues[issue];
    double width = (summary->high - summary->low) / PARLEY_MC_BINS;
    uint64_t held = 0;
    for (size_t j = 0; j < PARLEY_MC_BINS; j++) {
        if (!summary->bins[j])
            continue;
        forecast[issue] = summary->low + ((double)j + 0.5) * width;
        if (parley_mc_event_eval(ev, forecast))
            held += summary->bins[j];
    }
    return (double)held / (double)mc->done;
}

int parley_ledger_run_probability(const parley_stored_run *run, const char *event,
                                  double *probability, int *from_histogram,
                                  parley_error *err)
{
    *probability = (double)NAN;
    if (from_histogram)
        *from_histogram = 0;
    if (!run->mc || run->info.kind != PARLEY_RUN_KIND_MC)
        return parley_error_set(err, PARLEY_EINVAL,
                                "run %lld is not a Monte Carlo run: only `parley mc` runs "
                                "give event probabilities",
                                (long long)run->info.id);
    for (size_t k = 0; k < run->mc->n_events; k++) {
        int same = same_event(run->mc_event_texts[k], event);
        if (same < 0)
            return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
        if (same) {
            *probability = run->mc->events[k].probability;
            return PARLEY_OK;
        }
    }
    parley_mc_event *ev = NULL;
    int rc = parley_mc_event_parse(event, run->scenario, &ev, err);
    if (rc != PARLEY_OK)
        return rc;
    long issue = only_issue(event, run->scenario);
    if (issue < 0 || (size_t)issue >= run->mc->n_issues || !run->mc->issues[issue].bins ||
        run->mc->done == 0) {
        parley_mc_event_free(ev);
        return parley_error_set(err, PARLEY_EINVAL,
                                "run %lld did not count the event \"%s\", and its stored "
                                "per-issue histograms cannot give it (%s); run `parley mc "
                                "--event '%s'` and use that run",
                                (long long)run->info.id, event,
                                run->mc->done == 0 ? "the run has no samples"
                                                   : "the event compares more than one issue",
                                event);
    }
    double *forecast = parley_malloc(run->mc->n_issues * sizeof *forecast);
    if (!forecast) {
        parley_mc_event_free(ev);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < run->mc->n_issues; i++)
        forecast[i] = (double)NAN;
    *probability = histogram_probability(run->mc, (size_t)issue, ev, forecast);
    if (from_histogram)
        *from_histogram = 1;
    parley_free(forecast);
    parley_mc_event_free(ev);
    return PARLEY_OK;
}
