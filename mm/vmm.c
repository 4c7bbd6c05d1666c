/*
 * Page tables. The kernel's page directory and its 256 higher-half page
 * tables are arrays in .bss, filled first by boot/boot.asm; since they are
 * part of the kernel image they can always be written through their
 * virtual addresses. Any other page directory or page table lives in a
 * frame from the PMM and is reached through kmap().
 */
#include "mm/vmm.h"

#include "kernel/arch/cpu.h"
#include "kernel/panic.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/pmm.h"

pde_t kernel_page_directory[ENTRIES_PER_TABLE]
        __attribute__((aligned(PAGE_SIZE)));
pte_t kernel_page_tables[KERNEL_PDE_COUNT][ENTRIES_PER_TABLE]
        __attribute__((aligned(PAGE_SIZE)));

extern char _kernel_start[], _kernel_ro_end[]; /* link.ld */

static uint32_t kmap_used; /* bit i: slot i is taken */
static uintptr_t physmap_next = PHYSMAP_BASE;

_Static_assert(KMAP_SLOTS <= 32, "kmap_used has 32 bits");
_Static_assert(PDX(KMAP_BASE) == ENTRIES_PER_TABLE - 1,
               "the kmap window is the last page table");

/* The PTE for a kernel address: its table always exists. */
static pte_t *kernel_pte(uintptr_t va)
{
	return &kernel_page_tables[PDX(va) - KERNEL_PDE_FIRST][PTX(va)];
}

static void flush_if_current(vmm_space_t space, uintptr_t va)
{
	if (space == read_cr3() || va >= KERNEL_VMA)
		invlpg((void *)va);
}

void vmm_init(void)
{
	/* Text and rodata become read-only; CR0.WP (set in boot.asm) makes
	 * the kernel itself fault if it writes there. */
	for (uintptr_t va = (uintptr_t)_kernel_start;
	     va < (uintptr_t)_kernel_ro_end; va += PAGE_SIZE) {
		*kernel_pte(va) &= ~PTE_WRITABLE;
		invlpg((void *)va);
	}
}

vmm_space_t vmm_kernel_space(void)
{
	return virt_to_phys(kernel_page_directory);
}

vmm_space_t vmm_current_space(void)
{
	return read_cr3();
}

void vmm_switch_space(vmm_space_t space)
{
	write_cr3(space);
}

void *kmap(paddr_t frame)
{
	bool irq = irq_save();

	for (uint32_t slot = 0; slot < KMAP_SLOTS; slot++) {
		if (kmap_used & (1u << slot))
			continue;
		kmap_used |= 1u << slot;
		uintptr_t va = KMAP_BASE + slot * PAGE_SIZE;
		*kernel_pte(va) =
		        PAGE_ALIGN_DOWN(frame) | PTE_PRESENT | PTE_WRITABLE;
		invlpg((void *)va);
		irq_restore(irq);
		return (void *)va;
	}
	PANIC("kmap: all %u slots are in use (a kunmap is missing)",
	      KMAP_SLOTS);
}

void kunmap(void *ptr)
{
	uintptr_t va = PAGE_ALIGN_DOWN((uintptr_t)ptr);
	uint32_t slot = (va - KMAP_BASE) / PAGE_SIZE;

	ASSERT(va >= KMAP_BASE && slot < KMAP_SLOTS);
	bool irq = irq_save();
	*kernel_pte(va) = 0;
	invlpg((void *)va);
	kmap_used &= ~(1u << slot);
	irq_restore(irq);
}

uint32_t kmap_slots_in_use(void)
{
	uint32_t n = 0;

	for (uint32_t slot = 0; slot < KMAP_SLOTS; slot++)
		n += (kmap_used >> slot) & 1;
	return n;
}

/* A zero-filled frame for a page table or directory, or 0. */
static paddr_t alloc_zeroed_frame(void)
{
	paddr_t frame = pmm_alloc_frame();

	if (frame) {
		void *p = kmap(frame);
		memset(p, 0, PAGE_SIZE);
		kunmap(p);
	}
	return frame;
}

vmm_space_t vmm_space_create(void)
{
	paddr_t dir = alloc_zeroed_frame();

	if (!dir)
		return 0;
	pde_t *pd = kmap(dir);
	for (uint32_t i = KERNEL_PDE_FIRST; i < ENTRIES_PER_TABLE; i++)
		pd[i] = kernel_page_directory[i];
	kunmap(pd);
	return dir;
}

void vmm_space_destroy(vmm_space_t space)
{
	ASSERT(space != vmm_kernel_space() && space != read_cr3());
	pde_t *pd = kmap(space);

	for (uint32_t i = 0; i < KERNEL_PDE_FIRST; i++) {
		if (!(pd[i] & PTE_PRESENT))
			continue;
		pte_t *pt = kmap(pd[i] & PTE_FRAME_MASK);
		for (uint32_t j = 0; j < ENTRIES_PER_TABLE; j++) {
			if (pt[j] & PTE_PRESENT) /* fork may share it */
				pmm_release_frame(pt[j] & PTE_FRAME_MASK);
		}
		kunmap(pt);
		pmm_free_frame(pd[i] & PTE_FRAME_MASK);
	}
	kunmap(pd);
	pmm_free_frame(space);
}

/*
 * Finds the PTE for va and kmaps its table if needed (*mapped is then the
 * pointer to kunmap). With create, a missing user page table is allocated.
 * Returns NULL if there is no table (or no memory for one).
 */
static pte_t *find_pte(vmm_space_t space, uintptr_t va, bool create,
                       void **mapped)
{
	*mapped = NULL;
	if (va >= KERNEL_VMA)
		return kernel_pte(va);

	pde_t *pd = kmap(space);
	pde_t pde = pd[PDX(va)];
	if (!(pde & PTE_PRESENT)) {
		paddr_t table = create ? alloc_zeroed_frame() : 0;
		if (!table) {
			kunmap(pd);
			return NULL;
		}
		/* Permissions are decided per page, in the PTE. */
		pde = table | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
		pd[PDX(va)] = pde;
	}
	kunmap(pd);
	pte_t *pt = kmap(pde & PTE_FRAME_MASK);
	*mapped = pt;
	return &pt[PTX(va)];
}

int vmm_map(vmm_space_t space, uintptr_t va, paddr_t pa, uint32_t flags)
{
	ASSERT(PAGE_OFFSET(va) == 0 && PAGE_OFFSET(pa) == 0);
	void *mapped;
	int err = 0;
	bool irq = irq_save();
	pte_t *pte = find_pte(space, va, true, &mapped);

	if (!pte)
		err = -ENOMEM;
	else if (*pte & PTE_PRESENT)
		err = -EEXIST;
	else {
		*pte = pa | (flags & PTE_FLAGS_MASK) | PTE_PRESENT;
		flush_if_current(space, va);
	}
	if (mapped)
		kunmap(mapped);
	irq_restore(irq);
	return err;
}

int vmm_map_new_page(vmm_space_t space, uintptr_t va, uint32_t flags)
{
	paddr_t frame = alloc_zeroed_frame();

	if (!frame)
		return -ENOMEM;
	int err = vmm_map(space, va, frame, flags);
	if (err)
		pmm_free_frame(frame);
	return err;
}

int vmm_map_new_range(vmm_space_t space, uintptr_t from, uintptr_t to,
                      uint32_t flags)
{
	for (uintptr_t va = from; va < to; va += PAGE_SIZE) {
		int err = vmm_map_new_page(space, va, flags);
		if (err) {
			vmm_unmap_and_free(space, from, va);
			return err;
		}
	}
	return 0;
}

int vmm_copy_to_space(vmm_space_t space, uintptr_t va, const void *src,
                      size_t len)
{
	const uint8_t *from = src;

	while (len > 0) {
		paddr_t pa;
		size_t in_page = PAGE_SIZE - PAGE_OFFSET(va);
		size_t n = len < in_page ? len : in_page;

		if (!vmm_translate(space, va, &pa, NULL))
			return -EFAULT;
		uint8_t *page = kmap(pa);
		memcpy(page + PAGE_OFFSET(va), from, n);
		kunmap(page);
		va += n;
		from += n;
		len -= n;
	}
	return 0;
}

int vmm_remap(vmm_space_t space, uintptr_t va, paddr_t pa, uint32_t flags)
{
	ASSERT(PAGE_OFFSET(va) == 0 && PAGE_OFFSET(pa) == 0);
	void *mapped;
	int err = 0;
	bool irq = irq_save();
	pte_t *pte = find_pte(space, va, false, &mapped);

	if (!pte || !(*pte & PTE_PRESENT))
		err = -ENOENT;
	else {
		*pte = pa | (flags & PTE_FLAGS_MASK) | PTE_PRESENT;
		flush_if_current(space, va);
	}
	if (mapped)
		kunmap(mapped);
	irq_restore(irq);
	return err;
}

int vmm_unmap(vmm_space_t space, uintptr_t va)
{
	void *mapped;
	int err = 0;
	bool irq = irq_save();
	pte_t *pte = find_pte(space, va, false, &mapped);

	if (!pte || !(*pte & PTE_PRESENT))
		err = -ENOENT;
	else {
		*pte = 0;
		flush_if_current(space, va);
	}
	if (mapped)
		kunmap(mapped);
	irq_restore(irq);
	return err;
}

void vmm_unmap_and_free(vmm_space_t space, uintptr_t from, uintptr_t to)
{
	for (uintptr_t va = from; va < to; va += PAGE_SIZE) {
		paddr_t pa;

		if (!vmm_translate(space, va, &pa, NULL))
			continue; /* a page never touched has no frame */
		vmm_unmap(space, va);
		pmm_release_frame(PAGE_ALIGN_DOWN(pa)); /* fork may share it */
	}
}

bool vmm_translate(vmm_space_t space, uintptr_t va, paddr_t *pa,
                   uint32_t *flags)
{
	void *mapped;
	bool found = false;
	bool irq = irq_save();
	pte_t *pte = find_pte(space, va, false, &mapped);

	if (pte && (*pte & PTE_PRESENT)) {
		if (pa)
			*pa = (*pte & PTE_FRAME_MASK) | PAGE_OFFSET(va);
		if (flags)
			*flags = *pte & PTE_FLAGS_MASK;
		found = true;
	}
	if (mapped)
		kunmap(mapped);
	irq_restore(irq);
	return found;
}

void *vmm_map_phys(paddr_t pa, size_t size)
{
	paddr_t first = PAGE_ALIGN_DOWN(pa);

	/* pa + size must not wrap past 4 GiB; counted in 64 bits so that a
	 * range ending in the last page does not wrap either. */
	if (size == 0 || size - 1 > 0xFFFFFFFFu - pa)
		return NULL;
	uintptr_t pages =
	        (uintptr_t)(((uint64_t)pa + size - first + PAGE_SIZE - 1) /
	                    PAGE_SIZE);
	if (pages > (PHYSMAP_LIMIT - physmap_next) / PAGE_SIZE)
		return NULL;
	uintptr_t base = physmap_next;
	for (uintptr_t i = 0; i < pages; i++) {
		int err = vmm_map(vmm_kernel_space(), base + i * PAGE_SIZE,
		                  first + i * PAGE_SIZE, PTE_WRITABLE);
		ASSERT(err == 0);
	}
	physmap_next += pages * PAGE_SIZE;
	return (void *)(base + PAGE_OFFSET(pa));
}
