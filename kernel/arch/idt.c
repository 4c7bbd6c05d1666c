/*
 * Fills the IDT from the stub table generated in isr.asm. Every gate is
 * an interrupt gate: the CPU clears IF on entry, so handlers are never
 * interrupted by the timer halfway.
 */
#include "kernel/arch/idt.h"

#include "kernel/arch/gdt.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_high;
} __attribute__((packed));

struct idt_pointer {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 8, "a gate is 8 bytes");

#define GATE_PRESENT 0x80
#define GATE_RING3 0x60
#define GATE_INTERRUPT_32 0x0E

extern const uint32_t isr_stub_table[IDT_VECTORS]; /* isr.asm */

static struct idt_gate idt[IDT_VECTORS];

void idt_init(void)
{
	for (int v = 0; v < IDT_VECTORS; v++) {
		uint32_t handler = isr_stub_table[v];

		idt[v].offset_low = handler & 0xFFFF;
		idt[v].selector = GDT_KERNEL_CODE;
		idt[v].zero = 0;
		idt[v].type_attr = GATE_PRESENT | GATE_INTERRUPT_32;
		idt[v].offset_high = handler >> 16;
	}
	struct idt_pointer ptr = {sizeof(idt) - 1, (uint32_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void idt_allow_user(uint8_t vector)
{
	idt[vector].type_attr |= GATE_RING3;
}
