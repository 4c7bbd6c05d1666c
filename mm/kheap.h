/*
 * The kernel heap: kmalloc and friends, over the shared allocator core
 * (mm/heap.c). It lives in the higher half, from the first page boundary
 * after the kernel image plus one unmapped guard page, and grows a page
 * at a time up to KHEAP_LIMIT (mm/layout.h).
 */
#ifndef MM_KHEAP_H
#define MM_KHEAP_H

#include <stddef.h>
#include <stdint.h>

#include "mm/heap.h"

/* Sets the heap up; call after vmm_init. */
void kheap_init(void);

/* NULL when frames or the heap's address range run out. kmalloc(0)
 * returns a unique minimal block. Misuse (double free, a pointer the heap
 * never returned, an overwritten header) panics with the details. */
void *kmalloc(size_t size);
void kfree(void *ptr);
void *krealloc(void *ptr, size_t size);
void *kcalloc(size_t count, size_t size);
/* align: a power of two, e.g. PAGE_SIZE. */
void *kmalloc_aligned(size_t align, size_t size);

/* Where the heap starts (after the guard page). */
uintptr_t kheap_start(void);
void kheap_get_stats(struct heap_stats *stats);
/* heap_check on the kernel heap: 0, or -HEAP_ECORRUPT with a message. */
int kheap_check(char *msg, size_t msg_size);
/* Prints the block list (address, size, used/free). */
void kheap_dump(void);

#endif
