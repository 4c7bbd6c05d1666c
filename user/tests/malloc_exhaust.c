/*
 * Running out of memory is a NULL from malloc, not a crash: a child
 * ("malloc_exhaust child MODE") mallocs until sbrk refuses: when the
 * machine's frames are gone (vm=eager), or when the heap is as big as the
 * machine's memory (vm=lazy: only the pages malloc touched have frames).
 * It gets NULL and ENOMEM, finds its heap intact and sbrk failing with
 * ENOMEM without moving the break, frees everything (the last block
 * first, as memhog does), finds the break and the frames back where they
 * were, give or take the free top the heap keeps (less than
 * trim_threshold, 256 KiB: mm/heap.h), and exits 0. Meanwhile the parent
 * keeps allocating from the memory its own heap already has; afterwards
 * its blocks are unchanged and it can grow again.
 */
// test-timeout: 60
// test-vm: eager lazy
// test-swap: off
#include <errno.h>
#include <malloc.h>
#include <memos.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define FIRST_CHUNK (1024 * 1024)

static void check_heap(void)
{
	char msg[160];

	if (malloc_check(msg, sizeof(msg)) != 0)
		check_fail(__FILE__, __LINE__, "heap check: %s", msg);
}

/* The heap keeps a free top smaller than this: the default trim_threshold. */
#define TRIM_THRESHOLD (256 * 1024)

static int child(bool eager)
{
	void **last = NULL;
	unsigned long total = 0;
	struct meminfo start;
	char *start_brk = sbrk(0);

	CHECK_EQ(meminfo(&start), 0);
	for (size_t chunk = FIRST_CHUNK; chunk >= 16;) {
		errno = 0;
		void **p = malloc(chunk);
		if (!p) {
			CHECK_EQ(errno, ENOMEM);
			chunk /= 2;
			continue;
		}
		*p = last; /* the blocks, linked through their first word */
		last = p;
		total += chunk;
	}
	struct meminfo m;
	CHECK_EQ(meminfo(&m), 0);
	if (eager) {
		CHECK(m.free_frames < 64); /* it really took (nearly) all */
	} else {
		/* Only the pages malloc touched (block headers) have frames;
		 * sbrk stopped at a heap as big as the machine's memory, more
		 * than could ever be backed. */
		CHECK((char *)sbrk(0) - start_brk >=
		      (long)(m.total_frames - 1) * (long)PAGE_SIZE);
		CHECK(m.free_frames + 1024 > start.free_frames);
	}
	check_heap();
	/* sbrk itself fails with ENOMEM now, and the break stays. */
	void *brk_before = sbrk(0);
	errno = 0;
	CHECK(sbrk(64 * PAGE_SIZE) == (void *)-1);
	CHECK_EQ(errno, ENOMEM);
	CHECK(sbrk(0) == brk_before);
	CHECK_ERR(sys_sbrk(64 * PAGE_SIZE), -ENOMEM);
	CHECK(sbrk(0) == brk_before);
	printf("malloc_exhaust child: malloc returned NULL after %lu KiB\n",
	       total / 1024);
	while (last) {
		void **next = *last;
		free(last);
		last = next;
	}
	/* Everything freed: the memory went back to the kernel (the small
	 * blocks freed last, at the heap's end, did not keep it). A page
	 * table or two may stay mapped for the heap's range. */
	CHECK((char *)sbrk(0) - start_brk < TRIM_THRESHOLD);
	CHECK_EQ(meminfo(&m), 0);
	CHECK(m.free_frames + TRIM_THRESHOLD / PAGE_SIZE + 2 >=
	      start.free_frames);
	check_heap();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "child") == 0)
		return child(strcmp(argv[2], "vm=eager") == 0);

	/* Blocks the child must not disturb, and 200 KiB of free heap (below
	 * the trim threshold, so the heap keeps it) to allocate from. */
	char *mine = malloc(5000);
	CHECK(mine != NULL);
	memset(mine, 0x6d, 5000);
	free(malloc(200 * 1024));

	int pid = sys_spawn(
	        "malloc_exhaust",
	        (char *[]){"malloc_exhaust", "child",
	                   vm_eager(argc, argv) ? "vm=eager" : "vm=lazy",
	                   NULL});
	CHECK(pid > 0);
	int status, got, rounds = 0;
	while ((got = sys_waitpid(pid, &status, WNOHANG)) == 0) {
		char *p[16];
		for (int i = 0; i < 16; i++) {
			p[i] = malloc((size_t)(i + 1) * 512);
			CHECK(p[i] != NULL);
			memset(p[i], i, (size_t)(i + 1) * 512);
		}
		for (int i = 0; i < 16; i++)
			free(p[i]);
		rounds++;
		sleep_ms(1);
	}
	CHECK_EQ(got, pid);
	CHECK_EXITED(status, 0);
	CHECK(rounds > 0);

	for (int i = 0; i < 5000; i++)
		CHECK_EQ(mine[i], 0x6d);
	check_heap();
	/* The child's frames are back: the heap grows again. */
	char *big = malloc(4 * 1024 * 1024);
	CHECK(big != NULL);
	memset(big, 1, 4 * 1024 * 1024);
	free(big);
	free(mine);
	check_heap();
	return 0;
}
