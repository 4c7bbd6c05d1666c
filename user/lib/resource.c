/* <sys/resource.h> and evict_policy (<memos.h>): the raw calls, with
 * errno and -1 on failure. */
#include <errno.h>
#include <memos.h>
#include <sys/resource.h>

#include "user/lib/syscall.h"

static int result(int ret)
{
	if (syscall_failed(ret)) {
		errno = -ret;
		return -1;
	}
	return ret;
}

int setrlimit(int resource, const struct rlimit *rlim)
{
	return result(sys_setrlimit(resource, rlim));
}

int getrlimit(int resource, struct rlimit *rlim)
{
	return result(sys_getrlimit(resource, rlim));
}

int getrusage(int who, struct rusage *usage)
{
	return result(sys_getrusage(who, usage));
}

int evict_policy(int policy)
{
	return result(sys_evict_policy(policy));
}
