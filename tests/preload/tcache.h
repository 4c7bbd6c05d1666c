/*
 * tcache.h - the drop-in malloc's allocator: mm/heap.c behind one lock,
 * with a cache of free blocks per thread in front (tests/preload/tcache.c).
 * libheapmalloc.so gives these functions the C library's names; the
 * threaded stress test calls them by these names, beside the sanitizer's
 * own malloc.
 */
#ifndef PRELOAD_TCACHE_H
#define PRELOAD_TCACHE_H

#include <stddef.h>

#include "mm/heap.h"

/* The C functions' contracts (NULL and errno ENOMEM on failure). */
void *tcache_malloc(size_t size);
void tcache_free(void *ptr);
void *tcache_calloc(size_t count, size_t size);
/* realloc(ptr, 0) frees ptr and returns NULL, as glibc's does. */
void *tcache_realloc(void *ptr, size_t size);
/* align: a power of two (the callers check the rest of POSIX's rules). */
void *tcache_memalign(size_t align, size_t size);
size_t tcache_usable_size(const void *ptr);

/*
 * For tests: gives the calling thread's cached blocks back to the heap,
 * then runs heap_check and heap_get_stats on it under the lock. Blocks
 * still in other live threads' caches count as used. Returns heap_check's
 * result (0, or -HEAP_ECORRUPT with the reason in msg).
 */
int tcache_check(char *msg, size_t msg_size, struct heap_stats *stats);

/*
 * heap_report_misuse runs with the heap's lock held (the heap's own checks
 * and the cache's double-free check both report under it); an environment
 * that stops the program calls this first, so that handlers can still
 * allocate.
 */
void tcache_unlock_for_misuse(void);

#endif /* PRELOAD_TCACHE_H */
