/* alloc.c — the allocation wrapper with per-thread fault injection. */
#include "parley/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Per-thread so that a test's fault injection cannot disturb other threads;
 * this is test machinery, not state that results depend on. */
static _Thread_local long fail_at;   /* 0: off; else fail when count reaches it */
static _Thread_local long count;

static int should_fail(void)
{
    count++;
    return fail_at > 0 && count >= fail_at;
}

long parley_alloc_fail_after(long n)
{
    long made = count;
    count = 0;
    fail_at = n;
    return made;
}

void *parley_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *parley_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *parley_reallocarray(void *ptr, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    size_t bytes = n * size;
    return realloc(ptr, bytes ? bytes : 1);
}

char *parley_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s) + 1;
    char *copy = parley_malloc(len);
    if (copy)
        memcpy(copy, s, len);
    return copy;
}

void parley_free(void *ptr)
{
    free(ptr);
}
