/*
 * vmbench: what memory on demand saves and costs, in the mode the kernel
 * runs in (vm=lazy or vm=eager): the frames three workloads hold and the
 * time spawn+exit takes. `make bench-vm` boots it once in each mode and
 * prints both (docs/virtual-memory.md quotes them).
 */
#include <memos.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPAWNS 100
#define HEAP_BYTES (32u * 1024 * 1024)
#define STRIDE 16 /* the heap workload touches one page in 16 */
#define PAGE 4096u

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

	/* The frames a program holds while it sleeps: the shell's size of
	 * program, started and idle. */
	uint32_t before = free_frames();
	int pid = spawn("sh", (char *[]){"sh", NULL});
	sleep_ms(200); /* it prints its greeting and waits for a line */
	printf("vmbench (%s): the shell, started and waiting: %u frames\n",
	       mode, (unsigned)(before - free_frames()));
	(void)pid; /* it ends when vmbench does: no input comes */

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
