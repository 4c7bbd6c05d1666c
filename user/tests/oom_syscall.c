/*
 * Out of memory in a system call (vm=lazy): a child takes every free
 * frame with its heap, then asks meminfo() to write into a heap page it
 * never touched. The kernel finds no frame for that page while checking
 * the buffer: the child is killed with SIGKILL as the call returns, not
 * handed an error it could ignore. Afterwards every frame is back.
 */
// test-timeout: 120
// test-vm: lazy
// test-swap: off
#include <memos.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define PAGES_PER_TABLE 1024u

/* Every page of the program (text, data, bss) and 16 KiB of stack get
 * their frames now: once the frames run out, the first touch of one of
 * them would be a page fault, and the kill the fault path's. */
static void touch_own_pages(void)
{
	volatile char stack[16 * 1024];

	for (size_t i = 0; i < sizeof(stack); i += PAGE_SIZE / 2)
		stack[i] = 0;
	for (uintptr_t a = IMAGE_START; a < IMAGE_END_PAGE; a += PAGE_SIZE)
		(void)*(volatile const char *)a;
}

static int child(void)
{
	struct meminfo m;

	touch_own_pages();
	CHECK_EQ(meminfo(&m), 0);
	size_t pages = m.total_frames; /* more than will ever be free */
	char *heap = sbrk((intptr_t)(pages * PAGE_SIZE));
	CHECK(heap != (void *)-1);
	/* Every page table first (one page in each 4 MiB), so that each
	 * touch below takes exactly one frame. */
	for (size_t i = 0; i < pages; i += PAGES_PER_TABLE)
		heap[i * PAGE_SIZE] = 1;
	/* Then a page at a time while a frame is free: no touch ever finds
	 * none (that would be the fault path's kill, oom_touch's test). */
	size_t next = 1;
	for (;; next++) {
		if (next % PAGES_PER_TABLE == 0)
			continue; /* touched above */
		CHECK(next < pages);
		CHECK_EQ(meminfo(&m), 0);
		if (m.free_frames == 0)
			break;
		heap[next * PAGE_SIZE] = 1;
	}
	/* No frame is free: the kernel's write of the next untouched page
	 * must end this process. A frame the kernel finds after all (its
	 * caches give some back) lets the call work: then the next page. */
	for (int tries = 0; tries < 256; tries++, next++) {
		if (next % PAGES_PER_TABLE == 0)
			continue;
		CHECK(next < pages);
		int got = meminfo((struct meminfo *)(heap + next * PAGE_SIZE));
		char name[32];
		if (got != 0)
			check_fail(__FILE__, __LINE__,
			           "meminfo() into a heap page with no frame, "
			           "with no frame free, returned %d%s: the "
			           "process must be killed (SIGKILL, out of "
			           "memory) as the call returns, not handed an "
			           "error",
			           got, errno_suffix(got, name, sizeof(name)));
	}
	check_fail(__FILE__, __LINE__,
	           "256 system calls into pages with no frame, with no frame "
	           "free, all worked: where did their frames come from?");
}

static struct meminfo info(void)
{
	struct meminfo m;

	sleep_ms(50); /* let the kernel finish freeing the child */
	CHECK_EQ(meminfo(&m), 0);
	return m;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[argc - 1], "child") == 0)
		return child();

	struct meminfo before = info();
	int status;
	int pid = sys_spawn("oom_syscall",
	                    (char *[]){"oom_syscall", "child", NULL});
	CHECK(pid > 0);
	CHECK_EQ(sys_waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status))
		exit(1); /* the child said why, in the line before */
	CHECK_KILLED(status, SIGKILL);
	struct meminfo after = info();
	CHECK_EQ(after.out_of_memory_kills - before.out_of_memory_kills, 1u);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	CHECK_EQ(after.process_count, before.process_count);
	printf("oom_syscall: the child was killed in its system call\n");
	return 0;
}
