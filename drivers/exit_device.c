/*
 * Power-off for emulators. QEMU: the isa-debug-exit device the Makefile
 * adds at port 0xF4. Bochs: writing "Shutdown" to port 0x8900. QEMU without
 * that device: ACPI power-off through port 0x604.
 */
#include "drivers/exit_device.h"

#include "drivers/serial.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/io.h"

#define QEMU_DEBUG_EXIT_PORT 0xF4
#define BOCHS_SHUTDOWN_PORT 0x8900
#define QEMU_ACPI_PM1A_PORT 0x604
#define ACPI_SLEEP_ENABLE 0x2000

void exit_device_power_off(uint8_t status)
{
	cpu_disable_interrupts();
	/* Bochs' UART still holds the last character for a while (it sends
	 * at the baud rate, in virtual time): powering off at once lost the
	 * final newline of the test summary. */
	serial_flush();
	outb(QEMU_DEBUG_EXIT_PORT, status);
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*s);
	outw(QEMU_ACPI_PM1A_PORT, ACPI_SLEEP_ENABLE);
	for (;;)
		hlt();
}
