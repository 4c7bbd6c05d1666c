/*
 * A fork tree whose shared pages are evicted and then written (Pintos'
 * page-merge, with copy-on-write): the parent writes 128 pages on a
 * machine of 96 user frames, then forks a child. The pages are
 * shared copy-on-write; evicted, every sharer's entry points at one swap
 * slot, and a sharer's fault brings the page back for all (the swap
 * cache). The child checks the parent's pattern, writes its own over
 * half the pages, forks a grandchild that checks the mix and writes the
 * other half, and checks its own mix again. The parent's pages must stay
 * as it wrote them, whatever its children did.
 */
// test-timeout: 300
// test-swap: 96
#include <sys/wait.h>
#include <unistd.h>

#include "swap_pages.h"

#define CHILDREN 1
#define PAGES 128u
#define PARENT_SEED 0xABCD0000u

/* Page p holds the parent's pattern, or, if it is p's turn (p % 2 ==
 * half), seed's. */
static void check_mix(const char *who, const uint32_t *buf, uint32_t half,
                      uint32_t seed)
{
	for (uint32_t p = 0; p < PAGES; p++)
		check_page(who, buf, p, p % 2 == half ? seed : PARENT_SEED);
}

static int wait_ok(int pid)
{
	int status;

	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	return 0;
}

static void child(uint32_t *buf, uint32_t seed)
{
	check_mix("swap_fork child (before writing)", buf, 2, 0);
	for (uint32_t p = 0; p < PAGES; p += 2)
		fill_page(buf, p, seed);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/* The grandchild: its parent's even pages, then its own odd
		 * ones over the grandparent's. */
		check_mix("swap_fork grandchild", buf, 0, seed);
		for (uint32_t p = 1; p < PAGES; p += 2)
			fill_page(buf, p, seed + 1);
		for (uint32_t p = 0; p < PAGES; p++)
			check_page("swap_fork grandchild (after writing)", buf,
			           p, p % 2 ? seed + 1 : seed);
		exit(0);
	}
	wait_ok(pid);
	check_mix("swap_fork child (after its child)", buf, 0, seed);
	exit(0);
}

int main(void)
{
	struct meminfo before, after;
	int pids[CHILDREN];
	uint32_t *buf = swap_buffer(PAGES);

	for (uint32_t p = 0; p < PAGES; p++)
		fill_page(buf, p, PARENT_SEED);
	CHECK_EQ(meminfo(&before), 0);
	for (int i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0)
			child(buf, 0x100u * (uint32_t)(i + 1));
	}
	check_mix("swap_fork parent (children running)", buf, 2, 0);
	for (int i = 0; i < CHILDREN; i++)
		wait_ok(pids[i]);
	check_mix("swap_fork parent (children gone)", buf, 2, 0);
	CHECK_EQ(meminfo(&after), 0);
	printf("swap_fork: %u shared pages, %d processes "
	       "on 96 frames: %u pages written to swap, %u read back, %u "
	       "faults served from the swap cache\n",
	       PAGES, 1 + 2 * CHILDREN,
	       (unsigned)(after.swap_pages_written - before.swap_pages_written),
	       (unsigned)(after.swap_pages_read - before.swap_pages_read),
	       (unsigned)(after.swap_cache_hits - before.swap_cache_hits));
	/* Shared pages came back from the cache for a second sharer. */
	CHECK(after.swap_cache_hits > before.swap_cache_hits);
	return 0;
}
