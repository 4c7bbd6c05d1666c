/*
 * kill() and Ctrl-C. A signal here is only a reason to end a process:
 * process_kill does the ending (at once for a process off the CPU,
 * whatever it was blocked on; on its way back to ring 3 for the current
 * one). A process group is just a number every process carries (pgid):
 * a child starts in its parent's, setpgid moves it.
 *
 * Interrupts off is our only lock: the list of processes is walked with
 * irq_save, since Ctrl-C arrives in an interrupt handler.
 */
#include "kernel/signal.h"

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/abi.h"

static int foreground_pgid; /* 0: no group; Ctrl-C only cancels the line */

bool signal_is_valid(int signal)
{
	return signal == SIGINT || signal == SIGKILL || signal == SIGTERM;
}

/* Whether p is a user process a group or "all" kill may reach. */
static bool reachable(const struct process *p)
{
	return !p->is_kernel_task && p->state != PROC_ZOMBIE;
}

/*
 * Sends signal (0: nothing) to every reachable process that match()
 * accepts, the caller last. Returns how many matched, zombies of the
 * group included (they exist: POSIX finds them, and they cannot die
 * twice).
 */
static int kill_matching(bool (*match)(const struct process *p, int key),
                         int key, int signal)
{
	struct process *self = sched_current();
	bool irq = irq_save();
	bool self_too = false;
	int found = 0;

	for (struct process *p = process_list(); p; p = p->next) {
		if (p->is_kernel_task || !match(p, key))
			continue;
		found++;
		if (!signal || p->state == PROC_ZOMBIE)
			continue;
		if (p == self)
			self_too = true;
		else
			process_kill(p, signal);
	}
	if (self_too)
		process_kill(self, signal); /* ends as it returns to ring 3 */
	irq_restore(irq);
	return found;
}

static bool in_group(const struct process *p, int pgid)
{
	return p->pgid == pgid;
}

static bool not_pid(const struct process *p, int pid)
{
	return p->pid != pid && p->state != PROC_ZOMBIE;
}

int signal_kill(int pid, int signal)
{
	struct process *self = sched_current();

	if (signal != 0 && !signal_is_valid(signal))
		return -EINVAL;
	if (pid > 0) {
		struct process *p = process_find(pid);
		if (!p)
			return -ESRCH;
		if (p->is_kernel_task)
			return -EPERM;
		if (signal && p->state != PROC_ZOMBIE)
			process_kill(p, signal);
		return 0;
	}
	if (pid == -1)
		return kill_matching(not_pid, self->pid, signal) ? 0 : -ESRCH;
	if (pid == INT32_MIN) /* no such group, and -pid would overflow */
		return -ESRCH;
	int pgid = pid == 0 ? self->pgid : -pid;
	return kill_matching(in_group, pgid, signal) ? 0 : -ESRCH;
}

int signal_kill_group(int pgid, int signal)
{
	return pgid > 0 ? kill_matching(in_group, pgid, signal) : 0;
}

int signal_group_alive(int pgid)
{
	bool irq = irq_save();
	int n = 0;

	for (struct process *p = process_list(); p; p = p->next)
		n += p->pgid == pgid && reachable(p);
	irq_restore(irq);
	return n;
}

void signal_set_foreground(int pgid)
{
	foreground_pgid = pgid;
}

int signal_foreground(void)
{
	return foreground_pgid;
}

bool signal_interrupt_foreground(void)
{
	if (!foreground_pgid || !signal_group_alive(foreground_pgid))
		return false;
	signal_kill_group(foreground_pgid, SIGINT);
	return true;
}
