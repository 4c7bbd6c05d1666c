/* uptime_ms(), sleep_ms() and yield(). */
#include "check.h"

int main(void)
{
	/* The clock never goes backwards. */
	uint32_t prev = uptime_ms();
	for (int i = 0; i < 1000; i++) {
		uint32_t now = uptime_ms();
		CHECK(now >= prev);
		prev = now;
	}

	CHECK_EQ(yield(), 0);
	CHECK_EQ(sleep_ms(0), 0);

	/* A sleep lasts at least as long as asked (and not wildly more). */
	uint32_t start = uptime_ms();
	CHECK_EQ(sleep_ms(100), 0);
	uint32_t slept = uptime_ms() - start;
	CHECK(slept >= 100);
	CHECK(slept < 5000);

	/* A few short sleeps in a row. */
	start = uptime_ms();
	for (int i = 0; i < 5; i++)
		CHECK_EQ(sleep_ms(20), 0);
	CHECK(uptime_ms() - start >= 100);
	return 0;
}
