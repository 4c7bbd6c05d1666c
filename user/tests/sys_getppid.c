/*
 * getppid(): a child sees the pid of the process that spawned it, a
 * grandchild its own parent's, and an orphan 0 once its parent has ended.
 * The test runs itself in three roles, each given its parent's pid:
 *   "sys_getppid child P"   checks that its parent is P, exits 0;
 *   "sys_getppid middle P"  the same, runs a child of its own, then starts
 *                           an orphan and ends without waiting for it;
 *   "sys_getppid orphan M"  sees M, then 0 once M has ended.
 */
#include <memos.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define POLL_MS 10
#define ORPHAN_GIVES_UP_MS 4000 /* the orphan waits this long for a 0 */
#define ORPHAN_ENDS_WITHIN_MS 2000

/* Our pid as text, to give to a child. */
static char *pid_text(void)
{
	static char text[16];

	format_snprintf(text, sizeof(text), "%d", getpid());
	return text;
}

/* Starts this test as a child in `role`, without waiting for it. */
static int spawn_role(char *role)
{
	return sys_spawn("sys_getppid",
	                 (char *[]){"sys_getppid", role, pid_text(), NULL});
}

static void check_parent_is(int parent)
{
	CHECK_EQ(getppid(), parent);
	CHECK_EQ(sys_getppid(), parent);
	/* Values left in the argument registers change nothing. */
	CHECK_EQ(syscall5(SYS_GETPPID, 1, 2, 3, 4, 5), parent);
	CHECK(getppid() != getpid());
}

/* Ends as soon as getppid() says its parent has ended; fails if that
 * does not happen within ORPHAN_GIVES_UP_MS. */
static int orphan(int parent)
{
	int ppid = getppid();

	/* The parent may have ended already: then it is 0 at once. */
	if (ppid != 0)
		CHECK_EQ(ppid, parent);
	for (int waited = 0; getppid() != 0; waited += POLL_MS) {
		if (waited >= ORPHAN_GIVES_UP_MS)
			check_fail(__FILE__, __LINE__,
			           "an orphan: getppid() is still %d after "
			           "%d ms, expected 0 (its parent ends right "
			           "after starting it)",
			           getppid(), waited);
		sleep_ms(POLL_MS);
	}
	CHECK_EQ(syscall5(SYS_GETPPID, 1, 2, 3, 4, 5), 0);
	return 0;
}

static uint32_t process_count(void)
{
	struct meminfo m;

	CHECK_EQ(meminfo(&m), 0);
	return m.process_count;
}

int main(int argc, char **argv)
{
	if (argc == 3) {
		int parent = atoi(argv[2]);

		if (strcmp(argv[1], "orphan") == 0)
			return orphan(parent);
		check_parent_is(parent);
		if (strcmp(argv[1], "middle") == 0) {
			/* A grandchild of the test sees us, not the test. */
			CHECK_EXITED(RUN("sys_getppid", "child", pid_text()),
			             0);
			CHECK(spawn_role("orphan") > 0);
		}
		return 0;
	}

	/* The kernel started us (make test, init=): its pid is 0. From the
	 * shell, the shell's pid: either way an older process. */
	int pid = getpid();
	int ppid = getppid();
	CHECK(ppid >= 0);
	CHECK(ppid < pid);
	CHECK_EQ(syscall5(SYS_GETPPID, 1, 2, 3, 4, 5), ppid);

	/* Two children at once: both see us. */
	int child1 = spawn_role("child");
	int child2 = spawn_role("child");
	CHECK(child1 > 0);
	CHECK(child2 > 0);
	int status;
	CHECK_EQ(sys_waitpid(child1, &status, 0), child1);
	CHECK_EXITED(status, 0);
	CHECK_EQ(sys_waitpid(child2, &status, 0), child2);
	CHECK_EXITED(status, 0);

	/* A child with a child of its own, and an orphan it leaves: the
	 * orphan ends when it sees 0, and only then is the process count
	 * back to what it was. */
	uint32_t before = process_count();
	int middle = spawn_role("middle");
	CHECK(middle > 0);
	CHECK_EQ(sys_waitpid(middle, &status, 0), middle);
	CHECK_EXITED(status, 0);
	int waited = 0;
	while (process_count() > before && waited < ORPHAN_GIVES_UP_MS * 2) {
		sleep_ms(POLL_MS);
		waited += POLL_MS;
	}
	/* (Failing only now leaves the next test undisturbed.) */
	if (waited > ORPHAN_ENDS_WITHIN_MS)
		check_fail(
		        __FILE__, __LINE__,
		        "the orphan ran on for %d ms after its parent ended: "
		        "getppid() did not become 0 (its message is above)",
		        waited);
	CHECK_EQ(process_count(), before);
	return 0;
}
