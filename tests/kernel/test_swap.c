/*
 * Swap's pieces that can be checked alone: the swap entry's layout in a
 * PTE, and the clock's choice (mm/evict.c) over a made-up list of frames
 * (struct evict_ops), so that each rule shows on its own: a frame used
 * since the hand passed gets a second chance (its bit cleared), a frame
 * that may not be evicted (pinned, under I/O) is never the victim. The
 * whole mechanism (eviction, swap-in, the swap cache) is tested by the
 * user programs swap_linear, swap_parallel, swap_fork and swap_full.
 */
#include "kernel/swap.h"
#include "mm/evict.h"
#include "mm/paging.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

void test_swap_entry_round_trips(void)
{
	static const uint32_t slots[] = {0, 1, 4095, 0xFFFFF};

	for (unsigned i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		pte_t e = PTE_MAKE_SWAP(slots[i]);

		KT_ASSERT(!(e & PTE_PRESENT)); /* the CPU must fault */
		KT_ASSERT(e != 0); /* never mistaken for "no page yet" */
		KT_ASSERT(PTE_IS_SWAP(e));
		KT_ASSERT_EQ(PTE_SWAP_SLOT(e), slots[i]);
	}
	/* A present entry is never a swap entry, whatever its bits. */
	KT_ASSERT(!PTE_IS_SWAP(0x12345000u | PTE_PRESENT | PTE_SWAP));
	KT_ASSERT(!PTE_IS_SWAP(0));
}

/* A made-up resident list of FRAMES frames, in load order. */
#define FRAMES 4
static uint32_t order[FRAMES];
static bool accessed[FRAMES], evictable[FRAMES];

static uint32_t fake_first(void)
{
	return order[0];
}

static uint32_t fake_next(uint32_t f)
{
	for (unsigned i = 0; i + 1 < FRAMES; i++)
		if (order[i] == f)
			return order[i + 1];
	return EVICT_NONE;
}

static uint32_t fake_count(void)
{
	return FRAMES;
}

static void fake_move_to_tail(uint32_t f)
{
	unsigned i = 0;

	while (order[i] != f)
		i++;
	for (; i + 1 < FRAMES; i++)
		order[i] = order[i + 1];
	order[FRAMES - 1] = f;
}

static bool fake_test_and_clear_accessed(uint32_t f)
{
	bool was = accessed[f];

	accessed[f] = false;
	return was;
}

static bool fake_evictable(uint32_t f)
{
	return evictable[f];
}

static const struct evict_ops fake_ops = {
        .first = fake_first,
        .next = fake_next,
        .count = fake_count,
        .move_to_tail = fake_move_to_tail,
        .test_and_clear_accessed = fake_test_and_clear_accessed,
        .evictable = fake_evictable,
};

/* Clock's choice over the made-up frames (the policy the swap uses by
 * default, evict=clock). */
static uint32_t clock_choice(void)
{
	uint32_t random = EVICT_SEED; /* clock draws no number */

	return evict_choose(&fake_ops, EVICT_CLOCK, &random);
}

/* Frames 0..3 loaded in that order, all evictable, accessed as given. */
static void fake_frames(bool a0, bool a1, bool a2, bool a3)
{
	const bool bits[FRAMES] = {a0, a1, a2, a3};

	for (unsigned i = 0; i < FRAMES; i++) {
		order[i] = i;
		accessed[i] = bits[i];
		evictable[i] = true;
	}
}

void test_clock_gives_used_frames_a_second_chance(void)
{
	fake_frames(true, false, true, false);
	/* 0 was used: its bit is cleared and it goes round; 1 was not. */
	KT_ASSERT_EQ(clock_choice(), 1);
	KT_ASSERT(!accessed[0]);
	/* All used: each gets its second chance, then the oldest goes. */
	fake_frames(true, true, true, true);
	KT_ASSERT_EQ(clock_choice(), 0);
	for (unsigned i = 0; i < FRAMES; i++)
		KT_ASSERT(!accessed[i]);
}

void test_clock_never_picks_a_frame_it_may_not_evict(void)
{
	/* 1 is pinned (or under I/O): passed over although unused. */
	fake_frames(true, false, true, false);
	evictable[1] = false;
	uint32_t victim = clock_choice();
	if (victim == 1)
		KT_FAIL("clock chose frame 1, which the kernel has pinned (it "
		        "is copying into it): a frame that evictable() refuses "
		        "is never the victim");
	KT_ASSERT_EQ(victim, 3);
	/* None may go: no victim, however many turns. */
	fake_frames(false, false, false, false);
	for (unsigned i = 0; i < FRAMES; i++)
		evictable[i] = false;
	KT_ASSERT_EQ(clock_choice(), EVICT_NONE);
}
