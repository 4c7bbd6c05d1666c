/*
 * sbrk's kernel side, where a user program cannot reach (the guard gap
 * below the stack) or cannot see (which frames are mapped, which come
 * back). Each test moves the break of a process of its own: an address
 * space and a heap, never run. (user/tests/sbrk.c checks the rest.)
 */
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "lib/abi.h"
#include "mm/kslab.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

#define HEAP_VA 0x10000000u /* where a test's heap starts, if it may */

/* A process that is only an address space with an empty heap at start,
 * whose pages get their frames in the given mode. */
static struct process heap_process_in(uintptr_t start, enum vm_mode mode)
{
	struct process p = {0};

	KT_ASSERT_ERR(vm_space_create(&p.vm, mode), 0);
	p.vm.heap_start = start;
	p.vm.brk = start;
	KT_ASSERT_EQ(region_add(&p.vm.regions, start, start,
	                        REGION_READ | REGION_WRITE, REGION_HEAP, NULL),
	             0);
	return p;
}

/* Exercise 1 of lab 6 is sbrk in eager mode: frames at once. */
static struct process heap_process(uintptr_t start)
{
	return heap_process_in(start, VM_EAGER);
}

static void destroy(struct process *p)
{
	vm_space_destroy(&p->vm);
	kslab_reclaim(); /* the regions' slab too, if they emptied it */
}

/* Whether va's page is mapped for the program to read and write. */
static bool heap_page(const struct process *p, uintptr_t va)
{
	uint32_t flags;
	uint32_t want = PTE_USER | PTE_WRITABLE;

	return vmm_translate(p->vm.pgdir, va, NULL, &flags) &&
	       (flags & want) == want;
}

void test_sbrk_stops_at_guard_gap(void)
{
	uint32_t free_before = pmm_free_frames();
	uintptr_t start = USER_HEAP_LIMIT - 3 * PAGE_SIZE;
	struct process p = heap_process(start);

	/* Up to the limit exactly is fine. */
	KT_ASSERT_EQ(sys_sbrk_for(&p, 2 * PAGE_SIZE + 100), start);
	KT_ASSERT_EQ(sys_sbrk_for(&p, PAGE_SIZE - 100),
	             start + 2 * PAGE_SIZE + 100);
	KT_ASSERT_EQ(p.vm.brk, USER_HEAP_LIMIT);
	KT_ASSERT(heap_page(&p, USER_HEAP_LIMIT - PAGE_SIZE));
	uint32_t free_at_limit = pmm_free_frames();

	/* One byte more is in the gap; a big step must not wrap around
	 * past 4 GiB to an address that looks fine. */
	KT_ASSERT_EQ(sys_sbrk_for(&p, 1), -ENOMEM);
	KT_ASSERT_EQ(sys_sbrk_for(&p, 0x7FFFFFFFu), -ENOMEM);
	KT_ASSERT_EQ(p.vm.brk, USER_HEAP_LIMIT);
	KT_ASSERT(!vmm_translate(p.vm.pgdir, USER_HEAP_LIMIT, NULL, NULL));
	KT_ASSERT_EQ(pmm_free_frames(), free_at_limit);
	KT_ASSERT_EQ(sys_sbrk_for(&p, 0), USER_HEAP_LIMIT);

	destroy(&p);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

void test_sbrk_out_of_frames_changes_nothing(void)
{
	uint32_t free_before = pmm_free_frames();
	struct process p = heap_process(HEAP_VA);

	KT_ASSERT_EQ(sys_sbrk_for(&p, 10), HEAP_VA);
	uint32_t free_frames = pmm_free_frames();

	/* One page more than there are free frames: it maps until the
	 * frames run out, then must undo all of it. What it did is noted
	 * and the space destroyed before any check, so that frames it kept
	 * by mistake do not starve the tests after this one. */
	uint32_t too_big = (free_frames + 1) * PAGE_SIZE;
	int32_t result = sys_sbrk_for(&p, too_big);
	uintptr_t brk = p.vm.brk;
	bool first_page = heap_page(&p, HEAP_VA);
	bool next_page =
	        vmm_translate(p.vm.pgdir, HEAP_VA + PAGE_SIZE, NULL, NULL);
	bool middle_page =
	        vmm_translate(p.vm.pgdir, HEAP_VA + too_big / 2, NULL, NULL);
	uint32_t free_after = pmm_free_frames();
	/* With frames free again the heap grows. */
	int32_t grown = sys_sbrk_for(&p, PAGE_SIZE);
	bool grown_page = heap_page(&p, HEAP_VA + PAGE_SIZE);
	destroy(&p);

	KT_ASSERT_ERR(result, -ENOMEM);
	if (brk != HEAP_VA + 10)
		KT_FAIL("sbrk failed but moved the break from 0x%x to 0x%x: "
		        "on failure nothing may change",
		        HEAP_VA + 10, brk);
	KT_ASSERT(first_page);
	KT_ASSERT(!next_page);
	KT_ASSERT(!middle_page);
	/* Every frame is back but the page tables the space keeps (one per
	 * 4 MiB the attempt went through). */
	uint32_t tables = too_big / (1024 * PAGE_SIZE) + 1;
	KT_ASSERT(free_after >= free_frames - tables);
	KT_ASSERT_EQ(grown, HEAP_VA + 10);
	KT_ASSERT(grown_page);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

/* Fails the test, saying where, if the page at va (mapped in p) is not
 * all zero. */
static void assert_page_is_zero(const struct process *p, uintptr_t va)
{
	paddr_t frame;
	uint32_t at = PAGE_SIZE;
	uint8_t value = 0;

	KT_ASSERT(vmm_translate(p->vm.pgdir, va, &frame, NULL));
	const uint8_t *bytes = kmap(frame);
	for (uint32_t i = 0; i < PAGE_SIZE && at == PAGE_SIZE; i++) {
		if (bytes[i] != 0) {
			at = i;
			value = bytes[i];
		}
	}
	kunmap((void *)bytes);
	if (at != PAGE_SIZE)
		KT_FAIL("the page sbrk mapped at 0x%x holds 0x%x at offset %u, "
		        "not 0: sbrk must map zero-filled pages",
		        va, value, at);
}

void test_sbrk_pages_come_zero_filled(void)
{
	uint32_t free_before = pmm_free_frames();
	struct process p = heap_process(HEAP_VA);

	/* Dirty a page, give it back, take one again: the frame allocator
	 * is likely to hand out the same frame, which must not show the old
	 * bytes (another process's data, in real life). */
	KT_ASSERT_EQ(sys_sbrk_for(&p, PAGE_SIZE), HEAP_VA);
	assert_page_is_zero(&p, HEAP_VA);
	paddr_t frame;
	KT_ASSERT(vmm_translate(p.vm.pgdir, HEAP_VA, &frame, NULL));
	uint8_t *bytes = kmap(frame);
	for (uint32_t i = 0; i < PAGE_SIZE; i++)
		bytes[i] = 0xA5;
	kunmap(bytes);

	KT_ASSERT_EQ(sys_sbrk_for(&p, (uint32_t) - (int32_t)PAGE_SIZE),
	             HEAP_VA + PAGE_SIZE);
	KT_ASSERT(!vmm_translate(p.vm.pgdir, HEAP_VA, NULL, NULL));
	KT_ASSERT_EQ(sys_sbrk_for(&p, 1), HEAP_VA);
	assert_page_is_zero(&p, HEAP_VA);

	destroy(&p);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

/* Eager sbrk gives its pages frames through the page-fault path's own
 * population (vm_populate), so meminfo counts each as zero-filled, as it
 * would count the first touch of the same page in lazy mode. */
void test_sbrk_eager_pages_count_as_zero_filled(void)
{
	uint32_t free_before = pmm_free_frames();
	struct process p = heap_process(HEAP_VA);
	struct vm_counters before = vm_counters();

	KT_ASSERT_EQ(sys_sbrk_for(&p, 3 * PAGE_SIZE), HEAP_VA);
	struct vm_counters after = vm_counters();
	destroy(&p);
	if (after.pages_zero_filled - before.pages_zero_filled != 3)
		KT_FAIL("eager sbrk of 3 pages counted %u pages zero-filled, "
		        "expected 3: sbrk must give frames through "
		        "vm_populate, which counts them",
		        after.pages_zero_filled - before.pages_zero_filled);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}
