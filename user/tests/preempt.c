/*
 * A CPU-bound process does not starve the others: while a spinner (which
 * never sleeps or yields) runs for a second, this process still wakes up
 * from short sleeps again and again. With a scheduler that switches only
 * when a process blocks, it would wake once, after the spinner ended.
 */
#include "check.h"

#define SPIN_MS 1000
#define MIN_WAKEUPS 10 /* a fair scheduler gives about 50 */

int main(void)
{
	uint32_t start = sys_uptime_ms();
	int pid = sys_spawn("spinner", (char *[]){"spinner", "1000", NULL});
	CHECK(pid > 0);

	int wakeups = 0;
	int status;
	int got;
	while ((got = sys_waitpid(pid, &status, WNOHANG)) == 0) {
		sys_sleep_ms(20);
		wakeups++;
	}
	uint32_t elapsed = sys_uptime_ms() - start;

	CHECK_EQ(got, pid);
	CHECK_EXITED(status, 0);
	CHECK(elapsed >= SPIN_MS);
	if (wakeups < MIN_WAKEUPS)
		check_fail(__FILE__, __LINE__,
		           "woke only %d times in %u ms while a spinner ran",
		           wakeups, (unsigned)elapsed);
	return 0;
}
