/* json_util.c — jansson helpers for the JSON reports. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "parley/alloc.h"
#include "json_util.h"

json_t *rj_number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *rj_u64(uint64_t x)
{
    if (x <= (uint64_t)INT64_MAX)
        return json_integer((json_int_t)x);
    char text[32];
    snprintf(text, sizeof text, "%" PRIu64, x);
    return json_string(text);
}

int rj_set(json_t *object, const char *key, json_t *value)
{
    if (!value)
        return -1;
    return json_object_set_new(object, key, value);
}

int rj_dump(json_t *value, char **out, parley_error *err)
{
    *out = NULL;
    if (!value)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(17));
    json_decref(value);
    if (!text)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    *out = parley_strdup(text);
    free(text);
    if (!*out)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    return PARLEY_OK;
}
