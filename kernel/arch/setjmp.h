/*
 * ksetjmp/klongjmp: C's setjmp and longjmp for the kernel. The tests use
 * them to come back from a fault they caused on purpose.
 */
#ifndef KERNEL_ARCH_SETJMP_H
#define KERNEL_ARCH_SETJMP_H

#include <stddef.h>
#include <stdint.h>

struct kjmp_buf {
	uint32_t ebx, esi, edi, ebp, esp, eip, eflags;
};

_Static_assert(offsetof(struct kjmp_buf, eflags) == 24, "setjmp.asm layout");

/* Returns 0 when called, and `value` (never 0) when klongjmp comes back. */
int ksetjmp(struct kjmp_buf *buf) __attribute__((returns_twice));
void klongjmp(struct kjmp_buf *buf, int value) __attribute__((noreturn));

#endif
