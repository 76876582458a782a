/* json_util.h — jansson helpers for the JSON reports (private to
 * src/report; only the *_json.c files include it). */
#ifndef PARLEY_REPORT_JSON_UTIL_H
#define PARLEY_REPORT_JSON_UTIL_H

#include <jansson.h>
#include <stdint.h>

#include "parley/error.h"
#include "parley/model.h"
#include "parley/result.h"
#include "parley/scenario.h"

/* A JSON number, or null for NaN and infinities (JSON has neither). */
json_t *rj_number(double x);
/* An unsigned 64-bit integer: a number up to 2^63 - 1, else a decimal string. */
json_t *rj_u64(uint64_t x);
/* Sets key to value (taking it); a NULL value (failed allocation) fails.
 * Returns 0 on success. */
int rj_set(json_t *object, const char *key, json_t *value);
/* Serialises (2-space indent, full precision, key order kept), takes value
 * and copies the text into parley_malloc memory for *out. */
int rj_dump(json_t *value, char **out, parley_error *err);
/* One successful run as an object (see parley_result_to_json); NULL on ENOMEM. */
json_t *rj_run(const parley_scenario *sc, const parley_model *model,
               const parley_run_opts *opts, const parley_result *result);

#endif
