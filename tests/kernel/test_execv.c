/*
 * What execv changes that a program cannot see of itself: the name the
 * kernel knows it by (the one its kill messages print) becomes the new
 * program's, while the pid and the parent stay. (user/tests/execv_*.c
 * check what programs see.)
 */
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

#define WAIT_MS_MAX 2000

/* Ends the test's child (if it still runs) and collects it. */
static void kill_and_collect(void *arg)
{
	int pid = (int)(uintptr_t)arg;
	struct process *p = process_find(pid);

	if (p && p->state != PROC_ZOMBIE)
		process_kill(p, SIGKILL);
	process_wait(pid, NULL, 0);
}

void test_execv_keeps_pid_and_parent_takes_name(void)
{
	/* user/tests/execv_args.c's "child hang" execs user/bin/hang,
	 * which loops until it is killed. */
	const char *argv[] = {"execv_args", "child", "hang"};
	struct process *self = sched_current();
	int pid = process_spawn("execv_args", 3, argv);

	KT_ASSERT(pid > 0);
	ktest_defer(kill_and_collect, (void *)(uintptr_t)pid);
	struct process *p = process_find(pid);
	KT_ASSERT(p != NULL);
	KT_ASSERT(strcmp(p->name, "execv_args") == 0);
	for (unsigned ms = 0; strcmp(p->name, "hang") != 0; ms += 10) {
		if (p->state == PROC_ZOMBIE)
			KT_FAIL("the child ended (status 0x%x) as \"%s\"",
			        (unsigned)p->wait_status, p->name);
		if (ms > WAIT_MS_MAX)
			KT_FAIL("the child is still \"%s\" after %u ms",
			        p->name, ms);
		sched_sleep_ms(10);
	}
	KT_ASSERT(process_find(pid) == p);
	KT_ASSERT_EQ(p->pid, pid);
	KT_ASSERT(p->parent == self);
	KT_ASSERT(p->state != PROC_ZOMBIE);
	/* hang's image: an empty heap at its own start. */
	KT_ASSERT_EQ(p->vm.brk, p->vm.heap_start);
}
