/*
 * Pages of a known pattern for the swap tests: every word of every page
 * depends on the page's number, the word's place and a seed, so a page
 * lost, swapped with another, read from the wrong slot or left stale
 * after a write shows as a wrong word. A page is checked whole.
 */
#ifndef USER_TESTS_SWAP_PAGES_H
#define USER_TESTS_SWAP_PAGES_H

#include <memos.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "check.h"

#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(uint32_t))

static inline uint32_t pattern_word(uint32_t page, uint32_t word, uint32_t seed)
{
	uint32_t x = page * 2654435761u ^ (word + 1) * 40503u ^ seed;

	return x ^ (x >> 15);
}

/* Writes the pattern of seed into page `page` of buf. */
static inline void fill_page(uint32_t *buf, uint32_t page, uint32_t seed)
{
	uint32_t *words = buf + page * WORDS_PER_PAGE;

	for (uint32_t w = 0; w < WORDS_PER_PAGE; w++)
		words[w] = pattern_word(page, w, seed);
}

/* Checks page `page` of buf against seed's pattern; on a mismatch says
 * where (who: the test's process) and ends the test. */
static inline void check_page(const char *who, const uint32_t *buf,
                              uint32_t page, uint32_t seed)
{
	const uint32_t *words = buf + page * WORDS_PER_PAGE;

	for (uint32_t w = 0; w < WORDS_PER_PAGE; w++) {
		if (words[w] != pattern_word(page, w, seed)) {
			printf("%s: page %u word %u is 0x%x, expected 0x%x "
			       "(seed 0x%x): a page lost or mixed up in "
			       "swap\n",
			       who, (unsigned)page, (unsigned)w,
			       (unsigned)words[w],
			       (unsigned)pattern_word(page, w, seed),
			       (unsigned)seed);
			exit(1);
		}
	}
}

/* A fresh buffer of n pages from sbrk (ends the test if there is none). */
static inline uint32_t *swap_buffer(uint32_t n)
{
	void *p = sbrk((intptr_t)(n * PAGE_SIZE));

	CHECK(p != (void *)-1);
	return p;
}

#endif
