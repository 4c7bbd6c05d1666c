/*
 * The boot's policy (clock) finds victims among all user frames: on a
 * machine of 64 user frames, a child writes 160 pages and reads them
 * back. Every new page is mapped accessed; if the hand never clears the
 * bits it passes, every frame looks used forever, clock finds no victim
 * and the child is killed for want of memory although swap has room.
 * (Killed after evictions: they freed no frame.)
 */
// test-swap: 64
#include <sys/wait.h>
#include <unistd.h>

#include "swap_pages.h"

#define PAGES 160u
#define SEED 0x77770000u

int main(void)
{
	struct meminfo before, after;

	CHECK_EQ(meminfo(&before), 0);
	CHECK(before.swap_slots_total >= PAGES);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		uint32_t *buf = swap_buffer(PAGES);
		for (uint32_t p = 0; p < PAGES; p++)
			fill_page(buf, p, SEED);
		for (uint32_t p = 0; p < PAGES; p++)
			check_page("swap_clock", buf, p, SEED);
		return 0;
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(meminfo(&after), 0);
	uint32_t evictions = after.evictions - before.evictions;
	if (!WIFEXITED(status) && evictions == 0)
		check_fail(__FILE__, __LINE__,
		           "the child was killed with no eviction on 64 frames "
		           "and swap free: clock found no victim: the hand "
		           "must clear the accessed bits it passes");
	if (!WIFEXITED(status))
		check_fail(__FILE__, __LINE__,
		           "the child was killed after %u evictions on 64 "
		           "frames with swap free: evicting did not free "
		           "frames (a victim still mapped somewhere stays)",
		           (unsigned)evictions);
	CHECK_EXITED(status, 0);
	CHECK(evictions >= PAGES - 64);
	return 0;
}
