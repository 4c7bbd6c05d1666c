/* uptime_ms(), sleep_ms() and yield(). */
#include "check.h"

int main(void)
{
	/* The clock never goes backwards. */
	uint32_t prev = sys_uptime_ms();
	for (int i = 0; i < 1000; i++) {
		uint32_t now = sys_uptime_ms();
		CHECK(now >= prev);
		prev = now;
	}

	CHECK_ERR(sys_yield(), 0);
	CHECK_ERR(sys_sleep_ms(0), 0);

	/* A sleep lasts at least as long as asked (and not wildly more). */
	uint32_t start = sys_uptime_ms();
	CHECK_ERR(sys_sleep_ms(100), 0);
	uint32_t slept = sys_uptime_ms() - start;
	CHECK(slept >= 100);
	CHECK(slept < 5000);

	/* A few short sleeps in a row. */
	start = sys_uptime_ms();
	for (int i = 0; i < 5; i++)
		CHECK_ERR(sys_sleep_ms(20), 0);
	CHECK(sys_uptime_ms() - start >= 100);
	return 0;
}
