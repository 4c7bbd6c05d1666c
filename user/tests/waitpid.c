/*
 * waitpid(): a given child or any child, WNOHANG (which leaves *status
 * alone when no child has ended), -ECHILD when there is
 * nothing to wait for, a status is collected once, NULL for no status,
 * -EINVAL for an unknown option, -EFAULT for a status pointer the program
 * may not write (and the child can still be collected), a grandchild is
 * not a child.
 */
#include <stdbool.h>

#include "check.h"
#include "lib/string.h"

/* "waitpid orphan": spawns a sleeper and ends without waiting for it. */
static int make_orphan(void)
{
	return sys_spawn("sleep", (char *[]){"sleep", "200", NULL}) > 0 ? 0 : 1;
}

static int spawn_sleep(const char *ms)
{
	int pid = sys_spawn("sleep", (char *[]){"sleep", (char *)ms, NULL});

	CHECK(pid > 0);
	return pid;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "orphan") == 0)
		return make_orphan();

	int status;

	/* No children yet. */
	CHECK_ERR(sys_waitpid(-1, &status, 0), -ECHILD);
	CHECK_ERR(sys_waitpid(-1, &status, WNOHANG), -ECHILD);
	CHECK_ERR(sys_waitpid(sys_getpid(), &status, 0), -ECHILD);
	CHECK_ERR(sys_waitpid(0x7FFFFFFF, &status, 0), -ECHILD);

	/* WNOHANG: 0 while the child runs, and *status is left alone;
	 * waiting blocks until it ends. */
	int pid = spawn_sleep("300");
	status = 12345;
	CHECK_ERR(sys_waitpid(pid, &status, WNOHANG), 0);
	CHECK_EQ(status, 12345);
	CHECK_ERR(sys_waitpid(-1, &status, WNOHANG), 0);
	CHECK_EQ(status, 12345);
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	/* A status is collected once. */
	CHECK_ERR(sys_waitpid(pid, &status, 0), -ECHILD);

	/* WNOHANG gives the pid once the child has ended. */
	pid = sys_spawn("true", NULL);
	CHECK(pid > 0);
	int got;
	while ((got = sys_waitpid(pid, &status, WNOHANG)) == 0)
		sys_sleep_ms(10);
	CHECK_EQ(got, pid);
	CHECK_EXITED(status, 0);

	/* Any child: each of three comes back once, then -ECHILD. */
	int pids[3] = {spawn_sleep("200"), spawn_sleep("0"),
	               spawn_sleep("100")};
	bool seen[3] = {false, false, false};
	for (int i = 0; i < 3; i++) {
		char name[16];
		got = sys_waitpid(-1, &status, 0);
		int j = 0;
		while (j < 3 && pids[j] != got)
			j++;
		if (j == 3 || seen[j])
			check_fail(__FILE__, __LINE__,
			           "sys_waitpid(-1) returned %d%s: not a child "
			           "still to collect",
			           got, errno_suffix(got, name, sizeof(name)));
		seen[j] = true;
		CHECK_EXITED(status, 0);
	}
	CHECK_ERR(sys_waitpid(-1, &status, 0), -ECHILD);

	/* A given child, while another one has already ended. */
	int quick = spawn_sleep("0");
	int slow = spawn_sleep("200");
	CHECK_ERR(sys_waitpid(slow, &status, 0), slow);
	CHECK_ERR(sys_waitpid(quick, &status, 0), quick);

	/* No status wanted: NULL. An unknown option: -EINVAL. */
	pid = sys_spawn("true", NULL);
	CHECK(pid > 0);
	CHECK_ERR(sys_waitpid(pid, &status, 0x100), -EINVAL);
	CHECK_ERR(sys_waitpid(pid, NULL, 0), pid);

	/* A bad status pointer: -EFAULT, and the child is still there. */
	pid = spawn_sleep("50");
	CHECK_ERR(sys_waitpid(pid, (int *)KERNEL_TEXT_ADDR, 0), -EFAULT);
	CHECK_ERR(sys_waitpid(pid, (int *)(uintptr_t)main, 0), -EFAULT);
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);

	/* A child that leaves an orphan: the orphan is not our child. */
	CHECK_EXITED(RUN("waitpid", "orphan"), 0);
	CHECK_ERR(sys_waitpid(-1, &status, WNOHANG), -ECHILD);
	/* Let the orphan end before the next test measures anything. */
	sys_sleep_ms(400);
	return 0;
}
