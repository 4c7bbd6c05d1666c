/*
 * CPU control: control registers, the TLB, interrupts on/off, halting.
 */
#ifndef KERNEL_ARCH_CPU_H
#define KERNEL_ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define CR0_WP (1u << 16)   /* supervisor writes respect read-only pages */
#define CR0_PG (1u << 31)   /* paging enabled */
#define EFLAGS_IF (1u << 9) /* interrupts enabled */

static inline uint32_t read_cr0(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_cr3(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint32_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t read_cr4(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline uint32_t read_eflags(void)
{
	uint32_t v;
	__asm__ volatile("pushf; pop %0" : "=r"(v));
	return v;
}

/* Drop the TLB's cached translation of one virtual page. */
static inline void invlpg(const void *va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpu_enable_interrupts(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void cpu_disable_interrupts(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* The time-stamp counter: counts up from reset at a fixed rate, whether
 * interrupts are on or off (kernel/clock.c measures the rate). */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* CPUID leaf 1's EDX bit 4: the CPU has rdtsc (every Pentium and later). */
static inline bool cpu_has_tsc(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return edx & (1u << 4);
}

/* Sleep until the next interrupt. */
static inline void hlt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/* The x87 floating-point unit's state as fnsave stores it (108 bytes).
 * User programs may use floating point; the kernel never does, so the
 * scheduler saves it for the process it leaves and restores it for the
 * one it enters. */
struct fpu_state {
	uint8_t bytes[108];
};

static inline void fpu_save(struct fpu_state *s)
{
	__asm__ volatile("fnsave %0" : "=m"(*s));
}

static inline void fpu_restore(const struct fpu_state *s)
{
	__asm__ volatile("frstor %0" : : "m"(*s));
}

/* A freshly initialised FPU's state, for new processes. */
static inline void fpu_initial_state(struct fpu_state *s)
{
	__asm__ volatile("fninit; fnsave %0" : "=m"(*s));
}

/*
 * The kernel's locking rule. memos runs on one CPU, so interrupts off is
 * our only lock: nothing else can run until they are back on. Interrupt
 * handlers and system calls (an interrupt gate) run with them off, so
 * they need nothing more. Kernel code that runs with them on (kmain after
 * boot, the tests, kernel tasks) can be interrupted, and the timer can
 * switch to a process whose system call touches the same data: such code
 * takes irq_save()/irq_restore() around every read-modify-write of state
 * others share (a counter, a list, a bitmap), and that state's comment
 * says so. A shared value read once is safe; two reads that must agree
 * are not.
 *
 * irq_save: interrupts off, returning whether they were on: pair with
 * irq_restore() around code that the timer interrupt must not cut in two.
 * Pairs nest: an inner pair leaves them off.
 */
static inline bool irq_save(void)
{
	bool were_on = read_eflags() & EFLAGS_IF;
	cpu_disable_interrupts();
	return were_on;
}

static inline void irq_restore(bool were_on)
{
	if (were_on)
		cpu_enable_interrupts();
}

#endif
