/*
 * The scheduler: round robin over every runnable process, preemptive on
 * the timer, with blocking waits (sleep on a channel, wake it up) that use
 * no CPU. An idle task halts the CPU when nothing can run.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct process;

/* Turns the running kmain into the "kernel" task and makes the idle
 * task; call once, before interrupts are enabled. */
void sched_init(void);

struct process *sched_current(void);

/* Makes a new process runnable. */
void sched_add(struct process *p);

/* Gives the CPU to the next runnable process (maybe the same one). */
void sched_yield(void);

/*
 * Blocks the current process until sched_wakeup(channel). A channel is
 * any address both sides agree on (the parent for waitpid, the console
 * for read). Interrupts must be off, so a wakeup cannot slip in between
 * checking a condition and sleeping.
 */
void sched_sleep_on(const void *channel);
void sched_wakeup(const void *channel);

/* As sched_sleep_on, but the timer also wakes it once ms milliseconds
 * have passed: the caller checks its condition, and the clock, again. */
void sched_sleep_on_timeout(const void *channel, uint32_t ms);

/* True once the scheduler runs: the timer has ticked, so a process that
 * sleeps is woken (a driver polls before that, at boot). */
bool sched_started(void);

/* Blocks the current process for at least ms milliseconds. */
void sched_sleep_ms(uint32_t ms);

/* Called by the timer on every tick: wakes sleepers, preempts. */
void sched_tick(void);

/* Never returns: switches away from a process that has exited. */
void sched_exit_current(void) __attribute__((noreturn));

#endif
