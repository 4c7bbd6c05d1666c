/*
 * PANIC and ASSERT: for broken kernel invariants only. Anything a user
 * program can cause must be an error code instead.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/kprintf.h"

#define PANIC(...) panic(__FILE__, __LINE__, __func__, __VA_ARGS__)

#define ASSERT(cond)                                                           \
	do {                                                                   \
		if (!(cond))                                                   \
			PANIC("assertion failed: %s", #cond);                  \
	} while (0)

/* Prints where and why, a backtrace, and stops the machine. */
void panic(const char *file, int line, const char *func, const char *fmt, ...)
        __attribute__((noreturn, format(printf, 4, 5)));

/* Stops the machine after a fatal error: in test mode it powers off with
 * a failure status so the test runner does not wait; otherwise it halts. */
void panic_halt(void) __attribute__((noreturn));

#endif
