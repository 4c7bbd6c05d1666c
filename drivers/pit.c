/*
 * 8253/8254 PIT, channel 0, in rate-generator mode: the chip divides its
 * 1.193182 MHz clock by a divisor and raises IRQ 0 each time it wraps.
 */
#include "drivers/pit.h"

#include "drivers/pic.h"
#include "kernel/arch/io.h"
#include "kernel/irq.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_LOHI_RATE 0x34 /* channel 0, low then high byte, mode 2 */
#define PIT_CH0_LATCH 0x00     /* channel 0: hold its count for reading */
#define PIT_IRQ 0

static volatile uint32_t ticks;
static void (*tick_callback)(void);

static void on_tick(struct trap_frame *frame)
{
	(void)frame;
	ticks++;
	if (tick_callback)
		tick_callback();
}

void pit_init(void (*callback)(void))
{
	tick_callback = callback;
	outb(PIT_COMMAND, PIT_CH0_LOHI_RATE);
	outb(PIT_CHANNEL0, PIT_DIVISOR & 0xFF);
	outb(PIT_CHANNEL0, (PIT_DIVISOR >> 8) & 0xFF);
	irq_set_handler(PIT_IRQ, on_tick);
	pic_unmask(PIT_IRQ);
}

uint32_t pit_ticks(void)
{
	return ticks;
}

uint16_t pit_count(void)
{
	outb(PIT_COMMAND, PIT_CH0_LATCH);
	uint8_t low = inb(PIT_CHANNEL0);
	uint8_t high = inb(PIT_CHANNEL0);
	return (uint16_t)(high << 8 | low);
}
