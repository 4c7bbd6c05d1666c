/* The kernel heap: kmalloc over mm/heap.c, growing through the VMM. */
#include "kernel/clock.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

/* Fails the test with heap_check's message if the heap is broken. */
static void assert_heap_ok(int line)
{
	char msg[160];

	if (kheap_check(msg, sizeof(msg)) != 0)
		ktest_fail(__FILE__, line, "heap_check: %s", msg);
}

/* A small deterministic random generator (xorshift32). */
static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* The byte a live block of id `id` holds at offset i. */
static uint8_t pattern(uint32_t id, size_t i)
{
	return (uint8_t)(id * 31 + i);
}

static void fill(uint8_t *p, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pattern(id, i);
}

static bool intact(const uint8_t *p, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != pattern(id, i))
			return false;
	}
	return true;
}

void test_kheap_random_operations(void)
{
	enum { SLOTS = 64, STEPS = 3000 };
	static uint8_t *block[SLOTS];
	static size_t size[SLOTS];
	static uint32_t id[SLOTS];
	struct heap_stats before, after;

	kheap_get_stats(&before);
	for (uint32_t step = 1; step <= STEPS; step++) {
		uint32_t s = rng() % SLOTS;
		/* Mostly small sizes, sometimes a few pages. */
		size_t n = rng() % 8 ? rng() % 300 : rng() % 20000;

		if (block[s] && !intact(block[s], size[s], id[s]))
			ktest_fail(__FILE__, __LINE__,
			           "block %p (%u bytes) was overwritten",
			           block[s], (unsigned)size[s]);
		if (!block[s]) {
			block[s] = kmalloc(n);
			KT_ASSERT(block[s] != NULL);
		} else if (rng() % 2) {
			kfree(block[s]);
			block[s] = NULL;
			continue;
		} else {
			uint8_t *moved = krealloc(block[s], n);
			KT_ASSERT(moved != NULL);
			size_t kept = n < size[s] ? n : size[s];
			KT_ASSERT(intact(moved, kept, id[s]));
			block[s] = moved;
		}
		KT_ASSERT((uintptr_t)block[s] % HEAP_ALIGN == 0);
		size[s] = n;
		id[s] = step;
		fill(block[s], n, step);
		assert_heap_ok(__LINE__);
	}
	for (int s = 0; s < SLOTS; s++) {
		kfree(block[s]);
		block[s] = NULL;
	}
	assert_heap_ok(__LINE__);
	kheap_get_stats(&after);
	KT_ASSERT_EQ(after.used_bytes, before.used_bytes);
}

void test_kheap_big_blocks_span_pages(void)
{
	size_t n = 300 * 1024;
	uint8_t *a = kmalloc(n), *b = kmalloc(n);
	struct heap_stats stats;

	KT_ASSERT(a && b);
	kheap_get_stats(&stats);
	KT_ASSERT(stats.heap_bytes >= 2 * n);
	fill(a, n, 1);
	fill(b, n, 2);
	/* Every page of the block is mapped in the kernel's space. */
	for (size_t off = 0; off < n; off += PAGE_SIZE)
		KT_ASSERT(vmm_translate(vmm_kernel_space(), (uintptr_t)a + off,
		                        NULL, NULL));
	KT_ASSERT(intact(a, n, 1) && intact(b, n, 2));
	kfree(a);
	kfree(b);
	assert_heap_ok(__LINE__);
}

void test_kheap_aligned_blocks(void)
{
	void *blocks[9];

	for (unsigned i = 0; i < 9; i++) {
		size_t align = (size_t)16 << i; /* 16 .. 4096 */
		blocks[i] = kmalloc_aligned(align, 100 + i * 50);
		KT_ASSERT(blocks[i] != NULL);
		if ((uintptr_t)blocks[i] % align)
			ktest_fail(__FILE__, __LINE__, "%p is not %u-aligned",
			           blocks[i], (unsigned)align);
		memset(blocks[i], 0xAB, 100 + i * 50);
	}
	assert_heap_ok(__LINE__);
	for (unsigned i = 0; i < 9; i++)
		kfree(blocks[i]);
	assert_heap_ok(__LINE__);
	KT_ASSERT(kmalloc_aligned(3000, 10) == NULL); /* not a power of two */
}

/* Grows the heap by about 2 MiB and frees it all again. */
static void grow_and_free(uint32_t *lowest_free)
{
	enum { CHUNKS = 32 };
	void *chunk[CHUNKS];

	for (int i = 0; i < CHUNKS; i++) {
		chunk[i] = kmalloc(64 * 1024);
		KT_ASSERT(chunk[i] != NULL);
	}
	*lowest_free = pmm_free_frames();
	for (int i = 0; i < CHUNKS; i++)
		kfree(chunk[i]);
}

void test_kheap_shrink_returns_frames(void)
{
	uint32_t lowest;
	struct heap_stats stats;

	grow_and_free(&lowest); /* the first round may leave a cached top */
	uint32_t free_before = pmm_free_frames();
	kheap_get_stats(&stats);
	unsigned long shrinks_before = stats.shrink_calls;

	grow_and_free(&lowest);
	KT_ASSERT(lowest + 2 * 1024 * 1024 / PAGE_SIZE - 16 <= free_before);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
	kheap_get_stats(&stats);
	KT_ASSERT(stats.shrink_calls > shrinks_before);
	assert_heap_ok(__LINE__);
}

void test_kheap_out_of_memory(void)
{
	uint32_t free_before = pmm_free_frames();

	/* More than all RAM: the frames run out half way; every frame
	 * taken on the way is given back. */
	KT_ASSERT(kmalloc(200u * 1024 * 1024) == NULL);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
	KT_ASSERT(kmalloc((size_t)-1) == NULL);
	KT_ASSERT(kmalloc((size_t)-64) == NULL);
	KT_ASSERT(kcalloc(0x10000, 0x10001) == NULL); /* product overflows */
	assert_heap_ok(__LINE__);

	/* And the kernel goes on. */
	void *p = kmalloc(1000);
	KT_ASSERT(p != NULL);
	kfree(p);
}

static void write_byte(void *address)
{
	*(volatile uint8_t *)address = 1;
}

void test_kheap_guard_page_below_heap(void)
{
	struct fault_info info;
	uintptr_t below = kheap_start() - 1;

	KT_ASSERT(kheap_start() % PAGE_SIZE == 0);
	KT_ASSERT(ktest_expect_fault(write_byte, (void *)below, &info));
	KT_ASSERT_EQ(info.vector, EXC_PAGE_FAULT);
	KT_ASSERT_EQ(info.cr2, below);
	KT_ASSERT(!vmm_translate(vmm_kernel_space(), kheap_start() - PAGE_SIZE,
	                         NULL, NULL));
}

static void free_twice(void *p)
{
	kfree(p);
	kfree(p);
}

static void free_it(void *p)
{
	kfree(p);
}

void test_kheap_misuse_panics(void)
{
	struct fault_info info;
	uint8_t *p = kmalloc(40);

	KT_ASSERT(ktest_expect_fault(free_twice, p, &info));
	KT_ASSERT_EQ(info.vector, FAULT_PANIC);
	KT_ASSERT(strncmp(info.message, "heap: double free:", 18) == 0);

	static uint32_t not_from_heap[4];
	KT_ASSERT(ktest_expect_fault(free_it, &not_from_heap[2], &info));
	KT_ASSERT_EQ(info.vector, FAULT_PANIC);
	KT_ASSERT(strncmp(info.message, "heap: pointer the heap never", 28) ==
	          0);

	/* A buffer overrun from the block below tramples the 4-byte header
	 * just below b's payload. */
	uint8_t *b = kmalloc(24);
	uint32_t header;
	KT_ASSERT(b != NULL);
	memcpy(&header, b - sizeof(header), sizeof(header));
	memset(b - sizeof(header), 0xA5, sizeof(header));
	bool caught = ktest_expect_fault(free_it, b, &info);
	/* Mend the header first, so the heap can go on whatever happened. */
	memcpy(b - sizeof(header), &header, sizeof(header));
	KT_ASSERT(caught);
	KT_ASSERT_EQ(info.vector, FAULT_PANIC);
	if (strncmp(info.message, "heap: corrupted block header:", 29) != 0)
		ktest_fail(__FILE__, __LINE__, "unexpected message: %s",
		           info.message);
	kfree(b);
	assert_heap_ok(__LINE__);
}

/*
 * Allocates and frees for `ms` milliseconds: 32 live blocks of varied
 * sizes, each replaced at random, most of the time spent inside kmalloc
 * and kfree. The first and last word of each block hold its tag; false if
 * a tag changed while the block was live.
 */
static bool hammer_heap(uint32_t ms, uint32_t seed)
{
	enum { LIVE = 32 };
	uint32_t *block[LIVE] = {0};
	size_t words[LIVE] = {0};
	uint32_t start = clock_uptime_ms();
	uint32_t state = seed;
	bool ok = true;

	while (ok && clock_uptime_ms() - start < ms) {
		state = state * 1103515245u + 12345u;
		unsigned i = (state >> 8) % LIVE;
		if (block[i]) {
			ok = block[i][0] == (uint32_t)i + seed &&
			     block[i][words[i] - 1] == (uint32_t)i + seed;
			kfree(block[i]);
		}
		words[i] = 2 + (state >> 16) % 200;
		block[i] = kmalloc(words[i] * sizeof(uint32_t));
		if (!block[i])
			return false;
		block[i][0] = block[i][words[i] - 1] = (uint32_t)i + seed;
	}
	for (unsigned i = 0; i < LIVE; i++)
		kfree(block[i]);
	return ok;
}

static volatile bool second_task_ok;

static void second_heap_task(void)
{
	second_task_ok = hammer_heap(300, 77);
}

void test_kheap_two_tasks_preempting(void)
{
	struct process *task =
	        process_create_kernel_task("heap-stress", second_heap_task);
	int status = -1;

	KT_ASSERT(task != NULL);
	int pid = task->pid; /* task is freed once collected */
	task->parent = sched_current();
	second_task_ok = false;
	sched_add(task);
	/* Both tasks allocate while the timer switches between them every
	 * tick, often in the middle of a kmalloc. */
	KT_ASSERT(hammer_heap(300, 5));
	KT_ASSERT_EQ(process_wait(pid, &status, 0), pid);
	KT_ASSERT_EQ(status, 0);
	KT_ASSERT(second_task_ok);
	assert_heap_ok(__LINE__);
}

/*
 * memhog's pattern (user/bin/memhog.c) in the kernel heap, at a smaller
 * scale: big blocks, then smaller and smaller ones down to 16 bytes, so
 * the heap ends in small blocks; kfree them all, the last first. The small
 * ones wait on quick lists at the heap's end: every frame must still come
 * back, without a call that empties those lists (kheap_get_stats,
 * kheap_dump).
 */
static void hog_and_free_all(void)
{
	enum { BLOCKS = 32 };
	void *block[BLOCKS];
	int n = 0;

	for (size_t size = 128 * 1024; size >= 16; size /= 2)
		for (int i = 0; i < 2; i++) {
			block[n] = kmalloc(size);
			KT_ASSERT(block[n] != NULL);
			n++;
		}
	while (n > 0)
		kfree(block[--n]);
}

void test_kheap_freeing_everything_returns_frames(void)
{
	/* What may stay: the free top below trim_threshold (256 KiB: the
	 * hysteresis, mm/heap.h) and the page tables made for the heap's
	 * range (a 512 KiB round needs two at most). */
	const uint32_t kept_max = 256 * 1024 / PAGE_SIZE + 2;
	uint32_t free_before = pmm_free_frames();

	hog_and_free_all();
	uint32_t free_after = pmm_free_frames();
	if (free_after + kept_max < free_before)
		ktest_fail(__FILE__, __LINE__,
		           "%u frames did not come back (at most %u may stay)",
		           free_before - free_after, kept_max);
	hog_and_free_all(); /* the same again: every frame comes back */
	KT_ASSERT_EQ(pmm_free_frames(), free_after);
	assert_heap_ok(__LINE__);
}
