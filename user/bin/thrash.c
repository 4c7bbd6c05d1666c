/*
 * thrash: the thrashing demo (docs/swap-policies.md). For N = 1, 2, ...
 * MAX, N processes each make PASSES passes over a working set of PAGES
 * heap pages of their own (a write to every page, as a loop over an array
 * does), all at once; the round's time and the pages read from swap show
 * the progress. While the working sets fit in memory each process runs at
 * memory speed; once they do not, each one's turn starts by faulting back
 * in what the others pushed out, and the work per second collapses. Boot
 * with little memory to see it: `make bench-swap` runs it with mem=4.
 *
 *   thrash [PAGES [PASSES [MAX]]]    (default 256 pages, 400 passes, 5)
 */
#include <memos.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096u

/* One process's work: passes over pages pages, a word in 16 of each
 * written (enough work per pass that the processes run side by side,
 * taking turns at each timer tick). */
static void work(unsigned pages, unsigned passes)
{
	volatile uint32_t *heap = sbrk((intptr_t)(pages * PAGE));

	if (heap == (void *)-1) {
		perror("thrash: sbrk");
		exit(1);
	}
	for (unsigned pass = 0; pass < passes; pass++)
		for (unsigned w = 0; w < pages * PAGE / 4; w += 16)
			heap[w] += pass;
	exit(0);
}

static unsigned arg(int argc, char **argv, int i, unsigned fallback)
{
	if (argc <= i)
		return fallback;
	long v = atol(argv[i]);
	if (v < 1 || v > 4096) {
		fprintf(stderr, "thrash: '%s' is not 1-4096\n", argv[i]);
		exit(2);
	}
	return (unsigned)v;
}

int main(int argc, char **argv)
{
	unsigned pages = arg(argc, argv, 1, 256);
	unsigned passes = arg(argc, argv, 2, 400);
	unsigned max = arg(argc, argv, 3, 5);
	struct meminfo m;

	meminfo(&m);
	printf("thrash: %u frames free, %u swap slots; each process: %u "
	       "passes over %u pages\n",
	       (unsigned)m.free_frames, (unsigned)m.swap_slots_total, passes,
	       pages);
	printf("procs  pages wanted  ms      pages read from swap  passes "
	       "per second\n");
	for (unsigned n = 1; n <= max; n++) {
		struct meminfo before, after;
		meminfo(&before);
		uint32_t start = uptime_ms();
		for (unsigned i = 0; i < n; i++) {
			int pid = fork();
			if (pid == 0)
				work(pages, passes);
			if (pid < 0) {
				perror("thrash: fork");
				return 1;
			}
		}
		int failed = 0, status;
		for (unsigned i = 0; i < n; i++)
			if (wait(&status) < 0 || status != 0)
				failed++;
		uint32_t ms = uptime_ms() - start;
		meminfo(&after);
		if (failed) {
			printf("thrash: %d of %u processes failed\n", failed,
			       n);
			return 1;
		}
		printf("%-6u %-13u %-7u %-21u %u\n", n, n * pages, (unsigned)ms,
		       (unsigned)(after.swap_pages_read -
		                  before.swap_pages_read),
		       (unsigned)(n * passes * 1000 / (ms ? ms : 1)));
	}
	return 0;
}
