/*
 * The global descriptor table: flat 4 GiB segments for the kernel (ring 0)
 * and for user programs (ring 3), and the task-state segment that tells
 * the CPU which stack to use when an interrupt arrives from ring 3.
 */
#ifndef KERNEL_ARCH_GDT_H
#define KERNEL_ARCH_GDT_H

#include <stdint.h>

/* Selectors: index * 8, plus the requested privilege level for ring 3. */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_CODE (0x18 | 3)
#define GDT_USER_DATA (0x20 | 3)
#define GDT_TSS 0x28

void gdt_init(void);
/* The kernel stack the CPU switches to on an interrupt from ring 3. */
void gdt_set_kernel_stack(uint32_t esp0);

#endif
