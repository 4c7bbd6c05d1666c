/* The user test programs listed in the initrd's test-list. */
#ifndef TESTS_KERNEL_KTEST_USER_H
#define TESTS_KERNEL_KTEST_USER_H

/* How many there are. */
unsigned ktest_user_count(void);

/* Runs them all, numbering TAP lines from first_number; returns how many
 * failed. */
unsigned ktest_run_user_tests(unsigned first_number);

#endif
