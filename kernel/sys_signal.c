/* System calls about signals and process groups: kill, setpgid, getpgrp,
 * tcsetpgrp, tcgetpgrp (kernel/signal.c does the work). */
#include <stddef.h>

#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "lib/abi.h"

int32_t sys_kill(uint32_t pid, uint32_t signal)
{
	return signal_kill((int)pid, (int)signal);
}

/* Whether some process (a zombie too) is in group pgid. */
static bool group_exists(int pgid)
{
	for (struct process *p = process_list(); p; p = p->next) {
		if (!p->is_kernel_task && p->pgid == pgid)
			return true;
	}
	return false;
}

/*
 * setpgid(pid, pgid), as POSIX: pid 0 is the caller, pgid 0 is pid (a new
 * group that pid leads). The caller may move itself or a child of its own,
 * into a new group or into one that exists.
 */
int32_t sys_setpgid(uint32_t user_pid, uint32_t user_pgid)
{
	struct process *self = sched_current();
	int pid = (int)user_pid, pgid = (int)user_pgid;

	if (pid < 0 || pgid < 0)
		return -EINVAL;
	struct process *p = pid == 0 ? self : process_find(pid);
	if (!p || (p != self && p->parent != self) || p->state == PROC_ZOMBIE)
		return -ESRCH;
	if (pgid == 0)
		pgid = p->pid;
	if (pgid != p->pid && !group_exists(pgid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

int32_t sys_getpgrp(void)
{
	return sched_current()->pgid;
}

/*
 * tcsetpgrp(fd, pgid): makes group pgid the console's foreground group,
 * the one Ctrl-C ends. memos: pgid 0 means no group (a shell, which cannot
 * ignore SIGINT without handlers, takes the console back that way).
 */
int32_t sys_tcsetpgrp(uint32_t fd, uint32_t user_pgid)
{
	int pgid = (int)user_pgid;

	if (fd > STDERR_FILENO)
		return -EBADF;
	if (pgid < 0)
		return -EINVAL;
	if (pgid != 0 && !group_exists(pgid))
		return -EPERM;
	signal_set_foreground(pgid);
	return 0;
}

int32_t sys_tcgetpgrp(uint32_t fd)
{
	if (fd > STDERR_FILENO)
		return -EBADF;
	return signal_foreground();
}
