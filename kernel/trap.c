/*
 * trap_dispatch: every interrupt and exception arrives here from isr.asm.
 * IRQs go to their handler (kernel/irq.c), system calls to the syscall
 * table; an exception is either caught by a recovery point (a test that
 * faults on purpose) or reported, and the kernel stops.
 */
#include "kernel/trap.h"

#include <stddef.h>

#include "drivers/pic.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/idt.h"
#include "kernel/fault_report.h"
#include "kernel/irq.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/syscall.h"
#include "kernel/user_fault.h"
#include "lib/abi.h"

static struct kjmp_buf *recovery_point;
static struct fault_info *recovery_info;

void trap_set_recovery(struct kjmp_buf *buf, struct fault_info *info)
{
	recovery_point = buf;
	recovery_info = info;
}

void trap_recover(const struct fault_info *info)
{
	struct kjmp_buf *buf = recovery_point;

	if (!buf)
		return;
	*recovery_info = *info;
	recovery_point = NULL;
	klongjmp(buf, 1);
}

static void handle_exception(struct trap_frame *frame)
{
	if ((frame->cs & 3) == 3) {
		user_fault(frame); /* returns only if the program may go on */
		return;
	}
	trap_recover(&(struct fault_info){
	        .vector = frame->vector,
	        .error_code = frame->error_code,
	        .eip = frame->eip,
	        .cr2 = frame->vector == EXC_PAGE_FAULT ? read_cr2() : 0,
	});
	fault_report(frame);
	panic_halt();
}

void trap_dispatch(struct trap_frame *frame); /* called from isr.asm */

void trap_dispatch(struct trap_frame *frame)
{
	if (frame->vector < EXC_COUNT)
		handle_exception(frame);
	else if (frame->vector == SYSCALL_VECTOR)
		syscall_dispatch(frame);
	else if (frame->vector < IRQ_BASE + PIC_IRQ_COUNT)
		irq_dispatch(frame);
	else
		kprintf("trap: unexpected interrupt vector %u\n",
		        frame->vector);
	/* A process killed while it ran (kill() of itself or its group, or
	 * Ctrl-C during its time slice) ends here, before ring 3 again. */
	if ((frame->cs & 3) == 3)
		process_end_if_killed();
}
