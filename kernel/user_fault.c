/*
 * User-mode exceptions. The kernel and every other process go on; only
 * the faulting process ends, with a wait status that says what killed it:
 *
 *   page fault, stack overflow          -> SIGSEGV
 *   invalid or privileged instruction,
 *   general protection fault            -> SIGILL
 *   divide error                        -> SIGFPE
 */
#include "kernel/user_fault.h"

#include "kernel/arch/cpu.h"
#include "kernel/fault_report.h"
#include "kernel/kprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/trap.h"
#include "lib/abi.h"
#include "mm/layout.h"
#include "mm/vmm.h"

#define PF_PRESENT 0x1
#define PF_WRITE 0x2

static int signal_for(uint32_t vector)
{
	switch (vector) {
	case EXC_DIVIDE_ERROR:
		return SIGFPE;
	case EXC_INVALID_OPCODE:
	case EXC_GENERAL_PROTECTION:
		return SIGILL;
	default:
		return SIGSEGV;
	}
}

static const char *signal_name(int signal)
{
	switch (signal) {
	case SIGFPE:
		return "SIGFPE";
	case SIGILL:
		return "SIGILL";
	default:
		return "SIGSEGV";
	}
}

/* The stack grows on demand: a fault just below it maps a new page. */
static bool grow_stack(uint32_t address, uint32_t error_code)
{
	if (error_code & PF_PRESENT || address < USER_STACK_LIMIT ||
	    address >= USER_STACK_TOP)
		return false;
	return vmm_map_new_page(vmm_current_space(), PAGE_ALIGN_DOWN(address),
	                        PTE_USER | PTE_WRITABLE) == 0;
}

void user_fault(const struct trap_frame *f)
{
	struct process *p = sched_current();
	uint32_t address = f->vector == EXC_PAGE_FAULT ? read_cr2() : 0;
	int signal = signal_for(f->vector);

	if (f->vector == EXC_PAGE_FAULT && grow_stack(address, f->error_code))
		return;

	kprintf("memos: killed %s (pid %d): ", p->name, p->pid);
	if (f->vector == EXC_PAGE_FAULT) {
		bool overflow =
		        address >= USER_STACK_LIMIT - USER_STACK_GUARD &&
		        address < USER_STACK_LIMIT;
		kprintf("%s (%s of %s page) at address %p",
		        overflow ? "stack overflow" : "page fault",
		        f->error_code & PF_WRITE ? "write" : "read",
		        f->error_code & PF_PRESENT ? "a protected"
		                                   : "an unmapped",
		        (void *)address);
	} else {
		kprintf("%s", exception_name(f->vector));
	}
	kprintf(", eip %p [%s]\n", (void *)f->eip, signal_name(signal));
	process_exit(signal);
}
