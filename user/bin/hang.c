/*
 * hang: loops forever in ring 3 without a system call, as a test that
 * really hangs does. tests/kernel/test_user_limit.c runs it to check that
 * such a test is stopped at its time limit.
 */
int main(void)
{
	for (;;)
		;
}
