/*
 * A user test that really hangs is stopped at its time limit: the test
 * runner (ktest_user.c) kills it with SIGKILL once the limit has passed
 * on the emulator's clock, and the tests after it run.
 */
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
