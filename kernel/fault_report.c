/*
 * Explains an exception: which one, what its error code means, where it
 * happened (with the function's name), the registers and the call chain.
 */
#include "kernel/fault_report.h"

#include "kernel/arch/cpu.h"
#include "kernel/backtrace.h"
#include "kernel/kprintf.h"

static const char *const names[EXC_COUNT] = {
        "divide error",
        "debug",
        "non-maskable interrupt",
        "breakpoint",
        "overflow",
        "bound range exceeded",
        "invalid opcode",
        "device not available",
        "double fault",
        "coprocessor segment overrun",
        "invalid TSS",
        "segment not present",
        "stack-segment fault",
        "general protection fault",
        "page fault",
        "reserved (15)",
        "x87 floating-point error",
        "alignment check",
        "machine check",
        "SIMD floating-point error",
        "virtualization exception",
        "control protection exception",
        "reserved (22)",
        "reserved (23)",
        "reserved (24)",
        "reserved (25)",
        "reserved (26)",
        "reserved (27)",
        "hypervisor injection",
        "VMM communication",
        "security exception",
        "reserved (31)",
};

const char *exception_name(uint32_t vector)
{
	return vector < EXC_COUNT ? names[vector] : "interrupt";
}

/* Page-fault error code bits. */
#define PF_PRESENT 0x1 /* 0: page not present; 1: protection violation */
#define PF_WRITE 0x2
#define PF_USER 0x4
#define PF_RESERVED 0x8
#define PF_FETCH 0x10

static void explain_page_fault(uint32_t err)
{
	kprintf("  cause: %s %s of a %s page%s\n",
	        err & PF_USER ? "user-mode" : "kernel-mode",
	        err & PF_FETCH   ? "instruction fetch"
	        : err & PF_WRITE ? "write"
	                         : "read",
	        err & PF_PRESENT ? "present (protection violation)"
	                         : "not-present",
	        err & PF_RESERVED ? ", reserved bit set in a page entry" : "");
	kprintf("  address (CR2): %p\n", (void *)read_cr2());
}

/* Selector error codes (#TS #NP #SS #GP): which descriptor was bad. */
static void explain_selector_error(uint32_t err)
{
	static const char *const tables[] = {"GDT", "IDT", "LDT", "IDT"};

	if (err == 0) {
		kprintf("  error code 0: not caused by a segment selector\n");
		return;
	}
	kprintf("  selector error: %s index %u%s\n", tables[(err >> 1) & 3],
	        (err >> 3) & 0x1FFF, err & 1 ? " (external event)" : "");
}

void fault_report(const struct trap_frame *f)
{
	bool from_user = (f->cs & 3) == 3;

	kprintf("\n*** CPU exception %u: %s, error code 0x%x, in %s mode\n",
	        f->vector, exception_name(f->vector), f->error_code,
	        from_user ? "user" : "kernel");
	switch (f->vector) {
	case EXC_PAGE_FAULT:
		explain_page_fault(f->error_code);
		break;
	case 10:
	case 11:
	case 12:
	case 13:
		explain_selector_error(f->error_code);
		break;
	default:
		break;
	}
	kprintf("  eip: %p ", (void *)f->eip);
	backtrace_print_symbol(f->eip);
	kprintf("\n");
	kprintf("  eax=%08x ebx=%08x ecx=%08x edx=%08x\n", f->eax, f->ebx,
	        f->ecx, f->edx);
	kprintf("  esi=%08x edi=%08x ebp=%08x esp=%08x\n", f->esi, f->edi,
	        f->ebp, from_user ? f->user_esp : f->esp_at_pusha + 20);
	kprintf("  cs=%04x ds=%04x es=%04x fs=%04x gs=%04x eflags=%08x\n",
	        f->cs, f->ds, f->es, f->fs, f->gs, f->eflags);
	kprintf("  cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", read_cr0(),
	        read_cr2(), read_cr3(), read_cr4());
	if (!from_user)
		backtrace_print_from(f->ebp);
}
