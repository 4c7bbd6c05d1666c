/*
 * Hardware interrupts (IRQ lines 0-15 of the PICs): a driver registers the
 * handler of its line here. Only this header, not trap.h: a driver needs
 * nothing else of the trap path.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include "kernel/arch/trap_frame.h"

typedef void (*irq_handler_fn)(struct trap_frame *frame);

/* Runs handler, with interrupts off, each time IRQ line irq (0-15)
 * fires; the PIC is acknowledged before it runs. */
void irq_set_handler(unsigned irq, irq_handler_fn handler);

/* Called by trap_dispatch for the vectors of the IRQ lines. */
void irq_dispatch(struct trap_frame *frame);

#endif
