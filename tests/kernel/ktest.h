/*
 * The in-kernel test harness. With "test" on the command line the kernel
 * runs every test in tests/kernel/, prints one TAP line per test on the
 * serial port ("ok 3 - pmm: ..." / "not ok 3 - ... # reason") and powers
 * the emulator off with a status that says whether all passed. kmain
 * calls it through kernel/selftest.h; only build/kernel-test.elf links it.
 */
#ifndef TESTS_KERNEL_KTEST_H
#define TESTS_KERNEL_KTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/trap.h"
#include "mm/paging.h"

/* Ends the current test as failed with a formatted reason. */
void ktest_fail(const char *file, int line, const char *fmt, ...)
        __attribute__((noreturn, format(printf, 3, 4)));

#define KT_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!(cond))                                                   \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);           \
	} while (0)

/* Compares two unsigned 32-bit values and shows both on failure. */
#define KT_ASSERT_EQ(actual, expected)                                         \
	do {                                                                   \
		uint32_t a_ = (uint32_t)(actual);                              \
		uint32_t e_ = (uint32_t)(expected);                            \
		if (a_ != e_)                                                  \
			ktest_fail(__FILE__, __LINE__,                         \
			           "%s is 0x%x, expected 0x%x", #actual, a_,   \
			           e_);                                        \
	} while (0)

/* Ends the current test as failed, with a formatted reason. */
#define KT_FAIL(...) ktest_fail(__FILE__, __LINE__, __VA_ARGS__)

/*
 * Compares two results of an action (0 or a negative errno) and shows
 * both by name on failure: "vmm_map(...) is 0, expected -EEXIST".
 */
#define KT_ASSERT_ERR(actual, expected)                                        \
	do {                                                                   \
		int a_ = (int)(actual);                                        \
		int e_ = (int)(expected);                                      \
		if (a_ != e_)                                                  \
			ktest_fail_errno(__FILE__, __LINE__, #actual, a_, e_); \
	} while (0)

void ktest_fail_errno(const char *file, int line, const char *expression,
                      int actual, int expected) __attribute__((noreturn));

/*
 * Runs fn(arg) when the current test ends, whether it passed or failed,
 * the last one registered first: a test undoes its mappings and frees its
 * frames there, so that a failed assertion is one failure and not a
 * cascade in the tests after it. fn must not assert. At most 8 per test.
 */
void ktest_defer(void (*fn)(void *arg), void *arg);

/*
 * Calls fn(arg) expecting it to fault or panic. Returns true and fills
 * *info if it did; false if fn returned normally.
 */
bool ktest_expect_fault(void (*fn)(void *arg), void *arg,
                        struct fault_info *info);

/*
 * A chain of frames a test holds, through the frames themselves: each
 * one's first word (reached through kmap) holds the address of the one
 * pushed before it; 0 ends it. ktest_chain_free frees every frame of it
 * with pmm_free_frame and leaves it empty; its void * form is for
 * ktest_defer(ktest_chain_free, &chain).
 */
struct ktest_chain {
	paddr_t first;
	uint32_t length;
};
void ktest_chain_push(struct ktest_chain *chain, paddr_t frame);
void ktest_chain_free(void *chain);

#endif
