/* The table of IRQ handlers the drivers register, and the dispatch to
 * them: acknowledge the PIC, ignore its spurious interrupts. */
#include "kernel/irq.h"

#include <stddef.h>

#include "drivers/pic.h"
#include "kernel/arch/idt.h"
#include "kernel/panic.h"

static irq_handler_fn irq_handlers[PIC_IRQ_COUNT];

void irq_set_handler(unsigned irq, irq_handler_fn handler)
{
	ASSERT(irq < PIC_IRQ_COUNT);
	irq_handlers[irq] = handler;
}

void irq_dispatch(struct trap_frame *frame)
{
	unsigned irq = frame->vector - IRQ_BASE;

	ASSERT(irq < PIC_IRQ_COUNT);
	/* The PIC raises IRQ 7 or 15 by itself on electrical noise: those
	 * "spurious" interrupts must not be acknowledged. */
	if (pic_is_spurious(irq))
		return;
	pic_send_eoi(irq);
	if (irq_handlers[irq])
		irq_handlers[irq](frame);
}
