/* System calls about processes and time: exit, abort, getpid, getppid,
 * spawn, execv, waitpid, yield, sleep_ms, uptime_ms, meminfo. */
#include <stddef.h>

#include "kernel/clock.h"
#include "kernel/frame_table.h"
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/swap.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "lib/abi.h"
#include "mm/kheap.h"
#include "mm/pmm.h"

int32_t sys_exit(uint32_t status)
{
	process_exit((int)((status & 0xFF) << 8));
}

int32_t sys_abort(void)
{
	process_exit(SIGABRT); /* the parent sees WIFSIGNALED, SIGABRT */
}

int32_t sys_getpid(void)
{
	return sched_current()->pid;
}

/* The parent's pid. A process the kernel started has the kernel's main
 * task (pid 0) as its parent; an orphan, whose parent has ended, has none
 * (NULL): 0 as well. The parent cannot end meanwhile: system calls run
 * with interrupts off. */
int32_t sys_getppid(void)
{
	const struct process *parent = sched_current()->parent;

	return parent ? parent->pid : 0;
}

/* Copies argv (a NULL-terminated array of user pointers) into buf,
 * strings one after another, and points args[] at them. */
static int copy_argv(uintptr_t user_argv, char *buf, const char **args,
                     int *argc)
{
	size_t used = 0;

	for (int i = 0;; i++) {
		uint32_t user_arg;
		int err = copy_from_user(&user_arg, user_argv + 4 * (uint32_t)i,
		                         sizeof(user_arg));
		if (err)
			return err;
		if (!user_arg) {
			*argc = i;
			return 0;
		}
		if (i == ARG_MAX_COUNT)
			return -E2BIG;
		int len = copy_string_from_user(buf + used, user_arg,
		                                ARG_MAX_BYTES - used);
		if (len < 0)
			return len;
		args[i] = buf + used;
		used += (size_t)len + 1;
	}
}

/* What spawn and execv do with a program and its arguments. */
typedef int (*program_start_fn)(const char *name, int argc,
                                const char *const argv[]);

/* Copies the program's name and argv (NULL: { name }) from the user and
 * starts the program with them. */
static int32_t start_user_program(uint32_t user_name, uint32_t user_argv,
                                  program_start_fn start)
{
	char name[100];
	const char *args[ARG_MAX_COUNT];
	int argc = 1;
	int len = copy_string_from_user(name, user_name, sizeof(name));

	if (len == -E2BIG)
		return -ENOENT; /* no program has so long a name */
	if (len < 0)
		return len;
	char *buf = kmalloc(ARG_MAX_BYTES);
	if (!buf)
		return -ENOMEM;
	int err = 0;
	args[0] = name;
	if (user_argv)
		err = copy_argv(user_argv, buf, args, &argc);
	if (!err)
		err = start(name, argc, args);
	kfree(buf);
	return err;
}

int32_t sys_spawn(uint32_t user_name, uint32_t user_argv)
{
	return start_user_program(user_name, user_argv, process_spawn);
}

/* On success the caller's registers are the new program's (the trap
 * frame was rewritten) and the 0 returned lands in its eax. */
int32_t sys_execv(uint32_t user_name, uint32_t user_argv)
{
	return start_user_program(user_name, user_argv, process_execv);
}

int32_t sys_waitpid(uint32_t pid, uint32_t user_status, uint32_t options)
{
	int status = 0;

	if (options & ~(uint32_t)WNOHANG)
		return -EINVAL;
	/* Check the pointer before a child is collected: a status must not
	 * be lost to a bad pointer. Only checked: *status is written only
	 * when a child is reported (POSIX), not for WNOHANG's 0. */
	if (user_status && check_user_buffer(user_status, sizeof(status), true))
		return -EFAULT;
	int result = process_wait((int)pid, &status, (int)options);
	if (result > 0 && user_status)
		copy_to_user(user_status, &status, sizeof(status));
	return result;
}

int32_t sys_yield(void)
{
	sched_yield();
	return 0;
}

int32_t sys_sleep_ms(uint32_t ms)
{
	sched_sleep_ms(ms);
	return 0;
}

int32_t sys_uptime_ms(void)
{
	return (int32_t)clock_uptime_ms();
}

int32_t sys_meminfo(uint32_t user_info)
{
	struct heap_stats heap;
	kheap_get_stats(&heap);
	struct vm_counters vm = vm_counters();
	struct swap_counters swap = swap_counters();
	struct meminfo info = {
	        .total_frames = pmm_total_frames(),
	        .free_frames = pmm_free_frames(),
	        .kheap_used_bytes = (uint32_t)heap.used_bytes,
	        .kheap_free_bytes = (uint32_t)heap.free_bytes,
	        .process_count = process_count(),
	        .page_faults = vm.faults_served,
	        .pages_zero_filled = vm.pages_zero_filled,
	        .pages_from_file = vm.pages_from_file,
	        .out_of_memory_kills = vm.out_of_memory_kills,
	        .cow_faults = vm.cow_faults,
	        .pages_copied = vm.pages_copied,
	        .swap_slots_total = swap.slots_total,
	        .swap_slots_used = swap.slots_used,
	        .swap_pages_written = swap.pages_written,
	        .swap_pages_read = swap.pages_read,
	        .evictions = swap.evictions,
	        .evictions_clean = swap.evictions_clean,
	        .swap_cache_hits = swap.cache_hits,
	        .user_frames = frame_table_count(),
	};
	return copy_to_user(user_info, &info, sizeof(info));
}

int32_t sys_fork(const struct trap_frame *f)
{
	return process_fork(f);
}
