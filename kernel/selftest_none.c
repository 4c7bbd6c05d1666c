/*
 * The in-kernel tests' entry points in build/kernel.elf, the image `make
 * run` boots, which has no tests: asked to run them, it says where they
 * are and powers off. (build/kernel-test.elf links tests/kernel/ktest.c
 * in this file's place.)
 */
#include "kernel/selftest.h"

#include "drivers/exit_device.h"
#include "kernel/kprintf.h"

static void __attribute__((noreturn)) no_tests(void)
{
	kprintf("Bail out! this kernel (build/kernel.elf) has no tests: "
	        "boot build/os-test.iso, whose kernel is "
	        "build/kernel-test.elf\n");
	exit_device_power_off(EXIT_FAILURE_STATUS);
}

void selftest_run_early(void)
{
	no_tests();
}

void selftest_run_all(void)
{
	no_tests();
}
