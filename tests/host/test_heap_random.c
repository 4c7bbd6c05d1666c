/*
 * test_heap_random.c - random operation sequences against a shadow model:
 * every live block holds a pattern derived from its id, checked before it
 * is freed or reallocated, and heap_check runs after every operation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/heap.h"
#include "tests/host/heap_host_env.h"

#define SLOTS 256
#define OPS 20000

struct slot {
	unsigned char *ptr;
	size_t size;
	size_t align;
	unsigned key; /* pattern key: changes on every (re)allocation */
};

struct model {
	struct heap heap;
	struct host_arena arena;
	struct slot slot[SLOTS];
	uint64_t rng;
	unsigned next_key;
	unsigned long failed_allocs;
};

static uint32_t next_random(struct model *m)
{
	/* xorshift64*: deterministic for a given seed, so failures replay */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return (uint32_t)((m->rng * 2685821657736338717ull) >> 32);
}

/* Mostly small sizes, some medium, a few large ones. */
static size_t random_size(struct model *m)
{
	uint32_t r = next_random(m) % 100;

	if (r < 60)
		return next_random(m) % 64;
	if (r < 90)
		return next_random(m) % 2048;
	if (r < 99)
		return next_random(m) % 32768;
	return next_random(m) % (256 * 1024);
}

static void check_heap(struct model *m, unsigned op)
{
	char msg[256];

	if (heap_check(&m->heap, msg, sizeof(msg)))
		fail_msg("op %u: heap_check: %s", op, msg);
}

static void check_slot(struct model *m, struct slot *s, unsigned op)
{
	if (!s->ptr)
		return;
	if (!host_intact(s->ptr, s->size, s->key))
		fail_msg("op %u: block %p (%zu bytes) lost its contents", op,
		         (void *)s->ptr, s->size);
	if (heap_usable_size(&m->heap, s->ptr) < s->size)
		fail_msg("op %u: usable size below the request", op);
}

static void take(struct model *m, struct slot *s, void *p, size_t size,
                 size_t align)
{
	if (!p) {
		m->failed_allocs++;
		return;
	}
	assert_int_equal(
	        (uintptr_t)p % (align > HEAP_ALIGN ? align : HEAP_ALIGN), 0);
	s->ptr = p;
	s->size = size;
	s->align = align;
	s->key = ++m->next_key;
	host_fill(p, size, s->key);
}

static void one_op(struct model *m, unsigned op)
{
	struct slot *s = &m->slot[next_random(m) % SLOTS];
	uint32_t kind = next_random(m) % 100;
	size_t size = random_size(m);

	check_slot(m, s, op);
	if (s->ptr && kind < 45) {
		heap_free(&m->heap, s->ptr);
		s->ptr = NULL;
	} else if (s->ptr) {
		size_t keep = size < s->size ? size : s->size;
		unsigned char *p = heap_realloc(&m->heap, s->ptr, size);

		if (!p) { /* the old block must be untouched */
			m->failed_allocs++;
			check_slot(m, s, op);
			return;
		}
		if (!host_intact(p, keep, s->key))
			fail_msg("op %u: realloc lost contents", op);
		s->ptr = NULL;
		take(m, s, p, size, HEAP_ALIGN);
	} else if (kind < 80) {
		take(m, s, heap_alloc(&m->heap, size), size, HEAP_ALIGN);
	} else if (kind < 90) {
		size_t count = next_random(m) % 16;
		unsigned char *p = heap_calloc(&m->heap, count, size / 16 + 1);
		size_t i, n = count * (size / 16 + 1);

		for (i = 0; p && i < n; i++) {
			if (p[i])
				fail_msg("op %u: calloc memory not zero", op);
		}
		take(m, s, p, n, HEAP_ALIGN);
	} else {
		size_t align = (size_t)16 << (next_random(m) % 9);

		take(m, s, heap_alloc_aligned(&m->heap, align, size), size,
		     align);
	}
}

static void run_model(enum heap_policy policy, uint64_t seed, size_t misalign,
                      long grows_allowed, unsigned ops)
{
	static struct model m;
	unsigned op, i;

	memset(&m, 0, sizeof(m));
	m.rng = seed;
	assert_int_equal(
	        host_heap_open(&m.heap, &m.arena, policy, 64 << 20, misalign),
	        0);
	m.arena.grows_left = grows_allowed;
	for (op = 0; op < ops; op++) {
		one_op(&m, op);
		check_heap(&m, op);
	}
	for (i = 0; i < SLOTS; i++) {
		check_slot(&m, &m.slot[i], op);
		heap_free(&m.heap, m.slot[i].ptr);
	}
	check_heap(&m, op);
	if (grows_allowed >= 0)
		assert_true(m.failed_allocs > 0); /* the hook did run dry */
	/* Everything freed and the quick lists emptied: the heap is one
	 * free block at most, trimmed. */
	{
		struct heap_stats st;

		heap_trim(&m.heap);
		check_heap(&m, op);
		heap_get_stats(&m.heap, &st);
		assert_int_equal(st.used_blocks, 0);
		assert_true(st.free_blocks <= 1);
		assert_true(st.free_bytes <= 256 * 1024);
	}
	host_arena_close(&m.arena);
}

static void test_random_segregated(void **state)
{
	(void)state;
	run_model(HEAP_POLICY_SEGREGATED, 0x9e3779b97f4a7c15ull, 0, -1, OPS);
	run_model(HEAP_POLICY_SEGREGATED, 12345, 4, -1, OPS);
}

static void test_random_teaching(void **state)
{
	(void)state;
	run_model(HEAP_POLICY_TEACHING, 777, 8, -1, OPS / 2);
}

/* The hook stops giving memory part way: NULLs, never corruption. */
static void test_random_hook_runs_dry(void **state)
{
	(void)state;
	run_model(HEAP_POLICY_SEGREGATED, 4242, 12, 40, OPS / 2);
	run_model(HEAP_POLICY_TEACHING, 99, 0, 40, OPS / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_random_segregated),
	        cmocka_unit_test(test_random_teaching),
	        cmocka_unit_test(test_random_hook_runs_dry),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("heap_random", tests, NULL, NULL);
}
