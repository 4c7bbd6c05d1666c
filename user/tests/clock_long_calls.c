/*
 * uptime_ms keeps time while another process makes long system calls. A
 * child grows a 16 MiB heap and forks it in vm=eager mode: two system
 * calls of millions of instructions each, run with interrupts off. The
 * parent compares how far uptime_ms moved meanwhile with how far the
 * time-stamp counter did (whose rate it measures first, while nothing
 * runs). A clock that counts timer ticks falls behind here: the ticks
 * that come while interrupts are off are lost (kernel/clock.c).
 */
// test-vm: eager
#include <memos.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define HEAP_BYTES (16u * 1024 * 1024)
#define PAGE 4096u

struct instant {
	uint32_t ms;
	uint64_t tsc;
};

/* Right after uptime_ms moves to a new value: a clock that moves in ticks
 * is then at the start of one. */
static struct instant next_edge(void)
{
	uint32_t ms = uptime_ms();
	struct instant now;

	do {
		now.tsc = read_tsc();
		now.ms = uptime_ms();
	} while (now.ms == ms);
	return now;
}

static int grow_and_fork(void)
{
	char *heap = sbrk(HEAP_BYTES); /* eager: every page zeroed now */

	if (heap == (void *)-1)
		return 2;
	for (uint32_t off = 0; off < HEAP_BYTES; off += PAGE)
		heap[off] = 1;
	int pid = fork(); /* eager: every page copied now */
	if (pid == 0)
		exit(0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 3;
	return 0;
}

int main(void)
{
	/* The counter's rate, over 300 ms in which nothing else runs. */
	struct instant a = next_edge();
	sleep_ms(300);
	struct instant b = next_edge();
	uint64_t tsc_per_ms = (b.tsc - a.tsc) / (b.ms - a.ms);
	CHECK(tsc_per_ms > 0);

	struct instant start = next_edge();
	int pid = fork();
	if (pid == 0)
		exit(grow_and_fork());
	CHECK(pid > 0);
	int status = -1;
	CHECK_ERR(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	struct instant end = {.tsc = read_tsc(), .ms = uptime_ms()};

	uint32_t clock_ms = end.ms - start.ms;
	uint32_t tsc_ms = (uint32_t)((end.tsc - start.tsc) / tsc_per_ms);
	/* The child's calls take about 200 ms at the tests' rate: enough
	 * for a lost tick to show. */
	if (tsc_ms < 100)
		check_fail(__FILE__, __LINE__,
		           "the child's fork took %u ms by the TSC: too short "
		           "to test the clock",
		           (unsigned)tsc_ms);
	/* A tick (10 ms) and 2% for the rate measured above. */
	uint32_t slack = 10 + tsc_ms / 50;
	if (clock_ms + slack < tsc_ms || clock_ms > tsc_ms + slack)
		check_fail(__FILE__, __LINE__,
		           "uptime_ms moved %u ms while the TSC counted %u ms "
		           "(a child's long fork): the clock loses the time "
		           "system calls run with interrupts off",
		           (unsigned)clock_ms, (unsigned)tsc_ms);
	return 0;
}
