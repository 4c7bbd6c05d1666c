/* Powering the emulator off, with a status the test runner can read. */
#ifndef DRIVERS_EXIT_DEVICE_H
#define DRIVERS_EXIT_DEVICE_H

#include <stdint.h>

/* Values written to QEMU's isa-debug-exit device (port 0xF4). QEMU exits
 * with (value << 1) | 1: 33 for success, 35 for failure. */
#define EXIT_SUCCESS_STATUS 0x10
#define EXIT_FAILURE_STATUS 0x11

/* Leaves QEMU through isa-debug-exit, Bochs through its shutdown port,
 * other machines through ACPI; halts if none of them listens. */
void exit_device_power_off(uint8_t status) __attribute__((noreturn));

#endif
