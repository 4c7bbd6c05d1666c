/* <signal.h>: kill() and the signal numbers memos knows. memos has no
 * signal handlers (no signal(), no sigaction()): every signal kill() sends
 * ends the process it reaches, as each signal's default action does. */
#ifndef _MEMOS_SIGNAL_H
#define _MEMOS_SIGNAL_H

#include <sys/types.h>

#include "lib/abi.h" /* SIGINT, SIGKILL, SIGTERM, and the fault signals */

/*
 * Ends process pid with signal sig (SIGINT, SIGKILL or SIGTERM; its parent's
 * waitpid sees WIFSIGNALED and WTERMSIG == sig). pid 0: every process of
 * the caller's group; -1: every process but the caller; below -1: every
 * process of group -pid. sig 0 sends nothing: it checks that the target
 * exists. 0, or -1 and errno EINVAL (no such signal), ESRCH (no such
 * process or group), EPERM (a kernel task).
 */
int kill(pid_t pid, int sig);

#endif
