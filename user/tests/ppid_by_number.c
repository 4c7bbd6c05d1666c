/*
 * getppid's kernel side, called by its number (13) with `int 0x80`, not
 * through the C library: a child spawned by this test gets this test's
 * pid, whatever is left in the other argument registers. Written without
 * the name SYS_GETPPID so that it also builds where lib/abi.h does not
 * have it yet (lab 5's starting point: it then fails, with -ENOSYS).
 * The test runs itself as the child ("ppid_by_number child P").
 */
#include <stdlib.h>

#include "check.h"
#include "lib/string.h"

#define GETPPID_NUMBER 13u

#ifdef SYS_GETPPID
_Static_assert(SYS_GETPPID == GETPPID_NUMBER, "getppid is system call 13");
#endif

/* The child: its parent's pid is argv[2]. */
static int child(const char *parent_text)
{
	int parent = atoi(parent_text);

	CHECK(parent > 0);
	CHECK_ERR(syscall5(GETPPID_NUMBER, 0, 0, 0, 0, 0), parent);
	CHECK_ERR(syscall5(GETPPID_NUMBER, 1, 2, 3, 4, 5), parent);
	CHECK_ERR(syscall5(GETPPID_NUMBER, 0xFFFFFFFFu, 0, KERNEL_TEXT_ADDR, 7,
	                   0),
	          parent);
	return 0;
}

int main(int argc, char **argv)
{
	char pid_text[16];
	int pid, status;

	if (argc == 3 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);

	format_snprintf(pid_text, sizeof(pid_text), "%d", sys_getpid());
	char *child_argv[] = {"ppid_by_number", "child", pid_text, NULL};
	pid = sys_spawn("ppid_by_number", child_argv);
	CHECK(pid > 0);
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	return 0;
}
