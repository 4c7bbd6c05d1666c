/* The readable dump printed when the CPU raises an exception. */
#ifndef KERNEL_FAULT_REPORT_H
#define KERNEL_FAULT_REPORT_H

#include <stdint.h>

#include "kernel/arch/trap_frame.h"

const char *exception_name(uint32_t vector);
/* Prints the exception's name, its error code decoded, the faulting
 * address, the registers and a backtrace. */
void fault_report(const struct trap_frame *frame);

#endif
