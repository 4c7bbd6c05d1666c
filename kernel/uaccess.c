/*
 * User memory access for system calls. Checks happen right before the
 * copy, with interrupts off (system calls run that way), so nothing can
 * unmap a page between the check and the use. A page with no frame yet
 * (lazy mode) gets one during the check, as the program's own first
 * touch would give it.
 */
#include "kernel/uaccess.h"

#include "kernel/sched.h"
#include "kernel/vm.h"
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

int copy_from_user(void *dst, uintptr_t user_src, size_t len)
{
	if (!user_range_ok(user_src, len, false))
		return -EFAULT;
	memcpy(dst, (const void *)user_src, len);
	return 0;
}

int copy_to_user(uintptr_t user_dst, const void *src, size_t len)
{
	if (!user_range_ok(user_dst, len, true))
		return -EFAULT;
	memcpy((void *)user_dst, src, len);
	return 0;
}

int copy_string_from_user(char *dst, uintptr_t user_src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		/* The string may end anywhere: check each page it enters. */
		if ((i == 0 || PAGE_OFFSET(user_src + i) == 0) &&
		    !user_range_ok(user_src + i, 1, false))
			return -EFAULT;
		dst[i] = *(const char *)(user_src + i);
		if (dst[i] == '\0')
			return (int)i;
	}
	return -E2BIG;
}
