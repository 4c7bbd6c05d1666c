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

void test_vmm_map_translate_unmap(void)
{
	vmm_space_t kernel = vmm_kernel_space();
	paddr_t frame = pmm_alloc_frame();
	paddr_t pa;
	uint32_t flags;

	KT_ASSERT(frame != 0);
	KT_ASSERT(!vmm_translate(kernel, TEST_KERNEL_VA, &pa, &flags));
	KT_ASSERT_EQ(vmm_map(kernel, TEST_KERNEL_VA, frame, PTE_WRITABLE), 0);
	KT_ASSERT_EQ(vmm_map(kernel, TEST_KERNEL_VA, frame, PTE_WRITABLE),
	             -EEXIST);
	KT_ASSERT(vmm_translate(kernel, TEST_KERNEL_VA + 0x123, &pa, &flags));
	KT_ASSERT_EQ(pa, frame + 0x123);
	KT_ASSERT(flags & PTE_WRITABLE);
	KT_ASSERT(!(flags & PTE_USER));

	/* The mapping is live: what we write through it is in the frame. */
	*(volatile uint32_t *)TEST_KERNEL_VA = 0xC0FFEE;
	uint32_t *through_kmap = kmap(frame);
	KT_ASSERT_EQ(*through_kmap, 0xC0FFEE);
	kunmap(through_kmap);

	KT_ASSERT_EQ(vmm_unmap(kernel, TEST_KERNEL_VA), 0);
	KT_ASSERT(!vmm_translate(kernel, TEST_KERNEL_VA, NULL, NULL));
	KT_ASSERT_EQ(vmm_unmap(kernel, TEST_KERNEL_VA), -ENOENT);
	pmm_free_frame(frame);
}

void test_vmm_user_tables_on_demand(void)
{
	uint32_t free_before = pmm_free_frames();
	vmm_space_t space = vmm_space_create();
	paddr_t pa;
	uint32_t flags;

	KT_ASSERT(space != 0);
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 1); /* the directory */
	KT_ASSERT(!vmm_translate(space, TEST_USER_VA, NULL, NULL));

	paddr_t frame = pmm_alloc_frame();
	KT_ASSERT_EQ(
	        vmm_map(space, TEST_USER_VA, frame, PTE_WRITABLE | PTE_USER),
	        0);
	/* The directory, the new page table and the mapped frame. */
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 3);
	KT_ASSERT(vmm_translate(space, TEST_USER_VA, &pa, &flags));
	KT_ASSERT_EQ(pa, frame);
	KT_ASSERT(flags & PTE_USER);
	/* Only this space has it. */
	KT_ASSERT(!vmm_translate(vmm_kernel_space(), TEST_USER_VA, NULL, NULL));

	/* A second page in the same 4 MiB needs no new table. */
	paddr_t frame2 = pmm_alloc_frame();
	KT_ASSERT_EQ(vmm_map(space, TEST_USER_VA + PAGE_SIZE, frame2, PTE_USER),
	             0);
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 4);

	/* Switch to it: the user page is reachable at its address. */
	vmm_space_t before = vmm_current_space();
	vmm_switch_space(space);
	*(volatile uint32_t *)TEST_USER_VA = 0x5EED;
	vmm_switch_space(before);
	uint32_t *p = kmap(frame);
	KT_ASSERT_EQ(*p, 0x5EED);
	kunmap(p);

	vmm_space_destroy(space);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

void test_vmm_kernel_mappings_shared(void)
{
	vmm_space_t space = vmm_space_create();
	paddr_t frame = pmm_alloc_frame();
	paddr_t pa;

	KT_ASSERT(space != 0 && frame != 0);
	/* Mapped in the kernel's space after `space` was made... */
	KT_ASSERT_EQ(vmm_map(vmm_kernel_space(), TEST_KERNEL_VA, frame,
	                     PTE_WRITABLE),
	             0);
	/* ...and visible through `space`'s directory. */
	KT_ASSERT(vmm_translate(space, TEST_KERNEL_VA, &pa, NULL));
	KT_ASSERT_EQ(pa, frame);
	KT_ASSERT_EQ(vmm_unmap(vmm_kernel_space(), TEST_KERNEL_VA), 0);
	KT_ASSERT(!vmm_translate(space, TEST_KERNEL_VA, NULL, NULL));
	pmm_free_frame(frame);
	vmm_space_destroy(space);
}

static void write_to(void *address)
{
	*(volatile uint8_t *)address = 0x90;
}

static void read_from(void *address)
{
	(void)*(volatile uint8_t *)address;
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
