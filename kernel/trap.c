/*
 * trap_dispatch: every interrupt and exception arrives here from isr.asm.
 * IRQs go to their handler; an exception is either caught by a recovery
 * point (a test that faults on purpose) or reported, and the kernel stops.
 */
#include "kernel/trap.h"

#include <stddef.h>

#include "drivers/pic.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/idt.h"
#include "kernel/fault_report.h"
#include "kernel/page_fault.h"
#include "kernel/panic.h"
#include "kernel/syscall.h"
#include "kernel/user_fault.h"
#include "lib/abi.h"

static irq_handler_fn irq_handlers[PIC_IRQ_COUNT];
static struct kjmp_buf *recovery_point;
static struct fault_info *recovery_info;

void trap_set_irq_handler(unsigned irq, irq_handler_fn handler)
{
	ASSERT(irq < PIC_IRQ_COUNT);
	irq_handlers[irq] = handler;
}

void trap_set_recovery(struct kjmp_buf *buf, struct fault_info *info)
{
	recovery_point = buf;
	recovery_info = info;
}

static void handle_irq(struct trap_frame *frame)
{
	unsigned irq = frame->vector - IRQ_BASE;

	/* The PIC raises IRQ 7 or 15 by itself on electrical noise: those
	 * "spurious" interrupts must not be acknowledged. */
	if (pic_is_spurious(irq))
		return;
	pic_send_eoi(irq);
	if (irq_handlers[irq])
		irq_handlers[irq](frame);
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
	else if (frame->vector == SYSCALL_VECTOR) {
		syscall_dispatch(frame);
		vm_kill_if_out_of_memory(); /* a page it touched found no frame
		                             */
	} else if (frame->vector < IRQ_BASE + PIC_IRQ_COUNT)
		handle_irq(frame);
	else
		kprintf("trap: unexpected interrupt vector %u\n",
		        frame->vector);
}
