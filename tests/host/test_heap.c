/*
 * test_heap.c - unit tests of mm/heap.c on the host (cmocka, ASan+UBSan):
 * splitting, merging, placement, growth and shrinking, alignment, realloc,
 * calloc, misuse reports, heap_check, and a hook that fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mm/heap.h"
#include "tests/host/heap_host_env.h"

#define ARENA_SIZE ((size_t)8 << 20)
/* heap.c's default trim_threshold (the heap_config comment in mm/heap.h):
 * a free top smaller than this is kept. */
#define DEFAULT_TRIM_THRESHOLD_BYTES ((size_t)256 * 1024)
/* A used block that keeps its neighbours apart. Not a small block: small
 * ones are carved from the top of a fresh chunk, which would change the
 * address order the tests below rely on. */
#define GUARD 200

struct fixture {
	struct heap heap;
	struct host_arena arena;
	enum heap_policy policy;
};

static const enum heap_policy segregated = HEAP_POLICY_SEGREGATED;
static const enum heap_policy teaching = HEAP_POLICY_TEACHING;

static int setup(void **state)
{
	static struct fixture f;
	const enum heap_policy *policy = *state;

	memset(&f, 0, sizeof(f));
	f.policy = policy ? *policy : HEAP_POLICY_SEGREGATED;
	if (host_heap_open(&f.heap, &f.arena, f.policy, ARENA_SIZE, 0))
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	host_arena_close(&f->arena);
	return 0;
}

static void assert_heap_ok(struct heap *heap)
{
	char msg[256];

	if (heap_check(heap, msg, sizeof(msg)))
		fail_msg("heap_check: %s", msg);
}

/* ---- Looking at the block list ------------------------------------------ */

#define MAX_SEEN 64

struct seen {
	size_t count;
	struct heap_block_info block[MAX_SEEN];
};

static int record(void *arg, const struct heap_block_info *info)
{
	struct seen *s = arg;

	if (s->count < MAX_SEEN)
		s->block[s->count] = *info;
	s->count++;
	return 0;
}

static struct seen blocks_of(struct heap *heap)
{
	struct seen s = {0};

	heap_walk(heap, record, &s);
	return s;
}

/* The block that contains address p, or -1. */
static int block_index(const struct seen *s, const void *p)
{
	size_t i;

	for (i = 0; i < s->count && i < MAX_SEEN; i++) {
		const uint8_t *b = s->block[i].block;

		if ((const uint8_t *)p >= b &&
		    (const uint8_t *)p < b + s->block[i].size)
			return (int)i;
	}
	return -1;
}

static size_t free_blocks(struct heap *heap)
{
	struct heap_stats st;

	heap_get_stats(heap, &st);
	return st.free_blocks;
}

/* ---- Init ---------------------------------------------------------------- */

static void test_init_rejects_bad_config(void **state)
{
	struct heap heap;
	struct host_arena arena;
	struct heap_config config = {0};

	(void)state;
	assert_int_equal(heap_init(&heap, &config), -HEAP_EINVAL);
	assert_int_equal(host_arena_open(&arena, 4096, 0), 0);
	config.more = host_arena_more;
	config.more_ctx = &arena;
	config.trim_threshold = 4096;
	config.trim_keep = 8192;
	assert_int_equal(heap_init(&heap, &config), -HEAP_EINVAL);
	config.trim_keep = 0;
	config.trim_threshold = 0;
	arena.grows_left = 0;
	assert_int_equal(heap_init(&heap, &config), -HEAP_ENOMEM);
	arena.grows_left = -1;
	assert_int_equal(heap_init(&heap, &config), 0);
	assert_heap_ok(&heap);
	host_arena_close(&arena);
}

static void test_empty_heap_has_no_blocks(void **state)
{
	struct fixture *f = *state;
	struct heap_stats st;

	assert_heap_ok(&f->heap);
	heap_get_stats(&f->heap, &st);
	assert_int_equal(st.used_blocks + st.free_blocks, 0);
	assert_true(st.heap_bytes < 2 * HEAP_ALIGN);
}

/* ---- Alignment and sizes ------------------------------------------------- */

static void test_alignment_any_arena_start(void **state)
{
	size_t misalign;

	(void)state;
	for (misalign = 0; misalign < 2 * HEAP_ALIGN; misalign += 4) {
		struct heap heap;
		struct host_arena arena;
		void *p[64];
		size_t i;

		assert_int_equal(host_heap_open(&heap, &arena,
		                                HEAP_POLICY_SEGREGATED, 1 << 20,
		                                misalign),
		                 0);
		for (i = 0; i < 64; i++) {
			p[i] = heap_alloc(&heap, i * 5);
			assert_non_null(p[i]);
			assert_int_equal((uintptr_t)p[i] % HEAP_ALIGN, 0);
			assert_true(heap_usable_size(&heap, p[i]) >= i * 5);
			host_fill(p[i], i * 5, (unsigned)i);
		}
		for (i = 0; i < 64; i++)
			assert_true(host_intact(p[i], i * 5, (unsigned)i));
		assert_heap_ok(&heap);
		host_arena_close(&arena);
	}
}

static void test_alloc_zero_is_unique(void **state)
{
	struct fixture *f = *state;
	void *a = heap_alloc(&f->heap, 0);
	void *b = heap_alloc(&f->heap, 0);

	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	heap_free(&f->heap, a);
	heap_free(&f->heap, b);
	heap_free(&f->heap, NULL); /* does nothing */
	assert_heap_ok(&f->heap);
}

static void test_huge_sizes_fail(void **state)
{
	struct fixture *f = *state;
	size_t sizes[] = {SIZE_MAX,     SIZE_MAX - 3,   SIZE_MAX - HEAP_ALIGN,
	                  SIZE_MAX / 2, HEAP_MAX_BLOCK, HEAP_MAX_BLOCK - 3};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *p = heap_alloc(&f->heap, GUARD);

		assert_null(heap_alloc(&f->heap, sizes[i]));
		assert_null(heap_calloc(&f->heap, 1, sizes[i]));
		assert_null(heap_alloc_aligned(&f->heap, 4096, sizes[i]));
		assert_null(heap_realloc(&f->heap, p, sizes[i]));
		heap_free(&f->heap, p);
	}
	/* Too big for the arena, though the heap could describe it. */
	assert_null(heap_alloc(&f->heap, ARENA_SIZE));
	assert_heap_ok(&f->heap);
}

/* ---- Split and merge ----------------------------------------------------- */

static void test_split_leaves_free_rest(void **state)
{
	struct fixture *f = *state;
	void *big = heap_alloc(&f->heap, 4000);
	void *guard = heap_alloc(&f->heap, GUARD);
	struct heap_stats before, after;
	struct seen s;
	void *small;
	int i;

	heap_free(&f->heap, big);
	heap_get_stats(&f->heap, &before);
	small = heap_alloc(&f->heap, 200);
	heap_get_stats(&f->heap, &after);
	assert_int_equal(after.heap_bytes, before.heap_bytes); /* no growth */
	s = blocks_of(&f->heap);
	assert_int_equal(s.count, 3); /* 2 halves of the split + the guard */
	i = block_index(&s, small);
	assert_true(i >= 0 && i < 2);
	assert_true(s.block[i].used);
	assert_false(s.block[1 - i].used);
	assert_int_equal(s.block[0].size + s.block[1].size,
	                 before.largest_free);
	assert_true(s.block[i].usable >= 200 && s.block[i].usable < 200 + 32);
	heap_free(&f->heap, small);
	heap_free(&f->heap, guard);
	assert_heap_ok(&f->heap);
}

/* Allocates a, b, c and a guard so the heap's end plays no part. */
static void three_blocks(struct heap *heap, void **a, void **b, void **c,
                         void **guard)
{
	*a = heap_alloc(heap, 200);
	*b = heap_alloc(heap, 300);
	*c = heap_alloc(heap, 400);
	*guard = heap_alloc(heap, 500);
	assert_true(*a && *b && *c && *guard);
	assert_true((uint8_t *)*a < (uint8_t *)*b &&
	            (uint8_t *)*b < (uint8_t *)*c);
}

static void assert_one_free_block_spans(struct heap *heap, void *from, void *to)
{
	struct seen s = blocks_of(heap);
	int i = block_index(&s, from);

	assert_int_equal(free_blocks(heap), 1);
	assert_true(i >= 0);
	assert_false(s.block[i].used);
	assert_int_equal(block_index(&s, to), i);
}

static void test_merge_with_next(void **state)
{
	struct fixture *f = *state;
	void *a, *b, *c, *guard;

	three_blocks(&f->heap, &a, &b, &c, &guard);
	heap_free(&f->heap, b);
	heap_free(&f->heap, a); /* b is a's free next neighbour */
	assert_one_free_block_spans(&f->heap, a, b);
	assert_heap_ok(&f->heap);
}

static void test_merge_with_prev(void **state)
{
	struct fixture *f = *state;
	void *a, *b, *c, *guard;

	three_blocks(&f->heap, &a, &b, &c, &guard);
	heap_free(&f->heap, a);
	heap_free(&f->heap, b); /* a is b's free previous neighbour */
	assert_one_free_block_spans(&f->heap, a, b);
	assert_heap_ok(&f->heap);
}

static void test_merge_with_both(void **state)
{
	struct fixture *f = *state;
	void *a, *b, *c, *guard;

	three_blocks(&f->heap, &a, &b, &c, &guard);
	heap_free(&f->heap, a);
	heap_free(&f->heap, c);
	assert_int_equal(free_blocks(&f->heap), 2);
	heap_free(&f->heap, b);
	assert_one_free_block_spans(&f->heap, a, c);
	assert_heap_ok(&f->heap);
}

/* ---- Placement ----------------------------------------------------------- */

/*
 * Free holes of 600, 150 and 300 bytes, in that address order, between
 * used guards. A 140-byte request: best fit takes the 150 hole, the
 * teaching policy's first fit the 600 hole.
 */
static void test_placement_by_policy(void **state)
{
	struct fixture *f = *state;
	size_t hole_sizes[3] = {600, 150, 300};
	void *hole[3], *guard[3], *p;
	int i, expect;

	for (i = 0; i < 3; i++) {
		hole[i] = heap_alloc(&f->heap, hole_sizes[i]);
		guard[i] = heap_alloc(&f->heap, GUARD);
	}
	for (i = 0; i < 3; i++)
		heap_free(&f->heap, hole[i]);
	p = heap_alloc(&f->heap, 140);
	expect = f->policy == HEAP_POLICY_TEACHING ? 0 : 1;
	assert_true((uint8_t *)p >= (uint8_t *)hole[expect] &&
	            (uint8_t *)p < (uint8_t *)guard[expect]);
	heap_free(&f->heap, p);
	for (i = 0; i < 3; i++)
		heap_free(&f->heap, guard[i]);
	assert_heap_ok(&f->heap);
}

/* A freed block of exactly the requested size is reused as it is. */
static void test_exact_fit_reused(void **state)
{
	struct fixture *f = *state;
	void *p[8], *again;
	int i;

	for (i = 0; i < 8; i++)
		p[i] = heap_alloc(&f->heap, 24 + 40 * (size_t)i);
	heap_free(&f->heap, p[5]);
	heap_free(&f->heap, p[2]);
	again = heap_alloc(&f->heap, 24 + 40 * 5);
	assert_ptr_equal(again, p[5]);
	again = heap_alloc(&f->heap, 24 + 40 * 2);
	assert_ptr_equal(again, p[2]);
	assert_heap_ok(&f->heap);
}

/* ---- Quick lists and the victim (segregated policy) ---------------------- */

/* True if the block of payload p waits on a quick list: its header's check
 * bits are 1011 (mm/heap.h). */
static bool waits_on_quick_list(const void *p)
{
	uint32_t tag;

	memcpy(&tag, (const uint8_t *)p - sizeof(tag), sizeof(tag));
	return tag >> 28 == 0xBu;
}

/* Five small blocks side by side: p[1] to p[3] lie between used blocks.
 * The segregated policy carves them from one fresh chunk, each just below
 * the one before; the teaching policy, like the chapter, puts each one
 * just after the one before. */
static void alloc_five_small(struct fixture *f, void *p[5])
{
	for (int i = 0; i < 5; i++)
		p[i] = heap_alloc(&f->heap, 40);
	for (int i = 1; i < 5; i++) {
		if (f->policy == HEAP_POLICY_TEACHING)
			assert_ptr_equal((uint8_t *)p[i - 1] + 48, p[i]);
		else
			assert_ptr_equal((uint8_t *)p[i] + 48, p[i - 1]);
	}
}

/* A small block freed between two used blocks waits on its quick list;
 * asked for again, size for size, it comes back from there: the same
 * address, the last freed first. */
static void test_quick_list_reuses_same_size(void **state)
{
	struct fixture *f = *state;
	void *p[5];

	alloc_five_small(f, p);
	heap_free(&f->heap, p[1]);
	heap_free(&f->heap, p[3]);
	assert_true(waits_on_quick_list(p[1]));
	assert_true(waits_on_quick_list(p[3]));
	assert_ptr_equal(heap_alloc(&f->heap, 40), p[3]);
	assert_ptr_equal(heap_alloc(&f->heap, 40), p[1]);
	for (int i = 0; i < 5; i++)
		heap_free(&f->heap, p[i]);
	assert_heap_ok(&f->heap);
}

/* Small blocks freed side by side wait unmerged; before the heap grows
 * they are merged, and a request only their union can serve takes it
 * without growing. */
static void test_quick_blocks_merged_before_growth(void **state)
{
	struct fixture *f = *state;
	enum { N = 20 };
	void *p[N], *big;
	unsigned long grows;

	for (int i = 0; i < N; i++)
		p[i] = heap_alloc(&f->heap, 100); /* 104 or 112 bytes: quick */
	for (int i = 1; i < N; i += 2) /* between used blocks: quick */
		heap_free(&f->heap, p[i]);
	assert_true(waits_on_quick_list(p[1]));
	for (int i = 0; i < N; i += 2)
		heap_free(&f->heap, p[i]);
	grows = f->arena.grows;
	big = heap_alloc(&f->heap, 1500);
	assert_non_null(big);
	assert_int_equal(f->arena.grows, grows);
	assert_true((uint8_t *)big >= (uint8_t *)p[0] &&
	            (uint8_t *)big < (uint8_t *)p[N - 1]);
	heap_free(&f->heap, big);
	assert_heap_ok(&f->heap);
}

/* heap_walk (and so a dump) shows a block waiting on a quick list as free,
 * merged with its free neighbours. */
static void test_walk_shows_quick_blocks_free(void **state)
{
	struct fixture *f = *state;
	void *p[5];
	struct seen s;
	int i;

	alloc_five_small(f, p);
	heap_free(&f->heap, p[1]);
	heap_free(&f->heap, p[2]);
	s = blocks_of(&f->heap);
	i = block_index(&s, p[2]);
	assert_true(i >= 0);
	assert_false(s.block[i].used);
	assert_int_equal(block_index(&s, p[1]), i); /* merged with p[2] */
	assert_true(s.block[block_index(&s, p[0])].used);
	assert_true(s.block[block_index(&s, p[3])].used);
	for (i = 0; i < 5; i++)
		if (i != 1 && i != 2)
			heap_free(&f->heap, p[i]);
	assert_heap_ok(&f->heap);
}

/* What is left of a free block split for a small request becomes the
 * victim: on no list, and the next small requests are carved from it, each
 * just below the one before (small blocks come from a block's top end). */
static void test_victim_serves_the_next_small_requests(void **state)
{
	struct fixture *f = *state;
	void *big = heap_alloc(&f->heap, 8000);
	void *guard = heap_alloc(&f->heap, GUARD);
	uint8_t *freed_block = (uint8_t *)big - sizeof(uint32_t); /* header */
	void *first, *second;
	size_t block;

	heap_free(&f->heap, big);
	assert_null(f->heap.victim);
	first = heap_alloc(&f->heap, 40);
	assert_ptr_equal(f->heap.victim, freed_block);
	block = heap_usable_size(&f->heap, first) + sizeof(uint32_t);
	second = heap_alloc(&f->heap, 40);
	assert_ptr_equal(second, (uint8_t *)first - block);
	assert_ptr_equal(f->heap.victim, freed_block);
	heap_free(&f->heap, first);
	heap_free(&f->heap, second);
	heap_free(&f->heap, guard);
	assert_heap_ok(&f->heap);
}

/* ---- Growth and shrinking ------------------------------------------------ */

/*
 * A small block on an empty heap: the teaching policy, like the chapter,
 * grows the heap by exactly the block (its usable bytes and the 4-byte
 * header); the segregated policy by a whole small_chunk (512 bytes), which
 * the next small blocks fill.
 */
static void test_small_block_growth_by_policy(void **state)
{
	struct fixture *f = *state;
	struct heap_stats before, after;
	void *p;

	heap_get_stats(&f->heap, &before);
	p = heap_alloc(&f->heap, 40);
	assert_non_null(p);
	heap_get_stats(&f->heap, &after);
	if (f->policy == HEAP_POLICY_TEACHING)
		assert_int_equal(after.heap_bytes - before.heap_bytes,
		                 heap_usable_size(&f->heap, p) + 4);
	else
		assert_int_equal(after.heap_bytes - before.heap_bytes, 512);
	heap_free(&f->heap, p);
	assert_heap_ok(&f->heap);
}

static void test_growth_through_hook(void **state)
{
	struct fixture *f = *state;
	struct heap_stats st;
	unsigned long grows = f->arena.grows;
	void *p = heap_alloc(&f->heap, 100000);

	assert_non_null(p);
	assert_true(f->arena.grows > grows);
	heap_get_stats(&f->heap, &st);
	assert_true(st.heap_bytes >= 100000);
	assert_int_equal(st.heap_bytes, f->arena.used);
	assert_true(st.grow_calls >= 1);
	host_fill(p, 100000, 7);
	assert_true(host_intact(p, 100000, 7));
	assert_heap_ok(&f->heap);
}

static void test_shrink_with_hysteresis(void **state)
{
	struct heap heap;
	struct host_arena arena;
	struct heap_config config = {
	        .more = host_arena_more,
	        .more_ctx = &arena,
	        .trim_threshold = 64 * 1024,
	        .trim_keep = 16 * 1024,
	};
	struct heap_stats st;
	void *keep, *small, *big;

	(void)state;
	assert_int_equal(host_arena_open(&arena, 1 << 20, 0), 0);
	assert_int_equal(heap_init(&heap, &config), 0);
	keep = heap_alloc(&heap, 100);
	small = heap_alloc(&heap, 40 * 1024);
	heap_free(&heap, small); /* below the threshold: nothing returned */
	assert_int_equal(arena.shrinks, 0);
	big = heap_alloc(&heap, 300 * 1024);
	heap_free(&heap, big); /* top block over the threshold */
	assert_int_equal(arena.shrinks, 1);
	heap_get_stats(&heap, &st);
	assert_int_equal(st.shrink_calls, 1);
	assert_int_equal(st.heap_bytes, arena.used);
	assert_true(st.largest_free <= 16 * 1024);
	assert_true(arena.used < 20 * 1024);
	assert_heap_ok(&heap);
	heap_free(&heap, keep);
	heap_destroy(&heap);
	assert_int_equal(arena.used, 0);
	host_arena_close(&arena);
}

/*
 * memhog's pattern (user/bin/memhog.c): malloc 1 MiB blocks until malloc
 * fails, then halve the size down to 16 bytes, and free everything, the
 * last block first. Small blocks are carved downwards from the top of a
 * chunk, so the last ones lie lowest and the heap's end is freed last: the
 * small blocks freed first wait on the quick lists, still marked used,
 * between the free space and the heap's end. A block allocated before
 * stays live, as the kernel's own objects do in the kernel heap.
 * Afterwards the break must be back within the hysteresis (less than
 * trim_threshold above where it was), without any call that empties the
 * quick lists. Where the heap ends up full depends on the arena's size, so
 * several sizes are tried.
 */
#define HOG_BLOCKS 64

static void hog_then_free_all(enum heap_policy policy, size_t capacity)
{
	void *blocks[HOG_BLOCKS];
	struct heap heap;
	struct host_arena arena;
	size_t n = 0, before;
	void *keep;

	assert_int_equal(host_heap_open(&heap, &arena, policy, capacity, 0), 0);
	keep = heap_alloc(&heap, 100);
	assert_non_null(keep);
	before = arena.used;
	for (size_t chunk = 1 << 20; chunk >= 16;) {
		void *p = heap_alloc(&heap, chunk);

		if (!p) {
			chunk /= 2;
			continue;
		}
		assert_true(n < HOG_BLOCKS);
		blocks[n++] = p;
	}
	assert_true(arena.used > capacity - 1024);
	while (n > 0)
		heap_free(&heap, blocks[--n]);
	if (arena.used >= before + DEFAULT_TRIM_THRESHOLD_BYTES)
		fail_msg("arena of %zu bytes, everything freed: the break is "
		         "%zu bytes above where it was, not below "
		         "trim_threshold (%zu)",
		         capacity, arena.used - before,
		         DEFAULT_TRIM_THRESHOLD_BYTES);
	assert_heap_ok(&heap);
	heap_free(&heap, keep);
	host_arena_close(&arena);
}

static void test_freeing_everything_gives_memory_back(void **state)
{
	struct fixture *f = *state;

	/* 1 MiB, then 30% more each time (page multiples), up to 18 MiB */
	for (size_t capacity = 1003520; capacity < ((size_t)18 << 20);
	     capacity = (capacity * 13 / 10 + 4095) & ~(size_t)4095)
		hog_then_free_all(f->policy, capacity);
}

/* ---- Aligned allocation -------------------------------------------------- */

static void test_aligned_alloc(void **state)
{
	struct fixture *f = *state;
	size_t aligns[] = {1, 8, 16, 32, 64, 256, 4096, 65536};
	void *p[8];
	size_t i;

	for (i = 0; i < 8; i++) {
		void *spacer = heap_alloc(&f->heap, 24 + i * 8);

		p[i] = heap_alloc_aligned(&f->heap, aligns[i], 100 + i);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % aligns[i], 0);
		assert_int_equal((uintptr_t)p[i] % HEAP_ALIGN, 0);
		assert_true(heap_usable_size(&f->heap, p[i]) >= 100 + i);
		host_fill(p[i], 100 + i, (unsigned)i);
		assert_heap_ok(&f->heap);
		heap_free(&f->heap, spacer);
	}
	for (i = 0; i < 8; i++) {
		assert_true(host_intact(p[i], 100 + i, (unsigned)i));
		heap_free(&f->heap, p[i]);
	}
	assert_null(heap_alloc_aligned(&f->heap, 0, 10));
	assert_null(heap_alloc_aligned(&f->heap, 48, 10));
	assert_null(heap_alloc_aligned(&f->heap, 3, 10));
	assert_heap_ok(&f->heap);
}

/* ---- realloc ------------------------------------------------------------- */

static void test_realloc_shrinks_in_place(void **state)
{
	struct fixture *f = *state;
	void *p = heap_alloc(&f->heap, 1000);
	void *guard = heap_alloc(&f->heap, GUARD);
	void *q;
	struct seen s;
	int i;

	host_fill(p, 1000, 3);
	q = heap_realloc(&f->heap, p, 100);
	assert_ptr_equal(q, p);
	assert_true(host_intact(q, 100, 3));
	s = blocks_of(&f->heap);
	i = block_index(&s, p);
	assert_false(s.block[i + 1].used); /* the tail came back as free */
	assert_true(s.block[i + 1].size >= 1000 - 100 - HEAP_ALIGN);
	heap_free(&f->heap, guard);
	assert_heap_ok(&f->heap);
}

static void test_realloc_grows_into_free_next(void **state)
{
	struct fixture *f = *state;
	void *p = heap_alloc(&f->heap, 100);
	void *next = heap_alloc(&f->heap, 400);
	void *guard = heap_alloc(&f->heap, GUARD);
	void *q;

	host_fill(p, 100, 4);
	heap_free(&f->heap, next);
	q = heap_realloc(&f->heap, p, 450);
	assert_ptr_equal(q, p);
	assert_true(host_intact(q, 100, 4));
	assert_true(heap_usable_size(&f->heap, q) >= 450);
	heap_free(&f->heap, guard);
	assert_heap_ok(&f->heap);
}

static void test_realloc_grows_at_heap_end(void **state)
{
	struct fixture *f = *state;
	void *before = heap_alloc(&f->heap, 64);
	void *p = heap_alloc(&f->heap, 1000);
	unsigned long grows = f->arena.grows;
	void *q;

	host_fill(p, 1000, 5);
	q = heap_realloc(&f->heap, p, 50000);
	assert_ptr_equal(q, p);
	assert_true(f->arena.grows > grows);
	assert_true(host_intact(q, 1000, 5));
	heap_free(&f->heap, before);
	assert_heap_ok(&f->heap);
}

static void test_realloc_slides_into_free_prev(void **state)
{
	struct fixture *f = *state;
	void *prev = heap_alloc(&f->heap, 500);
	void *p = heap_alloc(&f->heap, 200);
	void *guard = heap_alloc(&f->heap, GUARD);
	void *q;

	host_fill(p, 200, 6);
	heap_free(&f->heap, prev);
	q = heap_realloc(&f->heap, p, 600);
	assert_ptr_equal(q, prev);
	assert_true(host_intact(q, 200, 6));
	assert_true(heap_usable_size(&f->heap, q) >= 600);
	heap_free(&f->heap, guard);
	assert_heap_ok(&f->heap);
}

static void test_realloc_moves_and_keeps_contents(void **state)
{
	struct fixture *f = *state;
	void *p = heap_alloc(&f->heap, 300);
	void *guard = heap_alloc(&f->heap, GUARD);
	void *q;
	struct seen s;

	host_fill(p, 300, 8);
	q = heap_realloc(&f->heap, p, 5000);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	assert_true(host_intact(q, 300, 8));
	s = blocks_of(&f->heap);
	assert_false(s.block[block_index(&s, p)].used); /* old block freed */
	heap_free(&f->heap, guard);
	heap_free(&f->heap, q);
	assert_heap_ok(&f->heap);
}

static void test_realloc_null_and_zero(void **state)
{
	struct fixture *f = *state;
	void *p = heap_realloc(&f->heap, NULL, 77);

	assert_non_null(p);
	assert_true(heap_usable_size(&f->heap, p) >= 77);
	p = heap_realloc(&f->heap, p, 0);
	assert_non_null(p); /* documented: shrinks to the smallest block */
	heap_free(&f->heap, p);
	assert_heap_ok(&f->heap);
}

/* ---- calloc -------------------------------------------------------------- */

static void test_calloc_zeroes_reused_memory(void **state)
{
	struct fixture *f = *state;
	unsigned char *dirty = heap_alloc(&f->heap, 512);
	void *guard = heap_alloc(&f->heap, GUARD);
	unsigned char *z;
	size_t i;

	memset(dirty, 0xAA, 512);
	heap_free(&f->heap, dirty);
	z = heap_calloc(&f->heap, 16, 32);
	assert_ptr_equal(z, dirty); /* really the dirty memory again */
	for (i = 0; i < 512; i++)
		assert_int_equal(z[i], 0);
	heap_free(&f->heap, z);
	heap_free(&f->heap, guard);
}

static void test_calloc_overflow(void **state)
{
	struct fixture *f = *state;
	void *p;

	assert_null(heap_calloc(&f->heap, SIZE_MAX / 2 + 1, 2));
	assert_null(heap_calloc(&f->heap, 2, SIZE_MAX / 2 + 1));
	assert_null(heap_calloc(&f->heap, SIZE_MAX, SIZE_MAX));
	assert_null(heap_calloc(&f->heap, (SIZE_MAX >> 16) + 2, 1 << 16));
	p = heap_calloc(&f->heap, 0, 100);
	assert_non_null(p);
	heap_free(&f->heap, p);
	assert_heap_ok(&f->heap);
}

/* ---- Misuse -------------------------------------------------------------- */

static void test_double_free_reported(void **state)
{
	struct fixture *f = *state;
	void *p = heap_alloc(&f->heap, 64);
	void *guard = heap_alloc(&f->heap, 64);

	heap_free(&f->heap, p);
	assert_true(HOST_EXPECT_MISUSE(heap_free(&f->heap, p)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_DOUBLE_FREE);
	assert_ptr_equal(host_misuse_last.ptr, p);
	assert_string_equal(host_misuse_last.op, "heap_free");
	assert_non_null(strstr(host_misuse_last.message, "double free"));
	assert_heap_ok(&f->heap); /* the report left the heap alone */
	heap_free(&f->heap, guard);
}

/* The second free of b after b was merged into free a. */
static void test_double_free_after_merge(void **state)
{
	struct fixture *f = *state;
	void *a = heap_alloc(&f->heap, 100);
	void *b = heap_alloc(&f->heap, 100);
	void *guard = heap_alloc(&f->heap, 100);

	heap_free(&f->heap, a);
	heap_free(&f->heap, b);
	assert_true(HOST_EXPECT_MISUSE(heap_free(&f->heap, b)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_DOUBLE_FREE);
	assert_true(HOST_EXPECT_MISUSE(heap_realloc(&f->heap, b, 10)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_DOUBLE_FREE);
	assert_string_equal(host_misuse_last.op, "heap_realloc");
	assert_heap_ok(&f->heap);
	heap_free(&f->heap, guard);
}

static void test_foreign_pointers_reported(void **state)
{
	struct fixture *f = *state;
	long on_stack[4];
	unsigned char *p = heap_alloc(&f->heap, 256);
	void *guard = heap_alloc(&f->heap, GUARD);

	/* Zeros: whatever a zero "header" passes for, it is reported. */
	memset(p, 0, 256);
	assert_true(HOST_EXPECT_MISUSE(heap_free(&f->heap, on_stack)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_WILD_POINTER);
	assert_ptr_equal(host_misuse_last.ptr, on_stack);
	assert_true(HOST_EXPECT_MISUSE(heap_free(&f->heap, p + 1)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_WILD_POINTER);
	/* Inside a block, aligned: the "header" there is payload data. */
	assert_true(
	        HOST_EXPECT_MISUSE(heap_free(&f->heap, p + 4 * HEAP_ALIGN)));
	assert_ptr_equal(host_misuse_last.ptr, p + 4 * HEAP_ALIGN);
	assert_true(HOST_EXPECT_MISUSE(heap_usable_size(&f->heap, on_stack)));
	for (size_t i = 0; i < 256; i++)
		assert_int_equal(p[i], 0);
	assert_heap_ok(&f->heap);
	heap_free(&f->heap, p);
	heap_free(&f->heap, guard);
}

/* A write past the end of a overwrites b's header. */
static void test_overrun_detected(void **state)
{
	struct fixture *f = *state;
	unsigned char *a = heap_alloc(&f->heap, 200);
	void *b = heap_alloc(&f->heap, 200);
	void *guard = heap_alloc(&f->heap, 200);
	size_t usable = heap_usable_size(&f->heap, a);
	char msg[256];
	char where[32];

	memset(a, 'A', usable + 4);
	assert_true(HOST_EXPECT_MISUSE(heap_free(&f->heap, b)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_CORRUPT_HEADER);
	assert_true(HOST_EXPECT_MISUSE(heap_free(&f->heap, a)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_CORRUPT_HEADER);
	assert_ptr_equal(host_misuse_last.ptr, a);
	assert_int_equal(heap_check(&f->heap, msg, sizeof(msg)),
	                 -HEAP_ECORRUPT);
	snprintf(where, sizeof(where), "%#0*lx", (int)(2 + 2 * sizeof(void *)),
	         (unsigned long)(uintptr_t)((uint8_t *)b - 4));
	assert_non_null(strstr(msg, where));
	(void)guard; /* the heap is broken now; the teardown drops it */
}

/* Bytes whose check bits (the top 4 bits, 1001) happen to be right, USED
 * and PREV_FREE clear, and a size that runs far past the heap's end. */
static const uint32_t lucky_garbage = 0x9a5a5a58u;

/*
 * An overrun writes such bytes over b's header. Freeing or growing b sees
 * a corrupted header, not a double free (the size there is nonsense);
 * freeing or growing a, the block below, must not merge with b, which now
 * looks like a free block running past the heap. Each call reports a
 * corrupted header naming the pointer it was given and changes nothing.
 */
static void expect_garbage_header_reported(struct fixture *f, bool give_a)
{
	unsigned char *a = heap_alloc(&f->heap, 200);
	unsigned char *b = heap_alloc(&f->heap, 200);
	void *guard = heap_alloc(&f->heap, 200);
	unsigned char *given = give_a ? a : b;
	uint32_t header;

	memcpy(&header, b - 4, 4);
	memcpy(b - 4, &lucky_garbage, 4);
	assert_true(HOST_EXPECT_MISUSE(heap_free(&f->heap, given)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_CORRUPT_HEADER);
	assert_ptr_equal(host_misuse_last.ptr, given);
	assert_true(HOST_EXPECT_MISUSE(heap_realloc(&f->heap, given, 300)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_CORRUPT_HEADER);
	assert_ptr_equal(host_misuse_last.ptr, given);
	memcpy(b - 4, &header, 4); /* mended: both are still in use */
	assert_heap_ok(&f->heap);
	assert_true(heap_usable_size(&f->heap, given) >= 200);
	heap_free(&f->heap, a);
	heap_free(&f->heap, b);
	heap_free(&f->heap, guard);
	assert_heap_ok(&f->heap);
}

static void test_overwritten_header_not_double_free(void **state)
{
	expect_garbage_header_reported(*state, false);
}

static void test_damaged_next_header_not_merged(void **state)
{
	expect_garbage_header_reported(*state, true);
}

/* ---- heap_check ---------------------------------------------------------- */

static void test_check_finds_first_violation(void **state)
{
	struct fixture *f = *state;
	void *p[6];
	char msg[256], where[32];
	uint32_t *footer, *link;
	int i;

	for (i = 0; i < 6; i++)
		p[i] = heap_alloc(&f->heap, 200);
	heap_free(&f->heap, p[1]);
	heap_free(&f->heap, p[4]);
	assert_heap_ok(&f->heap);

	/* Break p[4]'s footer, then p[1]'s list link: p[1] comes first. */
	footer = (uint32_t *)((uint8_t *)p[5] - 8);
	*footer ^= 0x40;
	assert_int_equal(heap_check(&f->heap, msg, sizeof(msg)),
	                 -HEAP_ECORRUPT);
	assert_non_null(strstr(msg, "footer"));
	snprintf(where, sizeof(where), "%#0*lx", (int)(2 + 2 * sizeof(void *)),
	         (unsigned long)(uintptr_t)((uint8_t *)p[4] - 4));
	assert_non_null(strstr(msg, where));

	link = (uint32_t *)p[1];
	*link = 0xFFFFFF0u;
	assert_int_equal(heap_check(&f->heap, msg, sizeof(msg)),
	                 -HEAP_ECORRUPT);
	assert_non_null(strstr(msg, "link"));
	snprintf(where, sizeof(where), "%#0*lx", (int)(2 + 2 * sizeof(void *)),
	         (unsigned long)(uintptr_t)((uint8_t *)p[1] - 4));
	assert_non_null(strstr(msg, where));

	/* A tiny buffer still gets a terminated prefix. */
	assert_int_equal(heap_check(&f->heap, msg, 6), -HEAP_ECORRUPT);
	assert_int_equal(strlen(msg), 5);
}

static void test_check_finds_bad_bitmap(void **state)
{
	struct fixture *f = *state;
	char msg[256];

	f->heap.nonempty[1] ^= 0x10;
	assert_int_equal(heap_check(&f->heap, msg, sizeof(msg)),
	                 -HEAP_ECORRUPT);
	assert_non_null(strstr(msg, "bitmap"));
	f->heap.nonempty[1] ^= 0x10;
	assert_heap_ok(&f->heap);
}

/* ---- The hook failing ---------------------------------------------------- */

static void test_hook_failure_midway(void **state)
{
	struct fixture *f = *state;
	void *p[256];
	size_t n, i;

	f->arena.grows_left = 10;
	for (n = 0; n < 256; n++) {
		p[n] = heap_alloc(&f->heap, 3000 + n * 64);
		if (!p[n])
			break;
		host_fill(p[n], 3000 + n * 64, (unsigned)n);
	}
	assert_true(n > 0 && n < 256); /* it did run out */
	assert_heap_ok(&f->heap);
	assert_null(heap_realloc(&f->heap, p[0], 1 << 20));
	assert_null(heap_calloc(&f->heap, 1, 1 << 20));
	assert_null(heap_alloc_aligned(&f->heap, 4096, 1 << 20));
	for (i = 0; i < n; i++)
		assert_true(host_intact(p[i], 3000 + i * 64, (unsigned)i));
	assert_heap_ok(&f->heap);
	f->arena.grows_left = -1; /* memory is back */
	p[n] = heap_alloc(&f->heap, 1 << 20);
	assert_non_null(p[n]);
	for (i = 0; i <= n; i++)
		heap_free(&f->heap, p[i]);
	assert_heap_ok(&f->heap);
}

static void test_hook_not_contiguous(void **state)
{
	struct fixture *f = *state;
	void *p = heap_alloc(&f->heap, 100);
	size_t used = f->arena.used;

	f->arena.move_end = true;
	assert_null(heap_alloc(&f->heap, 100000));
	assert_true(f->arena.used <= used + 64); /* the growth was given back */
	assert_heap_ok(&f->heap);
	heap_free(&f->heap, p);
}

/* heap_init asks the hook twice (where the end is, then the pad and the
 * first tag): if someone else moved the end in between, what it got is
 * given back. */
static void test_init_hook_not_contiguous(void **state)
{
	struct heap heap;
	struct host_arena arena;
	struct heap_config config = {
	        .more = host_arena_more,
	        .more_ctx = &arena,
	};

	(void)state;
	assert_int_equal(host_arena_open(&arena, 4096, 0), 0);
	arena.move_end = true; /* the first growth lands 64 bytes further */
	assert_int_equal(heap_init(&heap, &config), -HEAP_ENOMEM);
	assert_int_equal(arena.used, 64); /* only the other user's bytes */
	host_arena_close(&arena);
}

/* ---- Walk, stats, several heaps ------------------------------------------ */

static int stop_after_two(void *arg, const struct heap_block_info *info)
{
	int *calls = arg;

	(void)info;
	return ++*calls == 2;
}

/*
 * heap_get_stats empties the quick lists first: the blocks merge and the
 * top may go back through the hook. What it reports is the heap after
 * that. Here (segregated) a 100-byte block freed last waits on a quick
 * list between 200 KiB of free space and a 60 KiB top: the flush merges
 * the three, and the 260 KiB top goes back.
 */
static void test_stats_describe_the_heap_after_the_call(void **state)
{
	struct fixture *f = *state;
	void *big = heap_alloc(&f->heap, 200 * 1024);
	void *small = heap_alloc(&f->heap, 100);
	void *medium = heap_alloc(&f->heap, 60 * 1024);
	struct heap_stats st;

	heap_free(&f->heap, medium);
	heap_free(&f->heap, big);
	heap_free(&f->heap, small);
	heap_get_stats(&f->heap, &st);
	assert_int_equal(st.heap_bytes, f->arena.used);
	assert_int_equal(st.shrink_calls, f->arena.shrinks);
	assert_int_equal(st.used_blocks, 0);
	assert_int_equal(st.free_bytes + sizeof(uint32_t) + /* epilogue */
	                         (size_t)(f->heap.first - f->heap.base),
	                 st.heap_bytes);
}

static void test_walk_and_stats(void **state)
{
	struct fixture *f = *state;
	void *p[10];
	struct heap_stats st;
	struct seen s;
	size_t i, total = 0;
	int calls = 0;

	for (i = 0; i < 10; i++)
		p[i] = heap_alloc(&f->heap, 100 * (i + 1));
	heap_free(&f->heap, p[2]);
	heap_free(&f->heap, p[6]);
	heap_get_stats(&f->heap, &st);
	assert_int_equal(st.used_blocks, 8);
	assert_int_equal(st.free_blocks, 2);
	assert_true(st.largest_free >= 700 && st.largest_free < 700 + 64);
	s = blocks_of(&f->heap);
	assert_int_equal(s.count, 10);
	for (i = 0; i < s.count; i++) {
		total += s.block[i].size;
		if (i > 0)
			assert_ptr_equal((uint8_t *)s.block[i - 1].block +
			                         s.block[i - 1].size,
			                 s.block[i].block);
		if (s.block[i].used)
			assert_true(s.block[i].usable + 4 == s.block[i].size);
	}
	assert_int_equal(total, st.used_bytes + st.free_bytes);
	assert_true(st.heap_bytes - total < 2 * HEAP_ALIGN);
	heap_walk(&f->heap, stop_after_two, &calls);
	assert_int_equal(calls, 2);
}

static void test_heaps_are_independent(void **state)
{
	struct heap one, two;
	struct host_arena a1, a2;
	void *p, *q;

	(void)state;
	assert_int_equal(
	        host_heap_open(&one, &a1, HEAP_POLICY_SEGREGATED, 1 << 20, 0),
	        0);
	assert_int_equal(
	        host_heap_open(&two, &a2, HEAP_POLICY_TEACHING, 1 << 20, 4), 0);
	p = heap_alloc(&one, 100);
	q = heap_alloc(&two, 100);
	assert_true(heap_contains(&one, p) && !heap_contains(&one, q));
	assert_true(HOST_EXPECT_MISUSE(heap_free(&two, p)));
	assert_int_equal(host_misuse_last.kind, HEAP_MISUSE_WILD_POINTER);
	heap_free(&one, p);
	heap_free(&two, q);
	assert_heap_ok(&one);
	assert_heap_ok(&two);
	host_arena_close(&a1);
	host_arena_close(&a2);
}

/* Runs a test once per policy, with the policy in the test's name. */
/* clang-format off */
#define BOTH(test)                                                      \
	{ #test " [segregated]", test, setup, teardown,                 \
	  (void *)&segregated },                                        \
	{ #test " [teaching]", test, setup, teardown, (void *)&teaching }
/* clang-format on */
#define ONE(test) cmocka_unit_test_setup_teardown(test, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_init_rejects_bad_config),
	        cmocka_unit_test(test_init_hook_not_contiguous),
	        BOTH(test_empty_heap_has_no_blocks),
	        cmocka_unit_test(test_alignment_any_arena_start),
	        BOTH(test_alloc_zero_is_unique),
	        BOTH(test_huge_sizes_fail),
	        BOTH(test_split_leaves_free_rest),
	        BOTH(test_merge_with_next),
	        BOTH(test_merge_with_prev),
	        BOTH(test_merge_with_both),
	        BOTH(test_placement_by_policy),
	        ONE(test_exact_fit_reused),
	        ONE(test_quick_list_reuses_same_size),
	        ONE(test_quick_blocks_merged_before_growth),
	        BOTH(test_walk_shows_quick_blocks_free),
	        ONE(test_victim_serves_the_next_small_requests),
	        BOTH(test_small_block_growth_by_policy),
	        BOTH(test_growth_through_hook),
	        cmocka_unit_test(test_shrink_with_hysteresis),
	        BOTH(test_freeing_everything_gives_memory_back),
	        BOTH(test_aligned_alloc),
	        BOTH(test_realloc_shrinks_in_place),
	        BOTH(test_realloc_grows_into_free_next),
	        BOTH(test_realloc_grows_at_heap_end),
	        BOTH(test_realloc_slides_into_free_prev),
	        BOTH(test_realloc_moves_and_keeps_contents),
	        BOTH(test_realloc_null_and_zero),
	        BOTH(test_calloc_zeroes_reused_memory),
	        BOTH(test_calloc_overflow),
	        BOTH(test_double_free_reported),
	        BOTH(test_double_free_after_merge),
	        BOTH(test_foreign_pointers_reported),
	        BOTH(test_overrun_detected),
	        BOTH(test_overwritten_header_not_double_free),
	        BOTH(test_damaged_next_header_not_merged),
	        ONE(test_check_finds_first_violation),
	        ONE(test_check_finds_bad_bitmap),
	        BOTH(test_hook_failure_midway),
	        BOTH(test_hook_not_contiguous),
	        BOTH(test_stats_describe_the_heap_after_the_call),
	        BOTH(test_walk_and_stats),
	        cmocka_unit_test(test_heaps_are_independent),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("heap", tests, NULL, NULL);
}
