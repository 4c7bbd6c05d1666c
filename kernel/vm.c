/*
 * The page-fault path: a user page gets its frame when it is first
 * touched. What a fault means is decided in this order:
 *
 *   1. no region holds the address          -> kill (SIGSEGV)
 *   2. the region forbids the access        -> kill (SIGSEGV): a write to
 *      (a write where it is not writable)      text
 *   3. the page already has its frame: a write to a page fork shares
 *      (PTE_COW) gets a copy of its own (or the frame itself, writable,
 *      if no one else maps it any more); anything else -> kill (SIGSEGV)
 *   4. no free frame                        -> kill (SIGKILL): out of memory
 *   5. otherwise: a fresh frame, zero-filled; the program file's bytes
 *      copied in for text and data pages; mapped with the region's rights;
 *      the program retries the instruction and goes on.
 *
 * Eager mode (vm=eager) runs step 5 for every page when it is promised,
 * and fork copies every page at once, so that the two can be compared.
 */
#include "kernel/vm.h"

#include "kernel/cmdline.h"
#include "kernel/kprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

static enum vm_mode mode = VM_LAZY;
static struct vm_counters counters;

void vm_init(void)
{
	static const char *const modes[] = {"lazy", "eager", NULL};

	mode = cmdline_choice("vm", modes, VM_LAZY);
}

enum vm_mode vm_default_mode(void)
{
	return mode;
}

void vm_set_default_mode(enum vm_mode new_mode)
{
	mode = new_mode;
}

/* Fills a page's bytes: the part of the source's file range that falls
 * in the page at va, zeros elsewhere. True if any byte came from the
 * file. */
static bool fill_page(uint8_t *bytes, const struct region_source *source,
                      uintptr_t va)
{
	memset(bytes, 0, PAGE_SIZE);
	if (!source->file || source->size == 0)
		return false;
	uintptr_t from = va > source->vaddr ? va : source->vaddr;
	uintptr_t file_end = source->vaddr + source->size;
	uintptr_t to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
	if (from >= to)
		return false;
	memcpy(bytes + (from - va),
	       source->file + source->offset + (from - source->vaddr),
	       to - from);
	return true;
}

/* Gives the page at va (in region r, with no frame yet) a frame. Returns
 * 0 or -ENOMEM (no frame, or no frame for its page table). */
static int give_frame(struct process *p, const struct region *r, uintptr_t va)
{
	paddr_t frame = pmm_alloc_frame();

	if (!frame)
		return -ENOMEM;
	uint8_t *bytes = kmap(frame);
	bool from_file = fill_page(bytes, &r->source, va);
	kunmap(bytes);
	uint32_t flags =
	        PTE_USER | (r->rights & REGION_WRITE ? PTE_WRITABLE : 0);
	int err = vmm_map(p->space, va, frame, flags);
	if (err) {
		pmm_free_frame(frame);
		return -ENOMEM; /* not -EEXIST: callers check the page first */
	}
	if (from_file)
		counters.pages_from_file++;
	else
		counters.pages_zero_filled++;
	return 0;
}

/* Copies the frame from's 4096 bytes into the frame to. */
static void copy_frame(paddr_t to, paddr_t from)
{
	uint8_t *dst = kmap(to);
	const uint8_t *src = kmap(from);

	memcpy(dst, src, PAGE_SIZE);
	kunmap((void *)src);
	kunmap(dst);
}

/*
 * A write to a page fork shares (mapped read-only with PTE_COW in every
 * space that shares its frame): the writer gets a copy of its own, or,
 * when it is the last one mapping the frame, the frame itself, writable
 * again (a copy would only be thrown away).
 */
static enum vm_fault_result copy_on_write(struct process *p, uintptr_t page,
                                          paddr_t frame, uint32_t flags)
{
	uint32_t writable = (flags | PTE_WRITABLE) & ~PTE_COW;

	counters.cow_faults++;
	if (pmm_frame_refs(frame) == 1) {
		vmm_remap(p->space, page, frame, writable);
		return VM_FAULT_SERVED;
	}
	paddr_t copy = pmm_alloc_frame();
	if (!copy)
		return VM_FAULT_NO_MEMORY;
	copy_frame(copy, frame);
	vmm_remap(p->space, page, copy, writable);
	pmm_release_frame(frame);
	counters.pages_copied++;
	return VM_FAULT_SERVED;
}

enum vm_fault_result vm_fault(struct process *p, uintptr_t addr, bool write)
{
	const struct region *r = region_find(&p->regions, addr);
	uintptr_t page = PAGE_ALIGN_DOWN(addr);
	paddr_t frame;
	uint32_t flags;

	if (!r)
		return VM_FAULT_NO_REGION;
	if (write && !(r->rights & REGION_WRITE))
		return VM_FAULT_RIGHTS;
	if (vmm_translate(p->space, page, &frame, &flags)) {
		/* It has its frame: only a write to a shared page is ours. */
		if (write && (flags & PTE_COW))
			return copy_on_write(p, page, PAGE_ALIGN_DOWN(frame),
			                     flags);
		return VM_FAULT_RIGHTS;
	}
	if (give_frame(p, r, page))
		return VM_FAULT_NO_MEMORY;
	counters.faults_served++;
	return VM_FAULT_SERVED;
}

const char *vm_fault_reason(enum vm_fault_result result)
{
	switch (result) {
	case VM_FAULT_SERVED:
		return "served";
	case VM_FAULT_NO_REGION:
		return "no region holds this address";
	case VM_FAULT_RIGHTS:
		return "the region does not allow this access";
	case VM_FAULT_NO_MEMORY:
		return "out of memory: no free frame for the page";
	}
	return "?";
}

int vm_populate(struct process *p, const struct region *r, uintptr_t from,
                uintptr_t to)
{
	for (uintptr_t va = from; va < to; va += PAGE_SIZE) {
		if (vmm_translate(p->space, va, NULL, NULL))
			continue;
		if (give_frame(p, r, va))
			return -ENOMEM;
	}
	return 0;
}

int vm_user_page_ready(struct process *p, uintptr_t page, bool write)
{
	uint32_t flags;
	uint32_t need = PTE_USER | (write ? PTE_WRITABLE : 0);

	bool present = vmm_translate(p->space, page, NULL, &flags);

	if (present && (flags & need) == need)
		return 0;
	if (present && !(write && (flags & PTE_COW)))
		return -EFAULT; /* what no fault would make usable */
	switch (vm_fault(p, page, write)) {
	case VM_FAULT_SERVED:
		return 0;
	case VM_FAULT_NO_MEMORY:
		if (!p->out_of_memory)
			kprintf("memos: killed %s (pid %d): out of memory (no "
			        "free frame for the page at %p, which a "
			        "system call touched) [SIGKILL]\n",
			        p->name, p->pid, (void *)page);
		p->out_of_memory = true;
		return -ENOMEM;
	default:
		return -EFAULT;
	}
}

/* Eager fork's copy of one page with a frame. */
static int copy_page(struct process *child, uintptr_t va, paddr_t frame,
                     uint32_t flags)
{
	paddr_t copy = pmm_alloc_frame();

	if (!copy)
		return -ENOMEM;
	copy_frame(copy, frame);
	if (vmm_map(child->space, va, copy,
	            flags & (PTE_USER | PTE_WRITABLE))) {
		pmm_free_frame(copy);
		return -ENOMEM;
	}
	counters.pages_copied++;
	return 0;
}

/* fork's share of one page with a frame: both spaces map the frame, and a
 * writable page becomes read-only and copy-on-write in both. */
static int share_page(struct process *parent, struct process *child,
                      uintptr_t va, paddr_t frame, uint32_t flags)
{
	flags &= PTE_USER | PTE_WRITABLE | PTE_COW;
	if (flags & PTE_WRITABLE) {
		flags = (flags & ~PTE_WRITABLE) | PTE_COW;
		vmm_remap(parent->space, va, frame, flags);
	}
	int err = vmm_map(child->space, va, frame, flags);
	if (err)
		return -ENOMEM; /* no frame for the child's page table */
	pmm_share_frame(frame);
	return 0;
}

int vm_fork_memory(struct process *parent, struct process *child)
{
	for (const struct region *r = parent->regions.first; r; r = r->next) {
		for (uintptr_t va = r->start; va < r->end; va += PAGE_SIZE) {
			paddr_t frame;
			uint32_t flags;
			int err;

			if (!vmm_translate(parent->space, va, &frame, &flags))
				continue; /* no frame yet: lazy in both */
			frame = PAGE_ALIGN_DOWN(frame);
			if (parent->vm_mode == VM_EAGER)
				err = copy_page(child, va, frame, flags);
			else
				err = share_page(parent, child, va, frame,
				                 flags);
			if (err)
				return err;
		}
	}
	return 0;
}

void vm_kill_if_out_of_memory(void)
{
	struct process *p = sched_current();

	if (p->out_of_memory) {
		vm_count_out_of_memory_kill();
		process_exit(SIGKILL);
	}
}

struct vm_counters vm_counters(void)
{
	return counters;
}

void vm_count_out_of_memory_kill(void)
{
	counters.out_of_memory_kills++;
}
