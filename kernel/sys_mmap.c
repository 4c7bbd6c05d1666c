/*
 * mmap, munmap, mprotect: a program asks for regions of its own
 * (docs/mmap.md). These calls only edit the region list and the page
 * tables; the pages get their frames and bytes later, in the page-fault
 * path (kernel/page_fault.c), as the heap's do.
 *
 *   heap end (floor)                              USER_HEAP_LIMIT
 *   |   free   | mapping | free | mapping | mapping |  guard gap | stack
 *                 mmap with no hint takes the highest free range
 *                 that fits; sbrk stops at the lowest mapping.
 */
#include "kernel/file.h"
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "lib/abi.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/region.h"
#include "mm/vmm.h"

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)
#define MAP_KNOWN (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS)

static uint32_t rights_of(uint32_t prot)
{
	return (prot & PROT_READ ? REGION_READ : 0) |
	       (prot & PROT_WRITE ? REGION_WRITE : 0) |
	       (prot & PROT_EXEC ? REGION_EXEC : 0);
}

/* The lowest address a mapping may take: the end of the heap region (the
 * page holding the break). Mappings live in [floor, USER_HEAP_LIMIT):
 * never over the program, the heap, the stack or its guard gap. */
static uintptr_t mmap_floor(const struct vm_space *vm)
{
	const struct region *heap = region_of_kind(&vm->regions, REGION_HEAP);

	return heap ? heap->end : USER_BASE;
}

static bool in_mmap_area(const struct vm_space *vm, uintptr_t start,
                         uintptr_t end)
{
	return start >= mmap_floor(vm) && end <= USER_HEAP_LIMIT;
}

/* Whether no region overlaps [start, end). */
static bool range_free(const struct vm_space *vm, uintptr_t start,
                       uintptr_t end)
{
	for (const struct region *r = vm->regions.first; r; r = r->next) {
		if (r->start < end && start < r->end)
			return false;
	}
	return true;
}

/* The highest free range of size bytes in the mmap area (as Linux's
 * top-down layout: the heap keeps the room above it to grow), or 0. */
static uintptr_t find_free(const struct vm_space *vm, uint32_t size)
{
	uintptr_t gap_start = mmap_floor(vm), found = 0;

	for (const struct region *r = vm->regions.first;; r = r->next) {
		uintptr_t gap_end = r && r->start < USER_HEAP_LIMIT
		                            ? r->start
		                            : USER_HEAP_LIMIT;
		if (gap_end > gap_start && gap_end - gap_start >= size)
			found = gap_end - size;
		if (!r || r->start >= USER_HEAP_LIMIT)
			return found;
		if (r->end > gap_start)
			gap_start = r->end;
	}
}

/*
 * Makes region boundaries at start and end (page aligned): a region that
 * straddles either is cut there, so that [start, end) is covered by
 * whole regions. unmapping: [start, end) is about to go (munmap), so
 * only a cut of both ends of one region adds one to the count. Returns
 * 0, -ENOMEM (over MMAP_MAX, or no memory: the cuts made stay, which
 * changes nothing a program can see).
 */
static int cut_at(struct vm_space *vm, uintptr_t start, uintptr_t end,
                  bool unmapping)
{
	uint32_t more = 0; /* regions there will be, beyond those now */

	for (struct region *r = vm->regions.first; r; r = r->next) {
		bool cut_start = r->start < start && start < r->end;
		bool cut_end = r->start < end && end < r->end;
		if (unmapping) /* the middle goes: only a hole makes one */
			more += cut_start && cut_end;
		else
			more += cut_start + cut_end;
	}
	if (more && region_count_mappings(&vm->regions) + more > MMAP_MAX)
		return -ENOMEM;
	for (struct region *r = vm->regions.first; r; r = r->next) {
		if (r->start < start && start < r->end &&
		    !region_split(r, start))
			return -ENOMEM;
		if (r->start < end && end < r->end && !region_split(r, end))
			return -ENOMEM;
	}
	return 0;
}

/* Whether any region in [start, end) is the program's own (text, data,
 * bss, heap, stack): munmap and mprotect act on mappings only. */
static bool touches_program(const struct vm_space *vm, uintptr_t start,
                            uintptr_t end)
{
	for (const struct region *r = vm->regions.first; r; r = r->next) {
		if (r->start < end && start < r->end && !region_is_mapping(r))
			return true;
	}
	return false;
}

/*
 * munmap's work, also MAP_FIXED's: every mapping in [start, end) goes,
 * cut where the range ends inside one; the pages' frames and swap slots
 * are released (a frame another process shares stays theirs) and the TLB
 * is flushed once.
 */
static int unmap_range(struct vm_space *vm, uintptr_t start, uintptr_t end)
{
	if (touches_program(vm, start, end))
		return -EINVAL;
	int err = cut_at(vm, start, end, true);
	if (err)
		return err;
	struct region *r = vm->regions.first;
	while (r) {
		struct region *next = r->next;
		if (r->start >= start && r->end <= end)
			region_remove(&vm->regions, r);
		r = next;
	}
	vmm_unmap_and_free(vm->pgdir, start, end);
	return 0;
}

/* Checks len and rounds it up to whole pages; 0 if it cannot be. */
static uint32_t pages_of(uint32_t len)
{
	if (len == 0 || len > USER_END)
		return 0;
	return PAGE_ALIGN_UP(len);
}

/* Where the new mapping goes, or 0 (ENOMEM: no room). */
static uintptr_t place(struct vm_space *vm, uintptr_t hint, uint32_t size,
                       bool fixed)
{
	if (fixed)
		return hint;
	hint = PAGE_ALIGN_UP(hint);
	if (hint && size <= USER_HEAP_LIMIT && hint <= USER_HEAP_LIMIT - size &&
	    in_mmap_area(vm, hint, hint + size) &&
	    range_free(vm, hint, hint + size))
		return hint;
	return find_free(vm, size);
}

/* What a new mapping is: its kind, its rights and where its bytes come
 * from (source.vaddr is set where it is placed). */
struct mapping {
	enum region_kind kind;
	uint32_t rights;
	struct region_source source;
};

/*
 * mmap's work once the arguments are known good: places a mapping of
 * size bytes (whole pages) at addr (exactly, if fixed, after unmapping
 * what was there; else where place() finds room), adds its region, and
 * joins it to neighbours alike. No page gets a frame: the fault path
 * gives them. Returns the address, or -ENOMEM (a fixed range outside
 * the mmap area, no room, the map limit) or munmap's error.
 */
static int32_t add_mapping(struct vm_space *vm, uintptr_t addr, uint32_t size,
                           bool fixed, struct mapping *m)
{
	int err;

	if (fixed) {
		if (!in_mmap_area(vm, addr, addr + size))
			return -ENOMEM; /* over the program, heap or stack */
		err = unmap_range(vm, addr, addr + size);
		if (err)
			return err;
	}
	if (region_count_mappings(&vm->regions) >= MMAP_MAX)
		return -ENOMEM;
	uintptr_t start = place(vm, addr, size, fixed);
	if (!start)
		return -ENOMEM;
	if (m->source.file)
		m->source.vaddr = start; /* where the file's offset lies */
	err = region_add(&vm->regions, start, start + size, m->rights, m->kind,
	                 &m->source);
	if (err)
		return err == -EEXIST ? -ENOMEM : err;
	region_merge_mappings(&vm->regions);
	return (int32_t)start;
}

int32_t sys_mmap(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
                 uint32_t fd, uint32_t offset)
{
	struct vm_space *vm = &sched_current()->vm;
	uint32_t type = flags & (MAP_SHARED | MAP_PRIVATE);
	bool anon = flags & MAP_ANONYMOUS, fixed = flags & MAP_FIXED;
	uint32_t size = pages_of(len);
	struct mapping m = {.kind = REGION_ANON, .rights = rights_of(prot)};

	if (len == 0 || (type != MAP_SHARED && type != MAP_PRIVATE) ||
	    (flags & ~MAP_KNOWN) || (prot & ~PROT_ALL))
		return -EINVAL;
	if (!anon && PAGE_OFFSET(offset))
		return -EINVAL;
	if (fixed && PAGE_OFFSET(addr))
		return -EINVAL;
	if (size == 0)
		return -ENOMEM; /* more than the user part holds */
	if (fixed && (addr >= USER_END || size > USER_END - addr))
		return -EINVAL; /* it would reach the kernel */
	if (!anon) {
		struct file *f = file_of_fd(fd);
		if (!f)
			return -EBADF;
		if (f->kind != FILE_REGULAR)
			return -ENODEV; /* the console, the directory */
		if (type == MAP_SHARED && (prot & PROT_WRITE))
			return -EACCES; /* the file is read-only */
		m.kind = REGION_FILE;
		m.source = (struct region_source){
		        .file = f->node->data,
		        .offset = offset,
		        .size = f->node->size > offset ? f->node->size - offset
		                                       : 0,
		};
		if (type == MAP_SHARED) /* the file is read-only */
			m.rights |= REGION_NEVER_WRITE;
	} else if (type == MAP_SHARED) {
		m.kind = REGION_SHARED;
	}
	return add_mapping(vm, addr, size, fixed, &m);
}

int32_t sys_munmap(uint32_t addr, uint32_t len)
{
	struct vm_space *vm = &sched_current()->vm;
	uint32_t size = pages_of(len);

	if (PAGE_OFFSET(addr) || len == 0)
		return -EINVAL;
	if (size == 0 || addr >= USER_END || size > USER_END - addr)
		return -EINVAL; /* reaches the kernel */
	int err = unmap_range(vm, addr, addr + size);
	region_merge_mappings(&vm->regions);
	return err;
}

/* mprotect's change to one present page: the rights of its region r
 * (private pages that become writable get PTE_COW: the fault path gives
 * them a copy, or makes them writable if no one else maps the frame). */
static int protect_page(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	const struct region *r = arg;
	pte_t flags = vm_page_flags(r);

	(void)va;
	(void)other;
	if (r->rights & REGION_WRITE && r->kind != REGION_SHARED &&
	    !(*pte & PTE_WRITABLE))
		flags = (flags & ~PTE_WRITABLE) | PTE_COW;
	*pte = (*pte & ~(pte_t)(PTE_USER | PTE_WRITABLE | PTE_COW)) | flags;
	return 0;
}

int32_t sys_mprotect(uint32_t addr, uint32_t len, uint32_t prot)
{
	struct vm_space *vm = &sched_current()->vm;
	uint32_t size = PAGE_ALIGN_UP(len);
	uintptr_t end = addr + size, at = addr;

	if (PAGE_OFFSET(addr) || (prot & ~PROT_ALL))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (len > USER_END || addr >= USER_END || size > USER_END - addr)
		return -EINVAL;
	if (touches_program(vm, addr, end))
		return -EINVAL;
	/* Every page must be mapped (ENOMEM), and a read-only file shared
	 * may not become writable (EACCES). */
	for (const struct region *r = vm->regions.first; r; r = r->next) {
		if (r->end <= at || r->start >= end)
			continue;
		if (r->start > at)
			return -ENOMEM;
		if ((r->rights & REGION_NEVER_WRITE) && (prot & PROT_WRITE))
			return -EACCES;
		at = r->end;
	}
	if (at < end)
		return -ENOMEM;
	int err = cut_at(vm, addr, end, false);
	if (err)
		return err;
	for (struct region *r = vm->regions.first; r; r = r->next) {
		if (r->start < addr || r->end > end)
			continue;
		r->rights = rights_of(prot) | (r->rights & REGION_NEVER_WRITE);
		vmm_for_each_present(vm->pgdir, r->start, r->end, protect_page,
		                     r);
	}
	/* The pages already resident change at once: drop the CPU's old
	 * translations (one flush for the whole range). Only this space's
	 * entries changed; other spaces load theirs at their next CR3. */
	vmm_flush_tlb(vm->pgdir);
	region_merge_mappings(&vm->regions);
	return 0;
}
