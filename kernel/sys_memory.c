/*
 * sbrk: moves the program break, the end of a process's heap. The heap
 * starts at the first page after the program image and may grow up to
 * USER_HEAP_LIMIT, the guard gap below the stack (mm/layout.h).
 *
 *   heap_start          old break     new break
 *   |######## used ########|+++++ grow +++++|        pages mapped on demand
 *
 * The break is byte-exact; pages are mapped (zero-filled) as soon as the
 * break enters them and unmapped when it leaves them. On failure nothing
 * has changed.
 */
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "lib/abi.h"
#include "mm/layout.h"
#include "mm/vmm.h"

int32_t sys_sbrk_for(struct process *p, uint32_t increment)
{
	int32_t delta = (int32_t)increment;
	uintptr_t old_break = p->brk;
	uintptr_t new_break;

	if (delta >= 0) {
		if ((uint32_t)delta > USER_HEAP_LIMIT - old_break)
			return -ENOMEM; /* would reach the stack's guard gap */
		new_break = old_break + (uint32_t)delta;
		if (vmm_map_new_range(p->space, PAGE_ALIGN_UP(old_break),
		                      PAGE_ALIGN_UP(new_break),
		                      PTE_USER | PTE_WRITABLE))
			return -ENOMEM; /* out of frames */
	} else {
		uint32_t shrink = (uint32_t) - (int64_t)delta;
		if (shrink > old_break - p->heap_start)
			return -EINVAL; /* below the start of the heap */
		new_break = old_break - shrink;
		vmm_unmap_and_free(p->space, PAGE_ALIGN_UP(new_break),
		                   PAGE_ALIGN_UP(old_break));
	}
	p->brk = new_break;
	return (int32_t)old_break;
}

int32_t sys_sbrk(uint32_t increment)
{
	return sys_sbrk_for(sched_current(), increment);
}
