/*
 * A fork bomb is held by the process limit (PROCESS_MAX, lib/abi.h):
 * fork and spawn fail with EAGAIN while memory is still plentiful, no
 * process is killed for lack of memory, and the caller whose fork failed
 * goes on (its write of errno, to a page its children share copy-on-
 * write, finds a frame). Then the bomb, a process group, is killed as a
 * group, and every frame, process and kernel-heap byte comes back. The
 * first bomb warms the kernel's caches (slab, heap); the second must give
 * back exactly what it took.
 */
// test-timeout: 120
#include <errno.h>
#include <memos.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* Every process of the bomb forks, forever; a failed fork is retried. */
static _Noreturn void bomb(void)
{
	setpgid(0, 0);
	for (;;)
		fork();
}

/* The counters once only `processes` processes exist (killed orphans'
 * zombies go at the next switch; 2 s at most). */
static struct meminfo settled(uint32_t processes)
{
	struct meminfo m;

	for (int waited = 0; waited < 2000; waited += 20) {
		CHECK_EQ(meminfo(&m), 0);
		if (m.process_count <= processes)
			break;
		sleep_ms(20);
	}
	CHECK_EQ(m.process_count, processes);
	return m;
}

/* Runs a bomb and kills it: the counters while it was held. */
static struct meminfo one_bomb(const struct meminfo *before)
{
	int status;
	pid_t leader = fork();

	CHECK(leader >= 0);
	if (leader == 0)
		bomb();
	/* Until our own fork finds the table full. A fork that works takes
	 * a slot from the bomb: its child leaves at once. */
	int err = 0;
	for (int tries = 0; tries < 2000 && err != EAGAIN; tries++) {
		sleep_ms(10);
		errno = 0;
		pid_t pid = fork();
		if (pid == 0)
			exit(0);
		if (pid > 0)
			CHECK_EQ(waitpid(pid, &status, 0), pid);
		err = errno; /* a write: to a page the bomb shares */
	}
	CHECK_EQ(err, EAGAIN);
	/* The table is full until we collect a child: spawn is held too. */
	CHECK_ERR(sys_spawn("true", NULL), -EAGAIN);
	struct meminfo held;
	CHECK_EQ(meminfo(&held), 0);
	CHECK_EQ(held.process_count - before->process_count + 1, PROCESS_MAX);
	CHECK_EQ(held.out_of_memory_kills, before->out_of_memory_kills);
	if (held.free_frames < held.total_frames / 2)
		check_fail(__FILE__, __LINE__,
		           "the bomb took %u of %u frames before the limit",
		           (unsigned)(before->free_frames - held.free_frames),
		           (unsigned)held.total_frames);
	/* The whole group ends at once. */
	CHECK_ERR(sys_kill(-leader, SIGKILL), 0);
	CHECK_EQ(waitpid(leader, &status, 0), leader);
	CHECK_KILLED(status, SIGKILL);
	return held;
}

int main(void)
{
	struct meminfo start;

	CHECK_EQ(meminfo(&start), 0);
	one_bomb(&start); /* warms the caches */
	struct meminfo before = settled(start.process_count);
	struct meminfo held = one_bomb(&before);
	struct meminfo after = settled(before.process_count);
	CHECK_EQ(after.out_of_memory_kills, start.out_of_memory_kills);
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	/* A page the kernel heap keeps free after the crowd is not lost. */
	uint32_t kept = 0;
	if (after.kheap_free_bytes > before.kheap_free_bytes)
		kept = (after.kheap_free_bytes - before.kheap_free_bytes +
		        PAGE_SIZE - 1) /
		       PAGE_SIZE;
	if (after.free_frames + kept < before.free_frames)
		check_fail(__FILE__, __LINE__,
		           "%u frames lost to a fork bomb (free %u, were %u)",
		           (unsigned)(before.free_frames - after.free_frames -
		                      kept),
		           (unsigned)after.free_frames,
		           (unsigned)before.free_frames);
	/* Printed last: stdio's buffer takes a page of our own heap.
	 * docs/syscalls.md quotes the line. */
	printf("fork_bomb: held at %u processes, %u of %u frames taken, %u "
	       "killed for lack of memory\n",
	       (unsigned)(held.process_count - before.process_count + 1),
	       (unsigned)(before.free_frames - held.free_frames),
	       (unsigned)held.total_frames,
	       (unsigned)(held.out_of_memory_kills -
	                  before.out_of_memory_kills));
	return 0;
}
