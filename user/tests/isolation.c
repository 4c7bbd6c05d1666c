/*
 * Two processes running the same program use the same addresses for its
 * globals and stack, yet each sees only its own memory. The test runs two
 * copies of itself ("isolation child") while all three keep writing their
 * own values to the same variables and checking them.
 */
#include "check.h"
#include "lib/string.h"

#define ROUNDS 20

static volatile uint32_t in_data = 0x11111111; /* .data: from the file */
static volatile uint32_t in_bss;               /* .bss: zeroed */

/* Writes this process's values, lets the others run, checks them. */
static void write_and_check(uint32_t value)
{
	for (int i = 0; i < ROUNDS; i++) {
		volatile uint32_t on_stack = value;
		in_data = value;
		in_bss = ~value;
		sys_sleep_ms(10);
		CHECK_EQ(in_data, value);
		CHECK_EQ(in_bss, ~value);
		CHECK_EQ(on_stack, value);
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "child") == 0) {
		/* A fresh copy of the program, not of the parent's memory. */
		CHECK_EQ(in_data, 0x11111111);
		CHECK_EQ(in_bss, 0);
		write_and_check(0xC0DE0000u | (uint32_t)sys_getpid());
		return 0;
	}

	in_data = 0xAAAAAAAA;
	in_bss = 0x55555555;
	char *child_argv[] = {"isolation", "child", NULL};
	int child1 = sys_spawn("isolation", child_argv);
	int child2 = sys_spawn("isolation", child_argv);
	CHECK(child1 > 0);
	CHECK(child2 > 0);
	write_and_check(0xFA000000u | (uint32_t)sys_getpid());

	int status;
	CHECK_ERR(sys_waitpid(child1, &status, 0), child1);
	CHECK_EXITED(status, 0);
	CHECK_ERR(sys_waitpid(child2, &status, 0), child2);
	CHECK_EXITED(status, 0);
	return 0;
}
