/*
 * The C library's system calls: each calls the raw stub (syscall.h) and
 * turns a negative result into errno and -1, as POSIX functions do.
 */
#include <errno.h>
#include <fcntl.h>
#include <memos.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/syscall.h"

/* -errno from the kernel becomes errno = errno and -1. */
static int result(int ret)
{
	if (syscall_failed(ret)) {
		errno = -ret;
		return -1;
	}
	return ret;
}

ssize_t read(int fd, void *buf, size_t len)
{
	return result(sys_read(fd, buf, len));
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return result(sys_write(fd, buf, len));
}

int open(const char *path, int flags, ...)
{
	return result(sys_open(path, flags)); /* no mode: nothing is made */
}

int close(int fd)
{
	return result(sys_close(fd));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return result(sys_lseek(fd, offset, whence));
}

int fstat(int fd, struct stat *st)
{
	return result(sys_fstat(fd, st));
}

pid_t getpid(void)
{
	return sys_getpid();
}

pid_t getppid(void)
{
	return sys_getppid();
}

_Noreturn void _exit(int status)
{
	sys_exit(status);
}

void *sbrk(intptr_t increment)
{
	int ret = sys_sbrk(increment);

	if (syscall_failed(ret)) {
		errno = -ret;
		return (void *)-1;
	}
	return (void *)(uintptr_t)(uint32_t)ret;
}

int brk(void *addr)
{
	uintptr_t now = (uintptr_t)sbrk(0);

	return sbrk((intptr_t)((uintptr_t)addr - now)) == (void *)-1 ? -1 : 0;
}

int usleep(useconds_t usec)
{
	return result(sys_sleep_ms((usec + 999) / 1000));
}

unsigned int sleep(unsigned int seconds)
{
	sys_sleep_ms(seconds * 1000);
	return 0;
}

pid_t fork(void)
{
	return result(sys_fork());
}

pid_t spawn(const char *path, char *const argv[])
{
	return result(sys_spawn(path, argv));
}

int execv(const char *path, char *const argv[])
{
	return result(sys_execv(path, argv)); /* only if it failed */
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return result(sys_waitpid(pid, status, options));
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

int meminfo(struct meminfo *info)
{
	return result(sys_meminfo(info));
}

int pageinfo(const void *addr, struct pageinfo *info)
{
	return result(sys_pageinfo(addr, info));
}

int regions(int pid, struct region_info *buf, int max)
{
	return result(sys_regions(pid, buf, max));
}

int slabinfo(struct slabinfo *buf, int max)
{
	return result(sys_slabinfo(buf, max));
}

int list_programs(char *buf, size_t len)
{
	return result(sys_list_programs(buf, len));
}

uint32_t uptime_ms(void)
{
	return sys_uptime_ms();
}

int sleep_ms(uint32_t ms)
{
	return result(sys_sleep_ms(ms));
}

int yield(void)
{
	return result(sys_yield());
}

int kill(pid_t pid, int signal)
{
	return result(sys_kill(pid, signal));
}

int setpgid(pid_t pid, pid_t pgid)
{
	return result(sys_setpgid(pid, pgid));
}

pid_t getpgrp(void)
{
	return sys_getpgrp();
}

int tcsetpgrp(int fd, pid_t pgid)
{
	return result(sys_tcsetpgrp(fd, pgid));
}

pid_t tcgetpgrp(int fd)
{
	return result(sys_tcgetpgrp(fd));
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	int ret = sys_mmap(addr, len, prot, flags, fd, (uint32_t)offset);

	if (syscall_failed(ret)) {
		errno = -ret;
		return MAP_FAILED;
	}
	return (void *)ret;
}

int munmap(void *addr, size_t len)
{
	return result(sys_munmap(addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return result(sys_mprotect(addr, len, prot));
}
