/*
 * execv() replaces the caller's program and keeps the process: the new
 * program gets exactly the arguments it was given (up to the limits in
 * lib/abi.h; NULL argv: { path }), the pid, the parent and the children
 * stay, and everything else is new: data and bss from the file, an empty
 * heap, a fresh FPU, the flags a new process starts with.
 *
 * The test runs children of its own, "execv_args child CASE", which
 * exec; the program they exec checks what it got and exits with a status
 * the test expects.
 */
// test-vm: eager lazy
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "user/lib/parse.h"

#define SELF_EXIT 42  /* "after": the new image found all it expected */
#define BYTES_EXIT 43 /* "bytes": the longest argument arrived */
#define GRANDCHILD_EXIT 7
#define DEFAULT_FPU_CW 0x037f /* the control word fninit sets */
#define ODD_FPU_CW 0x0c7f     /* rounding toward zero */

#define EFLAGS_DF 0x400 /* the direction flag */

/* getppid by its number, 13: lab 5's skeleton takes getppid() away, and
 * this test must build there too. */
static int parent_pid(void)
{
	return syscall5(13, 0, 0, 0, 0, 0);
}

static uint32_t eflags_at_main;
static int data_marker = 5; /* a fresh image reads 5 again */
static int bss_marker;      /* ... and 0 */
static char big[ARG_MAX_BYTES];

static void fpu_disturb(void)
{
	uint16_t cw = ODD_FPU_CW;

	__asm__ volatile("fldcw %0\n\tfld1" : : "m"(cw)); /* one in st0 */
}

static uint16_t fpu_control_word(void)
{
	uint16_t cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

/* The tag word: 0xffff when no register holds a value. */
static uint16_t fpu_tag_word(void)
{
	uint32_t env[7];

	__asm__ volatile("fnstenv %0" : "=m"(env));
	return (uint16_t)env[2];
}

static int to_int(const char *s)
{
	int n;

	if (parse_int(s, &n) != 0)
		check_fail(__FILE__, __LINE__, "\"%s\" is not a number", s);
	return n;
}

/* Execs, and fails if execv comes back. */
static _Noreturn void exec_or_fail(int line, const char *path,
                                   char *const argv[])
{
	int ret = sys_execv(path, argv);
	char name[16];

	check_fail(__FILE__, line, "sys_execv(\"%s\") returned %d%s", path, ret,
	           errno_suffix(ret, name, sizeof(name)));
}

static uint32_t eflags(void)
{
	uint32_t value;

	__asm__ volatile("pushf\n\tpop %0" : "=r"(value));
	return value;
}

/* sys_execv with the direction flag set, which no C code may see: the
 * new program must start with it clear, as a new process does. */
static int execv_with_df_set(const char *path, char *const argv[])
{
	int ret;

	__asm__ volatile("std\n\tint %[vector]\n\tcld"
	                 : "=a"(ret)
	                 : [vector] "i"(SYSCALL_VECTOR), "a"(SYS_EXECV),
	                   "b"(path), "c"(argv)
	                 : "memory", "cc");
	return ret;
}

/* The new image of "child self": argv is { "execv_args", "after", pid,
 * ppid, grandchild's pid, "", "two words" }. */
static int after(int argc, char **argv)
{
	int status;

	CHECK_EQ(argc, 7);
	CHECK(strcmp(argv[0], "execv_args") == 0);
	CHECK(strcmp(argv[5], "") == 0);
	CHECK(strcmp(argv[6], "two words") == 0);
	CHECK(argv[7] == NULL);
	CHECK_EQ(getpid(), to_int(argv[2]));
	CHECK_EQ(parent_pid(), to_int(argv[3]));
	/* The old program's child is this program's child. */
	int grandchild = to_int(argv[4]);
	CHECK_EQ(sys_waitpid(grandchild, &status, 0), grandchild);
	CHECK_EXITED(status, GRANDCHILD_EXIT);
	/* A new image: data and bss from the file, an empty heap (the old
	 * program had grown its own), the FPU as a new process has it. */
	CHECK_EQ(data_marker, 5);
	CHECK_EQ(bss_marker, 0);
	CHECK_ADDR((uintptr_t)sbrk(0), IMAGE_END_PAGE);
	CHECK_EQ(fpu_control_word(), DEFAULT_FPU_CW);
	CHECK_EQ(fpu_tag_word(), 0xffff);
	CHECK_EQ(eflags_at_main & EFLAGS_DF, 0);
	/* Its argument strings are its own to change. */
	argv[1][0] = 'A';
	return SELF_EXIT;
}

/* Fills big with a string of len bytes. */
static void fill_big(size_t len)
{
	for (size_t i = 0; i < len; i++)
		big[i] = (char)('a' + i % 26);
	big[len] = '\0';
}

/* The new image of "child bytes": { "execv_args", "bytes", big }, the
 * most bytes execv takes. */
static int bytes(int argc, char **argv)
{
	size_t len = ARG_MAX_BYTES - sizeof("execv_args") - sizeof("bytes") - 1;

	CHECK_EQ(argc, 3);
	CHECK_EQ(strlen(argv[2]), len);
	fill_big(len);
	CHECK(strcmp(argv[2], big) == 0);
	return BYTES_EXIT;
}

static int child(const char *what)
{
	char pid[12], ppid[12], grandchild[12];

	if (strcmp(what, "self") == 0) {
		int g = sys_spawn("exitwith",
		                  (char *[]){"exitwith", "7", NULL});
		CHECK(g > 0);
		format_snprintf(pid, sizeof(pid), "%d", getpid());
		format_snprintf(ppid, sizeof(ppid), "%d", parent_pid());
		format_snprintf(grandchild, sizeof(grandchild), "%d", g);
		/* What the new image must not see. */
		data_marker = 6;
		bss_marker = 1;
		CHECK(sbrk(3 * PAGE_SIZE) != (void *)-1);
		fpu_disturb();
		CHECK_EQ(fpu_control_word(), ODD_FPU_CW);
		int ret = execv_with_df_set("execv_args",
		                            (char *[]){"execv_args", "after",
		                                       pid, ppid, grandchild,
		                                       "", "two words", NULL});
		check_fail(__FILE__, __LINE__, "execv returned %d", ret);
	}
	if (strcmp(what, "args") == 0)
		exec_or_fail(__LINE__, "args",
		             (char *[]){"args", "a", "b", NULL});
	if (strcmp(what, "null-argv") == 0)
		exec_or_fail(__LINE__, "args", NULL);
	if (strcmp(what, "max-count") == 0) {
		static char numbers[ARG_MAX_COUNT][4];
		char *argv[ARG_MAX_COUNT + 1];
		argv[0] = "args";
		for (int i = 1; i < ARG_MAX_COUNT; i++) {
			format_snprintf(numbers[i], sizeof(numbers[i]), "%d",
			                i);
			argv[i] = numbers[i];
		}
		argv[ARG_MAX_COUNT] = NULL;
		exec_or_fail(__LINE__, "args", argv);
	}
	if (strcmp(what, "max-bytes") == 0) {
		fill_big(ARG_MAX_BYTES - sizeof("execv_args") -
		         sizeof("bytes") - 1);
		exec_or_fail(__LINE__, "execv_args",
		             (char *[]){"execv_args", "bytes", big, NULL});
	}
	if (strcmp(what, "hang") == 0) /* tests/kernel/test_execv.c */
		exec_or_fail(__LINE__, "hang", NULL);
	check_fail(__FILE__, __LINE__, "child: unknown case \"%s\"", what);
}

int main(int argc, char **argv)
{
	eflags_at_main = eflags(); /* before any code that needs DF clear */
	if (argc >= 2 && strcmp(argv[1], "after") == 0)
		return after(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "bytes") == 0)
		return bytes(argc, argv);
	if (argc == 3 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);

	CHECK_EXITED(RUN("execv_args", "child", "self"), SELF_EXIT);
	/* "args" exits with its argc. */
	CHECK_EXITED(RUN("execv_args", "child", "args"), 3);
	CHECK_EXITED(RUN("execv_args", "child", "null-argv"), 1);
	CHECK_EXITED(RUN("execv_args", "child", "max-count"), ARG_MAX_COUNT);
	CHECK_EXITED(RUN("execv_args", "child", "max-bytes"), BYTES_EXIT);
	return 0;
}
