/* System calls: int 0x80 from ring 3 lands in syscall_dispatch. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>

#include "kernel/arch/trap_frame.h"

/* Lets ring 3 use int 0x80. */
void syscall_init(void);

/* Runs the call numbered frame->eax with the arguments in ebx, ecx, edx,
 * esi, edi; puts the result in frame->eax. Then, if a page the call
 * touched for the program found no frame, ends the program (SIGKILL). */
void syscall_dispatch(struct trap_frame *frame);

/* The system calls, one per SYS_ number (kernel/sys_*.c). Arguments come
 * straight from user registers: every one is checked before use. */
int32_t sys_exit(uint32_t status);
int32_t sys_write(uint32_t fd, uint32_t buf, uint32_t len);
int32_t sys_read(uint32_t fd, uint32_t buf, uint32_t len);
int32_t sys_getpid(void);
int32_t sys_getppid(void);
int32_t sys_spawn(uint32_t name, uint32_t argv);
int32_t sys_execv(uint32_t name, uint32_t argv);
int32_t sys_waitpid(uint32_t pid, uint32_t status, uint32_t options);
int32_t sys_yield(void);
int32_t sys_sleep_ms(uint32_t ms);
int32_t sys_uptime_ms(void);
int32_t sys_list_programs(uint32_t buf, uint32_t len);
int32_t sys_meminfo(uint32_t info);
int32_t sys_sbrk(uint32_t increment);
int32_t sys_pageinfo(uint32_t addr, uint32_t info);
int32_t sys_regions(uint32_t pid, uint32_t buf, uint32_t max);
int32_t sys_slabinfo(uint32_t buf, uint32_t max);
/* fork needs the caller's registers: the child starts with a copy. */
int32_t sys_fork(const struct trap_frame *frame);
int32_t sys_abort(void);
int32_t sys_kill(uint32_t pid, uint32_t signal);
int32_t sys_setpgid(uint32_t pid, uint32_t pgid);
int32_t sys_getpgrp(void);
int32_t sys_tcsetpgrp(uint32_t fd, uint32_t pgid);
int32_t sys_tcgetpgrp(uint32_t fd);
/* kernel/sys_resource.c */
int32_t sys_setrlimit(uint32_t resource, uint32_t user_limit);
int32_t sys_getrlimit(uint32_t resource, uint32_t user_limit);
int32_t sys_getrusage(uint32_t who, uint32_t user_usage);
int32_t sys_evict_policy(uint32_t policy);
int32_t sys_open(uint32_t path, uint32_t flags);
int32_t sys_close(uint32_t fd);
int32_t sys_lseek(uint32_t fd, uint32_t offset, uint32_t whence);
int32_t sys_fstat(uint32_t fd, uint32_t stat);
int32_t sys_getdents(uint32_t fd, uint32_t buf, uint32_t len);
int32_t sys_mmap(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags,
                 uint32_t fd, uint32_t offset);
int32_t sys_munmap(uint32_t addr, uint32_t len);
int32_t sys_mprotect(uint32_t addr, uint32_t len, uint32_t prot);

/* sys_sbrk for process p instead of the caller: the in-kernel tests move
 * the break of a process of their own. */
struct process;
int32_t sys_sbrk_for(struct process *p, uint32_t increment);

#endif
