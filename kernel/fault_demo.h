/* A deliberate kernel fault, to see the fault report (command line word
 * "fault-demo"). */
#ifndef KERNEL_FAULT_DEMO_H
#define KERNEL_FAULT_DEMO_H

/* Writes to the kernel's own (read-only) code: a page fault. */
void fault_demo(void);

#endif
