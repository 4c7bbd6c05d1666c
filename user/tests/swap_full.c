/*
 * When swap is full too: on a machine of 128 user frames and 256 swap
 * slots, a child touches 1,024 pages (more than both hold). It is killed
 * with the out-of-memory line (SIGKILL), as without swap, and the parent
 * goes on. The test runner then checks that every frame and slot came
 * back (tests/kernel/ktest_user.c's check after every swap test).
 */
// test-timeout: 240
// test-swap: 128/256
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "swap_pages.h"

#define PAGES 1024u

int main(void)
{
	struct meminfo before, after;
	int status;

	CHECK_EQ(meminfo(&before), 0);
	CHECK(before.swap_slots_total == 256);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		uint32_t *buf = swap_buffer(PAGES);
		for (uint32_t p = 0; p < PAGES; p++)
			fill_page(buf, p, 0x5555);
		printf("swap_full child: all %u pages fit, but 128 frames "
		       "and 256 slots cannot hold them\n",
		       PAGES);
		exit(0);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), SIGKILL);
	CHECK_EQ(meminfo(&after), 0);
	CHECK_EQ(after.out_of_memory_kills, before.out_of_memory_kills + 1);
	/* The child's slots are free again; ours may hold a few pages. */
	CHECK(after.swap_slots_used < 64);
	printf("swap_full: the child was killed when frames and swap ran out; "
	       "%u slots in use after it\n",
	       (unsigned)after.swap_slots_used);
	return 0;
}
