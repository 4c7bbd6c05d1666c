/*
 * Lab 4, steps 2-9: the list heap you grow one step at a time. One heap,
 * first fit, every block (used or free) on one doubly linked list kept in
 * address order.
 *
 * A block in memory (one struct lheap_node, then the payload):
 *
 *   +------+--------+------+------+-----------------------------+
 *   | size | status | prev | next | payload: `size` bytes ...   |
 *   +------+--------+------+------+-----------------------------+
 *   ^ struct lheap_node           ^ the pointer lheap_alloc returns
 *
 * The blocks tile the heap: the next block's node starts right after this
 * block's payload, so payload + size == (char *)next.
 */
#ifndef LABS_4_HEAP_LHEAP_H
#define LABS_4_HEAP_LHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LHEAP_FREE 0
#define LHEAP_USED 1

struct lheap_node {
	size_t size;                    /* payload bytes after this node */
	uint32_t status;                /* LHEAP_FREE or LHEAP_USED */
	struct lheap_node *prev, *next; /* neighbours in memory, or NULL */
};

/* Payload sizes are multiples of LHEAP_ALIGN (so every node and payload is
 * aligned), and a block never carries less than LHEAP_MIN_PAYLOAD. */
#define LHEAP_ALIGN 16
#define LHEAP_MIN_PAYLOAD 32
#define LHEAP_PAGE 4096

/* The virtual memory manager's part: make the bytes (a multiple of
 * LHEAP_PAGE) at `at` (page aligned) usable memory. Returns 0, or -1 when
 * there is no memory left. In the kernel this maps fresh frames with
 * vmm_map_new_range; in the tests it unprotects pages of a reserved region. */
typedef int (*lheap_map_fn)(void *at, size_t bytes, void *ctx);

/* Starts the heap after the end of the kernel image (kernel_end): skips to
 * the next page boundary, leaves one page unmapped (the guard page), maps
 * initial_bytes (rounded up to pages) with `map` and makes them one free
 * block. Returns 0, or -1 if map failed. Calling it again starts afresh. */
int lheap_init(uintptr_t kernel_end, size_t initial_bytes, lheap_map_fn map,
               void *ctx);

/* At least size bytes, LHEAP_ALIGN aligned, or NULL (size 0, or no memory
 * even after growing the heap through `map`). */
void *lheap_alloc(size_t size);

/* Frees a block lheap_alloc returned. Returns 0; -1 (and changes nothing)
 * if the block is already free. lheap_free(NULL) does nothing. */
int lheap_free(void *ptr);

/* Calls visit for every block, lowest address first, and returns how many
 * there are. */
typedef void (*lheap_visit_fn)(void *payload, size_t size, bool used,
                               void *ctx);
size_t lheap_walk(lheap_visit_fn visit, void *ctx);

#endif
