/* support.c — helpers shared by the tests. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

const char *test_data(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", env_or("PARLEY_TEST_DATA", "tests/data"), name);
    return path;
}

const char *test_source(const char *relative)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", env_or("PARLEY_SOURCE_DIR", "."), relative);
    return path;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + used, 1, cap - used - 1, f)) > 0) {
        used += got;
        if (cap - used < 2) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[used] = '\0';
    if (len)
        *len = used;
    return buf;
}

int test_run_parley(const char *args, char **out, char **errout)
{
    char out_path[] = "/tmp/parley-test-out-XXXXXX";
    char err_path[] = "/tmp/parley-test-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    if (out_fd < 0 || err_fd < 0)
        return -1;
    close(out_fd);
    close(err_fd);
    size_t n = strlen(args) + 3 * 4096;
    char *command = malloc(n);
    if (!command)
        return -1;
    snprintf(command, n, "'%s' %s >'%s' 2>'%s' </dev/null",
             env_or("PARLEY_BIN", "build/parley"), args, out_path, err_path);
    int status = system(command);
    free(command);
    if (out)
        *out = test_read_file(out_path, NULL);
    if (errout)
        *errout = test_read_file(err_path, NULL);
    unlink(out_path);
    unlink(err_path);
    if (status == -1 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}
