/*
 * kill: ending processes and process groups by signal, and the console's
 * foreground group that Ctrl-C ends. memos has no signal handlers: every
 * signal kill() accepts ends the process it reaches (docs/syscalls.md).
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdbool.h>

/* A signal kill() may send: SIGINT, SIGKILL, SIGTERM (0 is checked
 * apart: it only asks whether the target exists). */
bool signal_is_valid(int signal);

/*
 * kill(pid, signal) for the current process, as POSIX reads pid: > 0 that
 * process; 0 the caller's group; -1 every user process but the caller;
 * < -1 the group -pid. Signal 0 sends nothing. The caller, if it is one
 * of them, ends last, on its way back to ring 3. Returns 0, -EINVAL (no
 * such signal), -ESRCH (no such process or group), -EPERM (a kernel
 * task).
 */
int signal_kill(int pid, int signal);

/* Ends every live process of group pgid with signal; how many there were
 * (0: none, the group is empty or gone). For the kernel (the test
 * runner) and Ctrl-C. */
int signal_kill_group(int pgid, int signal);

/* How many processes of group pgid are not zombies. */
int signal_group_alive(int pgid);

/* The console's foreground group (0: none), which Ctrl-C ends. */
void signal_set_foreground(int pgid);
int signal_foreground(void);

/* Ctrl-C: ends the foreground group with SIGINT, if there is one. True if
 * a process was ended. Called from the console's interrupt handler. */
bool signal_interrupt_foreground(void);

#endif
