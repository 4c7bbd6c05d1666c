/*
 * vmbench: what memory on demand and copy-on-write save and cost, in the
 * mode the kernel runs in (vm=lazy or vm=eager): the instructions of
 * fork, spawn, execv and each kind of page fault, and the frames some
 * workloads hold. `make bench-vm` boots it once in each mode and prints
 * both beside the targets (tools/vm-bench.sh, docs/virtual-memory.md).
 *
 * Instructions are counted with the time-stamp counter: `make bench-vm`
 * runs QEMU with -icount shift=ICOUNT_SHIFT, where the TSC is the virtual
 * clock and each instruction adds 2^ICOUNT_SHIFT ns to it, so the count
 * is exact and the same on every run (anywhere else the figures mean
 * nothing). What a loop costs includes the timer interrupts that come
 * during it: well under 1 in 1,000 of the instructions.
 *
 * One line per figure, "vmbench (MODE): WHAT: N instructions each (R
 * runs)" or "vmbench (MODE): WHAT: N frames"; tools/vm-bench.sh reads
 * them by WHAT.
 */
#include <memos.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef ICOUNT_SHIFT
#error "ICOUNT_SHIFT comes from tools/emulator-clock.conf (user/user.mk)"
#endif

#define PAGE 4096u
#define RUNS 100       /* of each cheap operation */
#define FAULT_PAGES 64 /* pages touched to time a kind of fault */
#define HEAP_BYTES (32u * 1024 * 1024)
#define STRIDE 16 /* the 32 MiB heap workload touches one page in 16 */
#define FORK_HEAP_BYTES (16u * 1024 * 1024)
#define FORK_HEAP_RUNS 10
#define UNTOUCHED_HEAP_BYTES (64u * 1024 * 1024)

static const char *mode;
static bool eager;
static char probe[PAGE] __attribute__((aligned(4096))); /* never touched */
static char floor_pages[2][PAGE] __attribute__((aligned(4096)));

/* Guest instructions since boot (see the top of the file). */
static uint64_t instructions(void)
{
	return read_tsc() >> ICOUNT_SHIFT;
}

static void print_each(const char *what, uint64_t total, unsigned runs)
{
	printf("vmbench (%s): %s: %u instructions each (%u runs)\n", mode, what,
	       (unsigned)(total / runs), runs);
}

static struct meminfo counters(void)
{
	struct meminfo m = {0};

	if (meminfo(&m) != 0)
		exit(10);
	return m;
}

static _Noreturn void give_up(const char *what, const char *why)
{
	printf("vmbench (%s): %s: not measured: %s\n", mode, what, why);
	exit(11);
}

/* ---- Workloads ----------------------------------------------------------- */

/* The floors a fault is compared with: the same page work in user space. */
static void time_floors(void)
{
	memset(floor_pages, 1, sizeof(floor_pages)); /* frames for both */
	uint64_t start = instructions();
	for (int i = 0; i < RUNS; i++)
		memset(floor_pages[0], 0, PAGE);
	print_each("floor: zeroing 4 KiB in user space", instructions() - start,
	           RUNS);
	start = instructions();
	for (int i = 0; i < RUNS; i++)
		memcpy(floor_pages[1], floor_pages[0], PAGE);
	print_each("floor: copying 4 KiB in user space", instructions() - start,
	           RUNS);
}

/* fork, the child exits at once, the parent waits: RUNS times. */
static uint64_t fork_exit_wait(void)
{
	uint64_t start = instructions();

	for (int i = 0; i < RUNS; i++) {
		pid_t pid = fork();
		if (pid == 0)
			exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			exit(12);
	}
	return instructions() - start;
}

static void time_fork_exit(void)
{
	print_each("fork+exit+wait, small child", fork_exit_wait(), RUNS);

	if (eager)
		return; /* an eager sbrk fills all 64 MiB: not untouched */
	if (sbrk(UNTOUCHED_HEAP_BYTES) == (void *)-1)
		give_up("fork+exit+wait, untouched 64 MiB heap", "sbrk failed");
	print_each("fork+exit+wait, untouched 64 MiB heap", fork_exit_wait(),
	           RUNS);
	sbrk(-(intptr_t)UNTOUCHED_HEAP_BYTES);
}

static void time_spawn_and_execv(void)
{
	uint64_t start = instructions();
	for (int i = 0; i < RUNS; i++) {
		int status = -1;
		int pid = spawn("true", (char *[]){"true", NULL});
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
			exit(13);
	}
	print_each("spawn+exit+wait of true", instructions() - start, RUNS);

	start = instructions();
	for (int i = 0; i < RUNS; i++) {
		pid_t child = fork();
		if (child == 0) {
			execv("true", (char *[]){"true", NULL});
			exit(127);
		}
		int status = -1;
		if (child < 0 || waitpid(child, &status, 0) != child ||
		    status != 0)
			exit(14);
	}
	print_each("fork+execv(true)+exit+wait", instructions() - start, RUNS);
}

/* Writes one byte in each of pages pages from p: the instructions. */
static uint64_t touch(volatile char *p, unsigned pages)
{
	uint64_t start = instructions();

	for (unsigned i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	return instructions() - start;
}

/* Lazily only: eager mode gives every page its frame before it is used,
 * and its fork copies, so none of these faults happen. */
static void time_faults(void)
{
	const char *zero = "fault: demand-zero page";
	char *heap = sbrk(FAULT_PAGES * PAGE);
	if (heap == (void *)-1)
		give_up(zero, "sbrk failed");
	uint32_t zeroed = counters().pages_zero_filled;
	uint64_t took = touch(heap, FAULT_PAGES);
	if (counters().pages_zero_filled - zeroed != FAULT_PAGES)
		give_up(zero, "not one zero-filled page per touch");
	print_each(zero, took, FAULT_PAGES);

	/* Program pages: filepages reads its own table and says. */
	int status = -1;
	int pid = spawn("filepages", (char *[]){"filepages", NULL});
	if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
		give_up("fault: program page from the file",
		        "filepages failed");

	/* Shared by fork: the parent's writes copy (the child still maps
	 * the frames), then the child's find their frames theirs alone and
	 * take them back writable without a copy. */
	const char *copy = "fault: copy-on-write copy";
	const char *reuse = "fault: copy-on-write, last sharer reuses";
	pid = fork();
	if (pid == 0) {
		sleep_ms(50); /* until the parent has copied every page */
		struct meminfo before = counters();
		took = touch(heap, FAULT_PAGES);
		struct meminfo after = counters();
		if (after.cow_faults - before.cow_faults != FAULT_PAGES ||
		    after.pages_copied != before.pages_copied)
			give_up(reuse, "not one fault without a copy per "
			               "touch");
		print_each(reuse, took, FAULT_PAGES);
		exit(0);
	}
	if (pid < 0)
		give_up(copy, "fork failed");
	uint32_t copied = counters().pages_copied;
	took = touch(heap, FAULT_PAGES);
	if (counters().pages_copied - copied != FAULT_PAGES)
		give_up(copy, "not one copy per touch");
	print_each(copy, took, FAULT_PAGES);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		exit(15);
	sbrk(-(intptr_t)(FAULT_PAGES * PAGE));
}

static uint32_t free_frames(void)
{
	return counters().free_frames;
}

/* fork of a process with a 16 MiB heap, every page written: the frames
 * the child takes, and the instructions of fork+exit+wait. */
static void time_big_fork(void)
{
	char *big = sbrk(FORK_HEAP_BYTES);
	if (big == (void *)-1)
		exit(16);
	for (uint32_t off = 0; off < FORK_HEAP_BYTES; off += PAGE)
		big[off] = 1;
	uint32_t with_heap = free_frames();
	pid_t pid = fork();
	if (pid == 0) {
		sleep_ms(100); /* while the parent counts */
		exit(0);
	}
	sleep_ms(20);
	printf("vmbench (%s): fork of a process with a 16 MiB heap: the "
	       "child takes %u frames\n",
	       mode, (unsigned)(with_heap - free_frames()));
	waitpid(pid, NULL, 0);

	uint64_t start = instructions();
	for (int i = 0; i < FORK_HEAP_RUNS; i++) {
		pid = fork();
		if (pid == 0)
			exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			exit(17);
	}
	print_each("16 MiB heap written, fork+exit+wait",
	           instructions() - start, FORK_HEAP_RUNS);
	sbrk(-(intptr_t)FORK_HEAP_BYTES);
}

/* Frames: the shell, started and idle; a sparse heap. */
static void count_frames(void)
{
	uint32_t before = free_frames();
	int pid = spawn("sh", (char *[]){"sh", NULL});
	sleep_ms(200); /* it prints its greeting and waits for a line */
	printf("vmbench (%s): the shell, started and waiting: %u frames\n",
	       mode, (unsigned)(before - free_frames()));
	(void)pid; /* it ends when vmbench does: no input comes */

	before = free_frames();
	char *heap = sbrk(HEAP_BYTES);
	if (heap == (void *)-1)
		exit(18);
	for (uint32_t off = 0; off < HEAP_BYTES; off += STRIDE * PAGE)
		heap[off] = 1;
	printf("vmbench (%s): a 32 MiB heap, one page in %d touched: %u "
	       "frames\n",
	       mode, STRIDE, (unsigned)(before - free_frames()));
}

int main(void)
{
	struct pageinfo info;

	if (pageinfo(probe, &info) != 0)
		return 1;
	eager = info.flags & PAGEINFO_PRESENT;
	mode = eager ? "eager" : "lazy";

	time_floors();
	time_fork_exit(); /* first: the process is as small as it gets */
	time_spawn_and_execv();
	if (!eager)
		time_faults();
	time_big_fork();
	count_frames();
	return 0;
}
