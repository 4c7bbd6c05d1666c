/* errno_name: the table of lib/abi.h's error numbers and their names. */
#include "user/lib/errno_name.h"

#include "lib/abi.h"

#define NAME(e) [e] = #e

static const char *const names[] = {
	NAME(EPERM),  NAME(ENOENT),  NAME(ESRCH),  NAME(EIO),
	NAME(E2BIG),  NAME(ENOEXEC), NAME(EBADF),  NAME(ECHILD),
	NAME(EAGAIN), NAME(ENOMEM),  NAME(EFAULT), NAME(EBUSY),
	NAME(EEXIST), NAME(EINVAL),  NAME(ERANGE), NAME(ENOSYS),
};

const char *errno_name(int err)
{
	unsigned int e = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;

	if (e < sizeof(names) / sizeof(names[0]) && names[e])
		return names[e];
	return "";
}
