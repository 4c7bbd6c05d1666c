/*
 * Lab 4, step 1: the bump allocator. It hands out bytes from one region by
 * moving a "next free byte" pointer forward, and it cannot free.
 */
#ifndef LABS_4_HEAP_BUMP_H
#define LABS_4_HEAP_BUMP_H

#include <stddef.h>

/* Every pointer bump_alloc returns is a multiple of this. */
#define BUMP_ALIGN 8

/* Starts handing out the size bytes at start (start is BUMP_ALIGN aligned). */
void bump_init(void *start, size_t size);

/* size bytes (rounded up to BUMP_ALIGN) right after the previous block, or
 * NULL when they do not fit in what is left of the region. */
void *bump_alloc(size_t size);

/* Does nothing: a bump allocator keeps no record it could free from. */
void bump_free(void *ptr);

#endif
