/*
 * Address spaces as a unit: creation, teardown and fork's copy. The pages
 * themselves are visited with the page-table walker (mm/vmm.c), present
 * entries only, one mapping per page table, so that a process pays for
 * the pages it has, not for the size of its regions.
 */
#include "kernel/vm_space.h"

#include "kernel/page_fault.h"
#include "kernel/panic.h"
#include "kernel/resident.h"
#include "kernel/swap.h"
#include "lib/abi.h"
#include "mm/pmm.h"

int vm_space_create(struct vm_space *vm, enum vm_mode mode)
{
	*vm = (struct vm_space){.mode = mode};
	vm->pgdir = vmm_space_create();
	return vm->pgdir ? 0 : -ENOMEM;
}

void vm_space_destroy(struct vm_space *vm)
{
	if (vm->pgdir) {
		if (vm->pgdir == vmm_current_space())
			vmm_switch_space(vmm_kernel_space());
		vmm_space_destroy(vm->pgdir);
	}
	region_list_free(&vm->regions);
	resident_free(vm);
	*vm = (struct vm_space){.mode = vm->mode};
}

/* fork, both modes: a page the parent has in swap (a swap entry) is
 * shared as it is: one more reference to its slot; at its first fault
 * each gets it back, sharing one frame (the swap cache) until a write. */
static void share_swap_entry(pte_t *pte, pte_t *child_pte)
{
	*child_pte = *pte;
	swap_share_entry(*pte);
}

/* What fork's walks over the parent's pages share: the child's space,
 * and whether an entry of the parent's changed (share_page). */
struct fork_walk {
	vmm_space_t child;
	bool parent_changed;
};

/* Eager fork: the child (arg: the fork_walk) gets a copy of the parent's
 * page (pte) in a frame of its own, with the same rights (from the free
 * frames only: a walk must not sleep on an eviction). */
static int copy_page_to_child(uintptr_t va, pte_t *pte, pte_t *child_pte,
                              void *arg)
{
	const struct fork_walk *fork = arg;

	if (PTE_IS_SWAP(*pte)) {
		share_swap_entry(pte, child_pte);
		return 0;
	}
	paddr_t copy = swap_alloc_frame_now(fork->child, va);

	if (!copy)
		return -ENOMEM;
	vmm_copy_frame(copy, *pte & PTE_FRAME_MASK);
	*child_pte = copy | (*pte & (PTE_USER | PTE_WRITABLE)) | PTE_PRESENT |
	             PTE_DIRTY; /* its bytes are in no file, no slot */
	vm_count_page_copied();
	return 0;
}

/*
 * Lazy fork: parent and child map the same frame, counted once more
 * (pmm_share_frame). A writable page becomes read-only and PTE_COW in
 * both, the parent's entry first, so that the frame is never mapped
 * writable anywhere once a second space maps it (Linux's order; with one
 * CPU and interrupts off nothing runs in between, but on a multiprocessor
 * another CPU could write through the parent's entry while the child
 * already sees the frame). A page that is PTE_COW already (shared by an
 * earlier fork) keeps the bit, and a read-only page (text) is shared as
 * it is. A swap entry is shared too (share_swap_entry). The dirty bit
 * stays in the parent's entry only: eviction ORs it over every mapping,
 * and a mapping that goes takes it to the frame table (FRAME_DIRTY).
 * fork->parent_changed notes that a present entry of the parent
 * changed: the CPU may still hold its old writable translation, so
 * vm_space_fork flushes the parent's TLB, once, at the end.
 */
static int share_page(uintptr_t va, pte_t *pte, pte_t *child_pte, void *arg)
{
	ASSERT(!(*child_pte & PTE_PRESENT));
	if (PTE_IS_SWAP(*pte)) {
		share_swap_entry(pte, child_pte);
		return 0;
	}
	struct fork_walk *fork = arg;
	pte_t keep = PTE_FRAME_MASK | PTE_PRESENT | PTE_USER | PTE_WRITABLE |
	             PTE_COW;

	(void)va;
	if (*pte & PTE_WRITABLE) {
		*pte = (*pte & ~PTE_WRITABLE) | PTE_COW;
		fork->parent_changed = true;
	}
	*child_pte = *pte & keep;
	pmm_share_frame(*pte & PTE_FRAME_MASK);
	return 0;
}

/*
 * Both modes, a MAP_SHARED region's page: parent and child map the same
 * frame with the same rights, writable if it was, never PTE_COW (a write
 * by either is seen by both: that is what shared means). A swap entry is
 * shared like any other; swap-in gives the frame back to every sharer at
 * once (kernel/swap.c).
 */
static int share_shared_page(uintptr_t va, pte_t *pte, pte_t *child_pte,
                             void *arg)
{
	(void)va;
	(void)arg;
	if (PTE_IS_SWAP(*pte)) {
		share_swap_entry(pte, child_pte);
		return 0;
	}
	*child_pte =
	        *pte & (PTE_FRAME_MASK | PTE_PRESENT | PTE_USER | PTE_WRITABLE);
	pmm_share_frame(*pte & PTE_FRAME_MASK);
	return 0;
}

/*
 * A MAP_SHARED region's pages that have no frame yet get one in the
 * parent before fork shares them: were they left lazy, parent and child
 * would each get a zero-filled frame of their own at their first touch,
 * and share nothing. (What was never touched costs a frame at fork.)
 */
static int populate_shared(struct vm_space *parent)
{
	for (const struct region *r = parent->regions.first; r; r = r->next) {
		if (r->kind != REGION_SHARED)
			continue;
		int err = vm_populate(parent, r, r->start, r->end);
		if (err)
			return err;
	}
	return 0;
}

int vm_space_fork(struct vm_space *child, struct vm_space *parent)
{
	struct fork_walk fork = {.parent_changed = false};
	const struct region *r;
	int err = populate_shared(parent);

	if (err)
		return err;
	err = vm_space_create(child, parent->mode);
	if (err)
		return err;
	fork.child = child->pgdir;
	child->heap_start = parent->heap_start;
	child->brk = parent->brk;
	err = region_list_copy(&child->regions, &parent->regions);
	if (err)
		goto out_destroy;
	/* Its resident limit and policy, and the same heap pages in the
	 * same order: it maps them at the same addresses. */
	err = resident_copy(child, parent, true);
	if (err)
		goto out_destroy;
	/* Every page table the child needs, before the parent is touched:
	 * past this point a lazy fork cannot fail, so a failure here leaves
	 * the parent exactly as it was. */
	for (r = parent->regions.first; r; r = r->next) {
		err = vmm_make_tables_like(child->pgdir, parent->pgdir,
		                           r->start, r->end);
		if (err)
			goto out_destroy;
	}
	for (r = parent->regions.first; r && !err; r = r->next) {
		if (r->kind == REGION_SHARED)
			err = vmm_for_each_used_with(
			        parent->pgdir, child->pgdir, r->start, r->end,
			        share_shared_page, NULL);
		else if (parent->mode == VM_EAGER)
			err = vmm_for_each_used_with(
			        parent->pgdir, child->pgdir, r->start, r->end,
			        copy_page_to_child, &fork);
		else
			err = vmm_for_each_used_with(parent->pgdir,
			                             child->pgdir, r->start,
			                             r->end, share_page, &fork);
	}
	/* One flush for every page made read-only, not one per page. */
	if (fork.parent_changed)
		vmm_flush_tlb(parent->pgdir);
	if (err) /* eager: out of frames for the copies */
		goto out_destroy;
	return 0;

out_destroy:
	vm_space_destroy(child); /* releases what it shares or copied */
	return err;
}

static int count_page(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	(void)va;
	(void)pte;
	(void)other;
	(*(uint32_t *)arg)++;
	return 0;
}

uint32_t vm_space_resident(const struct vm_space *vm, uintptr_t from,
                           uintptr_t to)
{
	uint32_t n = 0;

	vmm_for_each_present(vm->pgdir, from, to, count_page, &n);
	return n;
}
