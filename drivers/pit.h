/* The programmable interval timer: IRQ 0 at PIT_HZ, counted in ticks. */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#include <stdint.h>

#define PIT_HZ 100            /* ticks per second: one every 10 ms */
#define PIT_INPUT_HZ 1193182u /* the chip's clock */
/* What the chip divides its clock by: a tick is PIT_DIVISOR / PIT_INPUT_HZ
 * seconds (9.9993 ms: the divisor is a whole number). */
#define PIT_DIVISOR (PIT_INPUT_HZ / PIT_HZ)

/* Starts the timer; on_tick (if not NULL) runs on every tick, in the
 * interrupt handler. */
void pit_init(void (*on_tick)(void));
/* Ticks since pit_init (wraps after about 497 days). Ticks that come
 * while interrupts are off are lost but one: for time, kernel/clock.h. */
uint32_t pit_ticks(void);
/* The chip's count now: from PIT_DIVISOR down to 1, once per tick, then
 * again from PIT_DIVISOR. It runs whether interrupts are on or not. */
uint16_t pit_count(void);

#endif
