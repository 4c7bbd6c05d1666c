/*
 * Out of memory on a first touch (vm=lazy): three children each sbrk half
 * the machine's frames, which sbrk grants (lazy), and touch every page. The
 * frames run out before they are done: a child whose touch finds no frame
 * is killed with SIGKILL and the kernel says why; the kernel and the
 * other processes go on. Afterwards every frame is back.
 */
// test-timeout: 120
// test-vm: lazy
// test-swap: off
#include <memos.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define CHILDREN 3

static int child(void)
{
	struct meminfo m;

	CHECK_EQ(meminfo(&m), 0);
	size_t pages = m.total_frames / 2;
	char *heap = sbrk((intptr_t)(pages * PAGE_SIZE));
	CHECK(heap != (void *)-1);
	for (size_t i = 0; i < pages; i++)
		heap[i * PAGE_SIZE] = 1; /* a first touch: a frame, or death */
	return 0;
}

static struct meminfo info(void)
{
	struct meminfo m;

	sleep_ms(50); /* let the kernel finish freeing the last child */
	CHECK_EQ(meminfo(&m), 0);
	return m;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "child") == 0)
		return child();

	struct meminfo before = info();
	int pid[CHILDREN], killed = 0;
	for (int i = 0; i < CHILDREN; i++) {
		pid[i] = sys_spawn("oom_touch",
		                   (char *[]){"oom_touch", "child", NULL});
		CHECK(pid[i] > 0);
	}
	for (int i = 0; i < CHILDREN; i++) {
		int status;
		CHECK_EQ(sys_waitpid(pid[i], &status, 0), pid[i]);
		if (WIFSIGNALED(status)) {
			CHECK_KILLED(status, SIGKILL);
			killed++;
		} else {
			CHECK_EXITED(status, 0);
		}
	}
	struct meminfo after = info();
	printf("oom_touch: %d of %d children killed for lack of memory\n",
	       killed, CHILDREN);
	CHECK(killed >= 1);
	CHECK_EQ(after.out_of_memory_kills - before.out_of_memory_kills,
	         (uint32_t)killed);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	CHECK_EQ(after.process_count, before.process_count);
	return 0;
}
