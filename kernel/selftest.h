/*
 * The in-kernel tests as kmain sees them ("test" on the command line).
 * Two images link two versions: build/kernel-test.elf, which the test
 * ISOs boot, links the tests (tests/kernel/ktest.c); build/kernel.elf, the
 * image `make run` boots, links kernel/selftest_none.c and carries no test
 * code or data.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

/*
 * Runs the tests of what the kernel needs to boot at all (the frame
 * allocator's), right after pmm_init and before anything allocates: a
 * broken allocator would otherwise crash the boot somewhere far from the
 * mistake. A failure stops the kernel with a PANIC that names the test and
 * its reason; selftest_run_all reports the ones that passed in their
 * places.
 */
void selftest_run_early(void);

/* Runs every test, prints one TAP line each, then powers off with a
 * status that says whether all passed. */
void selftest_run_all(void) __attribute__((noreturn));

#endif
