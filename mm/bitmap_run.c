/*
 * bitmap_run.c - first fit for n consecutive clear bits: what a bitmap
 * allocator must do to hand out contiguous frames (a linear search; the
 * buddy allocator, mm/buddy.c, finds them on a free list instead).
 */
#include "mm/bitmap_run.h"

uint32_t bitmap_find_run(const uint32_t *map, uint32_t nbits, uint32_t n)
{
	uint32_t start = 0, run = 0;

	for (uint32_t i = 0; i < nbits;) {
		if (i % 32 == 0 && map[i / 32] == 0xFFFFFFFFu) {
			run = 0; /* a full word breaks any run */
			i += 32;
			continue;
		}
		if (map[i / 32] & (1u << (i % 32))) {
			run = 0;
		} else {
			if (run++ == 0)
				start = i;
			if (run == n)
				return start;
		}
		i++;
	}
	return BITMAP_RUN_NONE;
}
