/* kprintf: the format core of lib/format.c, writing to serial and VGA. */
#include "kernel/kprintf.h"

#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/arch/cpu.h"
#include "lib/format.h"

/* One character to both screens. The VGA cursor (row, column, CRTC
 * registers) is shared with the keyboard's echo, an interrupt handler:
 * interrupts off around each character (the locking rule, cpu.h). */
static void console_putc(char c, void *ctx)
{
	(void)ctx;
	bool irq = irq_save();
	/* Terminals want CR LF; the VGA driver handles '\n' alone. */
	if (c == '\n')
		serial_putc('\r');
	serial_putc(c);
	vga_putc(c);
	irq_restore(irq);
}

int kvprintf(const char *fmt, va_list ap)
{
	return format(console_putc, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

void kputs(const char *s)
{
	while (*s)
		console_putc(*s++, NULL);
}
