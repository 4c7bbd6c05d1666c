/*
 * Process groups: a child starts in its parent's group; setpgid makes a
 * new group or moves a child into one; kill(-pgid) ends that group and
 * no one else; kill(0) ends the caller's own group, the caller last;
 * tcsetpgrp names the console's foreground group. The errors are
 * POSIX's.
 */
#include <errno.h>
#include <memos.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static _Noreturn void sleep_forever(void)
{
	for (;;)
		sleep_ms(1000000);
}

int main(void)
{
	pid_t me = getpid();
	pid_t group = getpgrp();
	int status;

	/* The test runner starts each test in a group of its own. */
	CHECK_EQ(group, me);

	/* A child starts in its parent's group... */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		exit(getpgrp() == group ? 0 : 1);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);

	/* ... and setpgid(0, 0) makes it the leader of a new one. */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (setpgid(0, 0) != 0)
			exit(2);
		exit(getpgrp() == getpid() ? 0 : 1);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);

	/* kill(-pgid): a group of two (a child the parent moved, and a
	 * child of that child, born in it) ends; a sibling in the test's
	 * group lives on. */
	pid_t leader = fork();
	CHECK(leader >= 0);
	if (leader == 0) {
		setpgid(0, 0);
		if (fork() == 0)
			sleep_forever();
		sleep_forever();
	}
	CHECK_ERR(sys_setpgid(leader, leader), 0); /* as shells do, both */
	pid_t sibling = fork();
	CHECK(sibling >= 0);
	if (sibling == 0)
		sleep_forever();
	sleep_ms(30); /* the leader has forked its child */
	CHECK_ERR(sys_kill(-leader, SIGTERM), 0);
	CHECK_EQ(waitpid(leader, &status, 0), leader);
	CHECK_KILLED(status, SIGTERM);
	sleep_ms(30); /* the orphan's zombie is freed at the next switch */
	CHECK_ERR(sys_kill(-leader, 0), -ESRCH); /* no one is left in it */
	CHECK_ERR(sys_kill(sibling, 0), 0);      /* untouched */
	CHECK_EQ(waitpid(sibling, &status, WNOHANG), 0);

	/* setpgid moves a child into a group that exists. */
	pid_t other = fork();
	CHECK(other >= 0);
	if (other == 0)
		sleep_forever();
	CHECK_ERR(sys_setpgid(other, sibling), -EPERM); /* not a group */
	CHECK_ERR(sys_setpgid(sibling, 0), 0);          /* now it is */
	CHECK_ERR(sys_setpgid(other, sibling), 0);
	CHECK_ERR(sys_kill(-sibling, SIGINT), 0);
	CHECK_EQ(waitpid(sibling, &status, 0), sibling);
	CHECK_KILLED(status, SIGINT);
	CHECK_EQ(waitpid(other, &status, 0), other);
	CHECK_KILLED(status, SIGINT);

	/* kill(0, sig): the caller's whole group, itself included. */
	leader = fork();
	CHECK(leader >= 0);
	if (leader == 0) {
		setpgid(0, 0);
		for (int i = 0; i < 2; i++)
			if (fork() == 0)
				sleep_forever();
		kill(0, SIGKILL);
		exit(9); /* never: it ended in its own kill */
	}
	CHECK_EQ(waitpid(leader, &status, 0), leader);
	CHECK_KILLED(status, SIGKILL);
	sleep_ms(30);
	CHECK_ERR(sys_kill(-leader, 0), -ESRCH);

	/* The errors. */
	CHECK_ERR(sys_setpgid(-1, 0), -EINVAL);
	CHECK_ERR(sys_setpgid(0, -1), -EINVAL);
	CHECK_ERR(sys_setpgid(1, 0), -ESRCH); /* not ours: the idle task */
	CHECK_ERR(sys_setpgid(1000000, 0), -ESRCH);
	CHECK_ERR(sys_setpgid(0, 1000000), -EPERM); /* no such group */
	CHECK_ERR(sys_kill(-1000000, SIGTERM), -ESRCH);
	CHECK_EQ(setpgid(0, 1000000), -1);
	CHECK_EQ(errno, EPERM);
	CHECK_EQ(getpgrp(), group); /* all that changed nothing */

	/* The console's foreground group (no one types Ctrl-C here). */
	CHECK_ERR(sys_tcgetpgrp(0), 0); /* none: the kernel started us */
	CHECK_ERR(sys_tcsetpgrp(5, group), -EBADF);
	CHECK_ERR(sys_tcsetpgrp(0, -2), -EINVAL);
	CHECK_ERR(sys_tcsetpgrp(0, 1000000), -EPERM);
	CHECK_ERR(sys_tcsetpgrp(0, group), 0);
	CHECK_ERR(sys_tcgetpgrp(0), group);
	CHECK_ERR(sys_tcsetpgrp(0, 0), 0);
	CHECK_ERR(sys_tcgetpgrp(0), 0);
	return 0;
}
