/*
 * The emulator's clock counts instructions at the tests' rate
 * (tools/emulator-clock.conf): a user test's time limit, counted in PIT
 * ticks, then means the same amount of work in QEMU and in Bochs.
 */
#include "drivers/pit.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

/* From the Makefile, for this file only: QEMU's -icount shift and the
 * instructions per virtual second it gives (Bochs' ips). */
#if !defined(ICOUNT_SHIFT) || !defined(CLOCK_IPS)
#error "ICOUNT_SHIFT and CLOCK_IPS come from tools/emulator-clock.conf"
#endif

/* Two instructions a turn: 5e7 instructions, 400 ms at 125e6 a second.
 * Long enough that a tick (10 ms) is a small part of it, short enough to
 * cost Bochs half a second even at its default rate of 4e6 a second. */
#define TURNS 25000000u
#define EXPECTED_MS ((uint32_t)(2ull * TURNS * 1000 / CLOCK_IPS))
/* The timer interrupts' own instructions, and the tick the loop starts or
 * ends in: a few ms. A wrong clock is off by a factor of 10 or more. */
#define TOLERANCE_MS (EXPECTED_MS / 10)

/* Runs exactly 2 * turns instructions (plus the interrupts'). */
static void run_instructions(uint32_t turns)
{
	__asm__ volatile("1: dec %0\n\t"
	                 "jnz 1b"
	                 : "+r"(turns)
	                 :
	                 : "cc");
}

void test_clock_counts_instructions(void)
{
	/* Start on a tick's edge, so the count is off by at most one tick. */
	uint32_t edge = pit_ticks();
	while (pit_ticks() == edge)
		;
	uint32_t start = pit_uptime_ms();
	run_instructions(TURNS);
	uint32_t took = pit_uptime_ms() - start;

	if (took + TOLERANCE_MS < EXPECTED_MS ||
	    took > EXPECTED_MS + TOLERANCE_MS)
		ktest_fail(__FILE__, __LINE__,
		           "%u instructions took %u ms, not %u: the emulator "
		           "lacks the test clock: QEMU needs -icount shift=%d, "
		           "Bochs ips=%u (tools/emulator-clock.conf)",
		           2 * TURNS, took, EXPECTED_MS, ICOUNT_SHIFT,
		           (unsigned)CLOCK_IPS);
}
