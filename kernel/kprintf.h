/* kprintf: formatted output to every console (serial and VGA). */
#ifndef KERNEL_KPRINTF_H
#define KERNEL_KPRINTF_H

#include <stdarg.h>

/* See lib/format.h for the conversions. Returns the characters written. */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
void kputs(const char *s);

#endif
