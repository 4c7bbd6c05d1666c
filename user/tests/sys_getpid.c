/*
 * getpid(): a positive pid that stays the same, and a child's pid is the
 * one spawn returned. The test runs itself as the child ("sys_getpid
 * child"), which exits with the low 8 bits of its pid.
 */
#include "check.h"
#include "lib/string.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "child") == 0)
		return sys_getpid() & 0xff;

	int pid = sys_getpid();
	CHECK(pid > 0);
	CHECK_ERR(sys_getpid(), pid);
	/* Values left in the argument registers change nothing. */
	CHECK_ERR(syscall5(SYS_GETPID, 1, 2, 3, 4, 5), pid);

	char *child_argv[] = {"sys_getpid", "child", NULL};
	int child1 = sys_spawn("sys_getpid", child_argv);
	int child2 = sys_spawn("sys_getpid", child_argv);
	CHECK(child1 > 0);
	CHECK(child2 > 0);
	CHECK(child1 != pid);
	CHECK(child2 != pid);
	CHECK(child1 != child2);

	int status;
	CHECK_ERR(sys_waitpid(child1, &status, 0), child1);
	CHECK_EXITED(status, child1 & 0xff);
	CHECK_ERR(sys_waitpid(child2, &status, 0), child2);
	CHECK_EXITED(status, child2 & 0xff);
	return 0;
}
