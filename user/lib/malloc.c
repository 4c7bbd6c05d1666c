/*
 * malloc and friends: mm/heap.c, the kernel heap's allocator source,
 * compiled unchanged, with a memory hook that moves the program break.
 * One heap per process, set up on the first call:
 */
/* clang-format off */
/*
 *   _end  heap start (_end rounded up to a page)         break
 *     |   |                                                  |
 *   --+---+--------------------------------------------------+--- ... stack
 *     |   | blocks: used, free, used, ...  (mm/heap.h)       |
 *           grows with sbrk(+n), shrinks with sbrk(-n) when the top
 *           free block passes the heap's trim threshold
 */
/* clang-format on */
/*
 * Misuse the heap finds (a double free, a pointer it never returned, an
 * overwritten header) ends the program: one line on stderr, then abort().
 */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm/heap.h"

static struct heap user_heap;
static bool heap_ready;

/* The heap's memory hook (mm/heap.h): sbrk, with NULL for failure. */
static void *sbrk_more(void *ctx, intptr_t delta)
{
	(void)ctx;
	void *old = sbrk(delta);

	return old == (void *)-1 ? NULL : old;
}

/* Sets the heap up on first use; false (errno ENOMEM) if it cannot be. */
static bool ready(void)
{
	if (heap_ready)
		return true;
	struct heap_config config = {
	        .more = sbrk_more,
	        .policy = HEAP_POLICY_SEGREGATED,
	};
	if (heap_init(&user_heap, &config) != 0) {
		errno = ENOMEM;
		return false;
	}
	heap_ready = true;
	return true;
}

/* NULL from the heap means no memory (or a size it cannot describe). */
static void *result(void *p)
{
	if (!p)
		errno = ENOMEM;
	return p;
}

void *malloc(size_t size)
{
	return ready() ? result(heap_alloc(&user_heap, size)) : NULL;
}

void free(void *ptr)
{
	if (ptr && ready())
		heap_free(&user_heap, ptr);
}

void *calloc(size_t count, size_t size)
{
	return ready() ? result(heap_calloc(&user_heap, count, size)) : NULL;
}

void *realloc(void *ptr, size_t size)
{
	return ready() ? result(heap_realloc(&user_heap, ptr, size)) : NULL;
}

/* C11 leaves a size that is not a multiple of align to the library: any
 * size is fine here. */
void *aligned_alloc(size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return ready() ? result(heap_alloc_aligned(&user_heap, align, size))
	               : NULL;
}

int posix_memalign(void **ptr, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = aligned_alloc(align, size);
	if (!p)
		return ENOMEM;
	*ptr = p;
	return 0;
}

size_t malloc_usable_size(void *ptr)
{
	return ptr && ready() ? heap_usable_size(&user_heap, ptr) : 0;
}

/* ---- Misuse: one line on stderr, then abort ------------------------------ */

/* The C name of the heap call that found the misuse ("heap_free" was
 * called by free). */
static const char *c_name(const char *op)
{
	static const struct {
		const char *heap_op, *name;
	} names[] = {
	        {"heap_free", "free"},
	        {"heap_realloc", "realloc"},
	        {"heap_usable_size", "malloc_usable_size"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(op, names[i].heap_op) == 0)
			return names[i].name;
	}
	return op;
}

/* The user library's side of mm/heap.h's contract: e.g.
 * "malloc: double free: 0x0804c010 given to free (block already free)". */
void heap_report_misuse(struct heap *heap, enum heap_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	char line[256];
	(void)heap;

	fflush(stdout); /* what the program printed comes first */
	int n = snprintf(line, sizeof(line),
	                 "malloc: %s: %p given to %s (%s)\n",
	                 heap_misuse_name(kind), ptr, c_name(op), detail);
	if (n >= (int)sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	write(STDERR_FILENO, line, (size_t)n);
	abort();
}

/* ---- Looking inside: for the labs, heapdemo and the tests ---------------- */

int malloc_check(char *msg, size_t msg_size)
{
	if (!ready()) {
		snprintf(msg, msg_size, "the heap could not be set up");
		return -1;
	}
	return heap_check(&user_heap, msg, msg_size) == 0 ? 0 : -1;
}

void malloc_get_stats(struct heap_stats *stats)
{
	if (ready()) {
		heap_get_stats(&user_heap, stats);
	} else {
		memset(stats, 0, sizeof(*stats));
	}
}

static int print_block(void *arg, const struct heap_block_info *b)
{
	(void)arg;
	if (b->used)
		printf("  %p %8u  used  %p %8u\n", b->block, (unsigned)b->size,
		       b->payload, (unsigned)b->usable);
	else
		printf("  %p %8u  free\n", b->block, (unsigned)b->size);
	return 0;
}

void malloc_dump(void)
{
	struct heap_stats s;

	malloc_get_stats(&s);
	printf("heap: %u bytes from sbrk (break %p): %u used blocks (%u "
	       "bytes), %u free (%u bytes, largest %u)\n",
	       (unsigned)s.heap_bytes, sbrk(0), (unsigned)s.used_blocks,
	       (unsigned)s.used_bytes, (unsigned)s.free_blocks,
	       (unsigned)s.free_bytes, (unsigned)s.largest_free);
	if (s.used_blocks + s.free_blocks == 0)
		return;
	printf("  block          size  state payload      usable\n");
	heap_walk(&user_heap, print_block, NULL);
}
