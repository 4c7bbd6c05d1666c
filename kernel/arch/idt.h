/* The interrupt descriptor table: where the CPU goes for each vector. */
#ifndef KERNEL_ARCH_IDT_H
#define KERNEL_ARCH_IDT_H

#include <stdint.h>

#define IDT_VECTORS 256
#define IRQ_BASE 32 /* the PIC's 16 lines start at vector 32 */

/* Points every vector at its stub in isr.asm (ring 0 only) and loads it. */
void idt_init(void);
/* Lets ring 3 raise this vector with `int` (for system calls). */
void idt_allow_user(uint8_t vector);

#endif
