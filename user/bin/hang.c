/*
 * hang: loops forever in ring 3 without a system call, as a test that
 * really hangs does. tests/kernel/test_user_limit.c runs it to check that
 * such a test is stopped at its time limit.
 *
 * hang N: forks N children that loop forever, then exits 0 itself, as a
 * test that forgets its children does: the test runner must kill them and
 * fail the test with "left N processes running".
 */
#include <stdlib.h>
#include <unistd.h>

static _Noreturn void spin(void)
{
	for (;;)
		;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		spin();
	for (int n = atoi(argv[1]); n > 0; n--) {
		if (fork() == 0)
			spin();
	}
	return 0;
}
