/* printf for user programs, over the shared formatting core (lib/format.h):
 * the same conversions as the kernel's kprintf. */
#ifndef USER_LIB_UPRINTF_H
#define USER_LIB_UPRINTF_H

#include <stdarg.h>

/* Formats and writes to fd 1. The number of characters, or a negative
 * errno from write. */
int uprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same to any fd (2: the console's error stream). */
int udprintf(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int uvdprintf(int fd, const char *fmt, va_list ap);

#endif
