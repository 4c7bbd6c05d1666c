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
 *   4. no free frame                        -> kill (SIGKILL): out of memory
 *   5. otherwise: a fresh frame, zero-filled; the program file's bytes
 *      copied in for text and data pages; mapped with the region's rights;
 *      the program retries the instruction and goes on.
 *
 * Eager mode (vm=eager) runs step 5 for every page when it is promised
 * (vm_populate), and fork copies every page at once (kernel/vm_space.c),
 * so that the two can be compared.
 */
#include "kernel/page_fault.h"

#include "kernel/cmdline.h"
#include "kernel/kprintf.h"
#include "kernel/process.h"
#include "kernel/resident.h"
#include "kernel/sched.h"
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
 * any byte came from the file; 0 if no frame is free.
 */
static pte_t make_page(const struct region *r, uintptr_t va, bool *from_file)
{
	paddr_t frame = pmm_alloc_frame();

	if (!frame)
		return 0;
	uint8_t *bytes = kmap(frame);
	*from_file = fill_page(bytes, &r->source, va);
	kunmap(bytes);
	return frame | PTE_PRESENT | PTE_USER |
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
	pte_t entry = make_page(r, va, &from_file);

	if (!entry)
		return -ENOMEM;
	int err = vmm_map(vm->pgdir, va, entry & PTE_FRAME_MASK,
	                  entry & PTE_FLAGS_MASK);
	if (err) {
		pmm_free_frame(entry & PTE_FRAME_MASK);
		return -ENOMEM; /* not -EEXIST: callers check the page first */
	}
	count_new_page(from_file);
	return 0;
}

/*
 * The copy-on-write fault: a write to a page fork shares (mapped
 * read-only with PTE_COW in every space that shares its frame). The
 * writer gets a copy of its own, or, when it is the last one mapping the
 * frame, the frame itself, writable again (a copy would only be thrown
 * away). The page points at its new frame before the old frame loses
 * this mapping's reference (Linux's do_wp_page order).
 */
static enum vm_fault_result cow_fault(struct vm_space *vm, uintptr_t page,
                                      paddr_t frame, uint32_t flags)
{
	uint32_t writable = (flags | PTE_WRITABLE) & ~PTE_COW;

	count(&counters.cow_faults);
	vm->minor_faults++;
	if (pmm_frame_refs(frame) == 1) {
		vmm_remap(vm->pgdir, page, frame, writable);
		return VM_FAULT_SERVED;
	}
	paddr_t copy = pmm_alloc_frame();
	if (!copy)
		return VM_FAULT_NO_MEMORY;
	vmm_copy_frame(copy, frame);
	vmm_remap(vm->pgdir, page, copy, writable);
	pmm_release_frame(frame);
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
	if (vmm_translate(vm->pgdir, page, &frame, &flags)) {
		/* It has its frame: only a write to a shared page is ours. */
		if (write && (flags & PTE_COW))
			return cow_fault(vm, page, PAGE_ALIGN_DOWN(frame),
			                 flags);
		return VM_FAULT_RIGHTS;
	}
	/* A heap page under a resident limit: one of the process's own
	 * heap pages makes room for it first (kernel/resident.c). */
	bool heap = r->kind == REGION_HEAP;
	if (heap && resident_make_room(vm, page))
		return VM_FAULT_NO_MEMORY;
	if (give_frame(vm, r, page))
		return VM_FAULT_NO_MEMORY;
	if (heap)
		resident_loaded(vm, page);
	vm->minor_faults++;
	count(&counters.faults_served);
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
	}
	return "?";
}

/* vm_populate's step for each entry of the range: a page with no frame
 * gets one, made as a fault would make it. */
static int populate_page(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	const struct region *r = arg;
	bool from_file;

	(void)other;
	if (*pte & PTE_PRESENT)
		return 0;
	pte_t entry = make_page(r, va, &from_file);
	if (!entry)
		return -ENOMEM;
	*pte = entry; /* it was absent: nothing to flush */
	count_new_page(from_file);
	return 0;
}

int vm_populate(struct vm_space *vm, const struct region *r, uintptr_t from,
                uintptr_t to)
{
	return vmm_for_each_entry(vm->pgdir, from, to, populate_page,
	                          (void *)r);
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
