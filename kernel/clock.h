/*
 * The kernel's clock: milliseconds since boot, from the CPU's time-stamp
 * counter, right however long interrupts stay off (kernel/clock.c says
 * why the timer's ticks cannot be counted for this).
 */
#ifndef KERNEL_CLOCK_H
#define KERNEL_CLOCK_H

#include <stdint.h>

/* Measures the time-stamp counter's rate against the PIT (pit_init must
 * have run) and starts the clock at 0. Call with interrupts off. */
void clock_init(void);

/* Milliseconds since clock_init (wraps after about 49 days). */
uint32_t clock_uptime_ms(void);

#endif
