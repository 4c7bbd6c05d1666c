/*
 * An address space: everything a user process's memory is, as one thing
 * that spawn, fork, execv and exit create, copy, swap and destroy whole
 * (Linux's mm_struct). The page-table mechanism is mm/vmm.c; what a page
 * fault means is kernel/page_fault.c.
 */
#ifndef KERNEL_VM_SPACE_H
#define KERNEL_VM_SPACE_H

#include <stdint.h>

#include "mm/region.h"

struct resident_set;
#include "mm/vmm.h"

/*
 * When a page gets its frame. Lazy (the default): on the first touch,
 * through a page fault. Eager (kernel command line "vm=eager"): when it
 * is promised: at spawn for the program's pages, at sbrk for the heap's.
 * A process keeps the mode it was spawned with.
 */
enum vm_mode { VM_LAZY, VM_EAGER };

/*
 *   pgdir    -> page directory: what each page holds NOW (a frame or not)
 *   regions  -> what each address SHOULD hold (text, data, bss, heap,
 *               stack, with rights and where the bytes come from)
 *   mode     -> when pages get frames (lazy or eager)
 *   heap_start, brk -> the user heap, [heap_start, brk) (sbrk)
 */
struct vm_space {
	vmm_space_t pgdir; /* physical address of the page directory (CR3) */
	struct region_list regions;
	enum vm_mode mode;
	uintptr_t heap_start; /* the first page after the program image */
	uintptr_t brk;        /* the program break */
	/* The heap pages RLIMIT_RSS keeps, and the policy choosing among
	 * them (kernel/resident.c); NULL: no limit, the boot's policy. */
	struct resident_set *resident;
};

/* An empty address space: the kernel's shared part, no user page, no
 * region. Returns 0 or -ENOMEM. */
int vm_space_create(struct vm_space *vm, enum vm_mode mode);

/* Releases every frame vm maps (freed unless another space still shares
 * it), its page tables, directory and regions; vm is empty after (pgdir
 * 0). If vm is the current space, the CPU moves to the kernel's first. */
void vm_space_destroy(struct vm_space *vm);

/*
 * fork: makes child (not yet created) a copy of parent: its regions, mode
 * and heap, and its memory. Lazy: both map every frame the parent has,
 * and a writable page becomes read-only and PTE_COW in both (a page
 * already PTE_COW stays so), to be copied at the first write
 * (kernel/page_fault.c); the parent's TLB is flushed once at the end.
 * Eager: every page with a frame is copied now. Pages with no frame stay
 * so in both; a page in swap (a swap entry) is shared in both modes, its
 * slot counted once more (kernel/swap.h). A MAP_SHARED region is shared,
 * not copied, in both modes: its pages get their frames in the parent
 * first, and both map them writable (if the region is). Returns 0, or
 * -ENOMEM with child empty and parent as it was (but for the shared
 * pages it gave frames): the child's page tables are all made before the
 * parent is touched.
 */
int vm_space_fork(struct vm_space *child, struct vm_space *parent);

/* How many pages of [from, to) have a frame now. */
uint32_t vm_space_resident(const struct vm_space *vm, uintptr_t from,
                           uintptr_t to);

#endif
