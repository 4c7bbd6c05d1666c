/*
 * The printf formatting core, shared by the kernel's kprintf, the user
 * library's printf and the host tests. It knows nothing about where the
 * characters go: each caller passes a function that takes one character.
 *
 * Conversions: %d %i %u %o %x %X %p %s %c %%, with C's flags (- 0 + space
 * #), width and precision (numbers or *), and length modifiers (hh h l ll
 * z t j). Not supported: floating point (%f %e %g) and %n. An unknown
 * conversion is printed as it was written. %p prints 0x and every hex
 * digit of the address.
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
