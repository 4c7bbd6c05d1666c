/* What happens when a user program faults. */
#ifndef KERNEL_USER_FAULT_H
#define KERNEL_USER_FAULT_H

#include "kernel/arch/trap_frame.h"

/*
 * Handles an exception raised in ring 3. The first touch of a page that a
 * region promises (stack, heap, bss, program pages) gets the page its
 * frame and returns (the program goes on).
 * Anything else kills the process with one line naming the program, pid,
 * fault, address and eip; its parent sees it as killed by a signal.
 */
void user_fault(const struct trap_frame *frame);

#endif
