/* The programmable interval timer: IRQ 0 at PIT_HZ, counted in ticks. */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#include <stdint.h>

#define PIT_HZ 100 /* ticks per second: one every 10 ms */

/* Starts the timer; on_tick (if not NULL) runs on every tick, in the
 * interrupt handler. */
void pit_init(void (*on_tick)(void));
/* Ticks since pit_init (wraps after about 497 days). */
uint32_t pit_ticks(void);
uint32_t pit_uptime_ms(void);

#endif
