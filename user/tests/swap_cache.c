/*
 * A page read back from swap keeps its slot until it changes, so that
 * evicting it again, unchanged, needs no write (the swap cache): under a
 * resident limit of 4 pages (FIFO), 8 pages are written, so 0-3 go to
 * swap; reading page 0 back (page 4 goes out) must leave as many slots
 * used as page 4 added; pages 1-3 come back too, then pages 4-7 push out
 * 0-3 unchanged: no write. Every page is checked for its bytes.
 */
#include <memos.h>
#include <sys/resource.h>
#include <unistd.h>

#include "swap_pages.h"

#define PAGES 8u
#define LIMIT 4u
#define SEED 0x5A5A0000u

/* Checks page p; a page of zeros was dropped when it was dirty. */
static void check_back(const uint32_t *buf, uint32_t p)
{
	const uint32_t *w = buf + p * WORDS_PER_PAGE;
	uint32_t zeros = 0;

	for (uint32_t i = 0; i < WORDS_PER_PAGE; i++)
		zeros += w[i] == 0;
	if (zeros == WORDS_PER_PAGE)
		check_fail(__FILE__, __LINE__,
		           "page %u came back zero-filled: it was written "
		           "(dirty) but dropped at eviction instead of "
		           "written to swap",
		           (unsigned)p);
	check_page("swap_cache", buf, p, SEED);
}

int main(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	CHECK(sbrk((intptr_t)((PAGE_SIZE - brk % PAGE_SIZE) % PAGE_SIZE)) !=
	      (void *)-1);
	uint32_t *buf = swap_buffer(PAGES);
	struct rlimit limit = {LIMIT * PAGE_SIZE, RLIM_INFINITY};
	struct meminfo m1, m2;

	CHECK_EQ(setrlimit(RLIMIT_RSS, &limit), 0);
	CHECK(evict_policy(EVICT_POLICY_FIFO) >= 0);
	for (uint32_t p = 0; p < PAGES; p++)
		fill_page(buf, p, SEED); /* 0-3 go to swap */
	CHECK_EQ(meminfo(&m1), 0);
	check_back(buf, 0); /* page 4 goes to a new slot */
	CHECK_EQ(meminfo(&m2), 0);
	CHECK_EQ(m2.swap_pages_read - m1.swap_pages_read, 1);
	if (m2.swap_slots_used != m1.swap_slots_used + 1)
		check_fail(__FILE__, __LINE__,
		           "slots used went from %u to %u as page 0 was read "
		           "back and page 4 evicted: page 0's slot was freed "
		           "before its page was back (it must stay held)",
		           (unsigned)m1.swap_slots_used,
		           (unsigned)m2.swap_slots_used);
	for (uint32_t p = 1; p < LIMIT; p++)
		check_back(buf, p);
	CHECK_EQ(meminfo(&m1), 0);
	for (uint32_t p = LIMIT; p < PAGES; p++)
		check_back(buf, p); /* evicts 0-3, unchanged */
	CHECK_EQ(meminfo(&m2), 0);
	uint32_t written = m2.swap_pages_written - m1.swap_pages_written;
	if (written)
		check_fail(__FILE__, __LINE__,
		           "%u pages read back from swap and not written since "
		           "were written again when evicted: their slots "
		           "still hold their bytes",
		           (unsigned)written);
	for (uint32_t p = 0; p < PAGES; p++)
		check_back(buf, p);
	return 0;
}
