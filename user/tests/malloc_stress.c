/*
 * malloc, free, realloc, calloc, aligned_alloc and posix_memalign in a
 * long random sequence (the same every run), checking every invariant of
 * the heap after each step and the contents of every live block. In the
 * end everything is freed: the heap is one free block again and has
 * given most of its memory back with sbrk.
 */
// test-timeout: 120
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define SLOTS 64
#define STEPS 2500

struct slot {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

static struct slot slots[SLOTS];

static void check_heap(int step)
{
	char msg[160];

	if (malloc_check(msg, sizeof(msg)) != 0)
		check_fail(__FILE__, __LINE__, "step %d: heap check: %s", step,
		           msg);
}

static void check_slot(int step, const struct slot *s)
{
	for (size_t i = 0; i < s->size; i++) {
		if (s->p[i] != s->fill)
			check_fail(__FILE__, __LINE__,
			           "step %d: byte %u of a %u-byte block at %p "
			           "is 0x%x, expected 0x%x",
			           step, (unsigned)i, (unsigned)s->size, s->p,
			           s->p[i], s->fill);
	}
}

/* Mostly small sizes, sometimes up to 64 KiB. */
static size_t random_size(void)
{
	int r = rand() % 100;

	if (r < 60)
		return (size_t)(rand() % 128);
	if (r < 95)
		return (size_t)(rand() % 4096);
	return (size_t)(rand() % 65536);
}

static void fill(struct slot *s, size_t size)
{
	s->size = size;
	s->fill = (unsigned char)(rand() | 1);
	memset(s->p, s->fill, size);
}

static void step_once(int step, struct slot *s)
{
	int op = rand() % 6;
	size_t size = random_size();

	if (s->p && op < 3) {
		check_slot(step, s);
		if (op == 0) {
			free(s->p);
			s->p = NULL;
			return;
		}
		/* realloc keeps the old bytes up to the smaller size. */
		unsigned char *p = realloc(s->p, size);
		CHECK(p != NULL);
		s->p = p;
		if (size < s->size)
			s->size = size;
		check_slot(step, s);
		fill(s, size);
		return;
	}
	if (s->p) {
		check_slot(step, s);
		free(s->p);
	}
	if (op == 3) {
		size_t count = size / 8 + 1;
		s->p = calloc(count, 8);
		CHECK(s->p != NULL);
		s->size = count * 8;
		s->fill = 0;
		check_slot(step, s); /* calloc zeroes */
	} else if (op == 4) {
		size_t align = (size_t)16 << (rand() % 9); /* 16 .. 4096 */
		if (rand() % 2) {
			s->p = aligned_alloc(align, size);
		} else {
			void *p = NULL;
			CHECK_EQ(posix_memalign(&p, align, size), 0);
			s->p = p;
		}
		CHECK(s->p != NULL);
		CHECK_EQ((uintptr_t)s->p % align, 0);
	} else {
		s->p = malloc(size);
		CHECK(s->p != NULL);
	}
	CHECK((uintptr_t)s->p % 8 == 0);
	CHECK(malloc_usable_size(s->p) >= size);
	fill(s, size);
}

int main(void)
{
	void *start = sbrk(0);
	struct heap_stats stats;

	srand(12345);
	for (int step = 0; step < STEPS; step++) {
		step_once(step, &slots[rand() % SLOTS]);
		check_heap(step);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].p)
			check_slot(STEPS, &slots[i]);
		free(slots[i].p);
		check_heap(STEPS + i);
	}

	/* All free: one free block, at most the trim threshold left. */
	malloc_get_stats(&stats);
	CHECK_EQ(stats.used_blocks, 0);
	CHECK_EQ(stats.free_blocks, 1);
	CHECK((uintptr_t)sbrk(0) - (uintptr_t)start <= 256 * 1024);
	CHECK(stats.grow_calls > 0);

	/* The corner cases C gives. */
	void *p = malloc(0);
	CHECK(p != NULL);
	free(p);
	free(NULL);
	errno = 0;
	CHECK(calloc(0x10000, 0x10000) == NULL); /* the product overflows */
	CHECK_EQ(errno, ENOMEM);
	CHECK(malloc(0xfffffff0u) == NULL);
	CHECK(aligned_alloc(24, 8) == NULL); /* not a power of two */
	CHECK_EQ(posix_memalign(&p, 2, 8), EINVAL);
	p = realloc(NULL, 100); /* realloc(NULL) is malloc */
	CHECK(p != NULL);
	free(p);
	check_heap(-1);
	return 0;
}
