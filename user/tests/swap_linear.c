/*
 * Swap's first test (Pintos' page-linear): on a machine of 256 user
 * frames (1 MiB), a buffer four times as big is written page after page
 * and read back, forwards then backwards with a new pattern: most pages
 * go to swap and come back, and every word must be as written. The
 * counters show the disk was used: pages written and read, evictions.
 */
// test-timeout: 240
// test-swap: 256
#include "swap_pages.h"

#define PAGES 1024u /* 4 MiB: 4 x the frames the test may have */

int main(void)
{
	struct meminfo before, after;

	CHECK_EQ(meminfo(&before), 0);
	CHECK(before.swap_slots_total >= PAGES);
	uint32_t *buf = swap_buffer(PAGES);

	for (uint32_t p = 0; p < PAGES; p++)
		fill_page(buf, p, 0x1111);
	for (uint32_t p = 0; p < PAGES; p++)
		check_page("swap_linear (forwards)", buf, p, 0x1111);
	for (uint32_t p = PAGES; p-- > 0;)
		fill_page(buf, p, 0x2222);
	for (uint32_t p = PAGES; p-- > 0;)
		check_page("swap_linear (backwards)", buf, p, 0x2222);
	CHECK_EQ(meminfo(&after), 0);
	uint32_t written = after.swap_pages_written - before.swap_pages_written;
	uint32_t read = after.swap_pages_read - before.swap_pages_read;
	printf("swap_linear: %u pages on 256 frames: %u written to swap, %u "
	       "read back, %u evictions\n",
	       PAGES, (unsigned)written, (unsigned)read,
	       (unsigned)(after.evictions - before.evictions));
	/* Each pass pushes at least the pages that do not fit out. */
	CHECK(written >= 2 * (PAGES - 256));
	CHECK(read >= PAGES - 256);
	return 0;
}
