/*
 * The printf formatting core, shared by the kernel's kprintf, the user
 * library's printf and the host tests. It knows nothing about where the
 * characters go: each caller passes a function that takes one character.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%; flags '-' (left-align) and '0'
 * (zero-pad); a decimal width; the 'l' length modifier. An unknown
 * conversion is printed as it was written.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_putc_fn)(char c, void *ctx);

/* Formats into putc; returns the number of characters produced. */
int format(format_putc_fn putc, void *ctx, const char *fmt, va_list ap);

/* Like C's vsnprintf: writes at most size-1 characters plus a NUL, returns
 * the length the whole output would have had. */
int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int format_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
