/* The end of the line: report a broken invariant and stop. */
#include "kernel/panic.h"

#include <stdarg.h>

#include "drivers/exit_device.h"
#include "kernel/arch/cpu.h"
#include "kernel/backtrace.h"
#include "kernel/cmdline.h"
#include "kernel/trap.h"
#include "lib/format.h"

void panic_halt(void)
{
	cpu_disable_interrupts();
	if (cmdline_test_mode()) {
		kprintf("Bail out! kernel stopped by a fatal error\n");
		exit_device_power_off(EXIT_FAILURE_STATUS);
	}
	kprintf("The kernel has stopped. Close the emulator to quit.\n");
	for (;;)
		hlt();
}

void panic(const char *file, int line, const char *func, const char *fmt, ...)
{
	va_list ap;
	struct fault_info caught = {.vector = FAULT_PANIC};

	/* A test that expects this panic gets the message and goes on. */
	va_start(ap, fmt);
	format_vsnprintf(caught.message, sizeof(caught.message), fmt, ap);
	va_end(ap);
	trap_recover(&caught);

	cpu_disable_interrupts();
	kprintf("\nPANIC at %s:%d in %s(): ", file, line, func);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace_print_from((uint32_t)__builtin_frame_address(0));
	panic_halt();
}
