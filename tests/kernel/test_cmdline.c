/* The kernel command line: kept without reading past what is mapped. */
#include "kernel/cmdline.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

/* A kernel address no one else uses while the tests run. */
#define TEST_LINE_VA 0xE0010000u
#define TAIL 16

/*
 * GRUB's command line can end right before unmapped memory: a line with no
 * NUL in the last TAIL bytes of a page, followed by no page, is kept up to
 * the room it is given, and nothing past it is read (that would fault).
 */
void test_cmdline_reads_no_further_than_its_room(void)
{
	char saved[256];
	paddr_t frame = pmm_alloc_frame();

	KT_ASSERT(frame != 0);
	KT_ASSERT(strlen(cmdline_get()) < sizeof(saved));
	memcpy(saved, cmdline_get(), strlen(cmdline_get()) + 1);
	KT_ASSERT_EQ(
	        vmm_map(vmm_kernel_space(), TEST_LINE_VA, frame, PTE_WRITABLE),
	        0);
	char *line = (char *)TEST_LINE_VA + PAGE_SIZE - TAIL;
	memset(line, 'x', TAIL);

	cmdline_init(line, TAIL);
	bool kept = strlen(cmdline_get()) == TAIL;

	cmdline_init(saved, sizeof(saved));
	KT_ASSERT_EQ(vmm_unmap(vmm_kernel_space(), TEST_LINE_VA), 0);
	pmm_free_frame(frame);
	KT_ASSERT(kept);
	KT_ASSERT(strcmp(cmdline_get(), saved) == 0);
}

static char saved_line[256];

static void restore_line(void *arg)
{
	(void)arg;
	cmdline_init(saved_line, sizeof(saved_line));
}

/*
 * cmdline_choice, which kmain asks for pmm=, slab= and vm=: a value picks
 * its choice by its whole name; no word gives the fallback, and so does an
 * unknown value (after a message) or one that is only a prefix of a
 * choice.
 */
void test_cmdline_choice_picks_by_whole_name(void)
{
	static const char *const policies[] = {"bitmap", "buddy", NULL};
	static const char *const modes[] = {"lazy", "eager", NULL};
	static const char *const levels[] = {"off", "low", "high", NULL};

	KT_ASSERT(strlen(cmdline_get()) < sizeof(saved_line));
	memcpy(saved_line, cmdline_get(), strlen(cmdline_get()) + 1);
	ktest_defer(restore_line, NULL);
	cmdline_init("/boot/kernel.elf pmm=buddy vm=bogus level=hig", 255);

	KT_ASSERT_EQ(cmdline_choice("pmm", policies, 0), 1);
	KT_ASSERT_EQ(cmdline_choice("vm", modes, 1), 1);
	KT_ASSERT_EQ(cmdline_choice("vm", modes, 0), 0);
	KT_ASSERT_EQ(cmdline_choice("level", levels, 0), 0);
	KT_ASSERT_EQ(cmdline_choice("slab", levels, 2), 2);
}
