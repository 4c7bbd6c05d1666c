/*
 * Creating, ending and collecting processes.
 *
 * A new user process's kernel stack is built so that the scheduler's
 * switch_context "returns" into trap_return (kernel/arch/isr.asm), which
 * pops a trap frame and irets into ring 3 at the program's entry point:
 *
 *   kstack + KERNEL_STACK_SIZE  ->  +---------------------------+
 *                                   | struct trap_frame         |
 *                                   |   eip = entry, cs = user  |
 *                                   |   esp = user stack, ...   |
 *                                   +---------------------------+
 *                                   | trap_return               | <- ret
 *                                   | ebp ebx esi edi (zeros)   |
 *   saved_esp                   ->  +---------------------------+
 */
#include "kernel/process.h"

#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/trap_frame.h"
#include "kernel/elf_load.h"
#include "kernel/initrd.h"
#include "kernel/kprintf.h"
#include "kernel/page_fault.h"
#include "kernel/panic.h"
#include "kernel/resident.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/kslab.h"
#include "mm/layout.h"
#include "mm/pmm.h"

static struct process *all_processes;
static int next_pid = 1; /* kmain and kernel tasks too: under irq_save */
/* Every struct process but the kernel's main task (a static in
 * kernel/sched.c) comes from here; kernel stacks come from kmalloc. */
static struct slab_cache processes;

extern char trap_return[]; /* isr.asm */

struct process *process_list(void)
{
	return all_processes;
}

void process_list_add(struct process *p)
{
	bool irq = irq_save();
	p->next = all_processes;
	all_processes = p;
	irq_restore(irq);
}

static void process_list_remove(struct process *p)
{
	for (struct process **link = &all_processes; *link;
	     link = &(*link)->next) {
		if (*link == p) {
			*link = p->next;
			return;
		}
	}
}

/* The walks below run with interrupts off: a kernel task calls them with
 * interrupts on, and the scheduler frees orphans' zombies at a tick. */
uint32_t process_user_count(void)
{
	bool irq = irq_save();
	uint32_t n = 0;

	for (struct process *p = all_processes; p; p = p->next)
		n += !p->is_kernel_task;
	irq_restore(irq);
	return n;
}

uint32_t process_count(void)
{
	bool irq = irq_save();
	uint32_t n = 0;

	for (struct process *p = all_processes; p; p = p->next)
		n++;
	irq_restore(irq);
	return n;
}

struct process *process_find(int pid)
{
	bool irq = irq_save();
	struct process *p = all_processes;

	while (p && p->pid != pid)
		p = p->next;
	irq_restore(irq);
	return p;
}

static void set_name(struct process *p, const char *name)
{
	size_t n = strlen(name);

	if (n >= PROCESS_NAME_MAX)
		n = PROCESS_NAME_MAX - 1;
	memcpy(p->name, name, n);
	p->name[n] = '\0';
}

void process_init(void)
{
	kslab_cache_create(&processes, "process", sizeof(struct process), 0,
	                   NULL);
}

/* A zeroed struct process from the cache, or NULL. */
static struct process *process_zalloc(void)
{
	struct process *p = kslab_alloc(&processes);

	if (p)
		memset(p, 0, sizeof(*p));
	return p;
}

/* A zeroed process with a kernel stack and a pid, or NULL. */
static struct process *process_alloc(const char *name)
{
	struct process *p = process_zalloc();

	if (!p)
		return NULL;
	p->kstack = kmalloc_aligned(16, KERNEL_STACK_SIZE);
	if (!p->kstack) {
		kslab_free(&processes, p);
		return NULL;
	}
	set_name(p, name);
	fpu_initial_state(&p->fpu);
	bool irq = irq_save(); /* a kernel task may spawn: see cpu.h */
	p->pid = next_pid++;
	irq_restore(irq);
	p->state = PROC_RUNNABLE;
	return p;
}

static void process_free(struct process *p)
{
	kfree(p->kstack);
	kslab_free(&processes, p);
}

/* Pushes a 32-bit value on a stack being built. */
static uint32_t *push(uint32_t *sp, uint32_t value)
{
	*--sp = value;
	return sp;
}

/* The switch_context frame: four callee-saved registers, zeroed. */
static uint32_t *push_switch_frame(uint32_t *sp, uint32_t return_to)
{
	sp = push(sp, return_to);
	for (int i = 0; i < 4; i++)
		sp = push(sp, 0); /* ebp ebx esi edi */
	return sp;
}

/*
 * Where a new kernel task starts: switch_context "returns" here with
 * interrupts off (the scheduler runs with them off), so turn them on,
 * run the task, and end it when its function returns.
 */
static void kernel_task_start(void (*entry)(void))
{
	cpu_enable_interrupts();
	entry();
	process_exit(0);
}

struct process *process_create_kernel_task(const char *name,
                                           void (*entry)(void))
{
	struct process *p = process_alloc(name);

	if (!p)
		return NULL;
	p->is_kernel_task = true;
	p->vm.pgdir = vmm_kernel_space();
	uint32_t *sp = (uint32_t *)(p->kstack + KERNEL_STACK_SIZE);
	sp = push(sp, (uint32_t)entry); /* kernel_task_start's argument */
	sp = push(sp, 0); /* its return address: ends backtraces */
	sp = push_switch_frame(sp, (uint32_t)kernel_task_start);
	p->saved_esp = (uint32_t)sp;
	return p;
}

/*
 * Builds the initial user stack in the new space: the argument strings
 * at the top, then argv[] (NULL-terminated), then argv and argc, which is
 * where esp points when the program starts. Returns the user esp, or 0.
 */
static uint32_t setup_user_stack(struct vm_space *vm,
                                 const struct region *stack, int argc,
                                 const char *const argv[])
{
	/* Lay everything out in a kernel buffer first, top down, exactly as
	 * it will sit below USER_STACK_TOP. */
	enum { BUFFER = ARG_MAX_BYTES + (ARG_MAX_COUNT + 3) * 4 + 16 };
	uint8_t *image = kmalloc(BUFFER);
	uint32_t user_ptr[ARG_MAX_COUNT];
	uint32_t esp = 0;
	size_t top = BUFFER;

	if (!image)
		return 0;
	for (int i = argc - 1; i >= 0; i--) {
		size_t len = strlen(argv[i]) + 1;
		top -= len;
		memcpy(image + top, argv[i], len);
		user_ptr[i] = USER_STACK_TOP - (BUFFER - top);
	}
	/* Word-aligns argv[] in the buffer. BUFFER is 12 mod 16, so the user
	 * addresses come out 4 mod 16, not 16-aligned: user/lib/crt0.asm
	 * aligns the stack itself before it calls main. */
	top &= ~(size_t)15;
	uint32_t *words = (uint32_t *)(image + top);
	words = push(words, 0); /* argv[argc] = NULL */
	for (int i = argc - 1; i >= 0; i--)
		words = push(words, user_ptr[i]);
	uint32_t argv_user =
	        USER_STACK_TOP - (BUFFER - (size_t)((uint8_t *)words - image));
	words = push(words, argv_user);
	words = push(words, (uint32_t)argc);
	size_t used = BUFFER - (size_t)((uint8_t *)words - image);
	uint32_t start = USER_STACK_TOP - used;

	/* Give the pages it needs their frames now; the rest of the stack
	 * comes on demand. */
	if (vm_populate(vm, stack, PAGE_ALIGN_DOWN(start), USER_STACK_TOP) ==
	            0 &&
	    vmm_copy_to_space(vm->pgdir, start, words, used) == 0)
		esp = start;
	kfree(image);
	return esp;
}

/* The registers a program starts with: the user segments, interrupts on,
 * the entry point and the user stack; every other one zero. */
static void init_user_frame(struct trap_frame *f, uint32_t entry,
                            uint32_t user_esp)
{
	memset(f, 0, sizeof(*f));
	f->gs = f->fs = f->es = f->ds = GDT_USER_DATA;
	f->eip = entry;
	f->cs = GDT_USER_CODE;
	f->eflags = EFLAGS_IF | 0x2; /* bit 1 is always set */
	f->user_esp = user_esp;
	f->user_ss = GDT_USER_DATA;
}

/* Builds the kernel stack that irets into the program. */
static void setup_kernel_stack(struct process *p, uint32_t entry,
                               uint32_t user_esp)
{
	uint8_t *top = p->kstack + KERNEL_STACK_SIZE;
	struct trap_frame *f = (struct trap_frame *)(top - sizeof(*f));

	init_user_frame(f, entry, user_esp);
	p->saved_esp = (uint32_t)push_switch_frame((uint32_t *)f,
	                                           (uint32_t)trap_return);
}

static int check_args(int argc, const char *const argv[])
{
	size_t bytes = 0;

	if (argc < 0 || argc > ARG_MAX_COUNT)
		return -E2BIG;
	for (int i = 0; i < argc; i++)
		bytes += strlen(argv[i]) + 1;
	return bytes > ARG_MAX_BYTES ? -E2BIG : 0;
}

/* The heap (empty: the break is at its start) and the stack regions. */
static int add_heap_and_stack(struct vm_space *vm, uintptr_t heap_start)
{
	int err = region_add(&vm->regions, heap_start, heap_start,
	                     REGION_READ | REGION_WRITE, REGION_HEAP, NULL);

	if (err)
		return err;
	vm->heap_start = heap_start;
	vm->brk = heap_start;
	return region_add(&vm->regions, USER_STACK_LIMIT, USER_STACK_TOP,
	                  REGION_READ | REGION_WRITE, REGION_STACK, NULL);
}

/* Eager mode: every page of the program gets its frame at spawn. */
static int populate_program(struct vm_space *vm)
{
	for (struct region *r = vm->regions.first; r; r = r->next) {
		if (r->kind == REGION_STACK)
			continue; /* the stack grows on demand either way */
		int err = vm_populate(vm, r, r->start, r->end);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Finds program `name` in the initrd and checks that it can run with those
 * arguments: 0 and the file, or -E2BIG, -ENOENT, -ENOEXEC (the loader's
 * reason printed, after `who`: "spawn", "execv"). Allocates nothing.
 */
static int find_program(const char *who, const char *name, int argc,
                        const char *const argv[], const void **file,
                        size_t *size)
{
	const char *why = "";
	int err = check_args(argc, argv);

	if (err)
		return err;
	if (!initrd_find(name, file, size))
		return -ENOENT;
	err = elf_check(*file, *size, &why);
	if (err)
		kprintf("%s %s: not a program we can run: %s\n", who, name,
		        why);
	return err;
}

/*
 * Builds a program's image in a new address space, into (empty: the new
 * process's, or execv's new image beside the running one): loads file
 * (checked by find_program) as regions, adds the heap and the stack,
 * gives every page its frame in eager mode, and lays the arguments out on
 * the stack. Gives the entry point and the initial user esp. Returns 0,
 * or -ENOEXEC or -ENOMEM with everything it built freed (into empty).
 */
static int build_image(struct vm_space *into, const void *file, size_t size,
                       enum vm_mode mode, int argc, const char *const argv[],
                       uint32_t *entry, uint32_t *esp)
{
	const char *why = "";
	struct elf_image image;
	int err = vm_space_create(into, mode);

	if (err)
		return err;
	err = elf_load(&into->regions, file, size, &image, &why);
	if (err)
		goto out_destroy_space;
	err = add_heap_and_stack(into, PAGE_ALIGN_UP(image.image_end));
	if (err)
		goto out_destroy_space;
	if (mode == VM_EAGER) {
		err = populate_program(into);
		if (err)
			goto out_destroy_space;
	}
	*esp = setup_user_stack(
	        into, region_of_kind(&into->regions, REGION_STACK), argc, argv);
	if (!*esp) {
		err = -ENOMEM;
		goto out_destroy_space;
	}
	*entry = image.entry;
	return 0;

out_destroy_space:
	vm_space_destroy(into);
	return err;
}

int process_spawn(const char *name, int argc, const char *const argv[])
{
	const void *file;
	size_t size;
	uint32_t entry, esp;
	int err = find_program("spawn", name, argc, argv, &file, &size);

	if (err)
		return err;
	if (process_user_count() >= PROCESS_MAX)
		return -EAGAIN;
	struct process *p = process_alloc(name);
	if (!p)
		return -ENOMEM;
	err = build_image(&p->vm, file, size, vm_default_mode(), argc, argv,
	                  &entry, &esp);
	if (err) {
		process_free(p);
		return err;
	}
	setup_kernel_stack(p, entry, esp);
	p->parent = sched_current();
	/* A program's child shares its open files, as after fork and
	 * execv (and as posix_spawn's does); one the kernel starts gets the
	 * console. */
	if (p->parent->is_kernel_task)
		file_table_init_console(&p->files);
	else
		file_table_copy(&p->files, &p->parent->files);
	/* A program the kernel starts (init, a test) leads a group of its
	 * own; a program's child joins its parent's. */
	p->pgid = p->parent->is_kernel_task ? p->pid : p->parent->pgid;
	sched_add(p);
	return p->pid;
}

/*
 * The trap frame of the current process's entry into the kernel from ring
 * 3: the CPU starts it at the top of the kernel stack (the TSS's esp0), so
 * it is always there during a system call, as the diagram at the top of
 * this file shows for a new process. (Linux: current_pt_regs().)
 */
static struct trap_frame *current_user_frame(struct process *self)
{
	uint8_t *top = self->kstack + KERNEL_STACK_SIZE;
	struct trap_frame *f = (struct trap_frame *)(top - sizeof(*f));

	ASSERT(!self->is_kernel_task && f->cs == GDT_USER_CODE);
	return f;
}

/*
 * Gives self the address space built beside its own (build_image) and
 * destroys the old one: page directory, frames, page tables and regions.
 * Cannot fail.
 */
static void replace_image(struct process *self, struct vm_space *image)
{
	bool irq = irq_save();
	struct vm_space old = self->vm;

	self->vm = *image;
	vmm_switch_space(self->vm.pgdir);
	irq_restore(irq);
	vm_space_destroy(&old);
}

int process_execv(const char *name, int argc, const char *const argv[])
{
	struct process *self = sched_current();
	struct trap_frame *f = current_user_frame(self);
	struct vm_space image;
	const void *file;
	size_t size;
	uint32_t entry, esp;
	int err = find_program("execv", name, argc, argv, &file, &size);

	if (err)
		return err;
	/* The new image is built beside the old one: until it is complete,
	 * the caller loses nothing. */
	err = build_image(&image, file, size, self->vm.mode, argc, argv, &entry,
	                  &esp);
	if (err)
		return err;
	/* POSIX: the resident limit and the policy outlive the program. */
	err = resident_copy(&image, &self->vm, false);
	if (err) {
		vm_space_destroy(&image);
		return err;
	}
	replace_image(self, &image);
	/* The point of no return is past: the old program is gone. */
	set_name(self, name);
	fpu_initial_state(&self->fpu);
	fpu_restore(&self->fpu); /* the FPU holds the caller's registers */
	init_user_frame(f, entry, esp);
	return 0;
}

/*
 * The child's kernel stack: a copy of the parent's trap frame (the
 * registers of its system call), with eax 0, so that switch_context
 * "returns" into trap_return and the child leaves fork with 0.
 */
static void copy_kernel_stack(struct process *child,
                              const struct trap_frame *parent_frame)
{
	uint8_t *top = child->kstack + KERNEL_STACK_SIZE;
	struct trap_frame *f = (struct trap_frame *)(top - sizeof(*f));

	*f = *parent_frame;
	f->eax = 0;
	child->saved_esp = (uint32_t)push_switch_frame((uint32_t *)f,
	                                               (uint32_t)trap_return);
}

int process_fork(const struct trap_frame *frame)
{
	struct process *parent = sched_current();
	struct fpu_state fpu;
	int err = -ENOMEM;

	/* The parent's x87 registers, before process_alloc's fninit (for
	 * the child's initial state) resets them; fnsave resets them too,
	 * so they go back at the end either way. */
	fpu_save(&fpu);
	/* The limit first: a fork bomb is held here, with memory to spare,
	 * so the caller's next write (errno's page, which its children may
	 * share copy-on-write) still finds a frame. */
	if (process_user_count() >= PROCESS_MAX) {
		err = -EAGAIN;
		goto out;
	}
	struct process *child = process_alloc(parent->name);
	if (!child)
		goto out;
	err = vm_space_fork(&child->vm, &parent->vm);
	if (err)
		goto out_free_process;
	child->fpu = fpu;
	file_table_copy(&child->files, &parent->files);
	copy_kernel_stack(child, frame);
	child->parent = parent;
	child->pgid = parent->pgid;
	sched_add(child);
	fpu_restore(&fpu);
	return child->pid;

out_free_process:
	process_free(child);
out:
	fpu_restore(&fpu);
	return err;
}

/* Everything but the zombie's struct and kernel stack goes. */
static void release_and_become_zombie(struct process *p, int wait_status)
{
	if (!p->is_kernel_task) { /* a kernel task owns no address space */
		vm_space_destroy(&p->vm);
		file_table_close_all(&p->files);
	}
	for (struct process *c = all_processes; c; c = c->next) {
		if (c->parent == p)
			c->parent = NULL; /* orphans: reaped when they end */
	}
	p->wait_status = wait_status;
	p->state = PROC_ZOMBIE;
	if (p->parent)
		sched_wakeup(p->parent);
}

void process_exit(int wait_status)
{
	struct process *p = sched_current();

	ASSERT(p->pid != 0); /* the kernel's main task never ends */
	cpu_disable_interrupts();
	release_and_become_zombie(p, wait_status);
	sched_exit_current();
}

int process_kill(struct process *p, int signal)
{
	bool irq = irq_save();
	int err = 0;

	if (p->is_kernel_task)
		err = -EPERM;
	else if (p->state == PROC_ZOMBIE)
		err = -ESRCH;
	else if (p == sched_current() || p->in_disk_io)
		p->kill_signal =
		        signal & 0x7f; /* its stack is in use, or it
		                          is in the middle of swap I/O */
	else
		release_and_become_zombie(p, signal & 0x7f);
	irq_restore(irq);
	return err;
}

void process_end_if_killed(void)
{
	struct process *p = sched_current();

	if (!p->is_kernel_task && p->kill_signal)
		process_exit(p->kill_signal);
}

/* A zombie child matching pid (-1: any), or NULL; *any_child tells
 * whether a matching child exists at all. */
static struct process *find_zombie_child(struct process *parent, int pid,
                                         bool *any_child)
{
	*any_child = false;
	for (struct process *c = all_processes; c; c = c->next) {
		if (c->parent != parent || (pid != -1 && c->pid != pid))
			continue;
		*any_child = true;
		if (c->state == PROC_ZOMBIE)
			return c;
	}
	return NULL;
}

int process_wait(int pid, int *status, int options)
{
	struct process *self = sched_current();
	bool irq = irq_save();
	int result;

	for (;;) {
		bool any_child;
		struct process *child =
		        find_zombie_child(self, pid, &any_child);

		if (child) {
			result = child->pid;
			if (status)
				*status = child->wait_status;
			process_list_remove(child);
			process_free(child);
			break;
		}
		if (!any_child) {
			result = -ECHILD;
			break;
		}
		if (options & WNOHANG) {
			result = 0;
			break;
		}
		sched_sleep_on(self); /* a child's exit wakes us */
	}
	irq_restore(irq);
	return result;
}

void process_reap_orphans(void)
{
	struct process *p = all_processes;

	while (p) {
		struct process *next = p->next;
		if (p->state == PROC_ZOMBIE && !p->parent &&
		    p != sched_current()) {
			process_list_remove(p);
			process_free(p);
		}
		p = next;
	}
}
