/*
 * Boot with "fault-demo" on the command line and the kernel writes into
 * its own code, which paging made read-only. The page fault report that
 * follows names the fault, decodes its error code, shows CR2 (the address
 * written), the registers and the chain of calls that led here.
 */
#include "kernel/fault_demo.h"

#include <stdint.h>

#include "kernel/kprintf.h"

/* noinline: keep each function its own frame so the backtrace shows it. */
static __attribute__((noinline)) void overwrite_code(volatile uint8_t *code)
{
	*code = 0xCC; /* an int3 instruction, if it were allowed */
}

void fault_demo(void)
{
	kprintf("fault-demo: writing to kernel code at %p\n",
	        (void *)overwrite_code);
	overwrite_code((volatile uint8_t *)overwrite_code);
	kprintf("fault-demo: the write succeeded: text is not protected!\n");
}
