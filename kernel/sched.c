/*
 * Round-robin scheduling. Every process is on one list; schedule() walks
 * it from the current process and runs the next runnable one, or the idle
 * task if there is none. Switching means: point the TSS at the new kernel
 * stack (where the CPU lands on the next interrupt from ring 3), load the
 * new page directory, and switch_context() to the new kernel stack.
 *
 * Everything here runs with interrupts off.
 */
#include "kernel/sched.h"

#include <stddef.h>

#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/clock.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/resident.h"
#include "kernel/swap.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/vmm.h"

void switch_context(uint32_t *save_esp, uint32_t new_esp); /* switch.asm */

static struct process kernel_task; /* kmain, on the boot stack */
static struct process *idle_task;
static struct process *current;
static const char sleep_channel; /* what sched_sleep_ms sleeps on */
static bool started;             /* sched_tick has run once */

static void idle_loop(void)
{
	for (;;) {
		cpu_enable_interrupts();
		hlt(); /* until the next interrupt */
		sched_yield();
	}
}

void sched_init(void)
{
	kernel_task.pid = 0;
	kernel_task.is_kernel_task = true;
	kernel_task.vm.pgdir = vmm_kernel_space();
	kernel_task.state = PROC_RUNNABLE;
	memcpy(kernel_task.name, "kernel", sizeof("kernel"));
	fpu_initial_state(&kernel_task.fpu);
	process_list_add(&kernel_task);
	current = &kernel_task;

	idle_task = process_create_kernel_task("idle", idle_loop);
	if (!idle_task)
		PANIC("sched: no memory for the idle task");
}

struct process *sched_current(void)
{
	return current;
}

void sched_add(struct process *p)
{
	p->state = PROC_RUNNABLE;
	process_list_add(p);
}

/* The next runnable process after current, in list order, wrapping. */
static struct process *pick_next(void)
{
	struct process *start = current == idle_task ? NULL : current->next;

	for (struct process *p = start; p; p = p->next) {
		if (p->state == PROC_RUNNABLE)
			return p;
	}
	for (struct process *p = process_list(); p; p = p->next) {
		if (p->state == PROC_RUNNABLE)
			return p;
		if (p == current)
			break;
	}
	return idle_task;
}

static void schedule(void)
{
	process_reap_orphans();
	struct process *next = pick_next();
	struct process *prev = current;

	if (next == prev)
		return;
	current = next;
	if (!next->is_kernel_task)
		gdt_set_kernel_stack((uint32_t)next->kstack +
		                     KERNEL_STACK_SIZE);
	if (vmm_current_space() != next->vm.pgdir)
		vmm_switch_space(next->vm.pgdir);
	fpu_save(&prev->fpu);
	fpu_restore(&next->fpu);
	switch_context(&prev->saved_esp, next->saved_esp);
}

void sched_yield(void)
{
	bool irq = irq_save();
	schedule();
	irq_restore(irq);
}

void sched_sleep_on(const void *channel)
{
	ASSERT(!(read_eflags() & EFLAGS_IF));
	ASSERT(current != idle_task);
	current->wait_channel = channel;
	current->state = PROC_BLOCKED;
	schedule();
	current->wait_channel = NULL;
}

void sched_wakeup(const void *channel)
{
	bool irq = irq_save();

	for (struct process *p = process_list(); p; p = p->next) {
		if (p->state == PROC_BLOCKED && p->wait_channel == channel)
			p->state = PROC_RUNNABLE;
	}
	irq_restore(irq);
}

void sched_sleep_on_timeout(const void *channel, uint32_t ms)
{
	current->wake_at_ms = clock_uptime_ms() + ms;
	current->timed_sleep = true;
	sched_sleep_on(channel);
	current->timed_sleep = false;
}

bool sched_started(void)
{
	return started;
}

void sched_sleep_ms(uint32_t ms)
{
	bool irq = irq_save();
	uint32_t start = clock_uptime_ms();
	uint32_t waited;

	while ((waited = clock_uptime_ms() - start) < ms)
		sched_sleep_on_timeout(&sleep_channel, ms - waited);
	irq_restore(irq);
}

void sched_tick(void)
{
	uint32_t now = clock_uptime_ms();

	started = true;
	for (struct process *p = process_list(); p; p = p->next) {
		if (p->state == PROC_BLOCKED && p->timed_sleep &&
		    (int32_t)(now - p->wake_at_ms) >= 0)
			p->state = PROC_RUNNABLE;
	}
	/* The lru policy's sampling: the accessed bits of the pages of the
	 * process that ran during this tick (only it can have set them). */
	if (current && !current->is_kernel_task)
		resident_tick(&current->vm);
	swap_tick(); /* the same for every user frame, with evict=lru */
	/* Preemption: every tick, the next runnable process gets a turn. */
	if (current)
		schedule();
}

void sched_exit_current(void)
{
	cpu_disable_interrupts();
	ASSERT(current->state == PROC_ZOMBIE);
	schedule();
	PANIC("sched: a zombie was scheduled");
}
