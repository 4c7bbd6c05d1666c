/* Exceptions reach trap_dispatch with the right vector and error code. */
#include "kernel/arch/gdt.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

static void divide_by_zero(void *arg)
{
	volatile unsigned numerator = 100, zero = 0;
	*(volatile unsigned *)arg = numerator / zero;
}

static void breakpoint(void *arg)
{
	(void)arg;
	__asm__ volatile("int3");
}

static void invalid_opcode(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

/* Loading a selector past the end of the GDT: #GP with that selector. */
static void bad_segment(void *arg)
{
	(void)arg;
	__asm__ volatile("mov %0, %%fs" : : "r"(0x1000) : "memory");
}

void test_traps_exceptions_arrive(void)
{
	struct fault_info info;
	unsigned result;

	KT_ASSERT(ktest_expect_fault(divide_by_zero, &result, &info));
	KT_ASSERT_EQ(info.vector, EXC_DIVIDE_ERROR);
	KT_ASSERT(ktest_expect_fault(breakpoint, NULL, &info));
	KT_ASSERT_EQ(info.vector, EXC_BREAKPOINT);
	KT_ASSERT(ktest_expect_fault(invalid_opcode, NULL, &info));
	KT_ASSERT_EQ(info.vector, EXC_INVALID_OPCODE);
	KT_ASSERT(ktest_expect_fault(bad_segment, NULL, &info));
	KT_ASSERT_EQ(info.vector, EXC_GENERAL_PROTECTION);
	KT_ASSERT_EQ(info.error_code, 0x1000); /* the selector, decoded */
	/* The segment registers are intact afterwards. */
	uint32_t fs;
	__asm__ volatile("mov %%fs, %0" : "=r"(fs));
	KT_ASSERT_EQ(fs & 0xFFFF, GDT_KERNEL_DATA);
}
