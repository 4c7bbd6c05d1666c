/*
 * MAP_SHARED | MAP_ANONYMOUS: one memory for a parent and every child it
 * forks afterwards (a grandchild too), the classic counter two processes
 * increment; fork keeps a private mapping private (copy-on-write) and a
 * shared one shared, even for pages never touched before the fork.
 */
#include "mmap_check.h"

#define ROUNDS 20000

/* Adds 1 with one locked instruction: the two processes interleave
 * (preemption), and a plain ++ could lose increments. */
static void increment(volatile uint32_t *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
}

static void counter(void)
{
	volatile uint32_t *shared =
	        mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
	             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;

	CHECK(shared != MAP_FAILED);
	CHECK_REGION(shared, shared, (char *)shared + PAGE_SIZE,
	             REGION_KIND_SHARED);
	int pid = sys_fork();
	CHECK(pid >= 0);
	for (int i = 0; i < ROUNDS; i++) {
		increment(shared);
		if (i % 1000 == 0)
			sys_yield();
	}
	if (pid == 0)
		exit(0);
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	if (*shared != 2 * ROUNDS)
		check_fail(__FILE__, __LINE__,
		           "parent and child counted to %u, expected %u: the "
		           "child's increments went to a copy; fork must share "
		           "a MAP_SHARED mapping's frames, not copy them",
		           (unsigned)*shared, 2 * ROUNDS);
	CHECK_ERR(munmap((void *)shared, PAGE_SIZE), 0);
}

/* Pages untouched at the fork, written after it by a grandchild: the
 * parent sees them; a private page the child writes stays the child's. */
static void grandchild(void)
{
	char *shared = mmap(NULL, 16 * PAGE_SIZE, PROT_READ | PROT_WRITE,
	                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *private = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
	                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;

	CHECK(shared != MAP_FAILED && private != MAP_FAILED);
	private[0] = 'p';
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int inner = sys_fork();
		CHECK(inner >= 0);
		if (inner == 0) {
			for (int i = 0; i < 16; i++)
				shared[i * PAGE_SIZE + 5] = (char)('A' + i);
			exit(0);
		}
		CHECK_ERR(sys_waitpid(inner, &status, 0), inner);
		CHECK_EXITED(status, 0);
		CHECK_EQ(shared[15 * PAGE_SIZE + 5], 'P');
		private[0] = 'c';
		private[PAGE_SIZE] = 'c';
		exit(0);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(shared[i * PAGE_SIZE + 5], (char)('A' + i));
	CHECK_EQ(private[0], 'p');
	CHECK_EQ(private[PAGE_SIZE], 0);
	/* Both are one frame again, the parent's alone: */
	struct pageinfo info;
	CHECK_ERR(sys_pageinfo(shared, &info), 0);
	CHECK_EQ(info.frame_maps, 1);
	CHECK(info.flags & PAGEINFO_WRITABLE);
	CHECK(!(info.flags & PAGEINFO_COW));
	CHECK_ERR(munmap(shared, 16 * PAGE_SIZE), 0);
	CHECK_ERR(munmap(private, 2 * PAGE_SIZE), 0);
}

/* A shared mapping made after the fork is not shared with that child;
 * munmap in the child leaves the parent's. */
static void only_forked_afterwards(void)
{
	char *before = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE,
	                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;

	CHECK(before != MAP_FAILED);
	before[0] = 1;
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		CHECK_ERR(munmap(before, PAGE_SIZE), 0);
		exit(0);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	before[0] = 2;
	CHECK_EQ(before[0], 2);
	CHECK_ERR(munmap(before, PAGE_SIZE), 0);
}

int main(void)
{
	counter();
	grandchild();
	only_forked_afterwards();
	return 0;
}
