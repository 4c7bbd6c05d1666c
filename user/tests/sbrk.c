/*
 * sbrk and brk: the break starts at the page after the image, moves
 * byte-exactly; the pages it enters get zero-filled frames, at once
 * (vm=eager) or on their first touch (vm=lazy), and lose them as it
 * shrinks; it never goes below the heap's start (EINVAL, and nothing
 * moves). Bytes above the break's page fault: a child that touches them is
 * killed by SIGSEGV. (malloc_exhaust checks ENOMEM when frames run out.)
 */
// test-timeout: 60
// test-vm: eager lazy
#include <errno.h>
#include <memos.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static uint32_t free_frames(void)
{
	struct meminfo m;

	CHECK_EQ(meminfo(&m), 0);
	return m.free_frames;
}

static uintptr_t brk_now(void)
{
	return (uintptr_t)sbrk(0);
}

/* The child's ways to touch memory that is not the heap's any more. */
static int child(const char *kind)
{
	uintptr_t start = brk_now();

	if (strcmp(kind, "above") == 0) {
		sbrk(10); /* maps the first page only */
		(void)*(volatile char *)(start + 9); /* fine: below */
		(void)*(volatile char *)(start + PAGE_SIZE - 1); /* same page */
		(void)*(volatile char *)(start + PAGE_SIZE);     /* faults */
	} else if (strcmp(kind, "after-shrink") == 0) {
		sbrk(3 * PAGE_SIZE);
		*(volatile char *)(start + 2 * PAGE_SIZE) = 1;
		sbrk(-(intptr_t)(2 * PAGE_SIZE));
		*(volatile char *)(start + 2 * PAGE_SIZE) = 1; /* faults */
	} else {
		return 2;
	}
	return 99; /* it did not fault */
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);

	bool eager = vm_eager(argc, argv);
	uint32_t frames = free_frames();
	uintptr_t start = brk_now();
	volatile char *heap = (char *)start;
	CHECK_ADDR(start, IMAGE_END_PAGE); /* empty: the page after _end */
	CHECK_ADDR((uintptr_t)sbrk(0), start);

	/* Byte-exact growth: one page for the first byte, which gets its
	 * frame now (eager) or when first touched (lazy). */
	CHECK_ADDR((uintptr_t)sbrk(1), start);
	CHECK_ADDR(brk_now(), start + 1);
	CHECK_EQ(free_frames(), frames - (eager ? 1 : 0));
	CHECK_EQ(heap[0], 0); /* the first touch */
	CHECK_EQ(free_frames(), frames - 1);
	CHECK_ADDR((uintptr_t)sbrk(PAGE_SIZE - 1), start + 1);
	CHECK_ADDR(brk_now(), start + PAGE_SIZE);
	CHECK_EQ(free_frames(), frames - 1);
	CHECK_ADDR((uintptr_t)sbrk(1), start + PAGE_SIZE);
	CHECK_EQ(free_frames(), frames - (eager ? 2 : 1));

	/* 64 more pages: zero-filled, writable, each its own. */
	enum { PAGES = 64 };
	CHECK_ADDR((uintptr_t)sbrk(PAGES * PAGE_SIZE - 1),
	           start + PAGE_SIZE + 1);
	CHECK_ADDR(brk_now(), start + (PAGES + 1) * PAGE_SIZE);
	CHECK_EQ(free_frames(), frames - (eager ? PAGES + 1 : 1));
	for (size_t i = 0; i < (PAGES + 1) * PAGE_SIZE; i++) {
		if (heap[i] != 0)
			check_fail(__FILE__, __LINE__,
			           "heap byte %u is %d, not zero", (unsigned)i,
			           heap[i]);
	}
	CHECK_EQ(free_frames(), frames - (PAGES + 1)); /* all touched now */
	for (size_t i = 0; i < (PAGES + 1) * PAGE_SIZE; i += 512)
		heap[i] = (char)(i / 512);
	for (size_t i = 0; i < (PAGES + 1) * PAGE_SIZE; i += 512)
		CHECK_EQ(heap[i], (char)(i / 512));

	/* Shrinking unmaps whole pages above the new break only. */
	CHECK_ADDR((uintptr_t)sbrk(-(intptr_t)(PAGES * PAGE_SIZE)),
	           start + (PAGES + 1) * PAGE_SIZE);
	CHECK_ADDR(brk_now(), start + PAGE_SIZE);
	CHECK_EQ(free_frames(), frames - 1);
	CHECK_EQ(heap[512], 1); /* the page below the break keeps its data */
	CHECK_ADDR((uintptr_t)sbrk(-100), start + PAGE_SIZE);
	CHECK_EQ(free_frames(), frames - 1); /* its page is still in use */

	/* Never below the heap's start: EINVAL, nothing moves. */
	errno = 0;
	CHECK_EQ(sbrk(-(intptr_t)PAGE_SIZE), (void *)-1);
	CHECK_EQ(errno, EINVAL);
	CHECK_ADDR(brk_now(), start + PAGE_SIZE - 100);
	CHECK_ERR(sys_sbrk(-(int32_t)PAGE_SIZE), -EINVAL);

	/* (ENOMEM, when the frames run out: malloc_exhaust checks it, the
	 * machine's memory has to be used up first.) The heap still grows. */
	CHECK_ADDR((uintptr_t)sbrk(2 * PAGE_SIZE), start + PAGE_SIZE - 100);
	heap[2 * PAGE_SIZE] = 42;
	CHECK_EQ(heap[2 * PAGE_SIZE], 42);

	/* brk sets the break to an address. */
	CHECK_EQ(brk((void *)(start + 5000)), 0);
	CHECK_ADDR(brk_now(), start + 5000);
	CHECK_EQ(brk((void *)start), 0);
	CHECK_ADDR(brk_now(), start);
	errno = 0;
	CHECK_EQ(brk((void *)(start - 1)), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_ADDR(brk_now(), start);

	/* Touching above the break is a fault, even right after a shrink. */
	CHECK_KILLED(RUN("sbrk", "child", "above"), SIGSEGV);
	CHECK_KILLED(RUN("sbrk", "child", "after-shrink"), SIGSEGV);
	return 0;
}
