/*
 * Exit statuses reach the parent: every code 0..255, whether main returns
 * it or calls exit(); only the low 8 bits of a larger one; the status word
 * has the Unix layout (lib/abi.h).
 */
// test-timeout: 120
#include "check.h"

int main(void)
{
	for (int code = 0; code <= 255; code++) {
		char arg[8];
		format_snprintf(arg, sizeof(arg), "%d", code);
		int status = RUN("exitwith", arg);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != code) {
			char got[32];
			check_fail(__FILE__, __LINE__, "exitwith %d: child %s",
			           code, status_text(status, got, sizeof(got)));
		}
	}

	/* exit() straight away, not through crt0's return path. */
	CHECK_EXITED(RUN("exitwith", "7", "exit"), 7);
	CHECK_EXITED(RUN("exitwith", "255", "exit"), 255);

	/* Only the low 8 bits reach the parent. */
	CHECK_EXITED(RUN("exitwith", "256"), 0);
	CHECK_EXITED(RUN("exitwith", "257"), 1);
	CHECK_EXITED(RUN("exitwith", "-1"), 255);
	CHECK_EXITED(RUN("exitwith", "-1", "exit"), 255);
	CHECK_EXITED(RUN("exitwith", "2147483647"), 255);
	CHECK_EXITED(RUN("exitwith", "-2147483648"), 0);

	/* The layout: the code in bits 8-15, zero below. */
	CHECK_EQ(RUN("exitwith", "42"), 42 << 8);
	CHECK_EQ(RUN("exitwith", "0"), 0);
	return 0;
}
