/* The timer interrupt arrives, the tick count moves, the count runs. */
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
	uint16_t count = pit_count();
	KT_ASSERT(count >= 1 && count <= PIT_DIVISOR);
}
