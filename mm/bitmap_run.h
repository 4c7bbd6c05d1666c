/*
 * bitmap_run.h - the search for a run of free frames in a bitmap, as the
 * bitmap policy of mm/pmm.c does it (one bit per frame, 1 = in use). Pure
 * code, built for the host too: `make bench-buddy` compares it with the
 * buddy allocator.
 */
#ifndef MM_BITMAP_RUN_H
#define MM_BITMAP_RUN_H

#include <stdint.h>

#define BITMAP_RUN_NONE UINT32_MAX

/*
 * The first bit of the lowest run of n clear bits in map[0 .. nbits) (n >=
 * 1, nbits a multiple of 32), or BITMAP_RUN_NONE. First fit, bit by bit,
 * but a word of 32 set bits is skipped in one comparison.
 */
uint32_t bitmap_find_run(const uint32_t *map, uint32_t nbits, uint32_t n);

#endif
