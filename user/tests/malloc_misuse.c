/*
 * malloc catches misuse and ends the program with abort(): a double free,
 * a free or realloc of a pointer it never returned, a write over a block
 * header. Each child (user/bin/heapmisuse KIND) is killed by SIGABRT
 * after printing one line such as
 *   malloc: double free: 0x0804e1e0 given to free (block already free)
 * (tests/run-shell-session.sh checks such a line on the console).
 */
// test-timeout: 60
#include "check.h"

static char *const kinds[] = {
        "double-free", "free-stack", "free-middle",
        "overrun",     "underrun",   "realloc-freed",
};

int main(void)
{
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char got[32];
		int status = RUN("heapmisuse", kinds[i]);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
			check_fail(__FILE__, __LINE__,
			           "heapmisuse %s: child %s, expected killed "
			           "by signal %d (SIGABRT)",
			           kinds[i],
			           status_text(status, got, sizeof(got)),
			           SIGABRT);
	}
	/* Without a mistake to make it exits normally. */
	CHECK_EXITED(RUN("heapmisuse"), 2);
	return 0;
}
