/* Host tests of the replacement policies (mm/evict.c) and the simulator
 * built on them (tools/swap-sim): the textbook's counts, Belady's
 * anomaly, and what each policy must do with the accessed bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "mm/evict.h"
#include "tools/swap-sim/sim.h"

/* The reference string of Silberschatz's chapter on virtual memory. */
static const char textbook[] = "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1";
/* Belady's: FIFO faults more with 4 frames than with 3. */
static const char belady[] = "1 2 3 4 1 2 5 1 2 3 4 5";

static uint64_t faults(const char *refs, enum sim_policy policy,
                       uint32_t frames)
{
	struct sim_trace trace = {0};
	struct sim_result r;
	const char *bad = NULL;

	assert_int_equal(sim_trace_parse(&trace, refs, true, &bad), 0);
	assert_int_equal(sim_run(&trace, policy, frames, 1, 1, &r), 0);
	sim_trace_free(&trace);
	return r.faults;
}

static void textbook_counts(void **state)
{
	(void)state;
	assert_int_equal(faults(textbook, SIM_FIFO, 3), 15);
	assert_int_equal(faults(textbook, SIM_LRU_EXACT, 3), 12);
	assert_int_equal(faults(textbook, SIM_OPT, 3), 9);
	/* Sampled at every reference, eight bits of history are enough
	 * here: aging chooses as exact LRU does. */
	assert_int_equal(faults(textbook, SIM_LRU, 3), 12);
}

static void beladys_anomaly(void **state)
{
	(void)state;
	assert_int_equal(faults(belady, SIM_FIFO, 3), 9);
	assert_int_equal(faults(belady, SIM_FIFO, 4), 10);
	/* Stack algorithms have no anomaly. */
	assert_true(faults(belady, SIM_LRU_EXACT, 4) <=
	            faults(belady, SIM_LRU_EXACT, 3));
	assert_true(faults(belady, SIM_OPT, 4) <= faults(belady, SIM_OPT, 3));
}

/* A set of four pages whose accessed bits the test sets. */
struct fake {
	struct evict_set set;
	uint32_t keys[4];
	uint8_t ages[4];
	bool accessed[4]; /* by slot */
	bool pinned[4];
	int tests; /* test_and_clear calls */
};

static bool fake_test_and_clear(void *ctx, uint32_t slot)
{
	struct fake *f = ctx;
	bool was = f->accessed[slot];

	f->tests++;
	f->accessed[slot] = false;
	return was;
}

static bool fake_can_evict(void *ctx, uint32_t slot)
{
	struct fake *f = ctx;

	return !f->pinned[slot];
}

static struct evict_set_ops fake_ops(struct fake *f)
{
	return (struct evict_set_ops){fake_test_and_clear, fake_can_evict, f};
}

static void fill(struct fake *f, enum evict_policy policy)
{
	*f = (struct fake){0};
	evict_set_init(&f->set, policy, 4, f->keys, f->ages, 7);
	for (uint32_t k = 0; k < 4; k++)
		assert_int_equal(evict_set_insert(&f->set, 100 + k), (int)k);
	assert_int_equal(evict_set_insert(&f->set, 200), -1);
}

static void fifo_ignores_accessed_bits(void **state)
{
	struct fake f;
	(void)state;
	fill(&f, EVICT_FIFO);
	struct evict_set_ops ops = fake_ops(&f);
	f.accessed[0] = true;
	assert_int_equal(evict_set_choose(&f.set, &ops), 0);
	assert_int_equal(f.tests, 0);
	evict_set_replace(&f.set, 0, 104);
	/* The next oldest, then round to the page that replaced it. */
	assert_int_equal(evict_set_choose(&f.set, &ops), 1);
	assert_int_equal(evict_set_choose(&f.set, &ops), 2);
	assert_int_equal(evict_set_choose(&f.set, &ops), 3);
	assert_int_equal(evict_set_choose(&f.set, &ops), 0);
}

static void clock_gives_second_chance_and_clears(void **state)
{
	struct fake f;
	(void)state;
	fill(&f, EVICT_CLOCK);
	struct evict_set_ops ops = fake_ops(&f);
	f.accessed[0] = f.accessed[1] = true;
	assert_int_equal(evict_set_choose(&f.set, &ops), 2);
	/* It passed 0 and 1: their bits are clear now. */
	assert_false(f.accessed[0]);
	assert_false(f.accessed[1]);
	/* Every bit set: one turn clears them, the hand's first page goes. */
	for (int i = 0; i < 4; i++)
		f.accessed[i] = true;
	assert_int_equal(evict_set_choose(&f.set, &ops), 3);
	assert_int_equal(evict_set_choose(&f.set, &ops), 0);
}

static void pinned_pages_are_never_chosen(void **state)
{
	struct fake f;
	(void)state;
	for (enum evict_policy p = 0; p < EVICT_POLICIES; p++) {
		fill(&f, p);
		struct evict_set_ops ops = fake_ops(&f);
		f.pinned[0] = f.pinned[1] = f.pinned[3] = true;
		for (int round = 0; round < 8; round++)
			assert_int_equal(evict_set_choose(&f.set, &ops), 2);
		f.pinned[2] = true;
		assert_int_equal(evict_set_choose(&f.set, &ops), -1);
	}
}

static void aging_picks_the_least_recently_sampled(void **state)
{
	struct fake f;
	(void)state;
	fill(&f, EVICT_LRU);
	struct evict_set_ops ops = fake_ops(&f);
	/* Samples: slot 2 used in the oldest, slots 0, 1, 3 later. */
	f.accessed[2] = true;
	evict_set_age(&f.set, &ops);
	f.accessed[0] = f.accessed[1] = f.accessed[3] = true;
	evict_set_age(&f.set, &ops);
	assert_int_equal(evict_set_choose(&f.set, &ops), 2);
	/* Ages are shifted, the bits cleared by sampling. */
	assert_int_equal(f.ages[0], 0x80 >> 2 | 0x80);
	assert_false(f.accessed[0]);
}

static void random_repeats_with_its_seed(void **state)
{
	struct fake a, b;
	(void)state;
	fill(&a, EVICT_RANDOM);
	fill(&b, EVICT_RANDOM);
	struct evict_set_ops ops_a = fake_ops(&a), ops_b = fake_ops(&b);
	int seen[4] = {0};
	for (int i = 0; i < 64; i++) {
		int va = evict_set_choose(&a.set, &ops_a);
		assert_int_equal(va, evict_set_choose(&b.set, &ops_b));
		assert_in_range(va, 0, 3);
		seen[va]++;
	}
	for (int i = 0; i < 4; i++)
		assert_true(seen[i] > 0);
}

static void removed_slots_are_reused(void **state)
{
	struct fake f;
	(void)state;
	fill(&f, EVICT_FIFO);
	assert_int_equal(evict_set_find(&f.set, 102), 2);
	evict_set_remove(&f.set, 2);
	assert_int_equal(evict_set_find(&f.set, 102), -1);
	assert_int_equal(f.set.used, 3);
	assert_int_equal(evict_set_insert(&f.set, 300), 2);
	assert_int_equal(f.set.used, 4);
}

/* On random strings: OPT is never beaten; exact LRU and OPT never fault
 * more with more frames; every policy faults at least once per page. */
static void opt_is_optimal_on_random_strings(void **state)
{
	uint32_t seed = 12345;
	(void)state;
	for (int round = 0; round < 200; round++) {
		struct sim_trace trace = {0};
		uint32_t pages = 2 + evict_random_next(&seed) % 9;
		size_t len = 1 + evict_random_next(&seed) % 60;
		for (size_t i = 0; i < len; i++)
			assert_int_equal(
			        sim_trace_add(&trace,
			                      evict_random_next(&seed) % pages,
			                      evict_random_next(&seed) & 1),
			        0);
		uint64_t last_opt = UINT64_MAX, last_lru = UINT64_MAX;
		for (uint32_t frames = 1; frames <= 8; frames++) {
			struct sim_result opt, r;
			assert_int_equal(
			        sim_run(&trace, SIM_OPT, frames, 1, 1, &opt),
			        0);
			for (int p = 0; p < SIM_POLICIES; p++) {
				assert_int_equal(
				        sim_run(&trace, p, frames, 3, 9, &r),
				        0);
				assert_true(r.faults >= opt.faults);
				assert_true(r.faults <= trace.count);
				assert_true(r.major <= r.faults);
				if (p == SIM_LRU_EXACT) {
					assert_true(r.faults <= last_lru);
					last_lru = r.faults;
				}
			}
			assert_true(opt.faults <= last_opt);
			last_opt = opt.faults;
		}
		sim_trace_free(&trace);
	}
}

/* ---- The list form (the swap's frames): a list of frame numbers with
 * the frame table's operations, in statics as the kernel's are. */
#define LIST_MAX 16
static uint32_t list_page[LIST_MAX]; /* frame -> page, or EVICT_NONE */
static uint32_t list_prev[LIST_MAX], list_next[LIST_MAX];
static uint32_t list_head = EVICT_NONE, list_tail = EVICT_NONE, list_count;
static bool list_accessed[LIST_MAX], list_pinned[LIST_MAX];
static uint8_t list_ages[LIST_MAX];

static void list_unlink(uint32_t f)
{
	if (list_prev[f] != EVICT_NONE)
		list_next[list_prev[f]] = list_next[f];
	else
		list_head = list_next[f];
	if (list_next[f] != EVICT_NONE)
		list_prev[list_next[f]] = list_prev[f];
	else
		list_tail = list_prev[f];
	list_count--;
}

static void list_link_tail(uint32_t f)
{
	list_prev[f] = list_tail;
	list_next[f] = EVICT_NONE;
	if (list_tail != EVICT_NONE)
		list_next[list_tail] = f;
	else
		list_head = f;
	list_tail = f;
	list_count++;
}

static uint32_t l_first(void)
{
	return list_head;
}

static uint32_t l_next(uint32_t f)
{
	return list_next[f];
}

static uint32_t l_count(void)
{
	return list_count;
}

static void l_move_to_tail(uint32_t f)
{
	list_unlink(f);
	list_link_tail(f);
}

static bool l_test_and_clear(uint32_t f)
{
	bool was = list_accessed[f];

	list_accessed[f] = false;
	return was;
}

static bool l_evictable(uint32_t f)
{
	return !list_pinned[f];
}

static uint8_t *l_age(uint32_t f)
{
	return &list_ages[f];
}

static const struct evict_ops list_ops = {
        l_first,          l_next,      l_count, l_move_to_tail,
        l_test_and_clear, l_evictable, l_age};

/* Runs trace with frames frames over the list form of policy: faults. */
static uint64_t list_faults(const struct sim_trace *trace,
                            enum evict_policy policy, uint32_t frames)
{
	uint32_t random = EVICT_SEED;
	uint64_t faults = 0;

	list_head = list_tail = EVICT_NONE;
	list_count = 0;
	for (uint32_t f = 0; f < LIST_MAX; f++) {
		list_page[f] = EVICT_NONE;
		list_accessed[f] = list_pinned[f] = false;
	}
	for (size_t i = 0; i < trace->count; i++) {
		uint32_t page = trace->refs[i].page, f;
		for (f = 0; f < frames; f++)
			if (list_page[f] == page)
				break;
		if (f == frames) {
			faults++;
			for (f = 0; f < frames && list_page[f] != EVICT_NONE;
			     f++)
				;
			if (f == frames) {
				f = evict_choose(&list_ops, policy, &random);
				assert_true(f < frames);
				list_unlink(f);
			}
			list_page[f] = page;
			list_ages[f] = EVICT_AGE_NEW;
			list_link_tail(f); /* as frame_table_add */
		}
		list_accessed[f] = true;
	}
	return faults;
}

/* A ring with its hand and a list with its head are the same queue: FIFO
 * and clock fault alike in both forms, on every string. */
static void list_and_ring_agree(void **state)
{
	uint32_t seed = 777;
	(void)state;
	for (int round = 0; round < 300; round++) {
		struct sim_trace trace = {0};
		uint32_t pages = 2 + evict_random_next(&seed) % 10;
		size_t len = 1 + evict_random_next(&seed) % 80;
		for (size_t i = 0; i < len; i++)
			assert_int_equal(
			        sim_trace_add(&trace,
			                      evict_random_next(&seed) % pages,
			                      false),
			        0);
		for (uint32_t frames = 1; frames <= 8; frames++) {
			struct sim_result fifo, clock;
			assert_int_equal(sim_run(&trace, SIM_FIFO, frames, 1,
			                         EVICT_SEED, &fifo),
			                 0);
			assert_int_equal(sim_run(&trace, SIM_CLOCK, frames, 1,
			                         EVICT_SEED, &clock),
			                 0);
			assert_int_equal(
			        list_faults(&trace, EVICT_FIFO, frames),
			        fifo.faults);
			assert_int_equal(
			        list_faults(&trace, EVICT_CLOCK, frames),
			        clock.faults);
			uint64_t r = list_faults(&trace, EVICT_RANDOM, frames);
			assert_true(r <= trace.count);
			r = list_faults(&trace, EVICT_LRU, frames);
			assert_true(r <= trace.count);
		}
		sim_trace_free(&trace);
	}
	/* Belady's string, in the list form too. */
	struct sim_trace trace = {0};
	const char *bad = NULL;
	assert_int_equal(sim_trace_parse(&trace, belady, true, &bad), 0);
	assert_int_equal(list_faults(&trace, EVICT_FIFO, 3), 9);
	assert_int_equal(list_faults(&trace, EVICT_FIFO, 4), 10);
	sim_trace_free(&trace);
}

/* The list form's lru takes the smallest age and aging shifts the bits
 * in; every form skips a frame that may not go. */
static void list_lru_and_pins(void **state)
{
	uint32_t random = 1;
	(void)state;
	list_head = list_tail = EVICT_NONE;
	list_count = 0;
	for (uint32_t f = 0; f < 4; f++) {
		list_pinned[f] = false;
		list_accessed[f] = f != 2;
		list_ages[f] = 0;
		list_link_tail(f);
	}
	evict_age_all(&list_ops);
	assert_int_equal(list_ages[0], 0x80);
	assert_int_equal(list_ages[2], 0);
	assert_false(list_accessed[0]);
	assert_int_equal(evict_choose(&list_ops, EVICT_LRU, &random), 2);
	list_pinned[2] = true;
	assert_int_equal(evict_choose(&list_ops, EVICT_LRU, &random), 0);
	list_pinned[0] = list_pinned[1] = list_pinned[3] = true;
	for (enum evict_policy p = 0; p < EVICT_POLICIES; p++)
		assert_int_equal(evict_choose(&list_ops, p, &random),
		                 EVICT_NONE);
}

static void bad_input_is_refused(void **state)
{
	struct sim_trace trace = {0};
	const char *bad = NULL;
	(void)state;
	assert_int_equal(sim_trace_parse(&trace, "1 2 x", false, &bad), -1);
	assert_string_equal(bad, "x");
	assert_int_equal(sim_trace_parse(&trace, "3q", false, &bad), -1);
	assert_int_equal(sim_trace_parse(&trace, "99999999999", false, &bad),
	                 -1);
	sim_trace_free(&trace);
	assert_int_equal(sim_policy_by_name("opt"), SIM_OPT);
	assert_int_equal(sim_policy_by_name("lfu"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(textbook_counts),
	        cmocka_unit_test(beladys_anomaly),
	        cmocka_unit_test(fifo_ignores_accessed_bits),
	        cmocka_unit_test(clock_gives_second_chance_and_clears),
	        cmocka_unit_test(pinned_pages_are_never_chosen),
	        cmocka_unit_test(aging_picks_the_least_recently_sampled),
	        cmocka_unit_test(random_repeats_with_its_seed),
	        cmocka_unit_test(removed_slots_are_reused),
	        cmocka_unit_test(opt_is_optimal_on_random_strings),
	        cmocka_unit_test(list_and_ring_agree),
	        cmocka_unit_test(list_lru_and_pins),
	        cmocka_unit_test(bad_input_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
