/* store_fixture.h — what tests/test_store*.c share: a temporary directory
 * removed afterwards, a small scenario, a synthetic result whose every
 * number is known, and running the sqlite3 shell on a store.  Header-only:
 * each test executable links its own copy. */
#ifndef PARLEY_STORE_FIXTURE_H
#define PARLEY_STORE_FIXTURE_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/result.h"
#include "parley/scenario.h"

/* A fresh directory under $TMPDIR (or /tmp); path is written into dir. */
static inline int fixture_mkdtemp(char *dir, size_t n)
{
    const char *base = getenv("TMPDIR");
    snprintf(dir, n, "%s/parley-store-XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes every file in dir (the store, its -wal and -shm) and dir. */
static inline void fixture_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *entry;
    char path[1024];
    while ((entry = readdir(d)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* A scenario with n_actors actors a0, a1, ... and n_issues issues i0, ...
 * on 0..100; actor a has capability 1 + a, position (37 a + 11 i) % 101
 * and salience 0.5 on issue i, except that the last actor has no stake in
 * the last issue when there are at least two of each. */
static inline parley_scenario *fixture_scenario(const char *id, size_t n_actors,
                                                size_t n_issues)
{
    parley_scenario *sc = parley_scenario_new(id);
    if (!sc)
        return NULL;
    char name[32];
    for (size_t a = 0; a < n_actors; a++) {
        snprintf(name, sizeof name, "a%zu", a);
        if (parley_scenario_add_actor(sc, name, 1.0 + (double)a, NULL, NULL) != PARLEY_OK)
            goto fail;
    }
    for (size_t i = 0; i < n_issues; i++) {
        snprintf(name, sizeof name, "i%zu", i);
        if (parley_scenario_add_issue(sc, name, 0, 100, "none", "all", NULL, NULL) !=
            PARLEY_OK)
            goto fail;
    }
    for (size_t a = 0; a < n_actors; a++)
        for (size_t i = 0; i < n_issues; i++)
            if (!(n_actors >= 2 && n_issues >= 2 && a == n_actors - 1 && i == n_issues - 1))
                parley_scenario_set_stake(sc, a, i, (double)((37 * a + 11 * i) % 101), 0.5);
    return sc;
fail:
    parley_scenario_free(sc);
    return NULL;
}

/* The position the synthetic result gives actor a on issue i after round t
 * of run k: distinct for every (k, t, a, i), exact in binary. */
static inline double fixture_position(size_t k, size_t t, size_t a, size_t i)
{
    return (double)((k * 7 + t * 3 + a * 5 + i) % 100) + 0.25;
}

/* Fills r as run k of sc with n_rounds rounds of history (positions by
 * fixture_position, NaN where there is no stake), forecasts 10 + i + k
 * (none for issue 1, with a note) and one event per round. */
static inline int fixture_result(parley_result *r, const parley_scenario *sc, size_t k,
                                 size_t n_rounds)
{
    if (parley_result_reset(r, sc->n_actors, sc->n_issues) != PARLEY_OK)
        return -1;
    size_t n = sc->n_actors * sc->n_issues;
    double *state = malloc((n ? n : 1) * sizeof *state);
    if (!state)
        return -1;
    int rc = 0;
    for (size_t t = 0; rc == 0 && t <= n_rounds; t++) {
        for (size_t a = 0; a < sc->n_actors; a++)
            for (size_t i = 0; i < sc->n_issues; i++)
                state[a * sc->n_issues + i] = parley_stake_at(sc, a, i)->present
                                                  ? fixture_position(k, t, a, i)
                                                  : NAN;
        rc = parley_result_push_state(r, state) == PARLEY_OK ? 0 : -1;
        if (rc == 0 && t > 0) {
            parley_event ev = {(unsigned)t, 0, 0, sc->n_actors > 1 ? 1 : -1, 0, -1,
                               {(double)t / 8, NAN, -1.5, 1e300}};
            rc = parley_result_add_event(r, &ev) == PARLEY_OK ? 0 : -1;
        }
    }
    free(state);
    for (size_t i = 0; i < sc->n_issues; i++)
        r->forecast[i] = i == 1 ? NAN : 10.0 + (double)i + (double)k;
    if (rc == 0 && sc->n_issues > 1)
        rc = parley_result_set_issue_note(r, 1, "no forecast: %s", "tied") == PARLEY_OK ? 0
                                                                                      : -1;
    r->n_rounds = n_rounds;
    snprintf(r->stop_reason, sizeof r->stop_reason, "fixed %zu rounds", n_rounds);
    return rc;
}

/* Runs `sqlite3 -batch path` with sql on its standard input; its output
 * (first line) goes into out (may be NULL).  Returns the exit status. */
static inline int fixture_sqlite(const char *path, const char *sql, char *out, size_t n)
{
    char script[1100], command[2400];
    snprintf(script, sizeof script, "%s.sql", path);
    FILE *f = fopen(script, "w");
    if (!f)
        return -1;
    fputs(sql, f);
    fclose(f);
    snprintf(command, sizeof command, "sqlite3 -batch '%s' < '%s' 2>&1", path, script);
    FILE *p = popen(command, "r");
    if (!p) {
        unlink(script);
        return -1;
    }
    char line[512] = "";
    if (!fgets(line, sizeof line, p))
        line[0] = '\0';
    char rest[512];
    while (fgets(rest, sizeof rest, p))
        ;
    int status = pclose(p);
    unlink(script);
    line[strcspn(line, "\n")] = '\0';
    if (out)
        snprintf(out, n, "%s", line);
    return status;
}

#endif
