/* <sys/wait.h>: waiting for a child started with spawn(). WIFEXITED,
 * WEXITSTATUS, WIFSIGNALED, WTERMSIG and WNOHANG come from lib/abi.h
 * (docs/syscalls.md: wait statuses). */
#ifndef _MEMOS_SYS_WAIT_H
#define _MEMOS_SYS_WAIT_H

#include <sys/types.h>

#include "lib/abi.h"

/* Waits for child pid (-1: any child) to end and stores its wait status
 * in *status (if not NULL). The child's pid; 0 with WNOHANG when none has
 * ended yet; -1 and errno (ECHILD, EFAULT, EINVAL) on failure. */
pid_t waitpid(pid_t pid, int *status, int options);

/* waitpid(-1, status, 0). */
pid_t wait(int *status);

#endif
