/*
 * sbrk: moves the program break, the end of a process's heap. The heap
 * starts at the first page after the program image and may grow up to
 * USER_HEAP_LIMIT, the guard gap below the stack (mm/layout.h).
 *
 *   heap_start          old break     new break
 *   |######## used ########|+++++ grow +++++|
 *   [------------- heap region ----------------]  ends at the page
 *                                                 holding the break
 *
 * The break is byte-exact; the heap region (mm/region.h) covers every page
 * the break has entered. Lazy mode: a page gets its zero-filled frame on
 * the first touch (kernel/page_fault.c). Eager mode (vm=eager): at once,
 * here, through the same page making (vm_populate).
 * Pages the break leaves are unmapped and their frames freed. On failure
 * nothing has changed.
 */
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/resident.h"
#include "kernel/sched.h"
#include "kernel/swap.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "lib/abi.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/region.h"
#include "mm/vmm.h"

/* A heap this big could never be given frames: more than the machine has
 * (its memory, plus its swap: kernel/swap.h). */
static inline bool never_backed(const struct process *p, uintptr_t new_break)
{
	return (PAGE_ALIGN_UP(new_break) - p->vm.heap_start) / PAGE_SIZE >
	       pmm_total_frames() + swap_slots_total();
}

/* Moves the break, and the heap region's end with it to the page holding
 * the break: the page-fault path serves any page below that. The pages a
 * shrinking heap leaves leave its resident set too (kernel/resident.c). */
static inline void set_break(struct process *p, uintptr_t new_break)
{
	struct region *heap = region_of_kind(&p->vm.regions, REGION_HEAP);

	if (new_break < p->vm.brk)
		resident_forget(&p->vm, PAGE_ALIGN_UP(new_break),
		                PAGE_ALIGN_UP(p->vm.brk));

	if (heap)
		region_set_end(heap, PAGE_ALIGN_UP(new_break));
	p->vm.brk = new_break;
}

/* Eager mode: the pages [from, to) the break enters get their frames now,
 * made and counted as the page-fault path makes them. Out of frames:
 * -ENOMEM with every page it mapped unmapped again. */
static inline int populate_heap(struct process *p, uintptr_t from, uintptr_t to)
{
	const struct region *heap = region_of_kind(&p->vm.regions, REGION_HEAP);
	int err = heap ? vm_populate(&p->vm, heap, from, to) : -ENOMEM;

	if (err)
		vmm_unmap_and_free(p->vm.pgdir, from, to);
	return err;
}

int32_t sys_sbrk_for(struct process *p, uint32_t increment)
{
	int32_t delta = (int32_t)increment;
	uintptr_t old_break = p->vm.brk;
	uintptr_t new_break;

	if (delta >= 0) {
		if ((uint32_t)delta > USER_HEAP_LIMIT - old_break)
			return -ENOMEM; /* would reach the stack's guard gap */
		new_break = old_break + (uint32_t)delta;
		if (never_backed(p, new_break))
			return -ENOMEM; /* more than the machine's memory */
		if (p->vm.mode == VM_EAGER &&
		    populate_heap(p, PAGE_ALIGN_UP(old_break),
		                  PAGE_ALIGN_UP(new_break)))
			return -ENOMEM; /* out of frames */
	} else {
		uint32_t shrink = (uint32_t) - (int64_t)delta;
		if (shrink > old_break - p->vm.heap_start)
			return -EINVAL; /* below the start of the heap */
		new_break = old_break - shrink;
		vmm_unmap_and_free(p->vm.pgdir, PAGE_ALIGN_UP(new_break),
		                   PAGE_ALIGN_UP(old_break));
	}
	set_break(p, new_break);
	return (int32_t)old_break;
}

int32_t sys_sbrk(uint32_t increment)
{
	return sys_sbrk_for(sched_current(), increment);
}

/* What the current process's page at addr holds: its region, and its
 * frame if it has one. Looks only: never gives the page a frame. */
int32_t sys_pageinfo(uint32_t addr, uint32_t user_info)
{
	struct process *p = sched_current();
	struct pageinfo info = {0};
	uint32_t flags;
	paddr_t frame;

	if (addr >= USER_END)
		return -EINVAL; /* not an address of the process */
	const struct region *r = region_find(&p->vm.regions, addr);
	if (r) {
		info.flags = PAGEINFO_REGION | r->rights;
		info.region_start = r->start;
		info.region_end = r->end;
		info.region_kind = r->kind;
	}
	if (vmm_translate(p->vm.pgdir, PAGE_ALIGN_DOWN(addr), &frame, &flags) &&
	    (flags & PTE_USER)) {
		info.flags |= PAGEINFO_PRESENT;
		if (flags & PTE_WRITABLE)
			info.flags |= PAGEINFO_WRITABLE;
		if (flags & PTE_COW)
			info.flags |= PAGEINFO_COW;
		info.frame = PAGE_ALIGN_DOWN(frame);
		info.frame_maps = swap_frame_mappings(info.frame);
	}
	return copy_to_user(user_info, &info, sizeof(info));
}

/* Process pid's regions (pid 0: the caller's), up to max of them, into
 * user_buf. Returns how many it has, or -ESRCH (no such live user
 * process), -EINVAL (max < 0), -EFAULT. */
int32_t sys_regions(uint32_t pid, uint32_t user_buf, uint32_t max)
{
	struct process *p = pid == 0 ? sched_current() : process_find((int)pid);
	int32_t count = 0;

	if ((int32_t)max < 0)
		return -EINVAL;
	if (!p || p->is_kernel_task || p->state == PROC_ZOMBIE)
		return -ESRCH;
	for (const struct region *r = p->vm.regions.first; r; r = r->next) {
		if ((uint32_t)count < max) {
			struct region_info info = {
			        .start = r->start,
			        .end = r->end,
			        .rights = r->rights,
			        .kind = r->kind,
			        .resident = vm_space_resident(&p->vm, r->start,
			                                      r->end),
			};
			int err = copy_to_user(user_buf + (uint32_t)count *
			                                          sizeof(info),
			                       &info, sizeof(info));
			if (err)
				return err;
		}
		count++;
	}
	return count;
}
