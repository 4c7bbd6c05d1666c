/*
 * COM1 driver (a 16550 UART at I/O port 0x3F8): 115200 baud, 8 data bits,
 * no parity, one stop bit. Polled, no interrupts. Every character is also
 * written to port 0xE9, which Bochs (port_e9_hack) prints on its console.
 */
#include "drivers/serial.h"

#include <stdint.h>

#include "drivers/pic.h"
#include "kernel/arch/io.h"
#include "kernel/irq.h"

#define COM1 0x3F8
#define REG_DATA (COM1 + 0)
#define REG_INT_ENABLE (COM1 + 1)
#define REG_DIVISOR_LO (COM1 + 0) /* while LCR_DLAB is set */
#define REG_DIVISOR_HI (COM1 + 1)
#define REG_FIFO_CTRL (COM1 + 2)
#define REG_LINE_CTRL (COM1 + 3)
#define REG_MODEM_CTRL (COM1 + 4)
#define REG_LINE_STATUS (COM1 + 5)

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_DATA_READY 0x01
#define LSR_TX_EMPTY 0x20 /* the holding register: room for a character */
#define LSR_TX_IDLE 0x40  /* the shift register too: everything sent */
#define BOCHS_E9_PORT 0xE9
#define IER_DATA_AVAILABLE 0x01
#define MCR_OUT2 0x08 /* lets the UART's interrupt reach the PIC */
#define COM1_IRQ 4

static void (*input_callback)(char c);

void serial_init(void)
{
	outb(REG_INT_ENABLE, 0x00); /* we poll */
	outb(REG_LINE_CTRL, LCR_DLAB);
	outb(REG_DIVISOR_LO, 1); /* 115200 / 1: the fastest rate */
	outb(REG_DIVISOR_HI, 0);
	outb(REG_LINE_CTRL, LCR_8N1);
	outb(REG_FIFO_CTRL, 0xC7);  /* enable and clear FIFOs */
	outb(REG_MODEM_CTRL, 0x03); /* DTR + RTS */
	/* The firmware's serial console (SeaBIOS, under `make run`) turns the
	 * terminal's line wrapping off (ESC [?7l) and leaves it so: long
	 * lines would be cut, and the terminal stay so after QEMU exits. */
	for (const char *s = "\033[?7h"; *s; s++)
		serial_putc(*s);
}

void serial_putc(char c)
{
	/* Wait as long as it takes: a driver that gives up after a few polls
	 * loses characters when the emulator runs the CPU fast. */
	while (!(inb(REG_LINE_STATUS) & LSR_TX_EMPTY))
		;
	outb(REG_DATA, (uint8_t)c);
	outb(BOCHS_E9_PORT, (uint8_t)c);
}

void serial_flush(void)
{
	while (!(inb(REG_LINE_STATUS) & LSR_TX_IDLE))
		;
}

int serial_getc_nowait(void)
{
	if (!(inb(REG_LINE_STATUS) & LSR_DATA_READY))
		return -1;
	return inb(REG_DATA);
}

static void on_serial_irq(struct trap_frame *frame)
{
	(void)frame;
	int c;

	while ((c = serial_getc_nowait()) >= 0) {
		if (input_callback)
			input_callback((char)c);
	}
}

void serial_enable_input(void (*on_char)(char c))
{
	input_callback = on_char;
	irq_set_handler(COM1_IRQ, on_serial_irq);
	outb(REG_MODEM_CTRL, 0x03 | MCR_OUT2);
	outb(REG_INT_ENABLE, IER_DATA_AVAILABLE);
	pic_unmask(COM1_IRQ);
}
