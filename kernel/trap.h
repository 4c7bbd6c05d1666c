/*
 * Interrupts and exceptions after isr.asm: the fault report, and a
 * recovery point so a test can survive a fault it caused. (A driver
 * registers its IRQ handler through kernel/irq.h.)
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

#include "kernel/arch/setjmp.h"
#include "kernel/arch/trap_frame.h"

/* The vector number a caught PANIC reports (no CPU vector has it). */
#define FAULT_PANIC 0x100

/* What a caught fault (or panic) was. */
struct fault_info {
	uint32_t vector; /* an EXC_ number, or FAULT_PANIC */
	uint32_t error_code;
	uint32_t eip;
	uint32_t cr2;      /* the faulting address, for page faults */
	char message[160]; /* a panic's message */
};

/*
 * While a recovery point is set, a fault in kernel mode or a PANIC fills
 * *info, clears the recovery point and klongjmp()s to buf instead of
 * stopping the kernel. NULL clears it. Used by tests that fault on purpose.
 */
void trap_set_recovery(struct kjmp_buf *buf, struct fault_info *info);

/* If a recovery point is set, fills it with *info and jumps there;
 * returns if none is set. */
void trap_recover(const struct fault_info *info);

#endif
