/* The system call stubs: each puts its arguments in registers and traps. */
#include "user/lib/syscall.h"

/* Pointers and sizes go into 32-bit registers as they are. */
#define ARG(x) ((uint32_t)(uintptr_t)(x))

_Noreturn void sys_exit(int status)
{
	/* The kernel never returns from SYS_EXIT; if it did, ask again. */
	for (;;)
		syscall5(SYS_EXIT, ARG(status), 0, 0, 0, 0);
}

_Noreturn void sys_abort(void)
{
	for (;;)
		syscall5(SYS_ABORT, 0, 0, 0, 0, 0);
}

int sys_write(int fd, const void *buf, size_t len)
{
	return syscall5(SYS_WRITE, ARG(fd), ARG(buf), ARG(len), 0, 0);
}

int sys_read(int fd, void *buf, size_t len)
{
	return syscall5(SYS_READ, ARG(fd), ARG(buf), ARG(len), 0, 0);
}

int sys_getpid(void)
{
	return syscall5(SYS_GETPID, 0, 0, 0, 0, 0);
}

int sys_getppid(void)
{
	return syscall5(SYS_GETPPID, 0, 0, 0, 0, 0);
}

int sys_spawn(const char *name, char *const argv[])
{
	return syscall5(SYS_SPAWN, ARG(name), ARG(argv), 0, 0, 0);
}

int sys_execv(const char *path, char *const argv[])
{
	return syscall5(SYS_EXECV, ARG(path), ARG(argv), 0, 0, 0);
}

int sys_waitpid(int pid, int *status, int options)
{
	return syscall5(SYS_WAITPID, ARG(pid), ARG(status), ARG(options), 0, 0);
}

int sys_yield(void)
{
	return syscall5(SYS_YIELD, 0, 0, 0, 0, 0);
}

int sys_sleep_ms(uint32_t ms)
{
	return syscall5(SYS_SLEEP_MS, ms, 0, 0, 0, 0);
}

uint32_t sys_uptime_ms(void)
{
	return (uint32_t)syscall5(SYS_UPTIME_MS, 0, 0, 0, 0, 0);
}

int sys_list_programs(char *buf, size_t len)
{
	return syscall5(SYS_LIST_PROGRAMS, ARG(buf), ARG(len), 0, 0, 0);
}

int sys_sbrk(int32_t increment)
{
	return syscall5(SYS_SBRK, ARG(increment), 0, 0, 0, 0);
}

int sys_meminfo(struct meminfo *info)
{
	return syscall5(SYS_MEMINFO, ARG(info), 0, 0, 0, 0);
}

int sys_pageinfo(const void *addr, struct pageinfo *info)
{
	return syscall5(SYS_PAGEINFO, ARG(addr), ARG(info), 0, 0, 0);
}

int sys_regions(int pid, struct region_info *buf, int max)
{
	return syscall5(SYS_REGIONS, ARG(pid), ARG(buf), ARG(max), 0, 0);
}

int sys_slabinfo(struct slabinfo *buf, int max)
{
	return syscall5(SYS_SLABINFO, ARG(buf), ARG(max), 0, 0, 0);
}

int sys_fork(void)
{
	return syscall5(SYS_FORK, 0, 0, 0, 0, 0);
}

int sys_kill(int pid, int signal)
{
	return syscall5(SYS_KILL, ARG(pid), ARG(signal), 0, 0, 0);
}

int sys_setpgid(int pid, int pgid)
{
	return syscall5(SYS_SETPGID, ARG(pid), ARG(pgid), 0, 0, 0);
}

int sys_getpgrp(void)
{
	return syscall5(SYS_GETPGRP, 0, 0, 0, 0, 0);
}

int sys_tcsetpgrp(int fd, int pgid)
{
	return syscall5(SYS_TCSETPGRP, ARG(fd), ARG(pgid), 0, 0, 0);
}

int sys_tcgetpgrp(int fd)
{
	return syscall5(SYS_TCGETPGRP, ARG(fd), 0, 0, 0, 0);
}

int sys_setrlimit(int resource, const struct rlimit *rlim)
{
	return syscall5(SYS_SETRLIMIT, ARG(resource), ARG(rlim), 0, 0, 0);
}

int sys_getrlimit(int resource, struct rlimit *rlim)
{
	return syscall5(SYS_GETRLIMIT, ARG(resource), ARG(rlim), 0, 0, 0);
}

int sys_getrusage(int who, struct rusage *usage)
{
	return syscall5(SYS_GETRUSAGE, ARG(who), ARG(usage), 0, 0, 0);
}

int sys_evict_policy(int policy)
{
	return syscall5(SYS_EVICT_POLICY, ARG(policy), 0, 0, 0, 0);
}

int sys_open(const char *path, int flags)
{
	return syscall5(SYS_OPEN, ARG(path), ARG(flags), 0, 0, 0);
}

int sys_close(int fd)
{
	return syscall5(SYS_CLOSE, ARG(fd), 0, 0, 0, 0);
}

int sys_lseek(int fd, int32_t offset, int whence)
{
	return syscall5(SYS_LSEEK, ARG(fd), ARG(offset), ARG(whence), 0, 0);
}

int sys_fstat(int fd, struct stat *st)
{
	return syscall5(SYS_FSTAT, ARG(fd), ARG(st), 0, 0, 0);
}

int sys_getdents(int fd, struct dirent *buf, size_t len)
{
	return syscall5(SYS_GETDENTS, ARG(fd), ARG(buf), ARG(len), 0, 0);
}

int sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
             uint32_t offset)
{
	return syscall6(SYS_MMAP, ARG(addr), ARG(len), ARG(prot), ARG(flags),
	                ARG(fd), offset);
}

int sys_munmap(void *addr, size_t len)
{
	return syscall5(SYS_MUNMAP, ARG(addr), ARG(len), 0, 0, 0);
}

int sys_mprotect(void *addr, size_t len, int prot)
{
	return syscall5(SYS_MPROTECT, ARG(addr), ARG(len), ARG(prot), 0, 0);
}
