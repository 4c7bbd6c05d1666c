/*
 * kill(): each of SIGKILL, SIGTERM and SIGINT ends a child that is
 * running, sleeping, blocked in waitpid or blocked reading the console,
 * promptly, and its parent's waitpid sees WIFSIGNALED with that signal.
 * Signal 0 only checks; a zombie is found but not killed again; a
 * process that kills itself ends before it runs on; EINVAL, ESRCH, EPERM
 * as POSIX.
 */
// test-timeout: 60
#include <errno.h>
#include <memos.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

/* Once the victim had time to get where it blocks. */
#define SETTLE_MS 30
/* Killing a blocked process must not wait for what it waits for. */
#define PROMPT_MS 500

enum how { RUNNING, SLEEPING, WAITING, READING, HOW_COUNT };
static const char *const how_name[] = {
        "running", "sleeping", "waiting for a child", "reading the console"};

static _Noreturn void victim(enum how how)
{
	char line[16];

	switch (how) {
	case RUNNING:
		for (;;)
			;
	case SLEEPING:
		sleep_ms(1000000);
		break;
	case WAITING:
		/* A group of its own, so that the test can end its child
		 * after it (kill of the group). */
		setpgid(0, 0);
		if (fork() == 0)
			sleep_ms(1000000);
		else
			waitpid(-1, NULL, 0);
		break;
	case READING:
		read(STDIN_FILENO, line, sizeof(line)); /* no one types */
		break;
	case HOW_COUNT:
		break;
	}
	exit(42); /* killed before: never */
}

static void kill_one(int sig, enum how how)
{
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0)
		victim(how);
	sleep_ms(SETTLE_MS);
	uint32_t start = uptime_ms();
	CHECK_ERR(sys_kill(pid, sig), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	uint32_t took = uptime_ms() - start;
	if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
		check_fail(__FILE__, __LINE__,
		           "a child %s, sent signal %d: status 0x%x",
		           how_name[how], sig, (unsigned)status);
	if (took > PROMPT_MS)
		check_fail(__FILE__, __LINE__,
		           "a child %s took %u ms to end after signal %d",
		           how_name[how], (unsigned)took, sig);
	if (how == WAITING) /* its own child, in its group: gone too */
		CHECK_ERR(sys_kill(-pid, SIGKILL), 0);
	CHECK_ERR(sys_kill(pid, 0), -ESRCH); /* collected: no such process */
}

int main(void)
{
	static const int signals[] = {SIGKILL, SIGTERM, SIGINT};
	struct meminfo start, end;
	int status;

	CHECK_EQ(meminfo(&start), 0);
	for (unsigned i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		for (int how = 0; how < HOW_COUNT; how++)
			kill_one(signals[i], (enum how)how);

	/* Signal 0 checks only; a bad signal is EINVAL, a missing pid
	 * ESRCH (the idle task, pid 1, is no process a program can name). */
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		victim(SLEEPING);
	CHECK_ERR(sys_kill(pid, 0), 0);
	CHECK_ERR(sys_kill(pid, 99), -EINVAL);
	CHECK_ERR(sys_kill(pid, -1), -EINVAL);
	CHECK_ERR(sys_kill(pid, SIGSEGV), -EINVAL); /* not one kill sends */
	CHECK_ERR(sys_kill(1000000, SIGTERM), -ESRCH);
	CHECK_ERR(sys_kill(1, SIGKILL), -ESRCH);
	CHECK_EQ(kill(1000000, SIGTERM), -1);
	CHECK_EQ(errno, ESRCH);
	CHECK_ERR(sys_kill(pid, SIGTERM), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_KILLED(status, SIGTERM);

	/* A zombie is found (0) but keeps the status it exited with. */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		exit(7);
	sleep_ms(SETTLE_MS);
	CHECK_ERR(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 7);

	/* A process that kills itself does not run on past the call. */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		sys_kill(getpid(), SIGTERM);
		exit(3);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_KILLED(status, SIGTERM);

	/* Everything the killed processes had is back. */
	for (int waited = 0; waited < 2000; waited += 20) {
		CHECK_EQ(meminfo(&end), 0);
		if (end.process_count == start.process_count)
			break;
		sleep_ms(20);
	}
	CHECK_EQ(end.process_count, start.process_count);
	CHECK_EQ(end.out_of_memory_kills, start.out_of_memory_kills);
	return 0;
}
