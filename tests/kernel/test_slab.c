/*
 * The kernel's slab caches (mm/kslab.c over mm/slab.c): empty slabs go
 * back to the frame allocator, all of them when frames run out; misuse
 * panics with the cache's name and the object's address; spawning and
 * reaping processes leaves no object behind.
 */
#include "kernel/process.h"
#include "kernel/trap.h"
#include "lib/abi.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kslab.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

static void destroy_cache(void *arg)
{
	kslab_cache_destroy(arg);
}

static struct slab_stats stats_of(struct slab_cache *cache)
{
	struct slab_stats st;

	kslab_get_stats(cache, &st);
	return st;
}

static void assert_cache_ok(int line, struct slab_cache *cache)
{
	char msg[160];

	if (kslab_check(cache, msg, sizeof(msg)) != 0)
		ktest_fail(__FILE__, line, "slab_cache_check: %s", msg);
}

/* ---- Reclaim ------------------------------------------------------------- */

/* Frames taken to exhaust memory, chained through their first word. */
static struct ktest_chain chain;

static void take_every_frame(void)
{
	paddr_t frame;

	while ((frame = pmm_alloc_frame()) != 0) {
		ktest_chain_push(&chain, frame);
	}
}

enum { RECLAIM_OBJECTS = 400 };

void test_slab_reclaim_under_memory_pressure(void)
{
	static struct slab_cache cache;
	static uint32_t *obj[RECLAIM_OBJECTS];
	uint32_t free_before = pmm_free_frames();

	kslab_cache_create(&cache, "ktest", 64, 0, NULL);
	ktest_defer(destroy_cache, &cache);
	for (uint32_t i = 0; i < RECLAIM_OBJECTS; i++) {
		obj[i] = kslab_alloc(&cache);
		KT_ASSERT(obj[i] != NULL);
		*obj[i] = i;
	}
	struct slab_stats st = stats_of(&cache);
	KT_ASSERT(st.pages >= RECLAIM_OBJECTS * 64 / PAGE_SIZE);
	KT_ASSERT_EQ(pmm_free_frames(), free_before - st.pages);
	for (uint32_t i = 0; i < RECLAIM_OBJECTS; i++) {
		KT_ASSERT_EQ(*obj[i], i);
		kslab_free(&cache, obj[i]);
	}
	/* The first SLAB_MAGAZINE objects freed wait in the magazine, in
	 * the first slab (64-byte objects: more than SLAB_MAGAZINE a
	 * slab). Of the other slabs, now empty, the current one and one
	 * as the reserve stay; the rest are back with the frame
	 * allocator. */
	st = stats_of(&cache);
	KT_ASSERT(st.objects_per_slab > SLAB_MAGAZINE);
	KT_ASSERT_EQ(st.objects_in_use, 0);
	KT_ASSERT_EQ(st.slabs_partial, 1);
	KT_ASSERT_EQ(st.slabs_empty, 2);
	KT_ASSERT_EQ(st.pages, 3);
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 3);

	/* Memory runs short: the frame allocator asks the caches for their
	 * empty slabs before it says no (a cache empties its magazine
	 * first), so every frame is handed out. */
	ktest_defer(ktest_chain_free, &chain);
	take_every_frame();
	uint32_t taken = chain.length;
	st = stats_of(&cache);
	ktest_chain_free(&chain);
	if (st.pages != 0)
		KT_FAIL("frames ran out and the cache still holds %u pages: "
		        "pmm_alloc_frame must call the reclaim hook before "
		        "it fails",
		        (unsigned)st.pages);
	KT_ASSERT_EQ(taken, free_before);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
	assert_cache_ok(__LINE__, &cache);

	/* The cache works on after: a new slab. */
	void *again = kslab_alloc(&cache);
	KT_ASSERT(again != NULL);
	kslab_free(&cache, again);
	KT_ASSERT_EQ(kslab_cache_destroy(&cache), 0);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

/* ---- Misuse -------------------------------------------------------------- */

static struct slab_cache *misuse_cache;

static void free_it(void *obj)
{
	kslab_free(misuse_cache, obj);
}

static void free_twice(void *obj)
{
	kslab_free(misuse_cache, obj);
	kslab_free(misuse_cache, obj);
}

static void alloc_one(void *arg)
{
	(void)arg;
	kslab_alloc(misuse_cache);
}

static bool contains(const char *text, const char *part)
{
	size_t n = strlen(part);

	for (; *text; text++) {
		if (strncmp(text, part, n) == 0)
			return true;
	}
	return false;
}

/* fn(arg) must panic with a message that starts with `start` and names
 * the cache and the object. */
static void expect_panic(int line, void (*fn)(void *), void *arg,
                         const char *start, const void *obj)
{
	struct fault_info info;
	char address[16];

	if (!ktest_expect_fault(fn, arg, &info))
		ktest_fail(__FILE__, line, "no panic; expected \"%s...\"",
		           start);
	if (info.vector != FAULT_PANIC)
		ktest_fail(__FILE__, line, "fault %u instead of a panic",
		           (unsigned)info.vector);
	format_snprintf(address, sizeof(address), "%p", obj);
	if (strncmp(info.message, start, strlen(start)) != 0 ||
	    !contains(info.message, misuse_cache->name) ||
	    !contains(info.message, address))
		ktest_fail(__FILE__, line,
		           "panic \"%s\"; expected \"%s\", the cache \"%s\" "
		           "and the object %s",
		           info.message, start, misuse_cache->name, address);
}

void test_slab_misuse_panics(void)
{
	static struct slab_cache one, two;
	static uint32_t not_from_a_slab[4];

	kslab_cache_create(&one, "ktest-one", 48, 0, NULL);
	ktest_defer(destroy_cache, &one);
	kslab_cache_create(&two, "ktest-two", 48, 0, NULL);
	ktest_defer(destroy_cache, &two);
	misuse_cache = &one;
	uint8_t *a = kslab_alloc(&one), *b = kslab_alloc(&two);
	KT_ASSERT(a && b);

	expect_panic(__LINE__, free_it, b,
	             "slab: free into the wrong cache:", b);
	expect_panic(__LINE__, free_it, &not_from_a_slab[1],
	             "slab: pointer no slab handed out:", &not_from_a_slab[1]);
	expect_panic(__LINE__, free_it, a + 4,
	             "slab: pointer no slab handed out:", a + 4);
	expect_panic(__LINE__, free_twice, a, "slab: double free:", a);
	/* Nothing changed by the misuses: a was freed once, b is live. */
	KT_ASSERT_EQ(stats_of(&one).objects_in_use, 0);
	KT_ASSERT_EQ(stats_of(&two).objects_in_use, 1);
	assert_cache_ok(__LINE__, &one);
	assert_cache_ok(__LINE__, &two);
	kslab_free(&two, b);
}

/*
 * A stray pointer into a page of the slab area that a one-page slab
 * holds, freed into a cache of multi-page slabs, rounds down to where
 * that cache's slab would start: a page nothing holds. That must panic
 * with a message, not page-fault on the header read. The test arranges
 * it: it fills pages with one-page slabs, picks one whose multi-page
 * round-down is another of them, and gives that other one back.
 */
enum { SMALL_SIZE = 256, SMALL_MAX = 1024 };

static struct slab_cache small;
static void *smalls[SMALL_MAX];
static unsigned small_count;

static void free_smalls(void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < small_count; i++)
		if (smalls[i])
			kslab_free(&small, smalls[i]);
	small_count = 0;
}

static uintptr_t page_of(const void *p)
{
	return (uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1);
}

static bool small_page_in_use(uintptr_t page)
{
	for (unsigned i = 0; i < small_count; i++)
		if (smalls[i] && page_of(smalls[i]) == page)
			return true;
	return false;
}

void test_slab_wild_pointer_multi_page_cache_panics(void)
{
	static struct slab_cache big;

	kslab_cache_create(&small, "ktest-small", SMALL_SIZE, 0, NULL);
	ktest_defer(destroy_cache, &small);
	kslab_cache_create(&big, "ktest-big", 2048, 0, NULL);
	ktest_defer(destroy_cache, &big);
	ktest_defer(free_smalls, NULL);
	struct slab_stats s = stats_of(&small), b = stats_of(&big);
	KT_ASSERT_EQ(s.pages_per_slab, 1);
	KT_ASSERT(b.pages_per_slab >= 2);

	/* Four big slabs' worth of pages of small slabs. */
	small_count = 4 * (unsigned)b.pages_per_slab * s.objects_per_slab;
	KT_ASSERT(small_count <= SMALL_MAX);
	for (unsigned i = 0; i < small_count; i++) {
		smalls[i] = kslab_alloc(&small);
		KT_ASSERT(smalls[i] != NULL);
	}
	void *stray = NULL;
	uintptr_t start = 0;
	for (unsigned i = 0; i < small_count && !stray; i++) {
		start = slab_start_of(&big, smalls[i]);
		if (start != page_of(smalls[i]) && small_page_in_use(start))
			stray = (char *)smalls[i] + 8; /* inside an object */
	}
	if (!stray)
		KT_FAIL("no small slab whose big round-down is another small "
		        "slab's page: the slab area is too fragmented");
	for (unsigned i = 0; i < small_count; i++) {
		if (page_of(smalls[i]) == start) {
			kslab_free(&small, smalls[i]);
			smalls[i] = NULL;
		}
	}
	kslab_reclaim(); /* the emptied page goes back: nothing holds it */
	paddr_t frame;
	uint32_t flags;
	KT_ASSERT(!vmm_translate(vmm_kernel_space(), start, &frame, &flags));

	misuse_cache = &big;
	expect_panic(__LINE__, free_it, stray,
	             "slab: pointer no slab handed out:", stray);
	assert_cache_ok(__LINE__, &big);
}

void test_slab_debug_catches_overrun_and_use_after_free(void)
{
	static struct slab_cache cache;
	bool was = kslab_debug();

	kslab_set_debug(true);
	kslab_cache_create(&cache, "ktest-debug", 40, 0, NULL);
	kslab_set_debug(was);
	ktest_defer(destroy_cache, &cache);
	misuse_cache = &cache;

	uint8_t *p = kslab_alloc(&cache);
	KT_ASSERT(p != NULL);
	p[40] = 0; /* one byte past the end */
	expect_panic(__LINE__, free_it, p,
	             "slab: write past the end of an object:", p);
	p[40] = SLAB_REDZONE_BYTE;
	kslab_free(&cache, p);
	p[8] = 0; /* through a stale pointer */
	expect_panic(__LINE__, alloc_one, NULL, "slab: write after free:", p);
	p[8] = SLAB_POISON_BYTE;
	KT_ASSERT(kslab_alloc(&cache) == p);
	kslab_free(&cache, p);
	assert_cache_ok(__LINE__, &cache);
}

/* ---- No leak ------------------------------------------------------------- */

void test_slab_no_leak_after_200_processes(void)
{
	struct slabinfo before[KSLAB_MAX_CACHES], after;
	unsigned caches = kslab_cache_count();
	const char *argv[] = {"true"};

	for (unsigned i = 0; i < caches; i++)
		KT_ASSERT(kslab_cache_info(i, &before[i]));
	for (int n = 0; n < 200; n++) {
		int status = -1;
		int pid = process_spawn("true", 1, argv);

		if (pid < 0)
			KT_FAIL("spawn %d of true failed: %d", n, pid);
		KT_ASSERT_EQ(process_wait(pid, &status, 0), pid);
		KT_ASSERT_EQ(status, 0);
	}
	KT_ASSERT_EQ(kslab_cache_count(), caches);
	for (unsigned i = 0; i < caches; i++) {
		KT_ASSERT(kslab_cache_info(i, &after));
		if (after.objects_in_use != before[i].objects_in_use)
			KT_FAIL("cache %s: %u objects in use after 200 "
			        "processes came and went, %u before",
			        after.name, (unsigned)after.objects_in_use,
			        (unsigned)before[i].objects_in_use);
	}
}
