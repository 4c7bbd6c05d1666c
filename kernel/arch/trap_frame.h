/*
 * What the CPU and isr.asm push on an interrupt, as seen from C (lowest
 * address first: the order is the reverse of the pushes), and the
 * exception vectors by name.
 */
#ifndef KERNEL_ARCH_TRAP_FRAME_H
#define KERNEL_ARCH_TRAP_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* The CPU's exception vectors we refer to by name (frame->vector). */
enum {
	EXC_DIVIDE_ERROR = 0,
	EXC_BREAKPOINT = 3,
	EXC_INVALID_OPCODE = 6,
	EXC_DOUBLE_FAULT = 8,
	EXC_GENERAL_PROTECTION = 13,
	EXC_PAGE_FAULT = 14,
	EXC_COUNT = 32,
};

struct trap_frame {
	/* pushed by isr_common */
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	/* pushed by the stub */
	uint32_t vector;
	uint32_t error_code; /* the CPU's, or 0 */
	/* pushed by the CPU */
	uint32_t eip, cs, eflags;
	uint32_t user_esp, user_ss; /* only when coming from ring 3 */
};

/* isr.asm relies on this layout. */
_Static_assert(offsetof(struct trap_frame, edi) == 16, "segment registers");
_Static_assert(offsetof(struct trap_frame, vector) == 48, "pusha is 32 bytes");
_Static_assert(offsetof(struct trap_frame, eip) == 56, "vector, error code");

#endif
