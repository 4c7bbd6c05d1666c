/*
 * spinner [MS]: keeps the CPU busy for MS milliseconds of wall-clock time,
 * never sleeping or yielding, then exits 0; with no MS, forever (Ctrl-C at
 * the shell stops it). Only a preemptive scheduler
 * lets other processes run meanwhile. It asks the time only between long
 * stretches of pure computation.
 */
#include <memos.h>
#include <stdio.h>

#include "user/lib/parse.h"

static void compute(void)
{
	for (volatile unsigned i = 0; i < 1000000; i++)
		;
}

int main(int argc, char **argv)
{
	int ms;

	if (argc == 1) {
		for (;;)
			compute();
	}
	if (argc != 2 || parse_int(argv[1], &ms) != 0 || ms < 0) {
		fprintf(stderr, "usage: spinner [MILLISECONDS]\n");
		return 2;
	}
	uint32_t start = uptime_ms();
	while (uptime_ms() - start < (uint32_t)ms)
		compute();
	return 0;
}
