/*
 * A clean page costs no disk write when it is evicted: pages that were
 * only read (zero pages, here) are dropped and come back as zeros. Under
 * a resident limit of 8 pages (FIFO), 32 heap pages are read twice: about
 * 56 evictions, and not one page may be written to swap.
 */
#include <memos.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check.h"

#define PAGES 32u
#define LIMIT 8u

int main(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	CHECK(sbrk((intptr_t)((PAGE_SIZE - brk % PAGE_SIZE) % PAGE_SIZE)) !=
	      (void *)-1);
	volatile uint8_t *buf = sbrk((intptr_t)(PAGES * PAGE_SIZE));
	CHECK(buf != (void *)-1);
	struct rlimit limit = {LIMIT * PAGE_SIZE, RLIM_INFINITY};
	struct meminfo before, after;

	CHECK_EQ(setrlimit(RLIMIT_RSS, &limit), 0);
	CHECK(evict_policy(EVICT_POLICY_FIFO) >= 0);
	CHECK_EQ(meminfo(&before), 0);
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t p = 0; p < PAGES; p++)
			CHECK_EQ(buf[p * PAGE_SIZE + p], 0);
	CHECK_EQ(meminfo(&after), 0);
	uint32_t evicted = after.evictions - before.evictions;
	uint32_t written = after.swap_pages_written - before.swap_pages_written;
	if (evicted < 2 * (PAGES - LIMIT))
		check_fail(__FILE__, __LINE__,
		           "%u evictions for 2 reads of %u pages over a limit "
		           "of %u: pages were read with no fault (an evicted "
		           "page's translation still in the TLB?)",
		           (unsigned)evicted, PAGES, LIMIT);
	if (written)
		check_fail(__FILE__, __LINE__,
		           "%u of %u evicted pages that were never written "
		           "went to swap: a clean page is dropped, not written "
		           "(it comes back as zeros or from its file)",
		           (unsigned)written, (unsigned)evicted);
	return 0;
}
