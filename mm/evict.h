/*
 * Page replacement: which resident user page to evict when no frame is
 * free. The POLICY only; the mechanism (the frame table, writing the page
 * out, changing its PTEs) is kernel/frame_table.c and kernel/swap.c.
 * The policy sees frames as numbers and reaches them through evict_ops,
 * so that the same source can run over the kernel's frame table or a
 * simulated one.
 */
#ifndef MM_EVICT_H
#define MM_EVICT_H

#include <stdbool.h>
#include <stdint.h>

#define EVICT_NONE UINT32_MAX /* no frame: the end of the list, no victim */

/* What the policy may ask of the frames it chooses among. */
struct evict_ops {
	/* The resident frames in load order: the oldest, the next after f
	 * (EVICT_NONE after the newest), and how many. */
	uint32_t (*first)(void);
	uint32_t (*next)(uint32_t f);
	uint32_t (*count)(void);
	/* f becomes the newest (the tail of the load order). */
	void (*move_to_tail)(uint32_t f);
	/* f's accessed bit (the hardware's, ORed over its mappings): read
	 * and cleared. */
	bool (*test_and_clear_accessed)(uint32_t f);
	/* Whether f may be evicted now (not pinned, not under I/O). */
	bool (*evictable)(uint32_t f);
};

/*
 * The victim, or EVICT_NONE if no frame may be evicted now. The caller
 * evicts it (or, if it cannot after all, asks again: a frame it could not
 * evict has gone to the tail).
 *
 * TODO(policy helper): this is clock alone; the policy branch replaces it
 * with FIFO, clock, LRU approximation and random, chosen at boot.
 */
uint32_t evict_choose(const struct evict_ops *ops);

#endif
