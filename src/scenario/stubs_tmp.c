#include "format_internal.h"
int fmt_long_read(const char *buf, size_t len, const char *name, parley_scenario ***out, size_t *count, parley_error *err)
{ (void)buf; (void)len; (void)name; (void)out; (void)count; return parley_error_set(err, PARLEY_EINVAL, "todo"); }
int fmt_long_write(const parley_scenario *sc, char **out, parley_error *err)
{ (void)sc; (void)out; return parley_error_set(err, PARLEY_EINVAL, "todo"); }
