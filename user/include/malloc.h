/*
 * <malloc.h>: looking inside malloc's heap. malloc is mm/heap.c, the same
 * allocator source as the kernel's heap, grown and shrunk with sbrk.
 */
#ifndef _MEMOS_MALLOC_H
#define _MEMOS_MALLOC_H

#include <stddef.h>
#include <stdlib.h>

#include "mm/heap.h" /* struct heap_stats */

/* Bytes usable at ptr (at least what was asked for); 0 for NULL. */
size_t malloc_usable_size(void *ptr);

/* Prints the heap's statistics and then every block in address order
 * (header address, size, used or free) on stdout. */
void malloc_dump(void);

/* Checks every invariant of the heap: 0, or -1 with the first broken one
 * described in msg (NUL-terminated). Prints nothing. */
int malloc_check(char *msg, size_t msg_size);

/* Fills *stats: bytes from sbrk, used and free blocks and bytes, ... */
void malloc_get_stats(struct heap_stats *stats);

#endif
