/* <time.h>: memos has no clock of the day: time() counts seconds since
 * boot and clock() milliseconds since boot. */
#ifndef _MEMOS_TIME_H
#define _MEMOS_TIME_H

#include <stddef.h>

#define CLOCKS_PER_SEC 1000

typedef long time_t;
typedef long clock_t;

time_t time(time_t *t);
clock_t clock(void);

#endif
