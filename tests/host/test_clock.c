/* Host tests of clock over the frame list (mm/evict.c's evict_choose,
 * the kernel's global policy): the second chance, and the frames the
 * kernel says may not go (pinned, under disk I/O). Each failure says
 * what clock did wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mm/evict.h"

/* Four frames in a list, head first, as the frame table keeps them. */
#define FRAMES 4
static uint32_t order[FRAMES], count;
static bool accessed[FRAMES], pinned[FRAMES];
static uint8_t ages[FRAMES];

static uint32_t position(uint32_t f)
{
	for (uint32_t i = 0; i < count; i++)
		if (order[i] == f)
			return i;
	fail_msg("frame %u is not in the list", f);
	return 0;
}

static uint32_t l_first(void)
{
	return count ? order[0] : EVICT_NONE;
}

static uint32_t l_next(uint32_t f)
{
	uint32_t i = position(f) + 1;

	return i < count ? order[i] : EVICT_NONE;
}

static uint32_t l_count(void)
{
	return count;
}

static void l_move_to_tail(uint32_t f)
{
	for (uint32_t i = position(f); i + 1 < count; i++)
		order[i] = order[i + 1];
	order[count - 1] = f;
}

static bool l_test_and_clear(uint32_t f)
{
	bool was = accessed[f];

	accessed[f] = false;
	return was;
}

static bool l_evictable(uint32_t f)
{
	return !pinned[f];
}

static uint8_t *l_age(uint32_t f)
{
	return &ages[f];
}

static const struct evict_ops ops = {
        l_first,          l_next,      l_count, l_move_to_tail,
        l_test_and_clear, l_evictable, l_age};

static void reset(void)
{
	count = FRAMES;
	for (uint32_t f = 0; f < FRAMES; f++) {
		order[f] = f;
		accessed[f] = pinned[f] = false;
		ages[f] = 0;
	}
}

static uint32_t clock_victim(void)
{
	uint32_t random = 1;

	return evict_choose(&ops, EVICT_CLOCK, &random);
}

static void list_clock_gives_second_chance_and_clears(void **state)
{
	(void)state;
	reset();
	accessed[0] = accessed[1] = true;
	uint32_t v = clock_victim();
	if (v != 2)
		fail_msg("clock chose frame %u with frames 0 and 1 used and 2 "
		         "not: the first frame from the head whose accessed "
		         "bit is clear goes",
		         v);
	if (accessed[0] || accessed[1])
		fail_msg("the hand passed frames 0 and 1 but their accessed "
		         "bits are still set: clearing them is their second "
		         "chance");
	if (order[count - 1] != 1 || order[count - 2] != 0)
		fail_msg("frames 0 and 1 (used) did not go to the tail: they "
		         "are the newest now");
	/* Every bit set: a turn clears them all, then the head goes. */
	reset();
	for (uint32_t f = 0; f < FRAMES; f++)
		accessed[f] = true;
	v = clock_victim();
	if (v != 0)
		fail_msg("clock chose frame %u with every frame used: after "
		         "one turn every bit is clear and the head (frame 0) "
		         "goes",
		         v);
	reset();
	count = 0;
	if (clock_victim() != EVICT_NONE)
		fail_msg("clock chose a victim in an empty list");
}

static void list_clock_skips_pinned_frames(void **state)
{
	(void)state;
	reset();
	pinned[0] = true;
	uint32_t v = clock_victim();
	if (v == 0)
		fail_msg("clock chose frame 0, which the kernel has pinned (it "
		         "is copying into it): a frame ops->evictable refuses "
		         "is never the victim");
	assert_int_equal(v, 1);
	reset();
	for (uint32_t f = 0; f < FRAMES; f++)
		pinned[f] = true;
	accessed[2] = true;
	v = clock_victim();
	if (v != EVICT_NONE)
		fail_msg("clock chose frame %u, which the kernel has pinned, "
		         "with every frame pinned: EVICT_NONE",
		         v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(list_clock_gives_second_chance_and_clears),
	        cmocka_unit_test(list_clock_skips_pinned_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
