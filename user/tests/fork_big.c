/*
 * A process holding more than half of the free frames forks. With
 * copy-on-write (vm=lazy) that works, and parent and child then each
 * write a few pages: the free frames drop by about what was written, not
 * by the size of the heap. Eager fork copies every page, so it fails with
 * ENOMEM, and nothing leaks. Then, lazily, parent and child both write
 * everything: the frames run out, and the kernel kills a writer (SIGKILL)
 * and goes on.
 */
// test-timeout: 120
// test-vm: eager lazy
// test-swap: off
#include <errno.h>
#include <memos.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define WRITES 10 /* pages each side writes after fork */
/* What else a fork may take: page tables (one per 4 MiB), the child's
 * kernel stack and structures, a few stack pages. */
#define SLACK 64u

static struct meminfo info(void)
{
	struct meminfo m;

	sleep_ms(50); /* let the kernel finish freeing an ended child */
	CHECK_EQ(meminfo(&m), 0);
	return m;
}

/* Writes one byte in each of n pages of heap, from the first. */
static void write_pages(char *heap, uint32_t n, char value)
{
	for (uint32_t i = 0; i < n; i++)
		heap[i * PAGE_SIZE] = value;
}

int main(int argc, char **argv)
{
	bool eager = vm_eager(argc, argv);
	struct meminfo start = info();
	uint32_t pages = start.free_frames * 6 / 10; /* over half */
	char *heap = sbrk((intptr_t)(pages * PAGE_SIZE));

	CHECK(heap != (void *)-1);
	write_pages(heap, pages, 1); /* every page has its frame */
	struct meminfo held = info();

	errno = 0;
	pid_t pid = fork();
	if (eager) {
		CHECK_EQ(pid, -1);
		CHECK_EQ(errno, ENOMEM);
		struct meminfo after = info();
		CHECK_EQ(after.free_frames, held.free_frames);
		CHECK_EQ(after.process_count, held.process_count);
		return 0;
	}
	CHECK(pid >= 0);
	if (pid == 0) {
		write_pages(heap + PAGE_SIZE * (pages / 2), WRITES, 2);
		sleep_ms(300); /* alive while the parent counts */
		return 0;
	}
	write_pages(heap, WRITES, 3);
	struct meminfo both = info(); /* both wrote; both alive */
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	uint32_t used = held.free_frames - both.free_frames;
	printf("fork_big: a fork of a %u-page heap, 2 x %d pages written: "
	       "%u frames more\n",
	       (unsigned)pages, WRITES, (unsigned)used);
	if (used < 2 * WRITES || used > 2 * WRITES + SLACK)
		check_fail(__FILE__, __LINE__,
		           "fork of a %u-page heap, then %d pages written on "
		           "each side, took %u frames: copy-on-write copies "
		           "only what is written",
		           (unsigned)pages, WRITES, (unsigned)used);
	uint32_t cow = both.cow_faults - held.cow_faults;
	if (cow < 2 * WRITES)
		check_fail(__FILE__, __LINE__,
		           "2 x %d pages written after fork took %u "
		           "copy-on-write faults: a side whose writes do not "
		           "fault writes the frame the other still reads (was "
		           "its entry made read-only, its TLB flushed?)",
		           WRITES, (unsigned)cow);
	/* Our pages were copied, or taken back when the child was gone. */
	CHECK_EQ(heap[0], 3);
	CHECK_EQ(heap[PAGE_SIZE * (pages / 2)], 1);

	/* Two children write everything: there is not enough memory for
	 * that. The kernel kills a writer (or both) and goes on; the
	 * parent, which writes nothing, keeps its pages. */
	pid_t child[2];
	for (int i = 0; i < 2; i++) {
		child[i] = fork();
		CHECK(child[i] >= 0);
		if (child[i] == 0) {
			write_pages(heap, pages, (char)(5 + i));
			return 0;
		}
	}
	int killed = 0;
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(waitpid(child[i], &status, 0), child[i]);
		if (WIFSIGNALED(status)) {
			CHECK_KILLED(status, SIGKILL);
			killed++;
		} else {
			CHECK_EXITED(status, 0);
		}
	}
	CHECK(killed >= 1);
	CHECK_EQ(heap[0], 3);
	CHECK_EQ(heap[(pages - 1) * PAGE_SIZE], 1);
	return 0;
}
