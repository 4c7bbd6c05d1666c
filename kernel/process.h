/*
 * Processes: a user program with its own address space and kernel stack,
 * or a kernel task (the kernel's main task, idle) that runs only in the
 * kernel's space.
 */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/trap_frame.h"
#include "kernel/file.h"
#include "kernel/vm_space.h"

#define PROCESS_NAME_MAX 32

enum process_state {
	PROC_RUNNABLE, /* running, or waiting for the CPU */
	PROC_BLOCKED,  /* sleeping on wait_channel */
	PROC_ZOMBIE,   /* exited; its parent has not collected the status */
};

struct process {
	int pid;
	char name[PROCESS_NAME_MAX];
	enum process_state state;
	bool is_kernel_task;
	struct vm_space vm;     /* its memory (kernel tasks: the kernel's
	                           page directory, no region) */
	uint8_t *kstack;        /* KERNEL_STACK_SIZE bytes (NULL: boot stack) */
	uint32_t saved_esp;     /* kernel esp while switched out */
	struct process *parent; /* NULL for orphans and kernel tasks */
	int pgid;               /* its process group: kill(-pgid), Ctrl-C */
	int kill_signal;        /* killed while running: it ends with this
	                           signal on its way back to ring 3 */
	int wait_status;        /* for waitpid, once a zombie (abi.h layout) */
	const void *wait_channel; /* what it sleeps on, when blocked */
	uint32_t wake_at_ms;      /* a timed sleep's deadline: */
	bool timed_sleep;         /* the timer wakes it at wake_at_ms */
	bool out_of_memory;       /* a page it needed found no frame: it ends */
	uint32_t in_disk_io;   /* sleeping on the swap disk in the middle of a
	                          swap-in or eviction (kernel/swap.c):
	                          process_kill waits until it returns */
	uint32_t minor_faults; /* page faults served with no disk I/O */
	uint32_t major_faults; /* ...that read the page from swap */
	struct fpu_state fpu;  /* floating-point registers while switched out */
	struct file_table files; /* its open files: fork and spawn copy
	                            them, execv keeps them, exit closes */
	struct process *next;    /* in the list of all processes */
};

/* Makes the slab cache processes come from (after kslab_init). */
void process_init(void);

/* The list of every process (the idle task is not on it). */
struct process *process_list(void);
void process_list_add(struct process *p);
uint32_t process_count(void);
struct process *process_find(int pid);

/* A kernel task running entry(), in the kernel's space, not yet added to
 * the scheduler. NULL when out of memory. */
struct process *process_create_kernel_task(const char *name,
                                           void (*entry)(void));

/*
 * Starts program `name` from the initrd with the given arguments (kernel
 * memory; argc of them) as a child of the current process, in its process
 * group (a kernel task's child: in a group of its own), with the
 * caller's open files, shared (a kernel task's child: the console's fd
 * 0, 1, 2). Returns the child's pid or -ENOENT, -ENOEXEC (with the loader's
 * reason printed), -ENOMEM, -E2BIG, -EAGAIN (PROCESS_MAX user processes exist).
 */
int process_spawn(const char *name, int argc, const char *const argv[]);

/*
 * fork: a child that is a copy of the current process (its address
 * space, as vm_space_fork copies it; its open files, the descriptions
 * shared; its x87 registers; the registers of frame, its system call,
 * with eax 0), in the caller's process group. Returns the child's pid, or
 * -ENOMEM or -EAGAIN (PROCESS_MAX user processes exist) with nothing left
 * behind.
 */
int process_fork(const struct trap_frame *frame);

/*
 * execv for the current user process: replaces its program by program
 * `name` from the initrd with the given arguments (kernel memory; argc of
 * them). Its pid, parent and children stay; its name becomes `name`, its
 * FPU is reset, and the system call returns (eax 0) into the new
 * program's entry point with its new stack; its open files stay.
 * Everything is checked and built before the old image is freed: on
 * -ENOENT, -ENOEXEC (the loader's reason printed), -ENOMEM or -E2BIG the
 * caller goes on unchanged.
 */
int process_execv(const char *name, int argc, const char *const argv[]);

/* Ends the current process (or kernel task) with a wait status (abi.h
 * layout), closing its files; its parent collects it with process_wait. */
void process_exit(int wait_status) __attribute__((noreturn));

/*
 * Ends user process p as killed by signal (its parent's waitpid sees
 * WIFSIGNALED, WTERMSIG == signal). Another process ends at once,
 * whatever it was doing: running, or blocked (sleeping, waiting for a
 * child, reading the console), since a process that is not on the CPU
 * holds nothing but its own memory and kernel stack. The current one, and
 * one sleeping on the swap disk in the middle of a swap-in or eviction
 * (in_disk_io: it holds a frame busy with I/O), is marked and ends as it
 * returns to ring 3 (process_end_if_killed).
 * Returns 0, -EPERM for a kernel task, -ESRCH for a zombie.
 */
int process_kill(struct process *p, int signal);

/* Ends the current process if process_kill marked it. Called on every
 * way back to ring 3 (kernel/trap.c). */
void process_end_if_killed(void);

/* User processes alive or zombie: what PROCESS_MAX limits. */
uint32_t process_user_count(void);

/* waitpid for the current process: a child's pid (and its status), 0
 * with WNOHANG if none has finished, or -ECHILD. */
int process_wait(int pid, int *status, int options);

/* Frees zombies no one will wait for (their parent is gone): the
 * scheduler calls it before each switch, so an orphan's zombie lasts
 * until the next timer tick at most. */
void process_reap_orphans(void);

#endif
