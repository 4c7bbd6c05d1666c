/*
 * Memory on demand pays for what a program touches, not for what it asks
 * for: a 64 MiB heap (sbrk) with one byte touched in every 16th page
 * takes 1/16 of the frames in lazy mode, all of them in eager mode. The
 * frames come back when the heap shrinks.
 */
// test-timeout: 60
// test-vm: eager lazy
#include <memos.h>
#include <stdio.h>
#include <unistd.h>

#include "check.h"

#define HEAP_PAGES (64u * 1024 * 1024 / PAGE_SIZE)
#define STRIDE 16u /* touch one page in 16 */
/* What may come on top: page tables (one per 4 MiB) and a little more. */
#define SLACK 32u

static uint32_t free_frames(void)
{
	struct meminfo m;

	CHECK_EQ(meminfo(&m), 0);
	return m.free_frames;
}

int main(int argc, char **argv)
{
	bool eager = vm_eager(argc, argv);
	uint32_t before = free_frames();

	char *heap = sbrk(HEAP_PAGES * PAGE_SIZE);
	CHECK(heap != (void *)-1);
	uint32_t after_sbrk = before - free_frames();
	for (uint32_t i = 0; i < HEAP_PAGES; i += STRIDE)
		heap[i * PAGE_SIZE + 7] = (char)i;
	uint32_t used = before - free_frames();
	for (uint32_t i = 0; i < HEAP_PAGES; i += STRIDE)
		CHECK_EQ(heap[i * PAGE_SIZE + 7], (char)i);

	printf("lazy_heap (%s): %u frames after sbrk, %u after touching "
	       "%u of %u pages\n",
	       eager ? "eager" : "lazy", (unsigned)after_sbrk, (unsigned)used,
	       HEAP_PAGES / STRIDE, HEAP_PAGES);
	if (eager) {
		if (after_sbrk < HEAP_PAGES)
			check_fail(__FILE__, __LINE__,
			           "vm=eager: sbrk of %u pages took %u frames: "
			           "eager sbrk gives every page its frame",
			           HEAP_PAGES, (unsigned)after_sbrk);
		CHECK(used >= HEAP_PAGES && used <= HEAP_PAGES + SLACK);
	} else {
		if (after_sbrk > SLACK) /* page tables at most */
			check_fail(
			        __FILE__, __LINE__,
			        "vm=lazy: sbrk of %u pages took %u frames at "
			        "once: a lazy heap page gets its frame when "
			        "first touched, not at sbrk",
			        HEAP_PAGES, (unsigned)after_sbrk);
		if (used < HEAP_PAGES / STRIDE ||
		    used > HEAP_PAGES / STRIDE + SLACK)
			check_fail(__FILE__, __LINE__,
			           "vm=lazy: touching %u pages took %u frames, "
			           "not one each",
			           HEAP_PAGES / STRIDE, (unsigned)used);
	}

	/* Giving the heap back frees exactly the frames it had. */
	CHECK(sbrk(-(intptr_t)(HEAP_PAGES * PAGE_SIZE)) != (void *)-1);
	CHECK(before - free_frames() <= SLACK);
	return 0;
}
