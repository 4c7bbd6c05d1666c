/*
 * The page-fault policy: a user page gets its frame when it is first
 * touched (the page-table mechanism it calls is mm/vmm.c). What a fault
 * means is decided in this order:
 *
 *   1. no region holds the address          -> kill (SIGSEGV)
 *   2. the region forbids the access        -> kill (SIGSEGV): a write to
 *      (a write where it is not writable)      text
 *   3. the page already has its frame: a write to a page fork shares
 *      (PTE_COW) gets a copy of its own (or the frame itself, writable,
 *      if no one else maps it any more); anything else -> kill (SIGSEGV)
 *   4. the page was evicted (its PTE holds a swap entry): it gets its
 *      frame back from the swap cache or the swap disk (kernel/swap.c)
 *   5. no free frame, and none can be freed by evicting another user
 *      page (no swap disk, or swap full too) -> kill (SIGKILL): out of
 *      memory
 *   6. otherwise: a fresh frame, zero-filled; the program file's bytes
 *      copied in for text and data pages; mapped with the region's rights;
 *      the program retries the instruction and goes on.
 *
 * Every frame for a user page comes from swap_alloc_frame, which enters
 * it in the frame table (kernel/frame_table.h) and, when none is free,
 * evicts another user page (which may sleep on the disk).
 *
 * Eager mode (vm=eager) runs step 5 for every page when it is promised
 * (vm_populate), and fork copies every page at once (kernel/vm_space.c),
 * so that the two can be compared.
 */
#include "kernel/page_fault.h"

#include "kernel/cmdline.h"
#include "kernel/frame_table.h"
#include "kernel/kprintf.h"
#include "kernel/process.h"
#include "kernel/resident.h"
#include "kernel/sched.h"
#include "kernel/swap.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

static enum vm_mode mode = VM_LAZY;
/* What the policy did since boot. Kernel tasks (the in-kernel tests) fault
 * user pages with interrupts on, so a timer tick could switch to a
 * process that faults too: interrupts off is our only lock, and every
 * change goes through count(), under irq_save. */
static struct vm_counters counters;

/* One more of a counter, with interrupts off. */
static void count(uint32_t *counter)
{
	bool irq = irq_save();

	(*counter)++;
	irq_restore(irq);
}

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
 * file. Each byte is written once: zeros around the file's part, not
 * under it (a page of text would otherwise cost a zeroing and a copy). */
static bool fill_page(uint8_t *bytes, const struct region_source *source,
                      uintptr_t va)
{
	uintptr_t from = va, to = va; /* the file's part: none yet */

	if (source->file && source->size != 0) {
		uintptr_t file_end = source->vaddr + source->size;
		from = va > source->vaddr ? va : source->vaddr;
		to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
		if (from >= to)
			from = to = va;
	}
	memset(bytes, 0, from - va);
	if (to > from)
		memcpy(bytes + (from - va),
		       source->file + source->offset + (from - source->vaddr),
		       to - from);
	memset(bytes + (to - va), 0, va + PAGE_SIZE - to);
	return to > from;
}

/*
 * The one way a user page gets a fresh frame (faults, eager population):
 * a frame filled by fill_page. Returns its page-table entry (the frame,
 * present, user, writable if the region is) and in *from_file whether
 * any byte came from the file; 0 if no frame is free. may_evict: a frame
 * may be freed by evicting another page (not inside a page-table walk,
 * which must not sleep).
 */
static pte_t make_page(struct vm_space *vm, const struct region *r,
                       uintptr_t va, bool *from_file, bool may_evict)
{
	paddr_t frame = may_evict ? swap_alloc_frame(vm->pgdir, va)
	                          : swap_alloc_frame_now(vm->pgdir, va);

	if (!frame)
		return 0;
	uint8_t *bytes = kmap(frame);
	*from_file = fill_page(bytes, &r->source, va);
	kunmap(bytes);
	/* Accessed: the faulting instruction is about to touch it, and a
	 * replacement policy must not take it before it does (Linux's
	 * pte_mkyoung): a page evicted at once would fault again forever. */
	return frame | PTE_PRESENT | PTE_USER | PTE_ACCESSED |
	       (r->rights & REGION_WRITE ? PTE_WRITABLE : 0);
}

static void count_new_page(bool from_file)
{
	count(from_file ? &counters.pages_from_file
	                : &counters.pages_zero_filled);
}

/* Gives the page at va (in region r, with no frame yet) a frame. Returns
 * 0 or -ENOMEM (no frame, or no frame for its page table). */
static int give_frame(struct vm_space *vm, const struct region *r, uintptr_t va)
{
	bool from_file;
	pte_t entry = make_page(vm, r, va, &from_file, true);

	if (!entry)
		return -ENOMEM;
	int err = vmm_map(vm->pgdir, va, entry & PTE_FRAME_MASK,
	                  entry & PTE_FLAGS_MASK);
	if (err) {
		swap_free_unused_frame(entry & PTE_FRAME_MASK);
		return -ENOMEM; /* not -EEXIST: callers check the page first */
	}
	count_new_page(from_file);
	return 0;
}

/* One more minor (no disk) or major (a page read from swap) fault for the
 * process whose space vm is (getrusage's ru_minflt and ru_majflt). */
static void count_process_fault(const struct vm_space *vm, bool major)
{
	struct process *p = sched_current();

	if (p->vm.pgdir != vm->pgdir)
		return; /* a space being built (exec), or a test's */
	bool irq = irq_save();
	if (major)
		p->major_faults++;
	else
		p->minor_faults++;
	irq_restore(irq);
}

/*
 * The copy-on-write fault: a write to a page fork shares (mapped
 * read-only with PTE_COW in every space that shares its frame). The
 * writer gets a copy of its own, or, when it is the last one mapping the
 * frame, the frame itself, writable again (a copy would only be thrown
 * away; "last" also means that no swap entry holds the page:
 * swap_frame_exclusive). The page points at its new frame before the old
 * frame loses this mapping's reference (Linux's do_wp_page order). The
 * old frame is pinned while the copy's frame is found: finding one may
 * evict a page, and must not pick the one being copied.
 */
static enum vm_fault_result cow_fault(struct vm_space *vm, uintptr_t page,
                                      paddr_t frame, uint32_t flags)
{
	uint32_t writable = (flags | PTE_WRITABLE) & ~PTE_COW;

	count(&counters.cow_faults);
	if (swap_frame_exclusive(frame)) {
		vmm_remap(vm->pgdir, page, frame, writable);
		return VM_FAULT_SERVED;
	}
	frame_table_pin(frame);
	paddr_t copy = swap_alloc_frame(vm->pgdir, page);
	frame_table_unpin(frame);
	if (!copy)
		return VM_FAULT_NO_MEMORY;
	vmm_copy_frame(copy, frame);
	/* Dirty: its bytes are in no file and no slot. */
	vmm_remap(vm->pgdir, page, copy, writable | PTE_DIRTY | PTE_ACCESSED);
	bool irq = irq_save();
	swap_release_entry(vm->pgdir, page, frame | flags);
	irq_restore(irq);
	count(&counters.pages_copied);
	return VM_FAULT_SERVED;
}

enum vm_fault_result vm_fault(struct vm_space *vm, uintptr_t addr, bool write)
{
	const struct region *r = region_find(&vm->regions, addr);
	uintptr_t page = PAGE_ALIGN_DOWN(addr);
	paddr_t frame;
	uint32_t flags;

	if (!r)
		return VM_FAULT_NO_REGION;
	if (write && !(r->rights & REGION_WRITE))
		return VM_FAULT_RIGHTS;
	bool swapped_in = false;
	/* A heap page under a resident limit: one of the process's own heap
	 * pages makes room for it first (kernel/resident.c). */
	bool heap = r->kind == REGION_HEAP, room = false;

	for (;;) {
		if (vmm_translate(vm->pgdir, page, &frame, &flags)) {
			/* It has its frame: only a write to a shared page is
			 * ours (or a page just back from swap). */
			if (swapped_in && (!write || (flags & PTE_WRITABLE)))
				return VM_FAULT_SERVED;
			if (!(write && (flags & PTE_COW)))
				return VM_FAULT_RIGHTS;
			enum vm_fault_result result = cow_fault(
			        vm, page, PAGE_ALIGN_DOWN(frame), flags);
			if (result == VM_FAULT_SERVED && !swapped_in)
				count_process_fault(vm, false);
			return result;
		}
		if (heap && !room) {
			int err = resident_make_room(vm, page);
			if (err)
				return err == -ENOMEM ? VM_FAULT_NO_MEMORY
				                      : VM_FAULT_IO_ERROR;
			room = true;
			continue; /* it may have slept: look at the page again
			           */
		}
		pte_t entry = vmm_entry(vm->pgdir, page);
		if (!PTE_IS_SWAP(entry))
			break;
		/* Back from swap (a retry: we slept, look again); then a
		 * write to a page that is still shared goes on to the
		 * copy-on-write fault above. */
		switch (swap_in(vm, r, page, entry)) {
		case SWAP_IN_RETRY:
			continue;
		case SWAP_IN_NO_MEMORY:
			return VM_FAULT_NO_MEMORY;
		case SWAP_IN_IO_ERROR:
			return VM_FAULT_IO_ERROR;
		case SWAP_IN_MINOR:
			count_process_fault(vm, false);
			swapped_in = true;
			break;
		case SWAP_IN_MAJOR:
			count_process_fault(vm, true);
			swapped_in = true;
			break;
		}
		if (heap)
			resident_loaded(vm, page);
	}
	if (give_frame(vm, r, page))
		return VM_FAULT_NO_MEMORY;
	if (heap)
		resident_loaded(vm, page);
	count(&counters.faults_served);
	count_process_fault(vm, false);
	return VM_FAULT_SERVED;
}

/* Whether a page's flags let ring 3 (or the kernel on its behalf) make
 * the access: PTE_USER, and PTE_WRITABLE for a write. */
static bool flags_allow(uint32_t flags, bool write)
{
	uint32_t need = PTE_USER | (write ? PTE_WRITABLE : 0);

	return (flags & need) == need;
}

bool vm_page_allows(const struct vm_space *vm, uintptr_t addr, bool write)
{
	uint32_t flags;

	return vmm_translate(vm->pgdir, PAGE_ALIGN_DOWN(addr), NULL, &flags) &&
	       flags_allow(flags, write);
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
	case VM_FAULT_IO_ERROR:
		return "the swap disk could not read the page back";
	}
	return "?";
}

struct populate {
	struct vm_space *vm;
	const struct region *r;
};

/* vm_populate's step for each entry of the range: a page with no frame
 * gets one, made as a fault would make it, from the free frames only
 * (inside a walk nothing may sleep, and the space being populated is
 * usually no process's yet, so none of its pages could be evicted
 * anyway): eager mode does not evict. */
static int populate_page(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	const struct populate *job = arg;
	bool from_file;

	(void)other;
	if (*pte != 0)
		return 0; /* a frame, or a swap entry */
	pte_t entry = make_page(job->vm, job->r, va, &from_file, false);
	if (!entry)
		return -ENOMEM;
	*pte = entry; /* it was absent: nothing to flush */
	count_new_page(from_file);
	return 0;
}

int vm_populate(struct vm_space *vm, const struct region *r, uintptr_t from,
                uintptr_t to)
{
	struct populate job = {vm, r};

	return vmm_for_each_entry(vm->pgdir, from, to, populate_page, &job);
}

int vm_user_page_ready(struct process *p, uintptr_t page, bool write)
{
	uint32_t flags;
	bool present = vmm_translate(p->vm.pgdir, page, NULL, &flags);

	if (present && flags_allow(flags, write))
		return 0;
	if (present && !(write && (flags & PTE_COW)))
		return -EFAULT; /* what no fault would make usable */
	switch (vm_fault(&p->vm, page, write)) {
	case VM_FAULT_SERVED:
		return 0;
	case VM_FAULT_IO_ERROR:
		p->kill_signal = SIGKILL; /* its page is lost */
		return -EFAULT;
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
	bool irq = irq_save();
	struct vm_counters now = counters;

	irq_restore(irq);
	return now;
}

void vm_count_out_of_memory_kill(void)
{
	count(&counters.out_of_memory_kills);
}

void vm_count_page_copied(void)
{
	count(&counters.pages_copied);
}
