/*
 * Each fault a user program can make kills only that program, with the
 * signal its waitpid status reports; the parent goes on. The child is
 * user/bin/faulter KIND; the kernel prints one line for each.
 */
// test-timeout: 60
#include "check.h"

static const struct {
	char *kind;
	int signal;
} faults[] = {
        {"null-read", SIGSEGV},
        {"null-write", SIGSEGV},
        {"null-call", SIGSEGV},
        {"kernel-read", SIGSEGV},
        {"kernel-write", SIGSEGV},
        {"text-write", SIGSEGV},
        {"stack-overflow", SIGSEGV},
        {"hlt", SIGILL},
        {"cli", SIGILL},
        {"in", SIGILL},
        {"int-irq0", SIGILL},
        {"ud2", SIGILL},
        {"divide-by-zero", SIGFPE},
        {"divide-overflow", SIGFPE},
};

int main(void)
{
	for (unsigned i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		char got[32];
		int status = RUN("faulter", faults[i].kind);
		if (!WIFSIGNALED(status) ||
		    WTERMSIG(status) != faults[i].signal)
			check_fail(__FILE__, __LINE__,
			           "faulter %s: child %s, expected killed by "
			           "signal %d",
			           faults[i].kind,
			           status_text(status, got, sizeof(got)),
			           faults[i].signal);
	}
	/* The faulter still works when it is asked for nothing wrong. */
	CHECK_EXITED(RUN("faulter"), 2);
	CHECK_EXITED(RUN("true"), 0);
	return 0;
}
