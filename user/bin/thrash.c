/*
 * thrash: the thrashing demo (docs/swap-policies.md). For N = 1, 2, ...
 * MAX, N processes each loop over a working set of PAGES heap pages of
 * their own (a write to every page, as a loop over an array does) for MS
 * milliseconds, all at once; the passes they make in that time (all of
 * them, and the slowest one's), and the pages read from swap, show the
 * progress. Each process gives the CPU up
 * after every pass (yield), so the working sets compete page by page, as
 * they do on a busy machine: while they fit in memory each process runs
 * at memory speed; once they do not, a process must fault back in what
 * the others pushed out, one page per disk read, while the one whose
 * pages are still there runs on: the others' progress collapses. Boot
 * with little memory to see it: `make bench-swap` runs it with mem=4.
 *
 *   thrash [PAGES [MS [MAX]]]    (default 256 pages, 500 ms, 5)
 *
 * The children count their passes in a page they all share
 * (mmap MAP_SHARED | MAP_ANONYMOUS, docs/mmap.md): an exit status holds
 * only 8 bits.
 */
#include <memos.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096u
#define MAX_PROCS 16

/* One process's work: passes over pages pages, a word in 16 of each
 * written, until the deadline; its passes counted in *passes. */
static void work(unsigned pages, uint32_t deadline, volatile uint32_t *passes)
{
	volatile uint32_t *heap = sbrk((intptr_t)(pages * PAGE));

	if (heap == (void *)-1) {
		perror("thrash: sbrk");
		exit(1);
	}
	for (uint32_t pass = 0; uptime_ms() < deadline; pass++) {
		for (unsigned w = 0; w < pages * PAGE / 4; w += 16)
			heap[w] += pass;
		(*passes)++;
		yield(); /* the next process's turn: the working sets compete */
	}
	exit(0);
}

static unsigned arg(int argc, char **argv, int i, unsigned fallback,
                    unsigned max)
{
	if (argc <= i)
		return fallback;
	long v = atol(argv[i]);
	if (v < 1 || v > (long)max) {
		fprintf(stderr, "thrash: '%s' is not 1-%u\n", argv[i], max);
		exit(2);
	}
	return (unsigned)v;
}

/* One round: n processes for ms milliseconds. Returns 0, or 1 if one
 * failed (its reason printed). */
static int round_of(unsigned n, unsigned pages, unsigned ms,
                    volatile uint32_t *passes)
{
	struct meminfo before, after;
	uint32_t total = 0, slowest = UINT32_MAX;
	int failed = 0, status;

	meminfo(&before);
	uint32_t start = uptime_ms();
	for (unsigned i = 0; i < n; i++) {
		passes[i] = 0;
		int pid = fork();
		if (pid == 0)
			work(pages, start + ms, &passes[i]);
		if (pid < 0) {
			perror("thrash: fork");
			return 1;
		}
	}
	for (unsigned i = 0; i < n; i++)
		if (wait(&status) < 0 || status != 0)
			failed++;
	uint32_t took = uptime_ms() - start;
	meminfo(&after);
	if (failed) {
		printf("thrash: %d of %u processes failed\n", failed, n);
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		total += passes[i];
		if (passes[i] < slowest)
			slowest = passes[i];
	}
	if (took == 0)
		took = 1;
	printf("%-6u %-13u %-7u %-21u %-18u %u\n", n, n * pages, (unsigned)took,
	       (unsigned)(after.swap_pages_read - before.swap_pages_read),
	       (unsigned)(total * 1000 / took),
	       (unsigned)(slowest * 1000 / took));
	return 0;
}

int main(int argc, char **argv)
{
	unsigned pages = arg(argc, argv, 1, 256, 4096);
	unsigned ms = arg(argc, argv, 2, 500, 60000);
	unsigned max = arg(argc, argv, 3, 5, MAX_PROCS);
	struct meminfo m;
	volatile uint32_t *passes = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
	                                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (passes == MAP_FAILED) {
		perror("thrash: mmap");
		return 1;
	}
	meminfo(&m);
	printf("thrash: %u frames free, %u swap slots; each process: %u "
	       "ms over %u pages\n",
	       (unsigned)m.free_frames, (unsigned)m.swap_slots_total, ms,
	       pages);
	printf("procs  pages wanted  ms      pages read from swap  passes per "
	       "second  the slowest's\n");
	for (unsigned n = 1; n <= max; n++)
		if (round_of(n, pages, ms, passes))
			return 1;
	return 0;
}
