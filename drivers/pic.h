/* The two 8259A interrupt controllers (PICs), 16 IRQ lines in all. */
#ifndef DRIVERS_PIC_H
#define DRIVERS_PIC_H

#include <stdbool.h>

#define PIC_IRQ_COUNT 16

/* Moves IRQ 0-15 to vectors base..base+15 (away from the CPU's
 * exceptions) and masks every line. */
void pic_init(unsigned vector_base);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
/* Tells the PIC(s) the interrupt was handled. */
void pic_send_eoi(unsigned irq);
/* IRQ 7 and 15 can arrive without a cause ("spurious"): true if so. */
bool pic_is_spurious(unsigned irq);

#endif
