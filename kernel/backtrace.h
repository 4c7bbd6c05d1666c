/*
 * Function names for addresses, from the kernel's ELF symbol table (which
 * GRUB loads and describes in the multiboot information), and the walk up
 * the chain of saved frame pointers.
 */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include <stdint.h>

struct multiboot_info;

/* Finds the symbol table GRUB loaded; without it, addresses print bare. */
void backtrace_init(const struct multiboot_info *mbi);

/* The name of the function containing addr and addr's offset in it, or
 * NULL when unknown. */
const char *backtrace_symbol(uint32_t addr, uint32_t *offset);

/* Prints "<name+0xoff>" for addr, or nothing if unknown. */
void backtrace_print_symbol(uint32_t addr);

/* Prints the return addresses found by following saved ebp values. */
void backtrace_print_from(uint32_t ebp);

#endif
