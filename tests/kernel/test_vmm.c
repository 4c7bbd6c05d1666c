/* Page mappings, shared kernel tables, and the protections set at boot. */
#include "kernel/arch/cpu.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

/* Kernel addresses no one else uses while the tests run. */
#define TEST_KERNEL_VA 0xE0000000u
#define TEST_USER_VA 0x40000000u

#define PF_PRESENT 0x1
#define PF_WRITE 0x2

static void write_to(void *address)
{
	*(volatile uint8_t *)address = 0x90;
}

static void read_from(void *address)
{
	(void)*(volatile uint8_t *)address;
}

/* Cleanups (ktest_defer): what a test left behind when it failed. */
static void free_frame(void *frame)
{
	pmm_free_frame((paddr_t)(uintptr_t)frame);
}

static void unmap_test_kernel_page(void *unused)
{
	(void)unused;
	vmm_unmap(vmm_kernel_space(), TEST_KERNEL_VA); /* -ENOENT if done */
}

static vmm_space_t test_space; /* 0 once destroyed */

static void destroy_test_space(void *unused)
{
	(void)unused;
	if (!test_space)
		return;
	if (vmm_current_space() == test_space)
		vmm_switch_space(vmm_kernel_space());
	vmm_space_destroy(test_space);
	test_space = 0;
}

void test_vmm_map_translate_unmap(void)
{
	vmm_space_t kernel = vmm_kernel_space();
	paddr_t frame = pmm_alloc_frame();
	struct fault_info info;
	paddr_t pa;
	uint32_t flags;

	KT_ASSERT(frame != 0);
	ktest_defer(free_frame, (void *)(uintptr_t)frame);
	KT_ASSERT(!vmm_translate(kernel, TEST_KERNEL_VA, &pa, &flags));
	KT_ASSERT_ERR(vmm_map(kernel, TEST_KERNEL_VA, frame, PTE_WRITABLE), 0);
	ktest_defer(unmap_test_kernel_page, NULL);
	KT_ASSERT_ERR(vmm_map(kernel, TEST_KERNEL_VA, frame, PTE_WRITABLE),
	              -EEXIST);
	KT_ASSERT(vmm_translate(kernel, TEST_KERNEL_VA + 0x123, &pa, &flags));
	KT_ASSERT_EQ(pa, frame + 0x123);
	KT_ASSERT(flags & PTE_WRITABLE);
	KT_ASSERT(!(flags & PTE_USER));

	/* The mapping is live: what we write through it is in the frame. */
	*(volatile uint32_t *)TEST_KERNEL_VA = 0xC0FFEE;
	uint32_t *through_kmap = kmap(frame);
	uint32_t seen = *through_kmap;
	kunmap(through_kmap);
	KT_ASSERT_EQ(seen, 0xC0FFEE);

	/* The TLB holds the translation now (the write above used it), so
	 * without an invlpg in vmm_unmap the read below would not fault. */
	KT_ASSERT_ERR(vmm_unmap(kernel, TEST_KERNEL_VA), 0);
	if (!ktest_expect_fault(read_from, (void *)TEST_KERNEL_VA, &info))
		KT_FAIL("a read of 0x%x after vmm_unmap did not fault: the "
		        "TLB still has the old translation (invlpg)",
		        TEST_KERNEL_VA);
	KT_ASSERT(!vmm_translate(kernel, TEST_KERNEL_VA, NULL, NULL));
	KT_ASSERT_ERR(vmm_unmap(kernel, TEST_KERNEL_VA), -ENOENT);
}

/* Each walk of a user space's tables gives its kmap slot back: a missing
 * kunmap would run kmap out of slots some tests later. Changes nothing
 * (TEST_USER_VA is mapped to frame, the page after it is not). */
static void check_walks_keep_no_kmap_slot(vmm_space_t space, paddr_t frame)
{
	uint32_t before = kmap_slots_in_use();

	vmm_translate(space, TEST_USER_VA, NULL, NULL);
	if (kmap_slots_in_use() != before)
		KT_FAIL("vmm_translate of a user address kept a kmap slot "
		        "(a kunmap is missing)");
	vmm_map(space, TEST_USER_VA, frame, PTE_WRITABLE | PTE_USER);
	if (kmap_slots_in_use() != before)
		KT_FAIL("vmm_map of a user address kept a kmap slot "
		        "(a kunmap is missing)");
	vmm_unmap(space, TEST_USER_VA + 2 * PAGE_SIZE);
	if (kmap_slots_in_use() != before)
		KT_FAIL("vmm_unmap of a user address kept a kmap slot "
		        "(a kunmap is missing)");
}

void test_vmm_user_tables_on_demand(void)
{
	uint32_t free_before = pmm_free_frames();
	paddr_t pa;
	uint32_t flags;

	test_space = vmm_space_create();
	vmm_space_t space = test_space;
	KT_ASSERT(space != 0);
	ktest_defer(destroy_test_space, NULL);
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 1); /* the directory */
	KT_ASSERT(!vmm_translate(space, TEST_USER_VA, NULL, NULL));

	paddr_t frame = pmm_alloc_frame();
	KT_ASSERT_ERR(
	        vmm_map(space, TEST_USER_VA, frame, PTE_WRITABLE | PTE_USER),
	        0);
	/* The directory, the new page table and the mapped frame. */
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 3);
	KT_ASSERT(vmm_translate(space, TEST_USER_VA, &pa, &flags));
	KT_ASSERT_EQ(pa, frame);
	KT_ASSERT(flags & PTE_USER);
	check_walks_keep_no_kmap_slot(space, frame);
	/* Only this space has it. */
	KT_ASSERT(!vmm_translate(vmm_kernel_space(), TEST_USER_VA, NULL, NULL));

	/* A second page in the same 4 MiB needs no new table. */
	paddr_t frame2 = pmm_alloc_frame();
	KT_ASSERT_ERR(
	        vmm_map(space, TEST_USER_VA + PAGE_SIZE, frame2, PTE_USER), 0);
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 4);

	/* Switch to it: the user page is reachable at its address. */
	vmm_space_t before = vmm_current_space();
	vmm_switch_space(space);
	*(volatile uint32_t *)TEST_USER_VA = 0x5EED;
	vmm_switch_space(before);
	uint32_t *p = kmap(frame);
	uint32_t seen = *p;
	kunmap(p);
	KT_ASSERT_EQ(seen, 0x5EED);

	destroy_test_space(NULL); /* frees the frames mapped in it */
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

void test_vmm_kernel_mappings_shared(void)
{
	paddr_t frame = pmm_alloc_frame();
	paddr_t pa;

	test_space = vmm_space_create();
	vmm_space_t space = test_space;
	KT_ASSERT(space != 0 && frame != 0);
	ktest_defer(destroy_test_space, NULL);
	ktest_defer(free_frame, (void *)(uintptr_t)frame);
	/* Mapped in the kernel's space after `space` was made... */
	KT_ASSERT_ERR(vmm_map(vmm_kernel_space(), TEST_KERNEL_VA, frame,
	                      PTE_WRITABLE),
	              0);
	ktest_defer(unmap_test_kernel_page, NULL);
	/* ...and visible through `space`'s directory. */
	KT_ASSERT(vmm_translate(space, TEST_KERNEL_VA, &pa, NULL));
	KT_ASSERT_EQ(pa, frame);
	KT_ASSERT_ERR(vmm_unmap(vmm_kernel_space(), TEST_KERNEL_VA), 0);
	KT_ASSERT(!vmm_translate(space, TEST_KERNEL_VA, NULL, NULL));
}

void test_vmm_kernel_text_is_read_only(void)
{
	struct fault_info info;
	uint32_t flags;
	void *text = (void *)test_vmm_kernel_text_is_read_only;

	KT_ASSERT(read_cr0() & CR0_WP);
	KT_ASSERT(vmm_translate(vmm_kernel_space(), (uintptr_t)text, NULL,
	                        &flags));
	KT_ASSERT(!(flags & PTE_WRITABLE));
	KT_ASSERT(ktest_expect_fault(write_to, text, &info));
	KT_ASSERT_EQ(info.vector, EXC_PAGE_FAULT);
	KT_ASSERT_EQ(info.cr2, (uint32_t)text);
	KT_ASSERT_EQ(info.error_code & (PF_PRESENT | PF_WRITE),
	             PF_PRESENT | PF_WRITE);

	/* Read-only data too. */
	static const char message[] = "read-only";
	KT_ASSERT(ktest_expect_fault(write_to, (void *)message, &info));
	KT_ASSERT_EQ(info.cr2, (uint32_t)message);
	KT_ASSERT(message[0] == 'r');

	/* Writable data is not affected. */
	static char data[4];
	KT_ASSERT(!ktest_expect_fault(write_to, data, &info));
}

void test_vmm_null_page_faults(void)
{
	struct fault_info info;

	KT_ASSERT(ktest_expect_fault(read_from, NULL, &info));
	KT_ASSERT_EQ(info.vector, EXC_PAGE_FAULT);
	KT_ASSERT_EQ(info.cr2, 0);
	KT_ASSERT_EQ(info.error_code & PF_PRESENT, 0); /* not present */
	KT_ASSERT(ktest_expect_fault(write_to, (void *)0xFFF, &info));
	KT_ASSERT_EQ(info.cr2, 0xFFF);
}

void test_vmm_identity_mapping_gone(void)
{
	struct fault_info info;
	void *kernel_phys = (void *)KERNEL_PHYS;

	/* The kernel is at 0xC0100000, and no longer at 0x00100000. */
	KT_ASSERT(vmm_translate(vmm_kernel_space(),
	                        (uintptr_t)kernel_phys + KERNEL_VMA, NULL,
	                        NULL));
	KT_ASSERT(!vmm_translate(vmm_kernel_space(), (uintptr_t)kernel_phys,
	                         NULL, NULL));
	KT_ASSERT(ktest_expect_fault(read_from, kernel_phys, &info));
	KT_ASSERT_EQ(info.vector, EXC_PAGE_FAULT);
	KT_ASSERT_EQ(info.cr2, KERNEL_PHYS);
}

/* A physical range that runs past 4 GiB is refused: counted in 32 bits,
 * its end wraps to a low address and it looked two pages long. */
void test_vmm_map_phys_refuses_a_range_past_4gib(void)
{
	KT_ASSERT(vmm_map_phys(0xFFFFF000u, 0x2000) == NULL);
	KT_ASSERT(vmm_map_phys(0xFFFFFFFFu, 2) == NULL);
	KT_ASSERT(vmm_map_phys(0x1000, 0) == NULL);
}

/* What the walker showed a test: the addresses it visited, in order. */
struct visits {
	uint32_t n;
	uint32_t absent;  /* entries visited that were not present */
	uint32_t stop_at; /* return 7 at this visit (1-based; 0: never) */
	uintptr_t va[8];
};

static int record_visit(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	struct visits *v = arg;

	(void)other;
	if (!(*pte & PTE_PRESENT))
		v->absent++;
	if (v->n < 8)
		v->va[v->n] = va;
	v->n++;
	return v->n == v->stop_at ? 7 : 0;
}

/*
 * The page-table walker (vmm_for_each_present) visits the present entries
 * of a range, in address order, across page tables, and nothing else: not
 * the absent entries, not the 4 MiB of a table that does not exist; it
 * stops where its callback says; it keeps no kmap slot. With
 * vmm_for_each_entry it visits every entry and makes the missing table.
 */
void test_vmm_walker_visits_present_entries_only(void)
{
	const uintptr_t base = TEST_USER_VA;
	/* The second page of table 0, the last of table 0, the first of
	 * table 2; table 1 does not exist. */
	const uintptr_t pages[] = {base + 0x1000, base + 0x3FF000,
	                           base + 0x800000};
	struct visits v = {0};

	test_space = vmm_space_create();
	KT_ASSERT(test_space != 0);
	ktest_defer(destroy_test_space, NULL);
	for (unsigned i = 0; i < 3; i++) {
		paddr_t frame = pmm_alloc_frame();
		KT_ASSERT(frame != 0);
		KT_ASSERT_ERR(vmm_map(test_space, pages[i], frame,
		                      PTE_USER | PTE_WRITABLE),
		              0);
	}

	KT_ASSERT_ERR(vmm_for_each_present(test_space, base, base + 0xC00000,
	                                   record_visit, &v),
	              0);
	if (v.n != 3)
		KT_FAIL("the walker visited %u entries of a range with 3 "
		        "present pages: it must visit the present ones only",
		        v.n);
	for (unsigned i = 0; i < 3; i++)
		KT_ASSERT_EQ(v.va[i], pages[i]);
	KT_ASSERT_EQ(v.absent, 0);
	KT_ASSERT_EQ(kmap_slots_in_use(), 0);

	/* A range that starts and ends inside tables. */
	v = (struct visits){0};
	KT_ASSERT_ERR(vmm_for_each_present(test_space, base + 0x2000,
	                                   base + 0x800000, record_visit, &v),
	              0);
	KT_ASSERT_EQ(v.n, 1);
	KT_ASSERT_EQ(v.va[0], pages[1]);

	/* The callback stops the walk; the walk says why. */
	v = (struct visits){.stop_at = 2};
	KT_ASSERT_ERR(vmm_for_each_present(test_space, base, base + 0xC00000,
	                                   record_visit, &v),
	              7);
	KT_ASSERT_EQ(v.n, 2);
	KT_ASSERT_EQ(kmap_slots_in_use(), 0);

	/* Every entry, present or not, and the missing table is made. */
	uint32_t free_before = pmm_free_frames();
	v = (struct visits){0};
	KT_ASSERT_ERR(vmm_for_each_entry(test_space, base + 0x400000,
	                                 base + 0x403000, record_visit, &v),
	              0);
	KT_ASSERT_EQ(v.n, 3);
	KT_ASSERT_EQ(v.absent, 3);
	KT_ASSERT_EQ(free_before - pmm_free_frames(), 1); /* table 1 */

	destroy_test_space(NULL); /* frees the 3 frames and 4 tables */
}
