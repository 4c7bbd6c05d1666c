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

/* What a walk visits: present entries, entries in use (present, or a
 * swap entry: the page's bytes are on the swap disk), or every entry. */
enum walk_kind { WALK_PRESENT, WALK_USED, WALK_EVERY };

static int visit_table(pte_t *table, pte_t *other, uintptr_t base,
                       uint32_t first, uint32_t end, enum walk_kind kind,
                       vmm_walk_fn fn, void *arg);

/* What dropping a user entry does with what it holds (NULL: a present
 * entry's frame is released, pmm_release_frame). */
static vmm_release_fn user_release;

void vmm_set_user_release(vmm_release_fn release)
{
	user_release = release;
}

/* Drops what the user entry (of space, at va) holds: its frame's
 * reference, or its swap slot. */
static void release_user_entry(vmm_space_t space, uintptr_t va, pte_t entry)
{
	if (user_release)
		user_release(space, va, entry);
	else if (entry & PTE_PRESENT)
		pmm_release_frame(entry & PTE_FRAME_MASK); /* fork may share */
}

/* The walker's callback for vmm_space_destroy: drops what the page holds
 * (the table goes right after). */
static int release_frame(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	(void)other;
	release_user_entry(*(vmm_space_t *)arg, va, *pte);
	return 0;
}

/* The walker's callback for vmm_unmap_and_free: drops the page's mapping
 * and what it holds (its frame's reference, or its swap slot). */
static int unmap_and_release(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	(void)other;
	pte_t entry = *pte;

	*pte = 0;
	if (va >= KERNEL_VMA) {
		invlpg((void *)va); /* kernel pages: one at a time, rare */
		pmm_release_frame(entry & PTE_FRAME_MASK);
	} else {
		release_user_entry(*(vmm_space_t *)arg, va, entry);
	}
	return 0;
}

void vmm_space_destroy(vmm_space_t space)
{
	ASSERT(space != vmm_kernel_space() && space != read_cr3());
	bool irq = irq_save();
	pde_t *pd = kmap(space);

	/* The walker's loop, table by table, each table freed after its
	 * pages. */
	for (uint32_t pdx = 0; pdx < KERNEL_PDE_FIRST; pdx++) {
		if (!(pd[pdx] & PTE_PRESENT))
			continue;
		pte_t *table = kmap(pd[pdx] & PTE_FRAME_MASK);
		visit_table(table, NULL, (uintptr_t)pdx << 22, 0,
		            ENTRIES_PER_TABLE, WALK_USED, release_frame,
		            &space);
		kunmap(table);
		pmm_free_frame(pd[pdx] & PTE_FRAME_MASK);
	}
	kunmap(pd);
	irq_restore(irq);
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

/* ---- The page-table walker -----------------------------------------------
 * One loop over page tables for every job that touches many pages (fork,
 * teardown, eager population, counting), as Linux's copy_pte_range does:
 *
 *   for each page-directory entry in [from, to):
 *       no table there?   skip its 4 MiB whole (or make it, with `every`)
 *       map the table once (kmap), and the other space's table beside it
 *       for each entry of the table in [from, to):
 *           absent?       skip it (unless `every`)
 *           fn(va, &entry, &other's entry, arg)
 *
 * A 1 MiB stack with one page in use costs one table and 256 loads, not
 * 256 lookups from the directory down, each with its own kmap and invlpg.
 */

/* The page table for directory index pdx (mapped: kunmap it unless it is
 * one of the kernel's, which is in .bss), making it with create. NULL if
 * there is none (or no frame for it). pd is the space's mapped directory. */
static pte_t *table_of(pde_t *pd, uint32_t pdx, bool create)
{
	if (pdx >= KERNEL_PDE_FIRST)
		return kernel_page_tables[pdx - KERNEL_PDE_FIRST];
	if (!(pd[pdx] & PTE_PRESENT)) {
		paddr_t table = create ? alloc_zeroed_frame() : 0;
		if (!table)
			return NULL;
		pd[pdx] = table | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
	}
	return kmap(pd[pdx] & PTE_FRAME_MASK);
}

static void table_done(pte_t *table, uint32_t pdx)
{
	if (table && pdx < KERNEL_PDE_FIRST)
		kunmap(table);
}

/*
 * The entries [first, end) of one page table (mapped at table; other's
 * table for the same addresses, or NULL), which covers the 4 MiB from
 * base: fn for the present ones, or for all with every. This inner loop
 * is the hot one (a page table has 1,024 entries, most of them empty):
 * keep it a load and a test per absent entry.
 */
/*
 * The index of the first entry of table in [i, end) that is not 0, or
 * end. One `repe scasl` (compare eax, 0, with each word while they are
 * equal) rather than a loop: an absent entry is 0, most entries are
 * absent, and a string instruction is the cheapest scan there is (QEMU
 * counts each repetition as one instruction, a loop as five).
 */
static inline uint32_t first_nonzero(const pte_t *table, uint32_t i,
                                     uint32_t end)
{
	const pte_t *p = table + i;
	uint32_t n = end - i;

	if (n == 0)
		return end;
	__asm__ volatile("repe scasl"
	                 : "+D"(p), "+c"(n)
	                 : "a"(0)
	                 : "memory", "cc");
	i = (uint32_t)(p - table) - 1; /* the last word compared */
	return table[i] ? i : end;
}

/* Whether a walk of this kind visits entry e (WALK_EVERY: all). */
static inline __attribute__((always_inline)) bool wanted(pte_t e,
                                                         enum walk_kind kind)
{
	if (kind == WALK_USED)
		return (e & PTE_PRESENT) || PTE_IS_SWAP(e);
	return kind == WALK_EVERY || (e & PTE_PRESENT);
}

/* visit_table's loop, inlined with the kind and other's presence known,
 * so that each of the copies tests neither per entry. */
static inline __attribute__((always_inline)) int
visit_entries(pte_t *table, pte_t *other, uintptr_t base, uint32_t first,
              uint32_t end, enum walk_kind kind, vmm_walk_fn fn, void *arg)
{
	for (uint32_t i = first; i < end; i++) {
		if (!wanted(table[i], kind)) { /* skip absent */
			i = first_nonzero(table, i, end);
			if (i == end)
				return 0;
			if (!wanted(table[i], kind))
				continue; /* not 0, yet absent: not ours */
		}
		int err = fn(base + (i << 12), &table[i],
		             other ? &other[i] : NULL, arg);
		if (err)
			return err;
	}
	return 0;
}

static int visit_table(pte_t *table, pte_t *other, uintptr_t base,
                       uint32_t first, uint32_t end, enum walk_kind kind,
                       vmm_walk_fn fn, void *arg)
{
	switch (kind) {
	case WALK_EVERY:
		return other ? visit_entries(table, other, base, first, end,
		                             WALK_EVERY, fn, arg)
		             : visit_entries(table, NULL, base, first, end,
		                             WALK_EVERY, fn, arg);
	case WALK_USED:
		return other ? visit_entries(table, other, base, first, end,
		                             WALK_USED, fn, arg)
		             : visit_entries(table, NULL, base, first, end,
		                             WALK_USED, fn, arg);
	default:
		return other ? visit_entries(table, other, base, first, end,
		                             WALK_PRESENT, fn, arg)
		             : visit_entries(table, NULL, base, first, end,
		                             WALK_PRESENT, fn, arg);
	}
}

/*
 * The one walker. Visits the entries of space in [from, to) (page
 * aligned): the present ones, or with every all of them (making missing
 * page tables: -ENOMEM if it cannot). With other (a second space), fn
 * also gets other's entry for the same address, its page table made if
 * missing. Interrupts are off for the whole walk: no one else changes
 * these tables meanwhile. Stops at the first fn that returns non-zero and
 * returns that.
 */
static int walk(vmm_space_t space, vmm_space_t other, uintptr_t from,
                uintptr_t to, enum walk_kind kind, vmm_walk_fn fn, void *arg)
{
	ASSERT(PAGE_OFFSET(from) == 0 && PAGE_OFFSET(to) == 0 && from <= to);
	if (from == to)
		return 0;
	bool kernel_part = from >= KERNEL_VMA;
	ASSERT(kernel_part || to <= KERNEL_VMA); /* one part or the other */
	ASSERT(!(kernel_part && other));
	uint32_t first_pdx = PDX(from), last_pdx = PDX(to - 1);
	int err = 0;
	bool irq = irq_save();
	pde_t *pd = kernel_part ? NULL : kmap(space);
	pde_t *other_pd = other ? kmap(other) : NULL;

	for (uint32_t pdx = first_pdx; pdx <= last_pdx && !err; pdx++) {
		if (pd && kind != WALK_EVERY && !(pd[pdx] & PTE_PRESENT))
			continue; /* no table: 4 MiB with nothing */
		pte_t *table = table_of(pd, pdx, kind == WALK_EVERY);
		pte_t *other_table = NULL;
		if (!table) {
			err = -ENOMEM;
			break;
		}
		if (other_pd) {
			other_table = table_of(other_pd, pdx, true);
			if (!other_table) {
				table_done(table, pdx);
				err = -ENOMEM;
				break;
			}
		}
		uint32_t first = pdx == first_pdx ? PTX(from) : 0;
		uint32_t end =
		        pdx == last_pdx ? PTX(to - 1) + 1 : ENTRIES_PER_TABLE;
		err = visit_table(table, other_table, (uintptr_t)pdx << 22,
		                  first, end, kind, fn, arg);
		table_done(other_table, pdx);
		table_done(table, pdx);
	}
	if (other_pd)
		kunmap(other_pd);
	if (pd)
		kunmap(pd);
	irq_restore(irq);
	return err;
}

int vmm_for_each_present(vmm_space_t space, uintptr_t from, uintptr_t to,
                         vmm_walk_fn fn, void *arg)
{
	return walk(space, 0, from, to, WALK_PRESENT, fn, arg);
}

int vmm_for_each_used(vmm_space_t space, uintptr_t from, uintptr_t to,
                      vmm_walk_fn fn, void *arg)
{
	return walk(space, 0, from, to, WALK_USED, fn, arg);
}

int vmm_for_each_entry(vmm_space_t space, uintptr_t from, uintptr_t to,
                       vmm_walk_fn fn, void *arg)
{
	return walk(space, 0, from, to, WALK_EVERY, fn, arg);
}

int vmm_for_each_used_with(vmm_space_t space, vmm_space_t other, uintptr_t from,
                           uintptr_t to, vmm_walk_fn fn, void *arg)
{
	return walk(space, other, from, to, WALK_USED, fn, arg);
}

int vmm_make_tables_like(vmm_space_t to, vmm_space_t from, uintptr_t start,
                         uintptr_t end)
{
	ASSERT(end <= KERNEL_VMA && start <= end);
	if (start == end)
		return 0;
	int err = 0;
	bool irq = irq_save();
	pde_t *from_pd = kmap(from);
	pde_t *to_pd = kmap(to);

	for (uint32_t pdx = PDX(start); pdx <= PDX(end - 1); pdx++) {
		if (!(from_pd[pdx] & PTE_PRESENT) || (to_pd[pdx] & PTE_PRESENT))
			continue;
		paddr_t table = alloc_zeroed_frame();
		if (!table) {
			err = -ENOMEM;
			break;
		}
		to_pd[pdx] = table | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
	}
	kunmap(to_pd);
	kunmap(from_pd);
	irq_restore(irq);
	return err;
}

void vmm_flush_tlb(vmm_space_t space)
{
	if (space == read_cr3())
		write_cr3(space); /* no global pages: every entry goes */
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

static int map_new_page(vmm_space_t space, uintptr_t va, uint32_t flags)
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
		int err = map_new_page(space, va, flags);
		if (err) {
			vmm_unmap_and_free(space, from, va);
			return err;
		}
	}
	return 0;
}

void vmm_copy_frame(paddr_t to, paddr_t from)
{
	uint8_t *dst = kmap(to);
	const uint8_t *src = kmap(from);

	memcpy(dst, src, PAGE_SIZE);
	kunmap((void *)src);
	kunmap(dst);
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
		vmm_mark_dirty(space, va); /* its bytes are no file's now */
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
	if (from < KERNEL_VMA)
		vmm_for_each_used(space, from, to, unmap_and_release, &space);
	else
		vmm_for_each_present(space, from, to, unmap_and_release,
		                     &space);
	if (from < KERNEL_VMA)
		vmm_flush_tlb(space);
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

pte_t vmm_entry(vmm_space_t space, uintptr_t va)
{
	void *mapped;
	pte_t entry = 0;
	bool irq = irq_save();
	pte_t *pte = find_pte(space, va, false, &mapped);

	if (pte)
		entry = *pte;
	if (mapped)
		kunmap(mapped);
	irq_restore(irq);
	return entry;
}

void vmm_mark_dirty(vmm_space_t space, uintptr_t va)
{
	void *mapped;
	bool irq = irq_save();
	pte_t *pte = find_pte(space, PAGE_ALIGN_DOWN(va), false, &mapped);

	if (pte && (*pte & PTE_PRESENT))
		*pte |= PTE_DIRTY; /* the CPU only sets it: no flush needed */
	if (mapped)
		kunmap(mapped);
	irq_restore(irq);
}
