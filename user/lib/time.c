/* <time.h> without a clock of the day: time counts from boot. */
#include <time.h>

#include "user/lib/syscall.h"

time_t time(time_t *t)
{
	time_t now = (time_t)(sys_uptime_ms() / 1000);

	if (t)
		*t = now;
	return now;
}

clock_t clock(void)
{
	return (clock_t)sys_uptime_ms();
}
