/*
 * test_buddy.c - unit tests and a shadow-model random test of mm/buddy.c
 * on the host (cmocka, ASan+UBSan). Lab 10 grades with these
 * (labs/10/grade.txt): a failure says what the allocator got wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mm/buddy.h"

#define FRAMES 4096u

static struct buddy_frame frames[FRAMES];
static struct buddy b;

/* Fails the test with buddy_check's message unless the invariants hold. */
static void assert_buddy_ok(const char *after)
{
	char msg[200];

	if (buddy_check(&b, msg, sizeof(msg)) != 0)
		fail_msg("after %s, buddy_check says: %s", after, msg);
}

/* An allocator of n frames, frames [first, first + count) its own. */
static void start(uint32_t n, uint32_t first, uint32_t count)
{
	buddy_init(&b, frames, n);
	assert_int_equal(buddy_add_range(&b, first, count), 0);
}

/* The blocks on the free list of order k, as frame numbers, ascending. */
static unsigned list_of(unsigned k, uint32_t *out, unsigned room)
{
	unsigned n = 0;

	for (uint32_t f = b.free_head[k]; f != BUDDY_NONE && n < room;
	     f = frames[f].next)
		out[n++] = f;
	for (unsigned i = 1; i < n; i++) /* insertion sort: lists are short */
		for (unsigned j = i; j > 0 && out[j - 1] > out[j]; j--) {
			uint32_t t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

/* The list of order k holds exactly the blocks `want` (ascending). */
static void assert_list(unsigned k, const uint32_t *want, unsigned count,
                        const char *after, const char *hint)
{
	uint32_t got[64];
	unsigned n = list_of(k, got, 64);
	char have[200] = "", *p = have;

	for (unsigned i = 0; i < n && p < have + sizeof(have) - 12; i++)
		p += sprintf(p, " %u", got[i]);
	if (n != count)
		fail_msg("after %s the free list of order %u holds%s%s, "
		         "expected %u block(s): %s",
		         after, k, n ? "" : " nothing", have, count, hint);
	for (unsigned i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("after %s the free list of order %u holds%s, "
			         "expected block %u: %s",
			         after, k, have, want[i], hint);
}

/* buddy_alloc(order) must return want; else the test fails with hint. */
static void expect_alloc(unsigned order, uint32_t want, const char *hint)
{
	uint32_t got = buddy_alloc(&b, order);

	if (got != want)
		fail_msg("buddy_alloc(%u) returned %d, expected %u: %s", order,
		         (int)got, want, hint);
}

/* buddy_free(first, order) must return want; else the test fails. */
static void expect_free(uint32_t first, unsigned order, int want,
                        const char *hint)
{
	int got = buddy_free(&b, first, order);

	if (got != want)
		fail_msg("buddy_free(%u, %u) returned %d, expected %d: %s",
		         first, order, got, want, hint);
}

/* ---- Blocks from a range ------------------------------------------------- */

static void step1_a_range_becomes_maximal_blocks(void **state)
{
	(void)state;
	start(64, 0, 64);
	assert_buddy_ok("adding frames 0-63");
	assert_int_equal(b.free_frames, 64);
	assert_list(6, (uint32_t[]){0}, 1, "adding frames 0-63",
	            "64 aligned free frames are one block of order 6");

	/* 3..20: 3 | 4-7 | 8-15 | 16-19 | 20 */
	start(64, 3, 18);
	assert_buddy_ok("adding frames 3-20");
	assert_list(0, (uint32_t[]){3, 20}, 2, "adding frames 3-20", "");
	assert_list(2, (uint32_t[]){4, 16}, 2, "adding frames 3-20", "");
	assert_list(3, (uint32_t[]){8}, 1, "adding frames 3-20", "");
	assert_int_equal(buddy_largest_free(&b), 8);
}

static void step1_add_range_refuses_bad_ranges(void **state)
{
	(void)state;
	start(64, 0, 8);
	assert_int_equal(buddy_add_range(&b, 4, 8), -BUDDY_EINVAL);
	assert_int_equal(buddy_add_range(&b, 60, 8), -BUDDY_EINVAL);
	assert_int_equal(b.free_frames, 8);
	assert_buddy_ok("refused ranges");
}

static void step1_order_for_rounds_up(void **state)
{
	(void)state;
	assert_int_equal(buddy_order_for(1), 0);
	assert_int_equal(buddy_order_for(2), 1);
	assert_int_equal(buddy_order_for(3), 2);
	assert_int_equal(buddy_order_for(4), 2);
	assert_int_equal(buddy_order_for(5), 3);
	assert_int_equal(buddy_order_for(1024), 10);
	assert_true(buddy_order_for(1025) > BUDDY_MAX_ORDER);
}

/* ---- Split --------------------------------------------------------------- */

static void step2_split_keeps_each_upper_half(void **state)
{
	const char *hint =
	        "split must put the upper half of each cut on the "
	        "free list one order down (the remainder of a split)";

	(void)state;
	start(16, 0, 16);
	uint32_t f = buddy_alloc(&b, 0);

	if (f != 0)
		fail_msg("buddy_alloc(0) from one free block of 16 frames "
		         "returned %u, expected 0: the block keeps its lower "
		         "half at each cut",
		         f);
	assert_list(0, (uint32_t[]){1}, 1, "buddy_alloc(0) from 16 frames",
	            hint);
	assert_list(1, (uint32_t[]){2}, 1, "buddy_alloc(0) from 16 frames",
	            hint);
	assert_list(2, (uint32_t[]){4}, 1, "buddy_alloc(0) from 16 frames",
	            hint);
	assert_list(3, (uint32_t[]){8}, 1, "buddy_alloc(0) from 16 frames",
	            hint);
	assert_int_equal(b.free_frames, 15);
	assert_buddy_ok("buddy_alloc(0) from 16 frames");
}

static void step2_alloc_takes_the_smallest_block_that_fits(void **state)
{
	(void)state;
	start(64, 3, 18); /* 3 | 4-7 | 8-15 | 16-19 | 20 */
	uint32_t f = buddy_alloc(&b, 1);

	if (f != 4 && f != 16)
		fail_msg("buddy_alloc(1) returned %u, not a half of one of the "
		         "two free blocks of order 2 (4 and 16)",
		         f);
	expect_alloc(3, 8, "block 8-15 is the one free block of order 3");
	expect_alloc(3, BUDDY_NONE, "no block of 8 frames is left");
	expect_alloc(BUDDY_MAX_ORDER + 1, BUDDY_NONE, "no order is that big");
	assert_buddy_ok("allocations of orders 1 and 3");
}

static void step2_every_frame_handed_out_once(void **state)
{
	static uint8_t owner[FRAMES];
	uint32_t f, n = 0;

	(void)state;
	memset(owner, 0, sizeof(owner));
	start(FRAMES, 5, FRAMES - 9);
	while ((f = buddy_alloc(&b, 0)) != BUDDY_NONE) {
		if (f < 5 || f >= FRAMES - 4)
			fail_msg("buddy_alloc(0) handed out frame %u, which "
			         "was never added",
			         f);
		if (owner[f]++)
			fail_msg("buddy_alloc(0) handed out frame %u twice", f);
		n++;
	}
	if (n != FRAMES - 9)
		fail_msg("buddy_alloc(0) gave %u frames of the %u added: "
		         "frames split off a block were lost",
		         n, FRAMES - 9);
	assert_int_equal(b.free_frames, 0);
	assert_buddy_ok("taking every frame");
}

/* ---- Merge --------------------------------------------------------------- */

static void step3_free_merges_with_its_buddy(void **state)
{
	const char *hint = "merge must go on as long as the merged block's "
	                   "buddy is free";

	(void)state;
	start(16, 0, 16);
	assert_list(4, (uint32_t[]){0}, 1, "adding frames 0-15 one at a time",
	            hint);
	for (uint32_t i = 0; i < 4; i++)
		expect_alloc(0, i, "the lowest free frames first, from 16");
	expect_free(1, 0, 0, "frame 1 is allocated");
	assert_list(0, (uint32_t[]){1}, 1, "freeing frame 1 (frame 0 in use)",
	            "a block whose buddy is in use stays as it is");
	expect_free(0, 0, 0, "frame 0 is allocated");
	assert_list(0, NULL, 0, "freeing frames 1 then 0",
	            "merge must join frame 0 with its free buddy, frame 1");
	assert_list(1, (uint32_t[]){0}, 1, "freeing frames 1 then 0",
	            "frames 0 and 1 are buddies: together, block 0 of "
	            "order 1");
	expect_free(3, 0, 0, "frame 3 is allocated");
	expect_free(2, 0, 0, "frame 2 is allocated");
	assert_list(4, (uint32_t[]){0}, 1, "freeing frames 0-3", hint);
	for (unsigned k = 0; k < 4; k++)
		assert_list(k, NULL, 0, "freeing frames 0-3",
		            "every smaller block merged away");
	assert_buddy_ok("freeing frames 0-3");
}

static void step3_merge_finds_the_buddy_by_xor(void **state)
{
	const char *after = "adding frame 2, then frame 0, then frame 1";
	const char *hint = "frame 1's buddy is frame 0 (1 XOR 1: the two "
	                   "differ in bit 0 alone), not frame 2 (1 + 1), its "
	                   "neighbour: a block of 2 frames starts at an even "
	                   "frame";

	(void)state;
	buddy_init(&b, frames, 4);
	assert_int_equal(buddy_add_range(&b, 2, 1), 0);
	assert_int_equal(buddy_add_range(&b, 0, 1), 0);
	assert_int_equal(buddy_add_range(&b, 1, 1), 0); /* merges with 0 */
	assert_list(1, (uint32_t[]){0}, 1, after, hint);
	assert_list(0, (uint32_t[]){2}, 1, after, hint);
	assert_buddy_ok(after);
}

static void step3_no_merge_with_a_buddy_in_use(void **state)
{
	(void)state;
	start(2, 0, 2);
	expect_alloc(0, 0, "frames 0 and 1 are free, 0 first");
	expect_alloc(0, 1, "frame 1 is free");
	expect_free(0, 0, 0, "frame 0 is allocated");
	assert_list(1, NULL, 0, "freeing frame 0 while frame 1 is in use",
	            "merge must check that the buddy is free: frame 1 is "
	            "still allocated");
	assert_list(0, (uint32_t[]){0}, 1,
	            "freeing frame 0 while frame 1 is in use", "");
	uint32_t again = buddy_alloc(&b, 1);

	if (again != BUDDY_NONE)
		fail_msg("buddy_alloc(1) returned block %u of 2 frames while "
		         "frame 1 is in use: merge joined frame 0 with a buddy "
		         "that is not free",
		         again);
	assert_buddy_ok("freeing frame 0 while frame 1 is in use");
}

static void step3_no_merge_with_a_split_buddy(void **state)
{
	(void)state;
	start(4, 0, 4);
	expect_alloc(1, 0, "frames 0-3 are free: block 0-1 first");
	expect_alloc(0, 2, "block 2-3 is free: frame 2 first");
	expect_alloc(0, 3, "frame 3 is free");
	expect_free(2, 0, 0, "frame 2 is allocated"); /* 3 still in use */
	expect_free(0, 1, 0, "block 0-1 is allocated");
	assert_list(2, NULL, 0, "freeing block 0-1 while frame 3 is in use",
	            "block 0-1's buddy is block 2-3 of order 1; frame 2 is "
	            "free but only as a block of order 0 (frame 3 is in "
	            "use): merge must check the buddy's order too");
	assert_buddy_ok("freeing block 0-1 while frame 3 is in use");
}

static void step3_everything_freed_gives_maximal_blocks(void **state)
{
	uint32_t got[FRAMES];
	unsigned n = 0;

	(void)state;
	start(FRAMES, 0, FRAMES);
	uint32_t f;
	while ((f = buddy_alloc(&b, n % 3)) != BUDDY_NONE)
		got[n++] = f;
	for (unsigned i = 0; i < n; i++) /* in an order unlike alloc's */
		assert_int_equal(
		        buddy_free(&b, got[(i * 7) % n], ((i * 7) % n) % 3), 0);
	assert_buddy_ok("freeing everything");
	if (b.free_blocks[BUDDY_MAX_ORDER] != FRAMES >> BUDDY_MAX_ORDER)
		fail_msg("after freeing everything, %u blocks of the largest "
		         "order are free, expected %u: freed blocks were not "
		         "merged back",
		         b.free_blocks[BUDDY_MAX_ORDER],
		         FRAMES >> BUDDY_MAX_ORDER);
}

/* ---- Misuse -------------------------------------------------------------- */

static void step4_double_and_wild_frees_are_refused(void **state)
{
	(void)state;
	start(64, 8, 40);
	uint32_t f = buddy_alloc(&b, 2);

	expect_free(f, 2, 0, "the block is allocated");
	expect_free(f, 2, -BUDDY_EDOUBLE, "the block was just freed");
	expect_free(f + 1, 0, -BUDDY_EDOUBLE,
	            "that frame lies in a free block");
	f = buddy_alloc(&b, 2);
	expect_free(f, 1, -BUDDY_EINVAL, "the block has order 2, not 1");
	expect_free(f + 2, 1, -BUDDY_EINVAL, "no block starts there");
	expect_free(2, 0, -BUDDY_EINVAL, "frame 2 is reserved");
	expect_free(64, 0, -BUDDY_EINVAL, "past the last frame");
	expect_free(f + 1, 2, -BUDDY_EINVAL, "not aligned to order 2");
	assert_true(buddy_is_allocated(&b, f + 3));
	assert_false(buddy_is_allocated(&b, 2));
	assert_buddy_ok("refused frees");
	expect_free(f, 2, 0, "the block is allocated");
	assert_false(buddy_is_allocated(&b, f + 3));
	assert_int_equal(b.free_frames, 40);
}

/* buddy_check itself: each broken invariant is caught and named. */
static void step4_check_catches_broken_invariants(void **state)
{
	char msg[200];

	(void)state;
	start(16, 0, 16);
	buddy_alloc(&b, 0);  /* 0 used; 1, 2, 4, 8 free */
	frames[2].order = 0; /* 2 claims order 0: frame 3 is in no block */
	assert_int_equal(buddy_check(&b, msg, sizeof(msg)), -BUDDY_ECORRUPT);
	assert_non_null(strstr(msg, "frame 3 is in no block"));

	start(16, 0, 16);
	buddy_alloc(&b, 0);
	frames[1].state = BUDDY_TAIL; /* pretend 0 is a block of order 1 */
	frames[0].order = 1;
	frames[0].state = BUDDY_FREE; /* free, but on no list */
	assert_int_equal(buddy_check(&b, msg, sizeof(msg)), -BUDDY_ECORRUPT);
	assert_non_null(strstr(msg, "not merged"));

	start(16, 0, 16);
	buddy_alloc(&b, 2);  /* 0-3 used; 4, 8 free */
	frames[0].order = 0; /* used blocks 0, 1-2 (misaligned) and 3 */
	frames[1] = (struct buddy_frame){BUDDY_NONE, BUDDY_NONE, 1, BUDDY_USED};
	frames[3] = (struct buddy_frame){BUDDY_NONE, BUDDY_NONE, 0, BUDDY_USED};
	assert_int_equal(buddy_check(&b, msg, sizeof(msg)), -BUDDY_ECORRUPT);
	assert_non_null(strstr(msg, "not aligned"));

	start(16, 0, 16);
	buddy_alloc(&b, 0);
	b.free_frames++;
	assert_int_equal(buddy_check(&b, msg, sizeof(msg)), -BUDDY_ECORRUPT);
	assert_non_null(strstr(msg, "free_frames is 16"));
}

/* ---- The shadow model ---------------------------------------------------- */

struct live {
	uint32_t first;
	unsigned order;
};

/* Random allocations and frees of orders 0-5 over a range with reserved
 * holes, against a shadow map of who owns each frame; every free block
 * and every allocation checked; at the end, everything freed, the free
 * lists are what the range made at the start. */
static void step5_random_against_shadow_model(void **state)
{
	static int16_t owner[FRAMES]; /* live index + 1; 0: not allocated */
	static struct live live[FRAMES];
	uint32_t start_blocks[BUDDY_MAX_ORDER + 1];
	unsigned n = 0;

	(void)state;
	srand(2026);
	memset(owner, 0, sizeof(owner));
	buddy_init(&b, frames, FRAMES);
	assert_int_equal(buddy_add_range(&b, 100, 1500), 0);
	assert_int_equal(buddy_add_range(&b, 1700, 2300), 0);
	assert_buddy_ok("adding two ranges");
	memcpy(start_blocks, b.free_blocks, sizeof(start_blocks));
	for (unsigned step = 0; step < 30000; step++) {
		bool grow = (step / 3000) % 2 == 0;

		if (n == 0 || rand() % 4 < (grow ? 3 : 1)) {
			unsigned order = (unsigned)rand() % 6;
			uint32_t free_before = b.free_frames;
			uint32_t f = buddy_alloc(&b, order);

			if (f == BUDDY_NONE) {
				assert_true(buddy_largest_free(&b) <
				            (1u << order));
				continue;
			}
			assert_int_equal(f % (1u << order), 0);
			assert_int_equal(b.free_frames,
			                 free_before - (1u << order));
			for (uint32_t i = f; i < f + (1u << order); i++) {
				if (i < 100 || (i >= 1600 && i < 1700))
					fail_msg("block %u of order %u holds "
					         "reserved frame %u",
					         f, order, i);
				if (owner[i])
					fail_msg("block %u of order %u holds "
					         "frame %u, which block %u has",
					         f, order, i,
					         live[owner[i] - 1].first);
				owner[i] = (int16_t)(n + 1);
			}
			live[n++] = (struct live){f, order};
		} else {
			unsigned i = (unsigned)rand() % n;
			struct live l = live[i];

			assert_int_equal(buddy_free(&b, l.first, l.order), 0);
			for (uint32_t j = l.first;
			     j < l.first + (1u << l.order); j++)
				owner[j] = 0;
			live[i] = live[--n];
			for (uint32_t j = live[i].first;
			     i < n && j < live[i].first + (1u << live[i].order);
			     j++)
				owner[j] = (int16_t)(i + 1);
		}
		if (step % 500 == 0)
			assert_buddy_ok("a random step");
	}
	while (n > 0) {
		n--;
		assert_int_equal(buddy_free(&b, live[n].first, live[n].order),
		                 0);
	}
	assert_buddy_ok("freeing everything");
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		if (b.free_blocks[k] != start_blocks[k])
			fail_msg("everything freed, %u blocks of order %u are "
			         "free, but the ranges made %u: freed blocks "
			         "must merge back into the largest blocks",
			         b.free_blocks[k], k, start_blocks[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(step1_a_range_becomes_maximal_blocks),
	        cmocka_unit_test(step1_add_range_refuses_bad_ranges),
	        cmocka_unit_test(step1_order_for_rounds_up),
	        cmocka_unit_test(step2_split_keeps_each_upper_half),
	        cmocka_unit_test(
	                step2_alloc_takes_the_smallest_block_that_fits),
	        cmocka_unit_test(step2_every_frame_handed_out_once),
	        cmocka_unit_test(step3_free_merges_with_its_buddy),
	        cmocka_unit_test(step3_merge_finds_the_buddy_by_xor),
	        cmocka_unit_test(step3_no_merge_with_a_buddy_in_use),
	        cmocka_unit_test(step3_no_merge_with_a_split_buddy),
	        cmocka_unit_test(step3_everything_freed_gives_maximal_blocks),
	        cmocka_unit_test(step4_double_and_wild_frees_are_refused),
	        cmocka_unit_test(step4_check_catches_broken_invariants),
	        cmocka_unit_test(step5_random_against_shadow_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
