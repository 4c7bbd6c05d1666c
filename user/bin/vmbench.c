/*
 * vmbench: what memory on demand and copy-on-write save and cost, in the
 * mode the kernel runs in (vm=lazy or vm=eager): the frames workloads
 * hold, and the time of spawn+exit and fork+exit. `make bench-vm` boots it once
 * in each mode and prints both (docs/virtual-memory.md quotes them).
 */
#include <memos.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPAWNS 100
#define HEAP_BYTES (32u * 1024 * 1024)
#define STRIDE 16 /* the heap workload touches one page in 16 */
#define PAGE 4096u
#define FORK_HEAP_BYTES (16u * 1024 * 1024)
#define FORKS 20

static char probe[PAGE] __attribute__((aligned(4096))); /* never touched */

static uint32_t free_frames(void)
{
	struct meminfo m;

	return meminfo(&m) == 0 ? m.free_frames : 0;
}

static int run(char *const argv[])
{
	int status = -1;
	int pid = spawn(argv[0], argv);

	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(void)
{
	struct pageinfo info;

	if (pageinfo(probe, &info) != 0)
		return 1;
	const char *mode = info.flags & PAGEINFO_PRESENT ? "eager" : "lazy";

	/* spawn+exit of a program that does nothing. */
	uint32_t start = uptime_ms();
	for (int i = 0; i < SPAWNS; i++)
		if (run((char *[]){"true", NULL}) != 0)
			return 1;
	uint32_t ms = uptime_ms() - start;
	printf("vmbench (%s): spawn+exit of true: %u.%02u ms each (%d runs)\n",
	       mode, ms / SPAWNS, (ms % SPAWNS) * 100 / SPAWNS, SPAWNS);

	/* The same the Unix way: fork, execv in the child, wait. */
	start = uptime_ms();
	for (int i = 0; i < SPAWNS; i++) {
		pid_t child = fork();
		if (child == 0) {
			execv("true", (char *[]){"true", NULL});
			exit(127);
		}
		int status = -1;
		if (child < 0 || waitpid(child, &status, 0) != child ||
		    status != 0)
			return 1;
	}
	ms = uptime_ms() - start;
	printf("vmbench (%s): fork+execv+exit of true: %u.%02u ms each (%d "
	       "runs)\n",
	       mode, ms / SPAWNS, (ms % SPAWNS) * 100 / SPAWNS, SPAWNS);

	/* The frames a program holds while it sleeps: the shell's size of
	 * program, started and idle. */
	uint32_t before = free_frames();
	int pid = spawn("sh", (char *[]){"sh", NULL});
	sleep_ms(200); /* it prints its greeting and waits for a line */
	printf("vmbench (%s): the shell, started and waiting: %u frames\n",
	       mode, (unsigned)(before - free_frames()));
	(void)pid; /* it ends when vmbench does: no input comes */

	/* fork+exit of a process with a 16 MiB heap, every page written:
	 * the frames the child takes, and the time. */
	char *big = sbrk(FORK_HEAP_BYTES);
	if (big == (void *)-1)
		return 1;
	for (uint32_t off = 0; off < FORK_HEAP_BYTES; off += PAGE)
		big[off] = 1;
	uint32_t with_heap = free_frames();
	pid = fork();
	if (pid == 0) {
		sleep_ms(100); /* while the parent counts */
		exit(0);
	}
	sleep_ms(20);
	printf("vmbench (%s): fork of a process with a 16 MiB heap: the "
	       "child takes %u frames\n",
	       mode, (unsigned)(with_heap - free_frames()));
	waitpid(pid, NULL, 0);
	start = uptime_ms();
	for (int i = 0; i < FORKS; i++) {
		pid = fork();
		if (pid == 0)
			exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			return 1;
	}
	ms = uptime_ms() - start;
	printf("vmbench (%s): fork+exit of it: %u.%02u ms each (%d runs)\n",
	       mode, ms / FORKS, (ms % FORKS) * 100 / FORKS, FORKS);
	sbrk(-(intptr_t)FORK_HEAP_BYTES);

	/* A 32 MiB heap, one page in 16 touched. */
	before = free_frames();
	char *heap = sbrk(HEAP_BYTES);
	if (heap == (void *)-1)
		return 1;
	for (uint32_t off = 0; off < HEAP_BYTES; off += STRIDE * PAGE)
		heap[off] = 1;
	printf("vmbench (%s): a 32 MiB heap, one page in %d touched: %u "
	       "frames\n",
	       mode, STRIDE, (unsigned)(before - free_frames()));
	return 0;
}
