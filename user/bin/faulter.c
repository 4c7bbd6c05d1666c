/*
 * faulter KIND: does one thing a user program must not do, so tests can
 * check the kernel kills it with the right signal and goes on. If the
 * fault does not happen, it says so and exits with 99.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Addresses come from volatile variables so the compiler cannot see the
 * bad access coming and replace it with something else. */
static volatile uintptr_t null_addr = 0;
static volatile uintptr_t kernel_addr = 0xC0100000u;
static volatile int recursion_depth = 1 << 30;

static void read_null(void)
{
	(void)*(volatile int *)null_addr;
}

static void write_null(void)
{
	*(volatile int *)null_addr = 1;
}

static void call_null(void)
{
	((void (*)(void))null_addr)();
}

static void read_kernel(void)
{
	(void)*(volatile int *)kernel_addr;
}

static void write_kernel(void)
{
	*(volatile int *)kernel_addr = 1;
}

static void write_text(void)
{
	*(volatile uint8_t *)(uintptr_t)write_text = 0xC3; /* ret */
}

/* Each call takes over 1 KiB of stack until the stack's limit is passed. */
static int recurse(int depth)
{
	volatile char frame[1024];

	frame[0] = (char)depth;
	if (depth == 0)
		return frame[0];
	return recurse(depth - 1) + frame[0];
}

static void overflow_stack(void)
{
	recurse(recursion_depth);
}

/* Privileged instructions: ring 3 gets a general protection fault. */
static void do_hlt(void)
{
	__asm__ volatile("hlt");
}

static void do_cli(void)
{
	__asm__ volatile("cli");
}

static void do_in(void)
{
	uint8_t value;

	__asm__ volatile("inb $0x60, %0" : "=a"(value));
}

/* `int` to a vector other than the system call's: its gate is DPL 0. */
static void do_int_irq0(void)
{
	__asm__ volatile("int $0x20");
}

static void do_ud2(void)
{
	__asm__ volatile("ud2");
}

static void divide_by_zero(void)
{
	__asm__ volatile("xorl %%edx, %%edx\n\t"
	                 "movl $1, %%eax\n\t"
	                 "xorl %%ecx, %%ecx\n\t"
	                 "divl %%ecx" ::
	                         : "eax", "ecx", "edx");
}

/* INT_MIN / -1 does not fit in 32 bits: also a divide error. */
static void divide_overflow(void)
{
	__asm__ volatile("movl $0x80000000, %%eax\n\t"
	                 "cltd\n\t"
	                 "movl $-1, %%ecx\n\t"
	                 "idivl %%ecx" ::
	                         : "eax", "ecx", "edx");
}

static const struct {
	const char *kind;
	void (*fault)(void);
} faults[] = {
        {"null-read", read_null},
        {"null-write", write_null},
        {"null-call", call_null},
        {"kernel-read", read_kernel},
        {"kernel-write", write_kernel},
        {"text-write", write_text},
        {"stack-overflow", overflow_stack},
        {"hlt", do_hlt},
        {"cli", do_cli},
        {"in", do_in},
        {"int-irq0", do_int_irq0},
        {"ud2", do_ud2},
        {"divide-by-zero", divide_by_zero},
        {"divide-overflow", divide_overflow},
};

#define NFAULTS (sizeof(faults) / sizeof(faults[0]))

int main(int argc, char **argv)
{
	if (argc == 2) {
		for (unsigned i = 0; i < NFAULTS; i++) {
			if (strcmp(argv[1], faults[i].kind) == 0) {
				faults[i].fault();
				fprintf(stderr, "faulter: %s did not fault\n",
				        argv[1]);
				return 99;
			}
		}
	}
	fprintf(stderr, "usage: faulter KIND; KIND is one of:");
	for (unsigned i = 0; i < NFAULTS; i++)
		fprintf(stderr, " %s", faults[i].kind);
	fprintf(stderr, "\n");
	return 2;
}
