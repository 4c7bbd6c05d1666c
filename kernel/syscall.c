/*
 * The system call table. Each entry adapts the five argument registers to
 * one sys_ function; a number with no entry (or out of range) gets
 * -ENOSYS. The gate is an interrupt gate, so system calls run with
 * interrupts off until they block or return.
 */
#include "kernel/syscall.h"

#include "kernel/arch/idt.h"
#include "kernel/page_fault.h"
#include "lib/abi.h"

typedef int32_t (*syscall_fn)(const struct trap_frame *f);

static int32_t call_exit(const struct trap_frame *f)
{
	return sys_exit(f->ebx);
}

static int32_t call_write(const struct trap_frame *f)
{
	return sys_write(f->ebx, f->ecx, f->edx);
}

static int32_t call_read(const struct trap_frame *f)
{
	return sys_read(f->ebx, f->ecx, f->edx);
}

static int32_t call_getpid(const struct trap_frame *f)
{
	(void)f;
	return sys_getpid();
}

static int32_t call_getppid(const struct trap_frame *f)
{
	(void)f;
	return sys_getppid();
}

static int32_t call_spawn(const struct trap_frame *f)
{
	return sys_spawn(f->ebx, f->ecx);
}

static int32_t call_execv(const struct trap_frame *f)
{
	return sys_execv(f->ebx, f->ecx); /* it rewrites the frame itself */
}

static int32_t call_waitpid(const struct trap_frame *f)
{
	return sys_waitpid(f->ebx, f->ecx, f->edx);
}

static int32_t call_yield(const struct trap_frame *f)
{
	(void)f;
	return sys_yield();
}

static int32_t call_sleep_ms(const struct trap_frame *f)
{
	return sys_sleep_ms(f->ebx);
}

static int32_t call_uptime_ms(const struct trap_frame *f)
{
	(void)f;
	return sys_uptime_ms();
}

static int32_t call_list_programs(const struct trap_frame *f)
{
	return sys_list_programs(f->ebx, f->ecx);
}

static int32_t call_sbrk(const struct trap_frame *f)
{
	return sys_sbrk(f->ebx);
}

static int32_t call_abort(const struct trap_frame *f)
{
	(void)f;
	return sys_abort();
}

static int32_t call_meminfo(const struct trap_frame *f)
{
	return sys_meminfo(f->ebx);
}

static int32_t call_pageinfo(const struct trap_frame *f)
{
	return sys_pageinfo(f->ebx, f->ecx);
}

static int32_t call_regions(const struct trap_frame *f)
{
	return sys_regions(f->ebx, f->ecx, f->edx);
}

static int32_t call_slabinfo(const struct trap_frame *f)
{
	return sys_slabinfo(f->ebx, f->ecx);
}

static int32_t call_fork(const struct trap_frame *f)
{
	return sys_fork(f);
}

static int32_t call_kill(const struct trap_frame *f)
{
	return sys_kill(f->ebx, f->ecx);
}

static int32_t call_setpgid(const struct trap_frame *f)
{
	return sys_setpgid(f->ebx, f->ecx);
}

static int32_t call_getpgrp(const struct trap_frame *f)
{
	(void)f;
	return sys_getpgrp();
}

static int32_t call_tcsetpgrp(const struct trap_frame *f)
{
	return sys_tcsetpgrp(f->ebx, f->ecx);
}

static int32_t call_tcgetpgrp(const struct trap_frame *f)
{
	return sys_tcgetpgrp(f->ebx);
}

static int32_t call_setrlimit(const struct trap_frame *f)
{
	return sys_setrlimit(f->ebx, f->ecx);
}

static int32_t call_getrlimit(const struct trap_frame *f)
{
	return sys_getrlimit(f->ebx, f->ecx);
}

static int32_t call_getrusage(const struct trap_frame *f)
{
	return sys_getrusage(f->ebx, f->ecx);
}

static int32_t call_evict_policy(const struct trap_frame *f)
{
	return sys_evict_policy(f->ebx);
}

static int32_t call_open(const struct trap_frame *f)
{
	return sys_open(f->ebx, f->ecx);
}

static int32_t call_close(const struct trap_frame *f)
{
	return sys_close(f->ebx);
}

static int32_t call_lseek(const struct trap_frame *f)
{
	return sys_lseek(f->ebx, f->ecx, f->edx);
}

static int32_t call_fstat(const struct trap_frame *f)
{
	return sys_fstat(f->ebx, f->ecx);
}

static int32_t call_getdents(const struct trap_frame *f)
{
	return sys_getdents(f->ebx, f->ecx, f->edx);
}

/* The sixth argument comes in ebp (Linux's i386 convention). */
static int32_t call_mmap(const struct trap_frame *f)
{
	return sys_mmap(f->ebx, f->ecx, f->edx, f->esi, f->edi, f->ebp);
}

static int32_t call_munmap(const struct trap_frame *f)
{
	return sys_munmap(f->ebx, f->ecx);
}

static int32_t call_mprotect(const struct trap_frame *f)
{
	return sys_mprotect(f->ebx, f->ecx, f->edx);
}

static const syscall_fn table[SYSCALL_COUNT] = {
        [SYS_EXIT] = call_exit,
        [SYS_WRITE] = call_write,
        [SYS_READ] = call_read,
        [SYS_GETPID] = call_getpid,
        [SYS_SPAWN] = call_spawn,
        [SYS_WAITPID] = call_waitpid,
        [SYS_YIELD] = call_yield,
        [SYS_SLEEP_MS] = call_sleep_ms,
        [SYS_UPTIME_MS] = call_uptime_ms,
        [SYS_LIST_PROGRAMS] = call_list_programs,
        [SYS_SBRK] = call_sbrk,
        [SYS_MEMINFO] = call_meminfo,
        [SYS_ABORT] = call_abort,
        [SYS_GETPPID] = call_getppid,
        [SYS_PAGEINFO] = call_pageinfo,
        [SYS_REGIONS] = call_regions,
        [SYS_FORK] = call_fork,
        [SYS_EXECV] = call_execv,
        [SYS_SLABINFO] = call_slabinfo,
        [SYS_KILL] = call_kill,
        [SYS_SETPGID] = call_setpgid,
        [SYS_GETPGRP] = call_getpgrp,
        [SYS_TCSETPGRP] = call_tcsetpgrp,
        [SYS_TCGETPGRP] = call_tcgetpgrp,
        [SYS_SETRLIMIT] = call_setrlimit,
        [SYS_GETRLIMIT] = call_getrlimit,
        [SYS_GETRUSAGE] = call_getrusage,
        [SYS_EVICT_POLICY] = call_evict_policy,
        [SYS_OPEN] = call_open,
        [SYS_CLOSE] = call_close,
        [SYS_LSEEK] = call_lseek,
        [SYS_FSTAT] = call_fstat,
        [SYS_GETDENTS] = call_getdents,
        [SYS_MMAP] = call_mmap,
        [SYS_MUNMAP] = call_munmap,
        [SYS_MPROTECT] = call_mprotect,
};

void syscall_init(void)
{
	idt_allow_user(SYSCALL_VECTOR);
}

void syscall_dispatch(struct trap_frame *frame)
{
	uint32_t number = frame->eax;

	if (number >= SYSCALL_COUNT || !table[number])
		frame->eax = (uint32_t)-ENOSYS;
	else
		frame->eax = (uint32_t)table[number](frame);
	/* A page the call touched for the program found no frame: the
	 * program dies now, as it would have touching the page itself. */
	vm_kill_if_out_of_memory();
}
