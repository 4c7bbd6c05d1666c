/* <unistd.h>: the POSIX system call wrappers memos has, and spawn(). Each
 * returns -1 and sets errno on failure (sbrk: (void *)-1). */
#ifndef _MEMOS_UNISTD_H
#define _MEMOS_UNISTD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/abi.h" /* STDIN_FILENO, ..., SEEK_SET, SEEK_CUR, SEEK_END */

/* fd 1 and 2 are the console; fd 0 reads it one line at a time. A file
 * open() gave reads from its offset on, and moves it: the bytes read, 0
 * at the end of the file; -1 and errno EBADF (not open for reading),
 * EISDIR (the directory: getdents reads it), EFAULT. */
ssize_t read(int fd, void *buf, size_t len);
ssize_t write(int fd, const void *buf, size_t len);

/* Closes fd: 0, or -1 and errno EBADF. The file description is freed
 * when no descriptor of any process refers to it any more. */
int close(int fd);

/* Moves fd's offset to offset from the start (SEEK_SET), the current
 * offset (SEEK_CUR) or the end (SEEK_END); past the end is allowed. The
 * new offset, or -1 and errno EBADF, ESPIPE (the console), EINVAL (before
 * the start, or another whence), EOVERFLOW (past INT32_MAX). */
off_t lseek(int fd, off_t offset, int whence);

pid_t getpid(void);

/* The parent's pid; 0 when there is none: the kernel started this
 * program, or the parent has ended (memos does not give orphans to an
 * init process, as Unix does). */
pid_t getppid(void);

/* Ends the process at once: no atexit handlers, stdio is not flushed. */
_Noreturn void _exit(int status);

/* Moves the program break (the end of the heap) by increment bytes and
 * returns the old break; (void *)-1 and ENOMEM when the memory is not
 * there, EINVAL below the heap's start. Mixing sbrk with malloc is
 * allowed, but malloc cannot grow past memory sbrk handed out later. */
void *sbrk(intptr_t increment);

/* Sets the break to addr: 0, or -1 and errno as sbrk. */
int brk(void *addr);

/* Replaces this process's program by program path from the initrd, run
 * with argv (NULL-terminated; argv[0] is by custom the program's name;
 * memos: NULL means { path, NULL }). The pid, the parent and the
 * children stay; memory, the heap and the stack are the new program's.
 * Returns only on failure: -1 and errno ENOENT (no such program), ENOEXEC
 * (not a valid program), EFAULT, E2BIG (over ARG_MAX_COUNT arguments or
 * ARG_MAX_BYTES bytes), ENOMEM; the caller then goes on as it was. */
int execv(const char *path, char *const argv[]);

/* Sleep for at least usec microseconds (10 ms ticks) / seconds. */
int usleep(useconds_t usec);
unsigned int sleep(unsigned int seconds);

/* Makes a copy of the calling process (its memory, shared copy-on-write
 * until either writes; its registers; its heap break), in the caller's
 * process group. Returns the child's pid in the parent and 0 in the
 * child, or -1 with errno ENOMEM or EAGAIN (PROCESS_MAX processes exist;
 * no child was made). */
pid_t fork(void);

/* Process groups: setpgid moves process pid (0: the caller, or one of its
 * children) into group pgid (0: a new group, numbered pid); -1 and errno
 * EINVAL, ESRCH (not the caller nor its child), EPERM (no such group).
 * getpgrp is the caller's group. A child starts in its parent's group. */
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgrp(void);

/* The console's foreground process group: the one Ctrl-C ends (SIGINT).
 * memos: 0 means none (Ctrl-C then only cancels the line being typed).
 * fd is 0, 1 or 2; -1 and errno EBADF, EINVAL, EPERM (no such group). */
int tcsetpgrp(int fd, pid_t pgid);
pid_t tcgetpgrp(int fd);

/* memos: starts program path from the initrd in a new process with argv
 * (NULL-terminated; NULL means { path, NULL }). The child's pid, or -1 and
 * errno: ENOENT (no such program), ENOEXEC (not a valid program), EFAULT,
 * E2BIG, ENOMEM, EAGAIN (PROCESS_MAX processes exist). Wait for it with
 * waitpid(). */
pid_t spawn(const char *path, char *const argv[]);

#endif
