/*
 * The kernel's clock. It cannot count the timer's ticks: system calls run
 * with interrupts off (kernel/syscall.c), and while they are off the PIC
 * holds at most one timer interrupt, so a call that runs for 165 ms (an
 * eager fork of a 16 MiB heap) lets 1 tick through for 16. A tick count
 * falls behind by whatever the long calls took, and sleep_ms, uptime_ms
 * and the tests' time limits with it.
 *
 * The CPU's time-stamp counter counts on whatever the interrupts do. Its
 * rate is the machine's own (a real CPU's clock speed; one per virtual
 * nanosecond in QEMU with -icount; one per instruction in Bochs), so
 * clock_init measures it against the PIT, whose rate is fixed: the TSC
 * cycles while the PIT's count runs down CALIBRATION_TICKS times.
 *
 * The other way out, letting long system calls take interrupts, would keep
 * the tick count right too, but then every kernel path that can run long
 * would have to be safe against being switched away from in the middle;
 * memos' rule is that interrupts off is its only lock.
 */
#include "kernel/clock.h"

#include <stdbool.h>

#include "drivers/pit.h"
#include "kernel/arch/cpu.h"
#include "kernel/panic.h"

/* Ticks the rate is measured over: 50 ms (60 with the one to settle).
 * The PIT's count is read every few dozen instructions, so the edges are
 * known to a microsecond or so: the rate to a few parts in 100,000. */
#define CALIBRATION_TICKS 5

static uint64_t start_tsc; /* the counter when the clock read 0 */
static uint64_t tsc_hz;    /* 0 until clock_init */

/* Polls the PIT's count until it starts a new tick (the count, which runs
 * down, goes up again); returns the TSC right then. */
static uint64_t tsc_at_next_tick(void)
{
	uint16_t before = pit_count();

	for (;;) {
		uint16_t now = pit_count();
		if (now > before)
			return rdtsc();
		before = now;
	}
}

void clock_init(void)
{
	ASSERT(!(read_eflags() & EFLAGS_IF));
	if (!cpu_has_tsc())
		PANIC("clock: this CPU has no time-stamp counter (rdtsc): "
		      "memos needs a Pentium or later");
	/* One tick to settle: right after pit_init the chip may not have
	 * loaded its count yet, and a first read of nonsense looks like an
	 * edge. */
	tsc_at_next_tick();
	uint64_t first = tsc_at_next_tick();
	uint64_t last = first;
	for (int i = 0; i < CALIBRATION_TICKS; i++)
		last = tsc_at_next_tick();
	/* CALIBRATION_TICKS ticks of PIT_DIVISOR / PIT_INPUT_HZ s each. */
	tsc_hz = (last - first) * PIT_INPUT_HZ /
	         ((uint64_t)CALIBRATION_TICKS * PIT_DIVISOR);
	if (tsc_hz < 1000)
		PANIC("clock: the time-stamp counter counts %u a second: "
		      "too slow to time milliseconds",
		      (unsigned)tsc_hz);
	start_tsc = rdtsc();
}

uint32_t clock_uptime_ms(void)
{
	if (tsc_hz == 0)
		return 0; /* before clock_init */
	return (uint32_t)((rdtsc() - start_tsc) * 1000 / tsc_hz);
}
