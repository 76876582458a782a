/* support.h — helpers shared by the tests. */
#ifndef PARLEY_TEST_SUPPORT_H
#define PARLEY_TEST_SUPPORT_H

#include <stddef.h>

/* Path of a file in tests/data (PARLEY_TEST_DATA), in a static buffer that
 * the next call overwrites. */
const char *test_data(const char *name);

/* Path of a file relative to the source tree (PARLEY_SOURCE_DIR). */
const char *test_source(const char *relative);

/* Runs the parley binary (PARLEY_BIN) with the given arguments through
 * /bin/sh (args is a shell fragment), capturing stdout and stderr into
 * malloc'd strings (caller frees; either out pointer may be NULL).  Returns
 * the exit status, or -1 if it could not be run. */
int test_run_parley(const char *args, char **out, char **errout);

/* Reads a whole file into a malloc'd NUL-terminated string, or NULL. */
char *test_read_file(const char *path, size_t *len);

#endif
