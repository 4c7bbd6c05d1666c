/*
 * read() with a buffer far bigger than a line: the test types a line (as
 * the serial port's interrupt would) and runs `sys_read line`, which
 * reads it into 1 MiB of heap that has no frames yet. Only the bytes a
 * read can fill (256) may be checked and given frames, not the whole
 * buffer: the program counts the pages that got one.
 */
#include "kernel/arch/cpu.h"
#include "kernel/console.h"
#include "lib/string.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/ktest_user.h"
#include "tests/kernel/tests.h"

#define LINE "memos\n" /* user/tests/sys_read.c expects this line */

void test_read_makes_ready_only_what_it_fills(void)
{
	struct ktest_user_result result;
	char why[80];

	bool irq = irq_save();
	for (const char *c = LINE; *c; c++)
		console_input_char(*c);
	irq_restore(irq);
	ktest_user_run("sys_read", "line", 5, &result, why, sizeof(why));
	if (why[0] != '\0')
		ktest_fail(__FILE__, __LINE__,
		           "sys_read line: %s (its message is above)", why);
}
