/*
 * 8259A PIC driver. The master handles IRQ 0-7, the slave IRQ 8-15 and is
 * chained to the master's line 2. Out of reset they deliver IRQs on
 * vectors 8-15, which are the CPU's exceptions: we move them.
 */
#include "drivers/pic.h"

#include <stdint.h>

#include "kernel/arch/io.h"

#define MASTER_CMD 0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD 0xA0
#define SLAVE_DATA 0xA1

#define ICW1_INIT_WITH_ICW4 0x11
#define ICW4_8086 0x01
#define OCW3_READ_ISR 0x0B
#define EOI 0x20
#define CASCADE_IRQ 2

void pic_init(unsigned vector_base)
{
	outb(MASTER_CMD, ICW1_INIT_WITH_ICW4);
	io_wait();
	outb(SLAVE_CMD, ICW1_INIT_WITH_ICW4);
	io_wait();
	outb(MASTER_DATA, (uint8_t)vector_base); /* ICW2: vector offsets */
	io_wait();
	outb(SLAVE_DATA, (uint8_t)(vector_base + 8));
	io_wait();
	outb(MASTER_DATA, 1 << CASCADE_IRQ); /* ICW3: slave on line 2 */
	io_wait();
	outb(SLAVE_DATA, CASCADE_IRQ); /* ICW3: slave's identity */
	io_wait();
	outb(MASTER_DATA, ICW4_8086);
	io_wait();
	outb(SLAVE_DATA, ICW4_8086);
	io_wait();

	/* Everything masked but the cascade; drivers unmask their line. */
	outb(MASTER_DATA, (uint8_t) ~(1 << CASCADE_IRQ));
	outb(SLAVE_DATA, 0xFF);
}

static uint16_t data_port(unsigned irq)
{
	return irq < 8 ? MASTER_DATA : SLAVE_DATA;
}

void pic_unmask(unsigned irq)
{
	uint16_t port = data_port(irq);

	outb(port, inb(port) & ~(1u << (irq % 8)));
}

void pic_mask(unsigned irq)
{
	uint16_t port = data_port(irq);

	outb(port, inb(port) | (1u << (irq % 8)));
}

void pic_send_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(SLAVE_CMD, EOI);
	outb(MASTER_CMD, EOI);
}

static uint8_t in_service(uint16_t cmd_port)
{
	outb(cmd_port, OCW3_READ_ISR);
	return inb(cmd_port);
}

bool pic_is_spurious(unsigned irq)
{
	if (irq == 7)
		return !(in_service(MASTER_CMD) & 0x80);
	if (irq == 15 && !(in_service(SLAVE_CMD) & 0x80)) {
		/* The master did see an interrupt on the cascade line. */
		outb(MASTER_CMD, EOI);
		return true;
	}
	return false;
}
