/*
 * A user test that really hangs is stopped at its time limit: the test
 * runner (ktest_user.c) kills it with SIGKILL once the limit has passed
 * on the emulator's clock, and the tests after it run.
 */
#include "kernel/console.h"
#include "kernel/process.h"
#include "kernel/signal.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/ktest_user.h"
#include "tests/kernel/tests.h"

#define LIMIT_S 1
/* The runner looks every 10 ms; the kill and the wait take a few more. */
#define LATE_MS_MAX 50

void test_user_hang_killed_at_limit(void)
{
	struct ktest_user_result result;
	char why[80];

	/* user/bin/hang: an endless loop in ring 3. */
	ktest_user_run("hang", NULL, LIMIT_S, &result, why, sizeof(why));
	KT_ASSERT(result.timed_out);
	KT_ASSERT(WIFSIGNALED(result.status));
	KT_ASSERT_EQ(WTERMSIG(result.status), SIGKILL);
	if (strcmp(why, "timed out after 1 s") != 0)
		ktest_fail(__FILE__, __LINE__, "reported \"%s\"", why);
	if (result.elapsed_ms < LIMIT_S * 1000 ||
	    result.elapsed_ms > LIMIT_S * 1000 + LATE_MS_MAX)
		ktest_fail(__FILE__, __LINE__,
		           "killed after %u ms, not at its limit of %u ms",
		           result.elapsed_ms, LIMIT_S * 1000);
}

/* The runner's self-test: a test that exits 0 but leaves three children
 * spinning fails with "left 3 processes running"; they are all gone
 * after it, and the next test passes. */
void test_user_leftover_processes_fail_the_test(void)
{
	struct ktest_user_result result;
	char why[80];
	uint32_t before = process_user_count();

	ktest_user_run("hang", "3", 10, &result, why, sizeof(why));
	KT_ASSERT(!result.timed_out);
	KT_ASSERT(WIFEXITED(result.status));
	KT_ASSERT_EQ(result.left_running, 3);
	if (strcmp(why, "left 3 processes running") != 0)
		ktest_fail(__FILE__, __LINE__, "reported \"%s\"", why);
	KT_ASSERT_EQ(process_user_count(), before);
	ktest_user_run("true", NULL, 10, &result, why, sizeof(why));
	if (why[0])
		ktest_fail(__FILE__, __LINE__, "the next test failed: \"%s\"",
		           why);
	KT_ASSERT_EQ(process_user_count(), before);
}

/* Ctrl-C (the byte 0x03, from the serial line or the keyboard driver)
 * ends the console's foreground group with SIGINT, and only it; with no
 * foreground group it ends nothing. The keyboard's own path is tested in
 * QEMU (tests/run-shell-session.sh, sendkey ctrl-c). */
void test_console_ctrl_c_ends_the_foreground_group(void)
{
	const char *argv[] = {"hang"};
	int status = 0;
	int fg = process_spawn("hang", 1, argv);
	int other = process_spawn("hang", 1, argv);

	KT_ASSERT(fg > 0 && other > 0);
	KT_ASSERT_EQ(process_find(fg)->pgid, fg); /* the kernel's child */
	signal_set_foreground(0);
	console_input_char(0x03);
	KT_ASSERT_EQ(process_wait(fg, &status, WNOHANG), 0);
	signal_set_foreground(fg);
	console_input_char(0x03);
	KT_ASSERT_EQ(process_wait(fg, &status, 0), fg);
	KT_ASSERT(WIFSIGNALED(status));
	KT_ASSERT_EQ(WTERMSIG(status), SIGINT);
	KT_ASSERT_EQ(process_wait(other, &status, WNOHANG), 0);
	signal_set_foreground(0);
	struct process *still_running = process_find(other);
	KT_ASSERT(still_running != NULL);
	KT_ASSERT_EQ(process_kill(still_running, SIGKILL), 0);
	KT_ASSERT_EQ(process_wait(other, &status, 0), other);
}
