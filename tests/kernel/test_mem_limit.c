/*
 * mem=N (kernel/main.c's limit_memory): the number read from the command
 * line, and the frame allocator keeping only that many frames free.
 */
#include "kernel/cmdline.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

static char saved_line[256];

static void restore_line(void *arg)
{
	(void)arg;
	cmdline_init(saved_line, sizeof(saved_line));
}

/* A decimal number is read whole; anything else is no number at all
 * (the boot goes on without the option, after a message). */
void test_mem_limit_reads_a_whole_number(void)
{
	uint32_t n = 12345;

	KT_ASSERT(strlen(cmdline_get()) < sizeof(saved_line));
	memcpy(saved_line, cmdline_get(), strlen(cmdline_get()) + 1);
	ktest_defer(restore_line, NULL);
	cmdline_init("/boot/kernel.elf mem=4 a=4x b= c=-1 d=4294967295 "
	             "e=4294967296 memory=9",
	             255);

	KT_ASSERT(cmdline_number("mem", &n));
	KT_ASSERT_EQ(n, 4);
	KT_ASSERT(!cmdline_number("a", &n));
	KT_ASSERT(!cmdline_number("b", &n));
	KT_ASSERT(!cmdline_number("c", &n));
	KT_ASSERT(cmdline_number("d", &n));
	KT_ASSERT_EQ(n, 4294967295u);
	KT_ASSERT(!cmdline_number("e", &n)); /* overflows */
	KT_ASSERT(!cmdline_number("nothing", &n));
	KT_ASSERT_EQ(n, 4294967295u); /* left alone when false */
}

/*
 * pmm_keep_free retires every free frame above what it keeps: free and
 * total drop by the same count, the invariants hold, and a frame freed
 * afterwards still counts. (It retires them for good: this test costs
 * the kernel tests that run after it RETIRE frames.)
 */
void test_mem_limit_keeps_only_what_it_is_told(void)
{
	enum { RETIRE = 40 };
	uint32_t total = pmm_total_frames();
	uint32_t free = pmm_free_frames();
	char msg[128];

	KT_ASSERT(free > RETIRE + 1);
	KT_ASSERT_EQ(pmm_keep_free(free), 0);
	KT_ASSERT_EQ(pmm_keep_free(free - RETIRE), RETIRE);
	KT_ASSERT_EQ(pmm_free_frames(), free - RETIRE);
	KT_ASSERT_EQ(pmm_total_frames(), total - RETIRE);
	if (pmm_check(msg, sizeof(msg)) != 0)
		KT_FAIL("pmm_check after pmm_keep_free: %s", msg);

	paddr_t frame = pmm_alloc_frame();
	KT_ASSERT(frame != 0 && pmm_is_managed(frame));
	KT_ASSERT_EQ(pmm_free_frames(), free - RETIRE - 1);
	pmm_free_frame(frame);
	KT_ASSERT_EQ(pmm_free_frames(), free - RETIRE);
}
