/*
 * Evicting a page must drop its translation from the TLB, not only from
 * the page table. Under a resident limit of two pages (FIFO), the test
 * reads page 0 (a clean zero page: its translation is now in the TLB),
 * writes pages 1 and 2: the fault on page 2 evicts page 0, dropped with
 * no disk I/O (clean), so nothing reloads CR3 meanwhile and its frame
 * is free for page 2. Reading page 0 again must fault and find zeros. A
 * stale TLB entry (no invlpg after the PTE changed) reads the old frame
 * with no fault: whatever it holds now.
 */
#include <memos.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check.h"

#define WORDS (PAGE_SIZE / sizeof(uint32_t))

/* n fresh pages of heap, page-aligned. */
static volatile uint32_t *heap_pages(uint32_t n)
{
	uintptr_t brk = (uintptr_t)sbrk(0);

	CHECK(sbrk((intptr_t)((PAGE_SIZE - brk % PAGE_SIZE) % PAGE_SIZE)) !=
	      (void *)-1);
	void *p = sbrk((intptr_t)(n * PAGE_SIZE));
	CHECK(p != (void *)-1);
	return p;
}

static long faults(void)
{
	struct rusage u;

	CHECK_EQ(getrusage(RUSAGE_SELF, &u), 0);
	return u.ru_minflt + u.ru_majflt;
}

int main(void)
{
	volatile uint32_t *buf = heap_pages(3);
	volatile uint32_t *page0 = buf, *page1 = buf + WORDS,
	                  *page2 = buf + 2 * WORDS;
	struct rlimit limit = {2 * PAGE_SIZE, RLIM_INFINITY};

	CHECK_EQ(setrlimit(RLIMIT_RSS, &limit), 0);
	CHECK(evict_policy(EVICT_POLICY_FIFO) >= 0);
	CHECK_EQ(page0[0], 0); /* the fault, then the TLB holds it */
	CHECK_EQ(page0[1], 0);
	for (uint32_t w = 0; w < WORDS; w++)
		page1[w] = 0x11110000u + w;
	for (uint32_t w = 0; w < WORDS; w++)
		page2[w] = 0x22220000u + w; /* evicts page 0 */

	long before = faults();
	uint32_t nonzero = 0, seen = 0;
	for (uint32_t w = 0; w < WORDS; w++) {
		uint32_t v = page0[w];
		if (v && !nonzero++)
			seen = v;
	}
	long after = faults();
	if (after == before || nonzero)
		check_fail(__FILE__, __LINE__,
		           "page 0, evicted, was read with %ld faults and "
		           "%u words not 0 (0x%x): the TLB still held its old "
		           "translation: no invlpg after unmapping the victim",
		           after - before, (unsigned)nonzero, (unsigned)seen);
	for (uint32_t w = 0; w < WORDS; w++)
		CHECK_EQ(page2[w], 0x22220000u + w);
	return 0;
}
