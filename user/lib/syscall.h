/*
 * The raw system calls, one per call in lib/abi.h. Each returns what the
 * kernel put in eax: a result, or a negative errno (-EFAULT, ...). The C
 * library (<unistd.h>, <memos.h>) wraps them to set errno and return -1;
 * the system call tests use these to see the kernel's exact answer.
 */
#ifndef USER_LIB_SYSCALL_H
#define USER_LIB_SYSCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/abi.h"

/*
 * Makes system call nr with five arguments: `int 0x80` with eax = nr and
 * the arguments in ebx, ecx, edx, esi, edi. The kernel returns the result
 * in eax and leaves the other registers as they were. Tests call it
 * directly to pass what the typed functions below would not accept.
 */
static inline int syscall5(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3,
                           uint32_t a4, uint32_t a5)
{
	int ret;

	__asm__ volatile("int %[vector]"
	                 : "=a"(ret)
	                 : [vector] "i"(SYSCALL_VECTOR), "a"(nr), "b"(a1),
	                   "c"(a2), "d"(a3), "S"(a4), "D"(a5)
	                 : "memory");
	return ret;
}

/*
 * The same with a sixth argument, in ebp (mmap's offset), as Linux's i386
 * ABI passes it. ebp is the frame pointer here, so it is saved around the
 * call, and a6 reaches it through ebx, which holds the address of
 * {a1, a6} until the last moment.
 */
static inline int syscall6(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3,
                           uint32_t a4, uint32_t a5, uint32_t a6)
{
	uint32_t args[2] = {a1, a6};
	uint32_t *p = args;
	int ret;

	__asm__ volatile("push %%ebp\n\t"
	                 "movl 4(%%ebx), %%ebp\n\t"
	                 "movl (%%ebx), %%ebx\n\t"
	                 "int %[vector]\n\t"
	                 "pop %%ebp"
	                 : "=a"(ret), "+b"(p)
	                 : [vector] "i"(SYSCALL_VECTOR), "a"(nr), "c"(a2),
	                   "d"(a3), "S"(a4), "D"(a5)
	                 : "memory");
	return ret;
}

/* A result from -4095 to -1 is an error (lib/abi.h): sbrk's addresses
 * above 2 GiB look negative as an int but are not errors. */
static inline bool syscall_failed(int ret)
{
	return (uint32_t)ret >= (uint32_t)-4095;
}

/* Ends the process; status & 0xff is what waitpid reports. */
_Noreturn void sys_exit(int status);

/* Ends the process as killed by SIGABRT. */
_Noreturn void sys_abort(void);

/* Writes len bytes to fd 1 or 2 (the console): bytes written, -EBADF for
 * any other fd, -EFAULT if buf..buf+len is not readable memory. */
int sys_write(int fd, const void *buf, size_t len);

/* Reads one line from fd 0 (the console), blocking until it is typed:
 * bytes read including the '\n'; -EBADF, -EFAULT. */
int sys_read(int fd, void *buf, size_t len);

int sys_getpid(void);

/* The parent's pid; 0 if there is none (the kernel started the caller,
 * or the parent has ended). */
int sys_getppid(void);

/* Starts program name from the initrd in a new process. argv is a
 * NULL-terminated array (NULL means { name, NULL }). The child's pid, or
 * -ENOENT, -ENOEXEC, -EFAULT, -E2BIG, -ENOMEM. */
int sys_spawn(const char *name, char *const argv[]);

/* Replaces the caller's program by program path from the initrd, with
 * argv (NULL means { path, NULL }): returns only on failure, with
 * -ENOENT, -ENOEXEC, -EFAULT, -E2BIG or -ENOMEM, and then the caller is
 * unchanged. */
int sys_execv(const char *path, char *const argv[]);

/* Waits for child pid (-1: any child) to end and stores its status
 * (WIFEXITED, ... in lib/abi.h). The child's pid; 0 with WNOHANG when no
 * child has ended yet; -ECHILD when there is no such child. */
int sys_waitpid(int pid, int *status, int options);

/* Lets another process run. 0. */
int sys_yield(void);

/* Blocks for at least ms milliseconds. 0. */
int sys_sleep_ms(uint32_t ms);

/* Milliseconds since boot. */
uint32_t sys_uptime_ms(void);

/* Writes the initrd's program names into buf, separated by '\n' and
 * NUL-terminated if there is room. The size the whole list needs. */
int sys_list_programs(char *buf, size_t len);

/* Moves the break by increment bytes: the old break, or -ENOMEM (nothing
 * changed) or -EINVAL (below the heap's start). Check with
 * syscall_failed(): a break above 2 GiB is a negative int. */
int sys_sbrk(int32_t increment);

/* Fills *info with the kernel's memory counters. 0 or -EFAULT. */
int sys_meminfo(struct meminfo *info);

/* What the caller's page holding addr is (lib/abi.h): 0, -EINVAL for a
 * kernel address, -EFAULT if info is not writable memory. */
int sys_pageinfo(const void *addr, struct pageinfo *info);

/* Process pid's regions (0: the caller's), at most max into buf: how many
 * it has, -ESRCH (no such live program), -EINVAL (max < 0), -EFAULT. */
int sys_regions(int pid, struct region_info *buf, int max);

/* The kernel's slab caches, at most max into buf: how many there are,
 * -EINVAL (max < 0), -EFAULT. */
int sys_slabinfo(struct slabinfo *buf, int max);

/* A copy of the caller: the child's pid in the parent, 0 in the child;
 * -ENOMEM if the child cannot be made. */
int sys_fork(void);

/* Ends process pid (> 0), the caller's group (0), every other process
 * (-1) or group -pid (< -1) with signal (SIGINT, SIGKILL, SIGTERM; 0 only
 * checks): 0, -EINVAL, -ESRCH, -EPERM. */
int sys_kill(int pid, int signal);

/* Moves process pid (0: the caller; or a child) into group pgid (0: its
 * own pid): 0, -EINVAL, -ESRCH, -EPERM. */
int sys_setpgid(int pid, int pgid);

/* The caller's process group. */
int sys_getpgrp(void);

/* The console's foreground group, which Ctrl-C ends (0: none): 0,
 * -EBADF, -EINVAL, -EPERM / the group. */
int sys_tcsetpgrp(int fd, int pgid);
int sys_tcgetpgrp(int fd);

/* Resource limits and usage (<sys/resource.h>): 0, -EINVAL, -EPERM,
 * -EFAULT. */
int sys_setrlimit(int resource, const struct rlimit *rlim);
int sys_getrlimit(int resource, struct rlimit *rlim);
int sys_getrusage(int who, struct rusage *usage);

/* The caller's replacement policy: the old one, or -EINVAL. */
int sys_evict_policy(int policy);

/* Files (docs/files.md): open's new fd, or -ENOENT, -EROFS, -EMFILE, ...;
 * close 0 or -EBADF; lseek the new offset or -ESPIPE, -EINVAL, ...;
 * fstat 0 or -EBADF, -EFAULT; getdents the bytes of whole entries, 0 at
 * the end, or -ENOTDIR, -EINVAL, -EFAULT. */
int sys_open(const char *path, int flags);
int sys_close(int fd);
int sys_lseek(int fd, int32_t offset, int whence);
int sys_fstat(int fd, struct stat *st);
int sys_getdents(int fd, struct dirent *buf, size_t len);

/* mmap (docs/mmap.md): the address, or -EINVAL, -EBADF, -ENODEV, -EACCES,
 * -ENOMEM (check with syscall_failed: addresses above 2 GiB look
 * negative); munmap and mprotect 0 or -EINVAL, -ENOMEM, -EACCES. */
int sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
             uint32_t offset);
int sys_munmap(void *addr, size_t len);
int sys_mprotect(void *addr, size_t len, int prot);

#endif
