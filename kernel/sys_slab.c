/*
 * slabinfo: the kernel's slab caches, one struct slabinfo each (lib/abi.h),
 * for the slabinfo program (user/bin/slabinfo.c, docs/slab.md).
 */
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "lib/abi.h"
#include "mm/kslab.h"

/* The first max caches into user_buf. Returns how many caches there are,
 * or -EINVAL (max < 0), -EFAULT. */
int32_t sys_slabinfo(uint32_t user_buf, uint32_t max)
{
	struct slabinfo info;
	uint32_t count = kslab_cache_count();

	if ((int32_t)max < 0)
		return -EINVAL;
	for (uint32_t i = 0; i < count && i < max; i++) {
		if (!kslab_cache_info(i, &info))
			break; /* a cache went away meanwhile */
		int err = copy_to_user(user_buf + i * sizeof(info), &info,
		                       sizeof(info));
		if (err)
			return err;
	}
	return (int32_t)count;
}
