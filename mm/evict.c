/*
 * Clock (second chance), over the resident list in load order: the
 * hand is the list's head. A frame whose accessed bit is set (used since
 * the hand last passed) gets a second chance: the bit is cleared and the
 * frame goes to the tail, as if it had just been loaded. The first frame
 * found with the bit clear is the victim. Frames that may not be evicted
 * now (pinned, under I/O) go round too. After two full turns every bit
 * has been cleared once, so a victim is found unless none is evictable.
 */
#include "mm/evict.h"

uint32_t evict_choose(const struct evict_ops *ops)
{
	uint32_t turns = 2 * ops->count() + 1;

	for (uint32_t step = 0; step < turns; step++) {
		uint32_t f = ops->first();

		if (f == EVICT_NONE)
			return EVICT_NONE;
		if (ops->evictable(f) && !ops->test_and_clear_accessed(f))
			return f;
		ops->move_to_tail(f); /* a second chance, or not now */
	}
	return EVICT_NONE;
}
