/*
 * The emulator's clock counts instructions at the tests' rate
 * (tools/emulator-clock.conf): a user test's time limit, counted by
 * kernel/clock.c, then means the same amount of work in QEMU and in Bochs.
 */
#include "drivers/pit.h"
#include "kernel/arch/cpu.h"
#include "kernel/clock.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

/* From the Makefile, for this file only: QEMU's -icount shift and the
 * instructions per virtual second it gives (Bochs' ips). */
#if !defined(ICOUNT_SHIFT) || !defined(CLOCK_IPS)
#error "ICOUNT_SHIFT and CLOCK_IPS come from tools/emulator-clock.conf"
#endif

/* 3e7 instructions: 240 ms at 125e6 a second. Long enough that a tick
 * (10 ms) is a small part of it, short enough to cost Bochs a second even
 * at its default rate of 4e6 a second. */
#define INSTRUCTIONS 30000000u
#define EXPECTED_MS ((uint32_t)(INSTRUCTIONS * 1000ull / CLOCK_IPS))
/* The timer interrupts' own instructions, and the tick the loop ends in:
 * a few ms. A clock that follows the host's time is off by a factor of 2
 * in one of the loops at least (below), Bochs' default by 30. */
#define TOLERANCE_MS (EXPECTED_MS / 10)

/* Two turns of the same instruction count. The second costs an emulator
 * that does not count instructions about 4 times more host time per
 * instruction (an I/O write; port 0x80 is the POST code port, free to
 * write): such a clock cannot match the rate in both, whatever the host's
 * speed. */
static void run_arithmetic(uint32_t turns) /* 2 instructions a turn */
{
	__asm__ volatile("1: dec %0\n\t"
	                 "jnz 1b"
	                 : "+r"(turns)
	                 :
	                 : "cc");
}

static void run_port_writes(uint32_t turns) /* 3 instructions a turn */
{
	__asm__ volatile("1: outb %%al, $0x80\n\t"
	                 "dec %0\n\t"
	                 "jnz 1b"
	                 : "+r"(turns)
	                 :
	                 : "cc");
}

/* Fails unless `turns` turns of run take EXPECTED_MS of virtual time. */
static void check_takes_expected_time(const char *what,
                                      void (*run)(uint32_t turns),
                                      uint32_t turns)
{
	uint32_t start = clock_uptime_ms();
	run(turns);
	uint32_t took = clock_uptime_ms() - start;

	if (took + TOLERANCE_MS < EXPECTED_MS ||
	    took > EXPECTED_MS + TOLERANCE_MS)
		ktest_fail(__FILE__, __LINE__,
		           "%u %s took %u ms, not %u: the emulator lacks the "
		           "test clock: QEMU needs -icount shift=%d, Bochs "
		           "ips=%u (tools/emulator-clock.conf)",
		           INSTRUCTIONS, what, took, EXPECTED_MS, ICOUNT_SHIFT,
		           (unsigned)CLOCK_IPS);
}

void test_clock_counts_instructions(void)
{
	check_takes_expected_time("instructions", run_arithmetic,
	                          INSTRUCTIONS / 2);
	check_takes_expected_time("instructions with I/O", run_port_writes,
	                          INSTRUCTIONS / 3);
}

/* 240 ms with interrupts off, as in a long system call: the timer's ticks
 * stop, the clock must not (kernel/clock.c). */
void test_clock_runs_with_interrupts_off(void)
{
	bool irq = irq_save();
	uint32_t ticks = pit_ticks();
	uint32_t start = clock_uptime_ms();
	run_arithmetic(INSTRUCTIONS / 2);
	uint32_t took = clock_uptime_ms() - start;
	uint32_t ticked = pit_ticks() - ticks;
	irq_restore(irq);

	KT_ASSERT_EQ(ticked, 0); /* the premise: no tick came */
	if (took + TOLERANCE_MS < EXPECTED_MS ||
	    took > EXPECTED_MS + TOLERANCE_MS)
		ktest_fail(__FILE__, __LINE__,
		           "%u instructions with interrupts off took %u ms by "
		           "clock_uptime_ms, not %u: the clock stops with the "
		           "timer's interrupts",
		           INSTRUCTIONS, took, EXPECTED_MS);
}
