/*
 * Resource limits and usage: setrlimit/getrlimit (RLIMIT_RSS, the only
 * one memos has), getrusage's fault counts, and memos' evict_policy. The
 * work is kernel/resident.c's; these check and copy.
 */
#include "kernel/process.h"
#include "kernel/resident.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "lib/abi.h"

int32_t sys_setrlimit(uint32_t resource, uint32_t user_limit)
{
	struct rlimit limit;
	int err = copy_from_user(&limit, user_limit, sizeof(limit));

	if (err)
		return err;
	if (resource != RLIMIT_RSS)
		return -EINVAL;
	return resident_set_limit(&sched_current()->vm, &limit);
}

int32_t sys_getrlimit(uint32_t resource, uint32_t user_limit)
{
	struct rlimit limit;

	if (resource != RLIMIT_RSS)
		return -EINVAL;
	resident_get_limit(&sched_current()->vm, &limit);
	return copy_to_user(user_limit, &limit, sizeof(limit));
}

int32_t sys_getrusage(uint32_t who, uint32_t user_usage)
{
	const struct process *self = sched_current();

	if (who != RUSAGE_SELF)
		return -EINVAL;
	struct rusage usage = {
	        .ru_minflt = (long)self->minor_faults,
	        .ru_majflt = (long)self->major_faults,
	};
	return copy_to_user(user_usage, &usage, sizeof(usage));
}

int32_t sys_evict_policy(uint32_t policy)
{
	return resident_set_policy(&sched_current()->vm, (int32_t)policy);
}
