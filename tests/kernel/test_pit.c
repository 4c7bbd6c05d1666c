/* The timer interrupt arrives and the tick count moves. */
#include "drivers/pit.h"
#include "kernel/arch/cpu.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

void test_pit_ticks(void)
{
	KT_ASSERT(read_eflags() & EFLAGS_IF);
	uint32_t start = pit_ticks();

	/* Each hlt sleeps until an interrupt; only the PIT's is unmasked.
	 * Bound the wait so a dead timer fails the test instead of hanging. */
	for (int i = 0; i < 1000 && pit_ticks() - start < 5; i++)
		hlt();
	KT_ASSERT(pit_ticks() - start >= 5);
	KT_ASSERT_EQ(pit_uptime_ms(), pit_ticks() * (1000 / PIT_HZ));
}
