/*
 * Lab 4, steps 2-9: the list heap (labs/4/heap/lheap.c). Each test is named
 * after the step of docs/labs/lab4-heap.md that makes it pass.
 *
 * The tests play the virtual memory manager: a region of pages reserved
 * with no access at all, opened page by page (mprotect) when the heap's map
 * hook asks. The "kernel" ends 100 bytes into the region's first page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "labs/4/heap/lheap.h"

#define NODE sizeof(struct lheap_node)
#define REGION_PAGES 64

static struct vmm {
	unsigned char *region;
	uintptr_t kernel_end;
	uintptr_t lowest_mapped; /* lowest address the heap asked for */
	size_t calls;
	bool fail; /* the next map calls fail, as when out of frames */
} vmm;

static int test_map(void *at, size_t bytes, void *ctx)
{
	struct vmm *v = ctx;
	uintptr_t a = (uintptr_t)at;

	v->calls++;
	if (v->fail)
		return -1;
	assert_int_equal(a % LHEAP_PAGE, 0);
	assert_int_equal(bytes % LHEAP_PAGE, 0);
	assert_true(a >= (uintptr_t)v->region);
	if (a + bytes > (uintptr_t)v->region + REGION_PAGES * LHEAP_PAGE)
		return -1; /* the end of the address space */
	if (!v->lowest_mapped || a < v->lowest_mapped)
		v->lowest_mapped = a;
	assert_int_equal(mprotect(at, bytes, PROT_READ | PROT_WRITE), 0);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&vmm, 0, sizeof(vmm));
	vmm.region = mmap(NULL, REGION_PAGES * LHEAP_PAGE, PROT_NONE,
	                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vmm.region == MAP_FAILED)
		return -1;
	vmm.kernel_end = (uintptr_t)vmm.region + 100;
	return lheap_init(vmm.kernel_end, 2 * LHEAP_PAGE, test_map, &vmm);
}

static int teardown(void **state)
{
	(void)state;
	munmap(vmm.region, REGION_PAGES * LHEAP_PAGE);
	return 0;
}

/* What lheap_walk showed, block by block. */
struct seen {
	size_t count;
	unsigned char *payload[64];
	size_t size[64];
	bool used[64];
};

static void record(void *payload, size_t size, bool used, void *ctx)
{
	struct seen *s = ctx;

	if (s->count < 64) {
		s->payload[s->count] = payload;
		s->size[s->count] = size;
		s->used[s->count] = used;
	}
	s->count++;
}

static struct seen walk(void)
{
	struct seen s = {0};
	size_t n = lheap_walk(record, &s);

	assert_int_equal(n, s.count);
	assert_true(n <= 64);
	return s;
}

/* Sizes and counts compared, and shown in decimal on failure. */
#define assert_size_equal(actual, expected)                                    \
	do {                                                                   \
		size_t a_ = (actual), e_ = (expected);                         \
		if (a_ != e_)                                                  \
			fail_msg("%s is %zu, expected %zu", #actual, a_, e_);  \
	} while (0)

/* Each block's next points back at it through its prev. */
static void assert_links_agree(void *first_payload)
{
	struct lheap_node *node =
	        (struct lheap_node *)((unsigned char *)first_payload - NODE);

	for (size_t i = 0; node->next; i++, node = node->next) {
		if (node->next->prev != node)
			fail_msg("block %zu's next block has prev %p, not the "
			         "block itself (%p): a link not updated",
			         i, (void *)node->next->prev, (void *)node);
	}
}

/* Every block starts right after the one below it: nothing is lost. */
static void assert_blocks_tile(const struct seen *s)
{
	for (size_t i = 0; i + 1 < s->count; i++)
		assert_ptr_equal(s->payload[i] + s->size[i] + NODE,
		                 s->payload[i + 1]);
}

static void step2_walk_sees_each_allocation_in_order(void **state)
{
	(void)state;
	void *a = lheap_alloc(40), *b = lheap_alloc(100), *c = lheap_alloc(7);
	struct seen s = walk();

	assert_true(s.count >= 3);
	assert_ptr_equal(s.payload[0], a);
	assert_ptr_equal(s.payload[1], b);
	assert_ptr_equal(s.payload[2], c);
	assert_true(s.used[0] && s.used[1] && s.used[2]);
}

static void step2_blocks_hold_their_request(void **state)
{
	(void)state;
	size_t want[] = {1, 16, 33, 200, 8};
	unsigned char *p[5];

	for (int i = 0; i < 5; i++) {
		p[i] = lheap_alloc(want[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % LHEAP_ALIGN, 0);
		memset(p[i], 0xA0 + i, want[i]);
	}
	struct seen s = walk();
	for (int i = 0; i < 5; i++) {
		assert_ptr_equal(s.payload[i], p[i]);
		assert_true(s.size[i] >= want[i]);
		if (i < 4) /* no block reaches into the next one */
			assert_true(p[i] + s.size[i] < p[i + 1]);
		for (size_t j = 0; j < want[i]; j++)
			assert_int_equal(p[i][j], 0xA0 + i);
	}
}

static void step3_free_marks_the_block_free(void **state)
{
	(void)state;
	void *a = lheap_alloc(64), *b = lheap_alloc(64), *c = lheap_alloc(64);

	assert_int_equal(lheap_free(b), 0);
	struct seen s = walk();
	assert_ptr_equal(s.payload[0], a);
	assert_ptr_equal(s.payload[1], b);
	assert_ptr_equal(s.payload[2], c);
	assert_true(s.used[0]);
	assert_false(s.used[1]);
	assert_true(s.used[2]);
	assert_int_equal(lheap_free(NULL), 0);
}

static void step3_double_free_is_refused(void **state)
{
	(void)state;
	void *a = lheap_alloc(64);

	lheap_alloc(64);
	assert_int_equal(lheap_free(a), 0);
	assert_int_equal(lheap_free(a), -1);
}

static void step4_freed_block_is_reused(void **state)
{
	(void)state;
	void *a = lheap_alloc(64), *b = lheap_alloc(64);

	assert_non_null(a);
	assert_non_null(b);
	lheap_free(a);
	assert_ptr_equal(lheap_alloc(64), a);
	lheap_free(b);
	assert_ptr_equal(lheap_alloc(48), b); /* smaller fits too */
	/* A free block too small for a request is passed over. */
	lheap_free(a);
	void *bigger = lheap_alloc(100);
	if (bigger == a)
		fail_msg("lheap_alloc(100) returned the free 64-byte block at "
		         "%p: first fit must go on past free blocks that are "
		         "too small",
		         a);
}

static void step5_node_sits_before_each_payload(void **state)
{
	(void)state;
	unsigned char *a = lheap_alloc(80);
	unsigned char *b = lheap_alloc(48);
	struct lheap_node *na = (struct lheap_node *)(a - NODE);
	struct lheap_node *nb = (struct lheap_node *)(b - NODE);

	assert_int_equal(na->status, LHEAP_USED);
	assert_true(na->size >= 80);
	assert_ptr_equal(na->next, nb);
	assert_ptr_equal(nb->prev, na);
	assert_null(na->prev); /* a is the heap's first block */
	lheap_free(b);
	assert_int_equal(nb->status, LHEAP_FREE);
}

static void step5_links_agree_both_ways(void **state)
{
	(void)state;
	unsigned char *p[6];

	for (int i = 0; i < 6; i++)
		p[i] = lheap_alloc(32 + 16 * i);
	lheap_free(p[1]);
	lheap_free(p[4]);
	struct lheap_node *node = (struct lheap_node *)(p[0] - NODE);
	size_t forward = 0;
	while (node->next) {
		assert_ptr_equal(node->next->prev, node);
		node = node->next;
		forward++;
	}
	assert_size_equal(forward + 1, walk().count);
}

/*
 * Two neighbouring 64-byte blocks a and b (a third keeps them from the
 * heap's end), both freed, b_first says in which order: either way they
 * end as one free block at a's place, with both payloads and b's node.
 */
static void free_two_neighbours(bool b_first)
{
	void *a = lheap_alloc(64), *b = lheap_alloc(64);

	lheap_alloc(64);
	lheap_free(b_first ? b : a);
	lheap_free(b_first ? a : b);
	struct seen s = walk();
	assert_ptr_equal(s.payload[0], a);
	assert_false(s.used[0]);
	assert_size_equal(s.size[0], 64 + NODE + 64);
	assert_true(s.used[1]);
	assert_blocks_tile(&s);
}

static void step6_free_merges_with_next(void **state)
{
	(void)state;
	free_two_neighbours(true); /* freeing a: its next neighbour is free */
}

static void step6_free_merges_with_previous(void **state)
{
	(void)state;
	free_two_neighbours(false); /* freeing b: its previous one is free */
}

static void step6_both_neighbours_merge_and_nothing_is_lost(void **state)
{
	(void)state;
	unsigned char *a = lheap_alloc(64), *b = lheap_alloc(64);
	unsigned char *c = lheap_alloc(64), *d = lheap_alloc(64);

	lheap_free(a);
	lheap_free(c);
	lheap_free(b); /* free on both sides: one block of three */
	struct seen s = walk();
	assert_ptr_equal(s.payload[0], a);
	assert_false(s.used[0]);
	assert_size_equal(s.size[0], 3 * 64 + 2 * NODE);
	assert_ptr_equal(s.payload[1], d);
	assert_blocks_tile(&s);
	assert_links_agree(a); /* d's prev is the merged block now */
	/* The chapter's example: a request no single old block could take. */
	assert_ptr_equal(lheap_alloc(150), a);
}

static void step7_split_leaves_the_rest_free(void **state)
{
	(void)state;
	unsigned char *a = lheap_alloc(512);

	lheap_alloc(64);
	lheap_free(a);
	assert_ptr_equal(lheap_alloc(64), a);
	struct seen s = walk();
	assert_int_equal(s.size[0], 64);
	assert_false(s.used[1]);
	assert_int_equal(s.size[1], 512 - 64 - NODE);
	assert_blocks_tile(&s);
	/* The rest is a block like any other: the next request takes it. */
	assert_ptr_equal(lheap_alloc(100), a + 64 + NODE);
}

static void step7_small_requests_get_the_minimum(void **state)
{
	(void)state;
	lheap_alloc(5);
	lheap_alloc(1);
	struct seen s = walk();
	assert_int_equal(s.size[0], LHEAP_MIN_PAYLOAD);
	assert_int_equal(s.size[1], LHEAP_MIN_PAYLOAD);
	assert_false(s.used[2]); /* the rest of the heap, split off */
	assert_blocks_tile(&s);
}

static void step7_no_sliver_too_small_to_use(void **state)
{
	(void)state;
	unsigned char *a = lheap_alloc(80 + NODE + 16);

	lheap_alloc(64);
	lheap_free(a);
	/* Cut at 80, the rest would hold a node but a payload of only 16
	 * bytes, less than LHEAP_MIN_PAYLOAD: the whole block is handed
	 * out. */
	assert_ptr_equal(lheap_alloc(80), a);
	struct seen s = walk();
	if (s.size[0] != 80 + NODE + 16)
		fail_msg("lheap_alloc(80) from a free block of %zu bytes kept "
		         "%zu and split off a block of %zu: smaller than "
		         "LHEAP_MIN_PAYLOAD (%d)",
		         80 + NODE + 16, s.size[0], s.size[1],
		         LHEAP_MIN_PAYLOAD);
	assert_true(s.used[1]);
	assert_blocks_tile(&s);
}

static void step8_heap_starts_after_a_guard_page(void **state)
{
	(void)state;
	uintptr_t guard = (vmm.kernel_end + LHEAP_PAGE - 1) & ~(uintptr_t)4095;
	unsigned char *a = lheap_alloc(32);

	assert_int_equal(vmm.lowest_mapped, guard + LHEAP_PAGE);
	assert_ptr_equal(a, (unsigned char *)guard + LHEAP_PAGE + NODE);
}

static void step8_heap_starts_as_one_free_block(void **state)
{
	(void)state;
	struct seen s = walk();

	assert_int_equal(s.count, 1);
	assert_false(s.used[0]);
	assert_int_equal(s.size[0], 2 * LHEAP_PAGE - NODE);
	assert_int_equal(vmm.calls, 1);
}

static void step9_heap_grows_through_the_map_hook(void **state)
{
	(void)state;
	unsigned char *a = lheap_alloc(3000);
	unsigned char *b = lheap_alloc(3 * LHEAP_PAGE); /* more than is left */

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(vmm.calls, 2);
	memset(b, 0x5A, 3 * LHEAP_PAGE);
	struct seen s = walk();
	assert_ptr_equal(s.payload[0], a);
	assert_ptr_equal(s.payload[1], b); /* the free rest was extended */
	assert_true(s.size[1] >= 3 * LHEAP_PAGE);
	assert_blocks_tile(&s);
}

static void step9_failed_growth_returns_null(void **state)
{
	(void)state;
	void *a = lheap_alloc(1000);

	vmm.fail = true;
	assert_null(lheap_alloc(5 * LHEAP_PAGE));
	assert_true(vmm.calls >= 2); /* it asked */
	/* The heap is as it was: small requests still work. */
	void *b = lheap_alloc(100);
	assert_non_null(b);
	assert_int_equal(lheap_free(a), 0);
	assert_int_equal(lheap_free(b), 0);
	struct seen s = walk();
	assert_int_equal(s.count, 1);
	assert_int_equal(s.size[0], 2 * LHEAP_PAGE - NODE);
}

#define LAB_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        LAB_TEST(step2_walk_sees_each_allocation_in_order),
	        LAB_TEST(step2_blocks_hold_their_request),
	        LAB_TEST(step3_free_marks_the_block_free),
	        LAB_TEST(step3_double_free_is_refused),
	        LAB_TEST(step4_freed_block_is_reused),
	        LAB_TEST(step5_node_sits_before_each_payload),
	        LAB_TEST(step5_links_agree_both_ways),
	        LAB_TEST(step6_free_merges_with_next),
	        LAB_TEST(step6_free_merges_with_previous),
	        LAB_TEST(step6_both_neighbours_merge_and_nothing_is_lost),
	        LAB_TEST(step7_split_leaves_the_rest_free),
	        LAB_TEST(step7_small_requests_get_the_minimum),
	        LAB_TEST(step7_no_sliver_too_small_to_use),
	        LAB_TEST(step8_heap_starts_after_a_guard_page),
	        LAB_TEST(step8_heap_starts_as_one_free_block),
	        LAB_TEST(step9_heap_grows_through_the_map_hook),
	        LAB_TEST(step9_failed_growth_returns_null),
	};

	return cmocka_run_group_tests_name("lab4-heap", tests, NULL, NULL);
}
