/*
 * User memory access for system calls.
 *
 * THE INVARIANT: a page is checked (and given its frame, in lazy mode)
 * right before its bytes are copied, and nothing runs between the two:
 * one CPU, interrupts off for the pair (irq_save), and no allocation in
 * between. Each page is copied through a temporary kernel mapping of its
 * frame (kmap), not through the user address. So a copy never relies on
 * a page checked earlier still being there: when swap (or anything else)
 * takes frames from processes, an earlier page of the same buffer may go
 * while a later one is being made ready (making a page may need a frame,
 * and finding a frame may evict one), and the copy is still right,
 * because each page is re-checked, and its frame found, at the moment
 * it is copied. The kernel never faults on a user address here.
 *
 * While its bytes are copied, the page's frame is pinned (the frame
 * table's pin count): an eviction never takes it. On one CPU with
 * interrupts off nothing could evict it then anyway; the pin says so in
 * the one place the frame table looks, and keeps the rule true if the
 * copy ever has to sleep. A copy INTO a page also sets its PTE's dirty
 * bit (vmm_mark_dirty): the CPU sets it only for writes through the PTE,
 * and eviction must know the page differs from its file or swap slot.
 *
 * A buffer is checked whole first (user_range_ok: a bad one changes
 * nothing), then copied page by page, each page checked again as above. A
 * page with no frame yet (lazy mode) gets one during the check, as the
 * program's own first touch would give it.
 */
#include "kernel/uaccess.h"

#include "kernel/arch/cpu.h"
#include "kernel/frame_table.h"
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/vmm.h"

/* True if [start, start + len) is user memory the current process may
 * read (and write, if need_write). */
static bool user_range_ok(uintptr_t start, size_t len, bool need_write)
{
	if (len == 0)
		return true;
	if (start < USER_BASE || start >= USER_END || len > USER_END - start)
		return false; /* outside user space, or wraps around */
	for (uintptr_t page = PAGE_ALIGN_DOWN(start); page < start + len;
	     page += PAGE_SIZE) {
		/* Mapped with PTE_USER (and PTE_WRITABLE if need_write), or
		 * given its frame now if a region promises it. */
		if (vm_user_page_ready(sched_current(), page, need_write))
			return false;
		if (page + PAGE_SIZE < page)
			break; /* the last page of memory */
	}
	return true;
}

int check_user_buffer(uintptr_t addr, size_t len, bool writable)
{
	return user_range_ok(addr, len, writable) ? 0 : -EFAULT;
}

/*
 * Copies n bytes (within one page) between the kernel buffer kbuf and the
 * current process's user address va, to the user if to_user: checks the
 * page and copies through its frame with nothing in between (the
 * invariant above). Returns 0 or -EFAULT.
 */
static int copy_one_page(uintptr_t va, void *kbuf, size_t n, bool to_user)
{
	paddr_t pa;
	int err = -EFAULT;
	bool irq = irq_save();

	if (vm_user_page_ready(sched_current(), PAGE_ALIGN_DOWN(va), to_user) ==
	            0 &&
	    vmm_translate(vmm_current_space(), va, &pa, NULL)) {
		frame_table_pin(PAGE_ALIGN_DOWN(pa));
		uint8_t *page = kmap(PAGE_ALIGN_DOWN(pa));
		if (to_user)
			memcpy(page + PAGE_OFFSET(va), kbuf, n);
		else
			memcpy(kbuf, page + PAGE_OFFSET(va), n);
		kunmap(page);
		if (to_user)
			vmm_mark_dirty(vmm_current_space(), va);
		frame_table_unpin(PAGE_ALIGN_DOWN(pa));
		err = 0;
	}
	irq_restore(irq);
	return err;
}

/* The copy: every page checked first (a bad buffer changes nothing), then
 * page by page, each checked again as it is copied. */
static int copy_user(uintptr_t va, void *kbuf, size_t len, bool to_user)
{
	uint8_t *k = kbuf;

	if (!user_range_ok(va, len, to_user))
		return -EFAULT;
	while (len > 0) {
		size_t in_page = PAGE_SIZE - PAGE_OFFSET(va);
		size_t n = len < in_page ? len : in_page;
		int err = copy_one_page(va, k, n, to_user);

		if (err)
			return err;
		va += n;
		k += n;
		len -= n;
	}
	return 0;
}

int copy_from_user(void *dst, uintptr_t user_src, size_t len)
{
	return copy_user(user_src, dst, len, false);
}

int copy_to_user(uintptr_t user_dst, const void *src, size_t len)
{
	return copy_user(user_dst, (void *)src, len, true);
}

int copy_string_from_user(char *dst, uintptr_t user_src, size_t max)
{
	size_t i = 0;

	/* The string may end anywhere: a page's worth at a time (no more
	 * than max in all), each page checked as copy_from_user does, and
	 * then searched for its end. */
	while (i < max) {
		uintptr_t va = user_src + i;
		size_t in_page = PAGE_SIZE - PAGE_OFFSET(va);
		size_t n = max - i < in_page ? max - i : in_page;

		if (!user_range_ok(va, n, false) ||
		    copy_one_page(va, dst + i, n, false))
			return -EFAULT;
		for (size_t end = i + n; i < end; i++) {
			if (dst[i] == '\0')
				return (int)i;
		}
	}
	return -E2BIG;
}
