/*
 * User-mode exceptions. A page fault first goes to the page-fault policy
 * (kernel/page_fault.c), which serves the first touch of a page its region
 * promises. Otherwise the kernel and every other process go on; only the
 * faulting process ends, with a wait status that says what killed it:
 *
 *   page fault, stack overflow          -> SIGSEGV
 *   no free frame for a first touch     -> SIGKILL (out of memory)
 *   invalid or privileged instruction,
 *   general protection fault            -> SIGILL
 *   divide error                        -> SIGFPE
 */
#include "kernel/user_fault.h"

#include "kernel/arch/cpu.h"
#include "kernel/fault_report.h"
#include "kernel/kprintf.h"
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "mm/layout.h"
#include "mm/vmm.h"

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
	case SIGKILL:
		return "SIGKILL";
	case SIGFPE:
		return "SIGFPE";
	case SIGILL:
		return "SIGILL";
	default:
		return "SIGSEGV";
	}
}

/* The one line for a page fault the region list could not serve. */
static void report_page_fault(uint32_t address, uint32_t error_code,
                              enum vm_fault_result result)
{
	bool overflow = address >= USER_STACK_LIMIT - USER_STACK_GUARD &&
	                address < USER_STACK_LIMIT;

	if (result == VM_FAULT_NO_MEMORY) {
		kprintf("out of memory (no free frame for the page at %p)",
		        (void *)PAGE_ALIGN_DOWN(address));
		return;
	}
	if (result == VM_FAULT_IO_ERROR) {
		kprintf("the swap disk could not read back the page at %p",
		        (void *)PAGE_ALIGN_DOWN(address));
		return;
	}
	kprintf("%s (%s of %s page) at address %p",
	        overflow ? "stack overflow" : "page fault",
	        error_code & PF_WRITE ? "write" : "read",
	        result == VM_FAULT_RIGHTS ? "a protected" : "an unmapped",
	        (void *)address);
}

void user_fault(const struct trap_frame *f)
{
	struct process *p = sched_current();
	uint32_t address = f->vector == EXC_PAGE_FAULT ? read_cr2() : 0;
	int signal = signal_for(f->vector);
	enum vm_fault_result result = VM_FAULT_NO_REGION;

	if (f->vector == EXC_PAGE_FAULT) {
		/* A first touch of a page its region promises: the page gets
		 * its frame and the program retries the instruction. */
		bool write = f->error_code & PF_WRITE;
		result = vm_fault(&p->vm, address, write);
		if (result == VM_FAULT_SERVED &&
		    vm_page_allows(&p->vm, address, write))
			return;
		if (result == VM_FAULT_SERVED) {
			/* The instruction would fault again, forever. */
			kprintf("memos: killed %s (pid %d): the page-fault "
			        "path "
			        "served a %s fault at %p but left the page "
			        "without a frame or %s (a kernel bug) "
			        "[SIGSEGV]\n",
			        p->name, p->pid, write ? "write" : "read",
			        (void *)address,
			        write ? "read-only" : "unmapped");
			process_exit(SIGSEGV);
		}
		if (result == VM_FAULT_NO_MEMORY) {
			signal = SIGKILL;
			vm_count_out_of_memory_kill();
		}
		if (result == VM_FAULT_IO_ERROR)
			signal = SIGKILL;
	}

	kprintf("memos: killed %s (pid %d): ", p->name, p->pid);
	if (f->vector == EXC_PAGE_FAULT)
		report_page_fault(address, f->error_code, result);
	else
		kprintf("%s", exception_name(f->vector));
	kprintf(", eip %p [%s]\n", (void *)f->eip, signal_name(signal));
	process_exit(signal);
}
