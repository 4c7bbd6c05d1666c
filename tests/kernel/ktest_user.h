/* The user test programs listed in the initrd's test-list. */
#ifndef TESTS_KERNEL_KTEST_USER_H
#define TESTS_KERNEL_KTEST_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a program run by ktest_user_run ended. */
struct ktest_user_result {
	int status;          /* its wait status (lib/abi.h), once it ended */
	bool timed_out;      /* it ran past its limit and was sent SIGKILL */
	uint32_t elapsed_ms; /* virtual time from its spawn to its end */
	int left_running;    /* processes of its group still running when it
	                        ended: killed, and the test fails */
};

/*
 * Runs program `name` of the initrd, with one argument arg (or none if arg
 * is NULL), as a child of the
 * current process, and waits for it for at most `seconds` of virtual time
 * (kernel/clock.h's, which counts instructions at the tests' rate:
 * see tools/emulator-clock.conf); past that it is killed with SIGKILL. Fills
 * why with the reason it failed ("timed out after 1 s"), or an empty
 * string if it exited with status 0 in time. Whatever of its process group
 * still runs when it ends is killed, and fails it: "left 2 processes
 * running".
 */
void ktest_user_run(const char *name, const char *arg, uint32_t seconds,
                    struct ktest_user_result *result, char *why,
                    size_t why_size);

/* How many there are. */
unsigned ktest_user_count(void);

/* Runs them all, numbering TAP lines from first_number; returns how many
 * failed. */
unsigned ktest_run_user_tests(unsigned first_number);

#endif
