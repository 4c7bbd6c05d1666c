/*
 * Nothing leaks through a process's heap: after 100 runs of a child that
 * mallocs, frees some and exits with the rest still allocated (after one
 * run first, to warm up), the free frames, the kernel heap's bytes in use
 * and the process count are what they were.
 */
// test-timeout: 120
#include <malloc.h>
#include <memos.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define RUNS 100

/* ~100 KiB in many sizes; half freed, half left for exit to reclaim. */
static int child(void)
{
	void *p[32];

	for (int i = 0; i < 32; i++) {
		p[i] = malloc((size_t)(i + 1) * 80);
		CHECK(p[i] != NULL);
		memset(p[i], i, (size_t)(i + 1) * 80);
	}
	for (int i = 0; i < 32; i += 2)
		free(p[i]);
	char *big = malloc(64 * 1024);
	CHECK(big != NULL);
	big[64 * 1024 - 1] = 1;
	return 0;
}

static void measure(struct meminfo *m)
{
	sleep_ms(50); /* let the kernel finish freeing the last child */
	CHECK_EQ(meminfo(m), 0);
}

int main(int argc, char **argv)
{
	struct meminfo before, after;

	if (argc == 2 && strcmp(argv[1], "child") == 0)
		return child();

	CHECK_EXITED(RUN("malloc_leak", "child"), 0);
	measure(&before);
	for (int i = 0; i < RUNS; i++)
		CHECK_EXITED(RUN("malloc_leak", "child"), 0);
	measure(&after);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	CHECK_EQ(after.process_count, before.process_count);
	return 0;
}
