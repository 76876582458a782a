/* parley/alloc.h — the one allocation wrapper.
 *
 * Every allocation in libparley goes through these functions so that a test
 * build can make the N-th allocation fail (STYLE.md 5) and check that each
 * constructor returns PARLEY_ENOMEM and leaks nothing.  Memory from them is
 * released with parley_free (which is free()). */
#ifndef PARLEY_ALLOC_H
#define PARLEY_ALLOC_H

#include <stddef.h>

void *parley_malloc(size_t size);
void *parley_calloc(size_t count, size_t size);
/* Like realloc, but fails (NULL, old block untouched) on count*size overflow. */
void *parley_reallocarray(void *ptr, size_t count, size_t size);
char *parley_strdup(const char *s); /* NULL in, NULL out */
void parley_free(void *ptr);

/* Fault injection for tests: the n-th allocation from now (1-based) and every
 * one after it fail, in the calling thread only; 0 turns it off.  Returns the
 * number of allocations made since the last call.  Compiled in always: its
 * cost is one thread-local compare per allocation. */
long parley_alloc_fail_after(long n);

#endif
