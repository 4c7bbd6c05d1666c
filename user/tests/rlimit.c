/*
 * setrlimit/getrlimit(RLIMIT_RSS), getrusage and evict_policy without a
 * swap disk's help: what each accepts and refuses, that the fault counts
 * count this process's faults (one per heap page touched, none for a page
 * touched again), that a limit set under the heap pages resident evicts
 * the extra ones at once (with swap), and that fork and execv keep the
 * limit and the policy while a child's counts start at 0.
 * (refstring_counts checks the evictions' counts.)
 *   "rlimit"            the checks, then execv("rlimit", "after-execv")
 *   "rlimit after-execv" checks what execv kept
 */
// test-vm: lazy
#include <errno.h>
#include <memos.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define LIMIT (5 * PAGE_SIZE)

static long faults(void)
{
	struct rusage usage;

	CHECK_EQ(getrusage(RUSAGE_SELF, &usage), 0);
	return usage.ru_minflt + usage.ru_majflt;
}

static void check_limit_is(uint32_t cur, uint32_t max)
{
	struct rlimit limit;

	CHECK_EQ(getrlimit(RLIMIT_RSS, &limit), 0);
	CHECK_EQ(limit.rlim_cur, cur);
	CHECK_EQ(limit.rlim_max, max);
}

static void refusals(void)
{
	struct rlimit limit = {RLIM_INFINITY, RLIM_INFINITY};

	CHECK_ERR(sys_setrlimit(0, &limit), -EINVAL); /* not RLIMIT_RSS */
	CHECK_ERR(sys_getrlimit(7, &limit), -EINVAL);
	CHECK_ERR(sys_setrlimit(RLIMIT_RSS, (void *)KERNEL_TEXT_ADDR), -EFAULT);
	CHECK_ERR(sys_getrlimit(RLIMIT_RSS, (void *)KERNEL_TEXT_ADDR), -EFAULT);
	limit.rlim_cur = PAGE_SIZE - 1; /* under a page */
	CHECK_ERR(sys_setrlimit(RLIMIT_RSS, &limit), -EINVAL);
	limit.rlim_cur = (RLIMIT_RSS_MAX_PAGES + 1) * PAGE_SIZE;
	CHECK_ERR(sys_setrlimit(RLIMIT_RSS, &limit), -EINVAL);
	limit = (struct rlimit){2 * PAGE_SIZE, PAGE_SIZE}; /* cur > max */
	CHECK_ERR(sys_setrlimit(RLIMIT_RSS, &limit), -EINVAL);
	check_limit_is(RLIM_INFINITY, RLIM_INFINITY);

	struct rusage usage;
	CHECK_ERR(sys_getrusage(1, &usage), -EINVAL); /* RUSAGE_CHILDREN */
	CHECK_ERR(sys_getrusage(RUSAGE_SELF, (void *)KERNEL_TEXT_ADDR),
	          -EFAULT);
	CHECK_ERR(sys_evict_policy(4), -EINVAL);
	CHECK_ERR(sys_evict_policy(-2), -EINVAL);
	CHECK_EQ(evict_policy(-1), EVICT_POLICY_CLOCK); /* the boot's */
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[argc - 1], "after-execv") == 0) {
		check_limit_is(LIMIT, 8 * PAGE_SIZE);
		CHECK_EQ(evict_policy(-1), EVICT_POLICY_RANDOM);
		CHECK(faults() > 0); /* its own, and the old image's */
		return 0;
	}
	refusals();

	/* Each new heap page: one fault; a page touched again: none. */
	uint8_t *heap = sbrk(4 * PAGE_SIZE);
	CHECK(heap != (void *)-1);
	long before = faults();
	for (int i = 0; i < 4; i++)
		heap[i * PAGE_SIZE] = 1;
	CHECK_EQ(faults() - before, 4);
	before = faults();
	for (int i = 0; i < 4; i++)
		heap[i * PAGE_SIZE + 8] = 2;
	CHECK_EQ(faults() - before, 0);

	struct rlimit limit = {LIMIT, 8 * PAGE_SIZE};
	CHECK_EQ(setrlimit(RLIMIT_RSS, &limit), 0);
	check_limit_is(LIMIT, 8 * PAGE_SIZE);
	limit.rlim_max = 9 * PAGE_SIZE; /* only root may raise it */
	CHECK_ERR(sys_setrlimit(RLIMIT_RSS, &limit), -EPERM);
	check_limit_is(LIMIT, 8 * PAGE_SIZE);
	CHECK_EQ(evict_policy(EVICT_POLICY_FIFO), EVICT_POLICY_CLOCK);
	CHECK_EQ(evict_policy(EVICT_POLICY_RANDOM), EVICT_POLICY_FIFO);

	/* The limit's pages still read back, under the limit. */
	for (int i = 0; i < 4; i++)
		CHECK_EQ(heap[i * PAGE_SIZE + 8], 2);

	/* Lowered under the pages it has: with swap, the pages past the
	 * limit (the last in address order) go at once and come back at the
	 * next touch, one fault each, their data intact. */
	struct meminfo m;
	CHECK_EQ(meminfo(&m), 0);
	limit = (struct rlimit){2 * PAGE_SIZE, 8 * PAGE_SIZE};
	CHECK_EQ(setrlimit(RLIMIT_RSS, &limit), 0);
	int present = 0;
	for (int i = 0; i < 4; i++) {
		struct pageinfo info;
		CHECK_EQ(pageinfo(heap + i * PAGE_SIZE, &info), 0);
		present += (info.flags & PAGEINFO_PRESENT) != 0;
	}
	CHECK_EQ(present, m.swap_slots_total ? 2 : 4);
	before = faults();
	for (int i = 0; i < 4; i++)
		CHECK_EQ(heap[i * PAGE_SIZE + 8], 2);
	CHECK_EQ(faults() - before, m.swap_slots_total ? 2 : 0);
	limit.rlim_cur = LIMIT;
	CHECK_EQ(setrlimit(RLIMIT_RSS, &limit), 0);

	/* The child's count starts at 0: it has only its own copy-on-write
	 * faults, fewer than the parent's every page so far. */
	long parent = faults();
	int pid = fork();
	if (pid == 0) {
		check_limit_is(LIMIT, 8 * PAGE_SIZE);
		CHECK_EQ(evict_policy(-1), EVICT_POLICY_RANDOM);
		CHECK(faults() < parent);
		_exit(0);
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(status, 0);

	char *args[] = {"rlimit", "after-execv", NULL};
	execv("rlimit", args);
	check_fail(__FILE__, __LINE__, "execv failed");
}
