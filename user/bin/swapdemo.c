/*
 * swapdemo [MIB]: writes a buffer of MIB MiB (default 16) with a pattern
 * and reads it back, and says how much went through swap. Boot with less
 * memory than that (`make run MEM=4`, then `swapdemo 16`): most pages are
 * evicted to the swap disk while it writes, and come back as it reads;
 * every word must be as written (docs/swap.md).
 */
#include <memos.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PAGE 4096u
#define WORDS (PAGE / sizeof(uint32_t))

static uint32_t word_for(uint32_t page, uint32_t w)
{
	uint32_t x = page * 2654435761u ^ (w + 1) * 40503u;

	return x ^ (x >> 15);
}

int main(int argc, char **argv)
{
	uint32_t mib = argc > 1 ? (uint32_t)atoi(argv[1]) : 16;
	uint32_t pages = mib * 256;
	struct meminfo before, after;

	if (mib == 0 || mib > 1024) {
		printf("usage: swapdemo [MIB]: 1 to 1024 MiB\n");
		return 2;
	}
	meminfo(&before);
	uint32_t *buf = sbrk((intptr_t)(pages * PAGE));
	if (buf == (void *)-1) {
		printf("swapdemo: sbrk(%u MiB) failed: more than memory and "
		       "swap together\n",
		       (unsigned)mib);
		return 1;
	}
	printf("swapdemo: writing %u MiB (%u pages); %u frames free, swap "
	       "%u slots\n",
	       (unsigned)mib, (unsigned)pages, (unsigned)before.free_frames,
	       (unsigned)before.swap_slots_total);
	for (uint32_t p = 0; p < pages; p++)
		for (uint32_t w = 0; w < WORDS; w++)
			buf[p * WORDS + w] = word_for(p, w);
	for (uint32_t p = 0; p < pages; p++) {
		for (uint32_t w = 0; w < WORDS; w++) {
			if (buf[p * WORDS + w] != word_for(p, w)) {
				printf("swapdemo: page %u word %u is wrong\n",
				       (unsigned)p, (unsigned)w);
				return 1;
			}
		}
	}
	meminfo(&after);
	printf("swapdemo: all %u pages read back intact; %u pages written "
	       "to swap, %u read back, %u evictions\n",
	       (unsigned)pages,
	       (unsigned)(after.swap_pages_written - before.swap_pages_written),
	       (unsigned)(after.swap_pages_read - before.swap_pages_read),
	       (unsigned)(after.evictions - before.evictions));
	return 0;
}
