/*
 * Several processes swapping at once (Pintos' page-parallel): three
 * children, each with a buffer of 64 pages, run side by side on a
 * machine of 128 user frames (each yields the CPU after every page, so
 * that they really take turns): each one's pages are evicted while the
 * others run (and sleep on the disk), and each writes its own pattern
 * and checks it. The parent checks that all three exited with 0.
 */
// test-timeout: 300
// test-swap: 128
#include <sys/wait.h>
#include <unistd.h>

#include "swap_pages.h"

#define CHILDREN 3
#define PAGES 64u

static void child(uint32_t seed)
{
	uint32_t *buf = swap_buffer(PAGES);

	for (uint32_t p = 0; p < PAGES; p++) {
		fill_page(buf, p, seed);
		sys_yield();
	}
	for (uint32_t p = 0; p < PAGES; p++) {
		check_page("swap_parallel child", buf, p, seed);
		sys_yield();
	}
	exit(0);
}

int main(void)
{
	struct meminfo before, after;
	int pids[CHILDREN];

	CHECK_EQ(meminfo(&before), 0);
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0)
			child(0x10000u * (uint32_t)(i + 1));
	}
	for (int i = 0; i < CHILDREN; i++) {
		int status;
		CHECK_EQ(waitpid(pids[i], &status, 0), pids[i]);
		CHECK_EXITED(status, 0);
	}
	CHECK_EQ(meminfo(&after), 0);
	printf("swap_parallel: %d processes x %u pages on 128 frames: %u "
	       "pages written to swap, %u read back\n",
	       CHILDREN, PAGES,
	       (unsigned)(after.swap_pages_written - before.swap_pages_written),
	       (unsigned)(after.swap_pages_read - before.swap_pages_read));
	CHECK(after.swap_pages_read - before.swap_pages_read >= PAGES);
	return 0;
}
