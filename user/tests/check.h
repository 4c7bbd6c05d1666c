/*
 * Checks for the user test programs. The first check that fails prints one
 * line on stderr (file:line, what was checked, what came back) and ends
 * the test with exit status 1; a test that returns from main passed.
 */
#ifndef USER_TESTS_CHECK_H
#define USER_TESTS_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/abi.h"
#include "lib/errno_name.h"
#include "lib/format.h"
#include "user/lib/syscall.h"

/* Addresses no user program may touch. */
#define KERNEL_TEXT_ADDR 0xC0100000u /* the kernel's code */
#define UNMAPPED_ADDR 0x40000000u    /* user space nothing is mapped at */
#define PAGE_SIZE 4096u

/* From user/user.ld: where the program's text starts and its bss ends.
 * The page below the text and the page after the bss are unmapped as long
 * as the heap is empty: in a test that neither calls malloc nor sbrk. */
extern char __executable_start[], _end[];
#define IMAGE_START ((uintptr_t)__executable_start)
#define IMAGE_END_PAGE                                                         \
	(((uintptr_t)_end + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1))

/*
 * True if the test runs with its pages given frames eagerly (at sbrk and
 * spawn time), false for lazily (on first touch): a test with a line
 * "// test-vm: eager lazy" runs both ways, and the runner passes the mode
 * as its first argument, "vm=eager" or "vm=lazy".
 */
static inline bool vm_eager(int argc, char **argv)
{
	const char *want = "vm=eager";

	if (argc < 2)
		return false;
	for (int i = 0; want[i] || argv[1][i]; i++)
		if (want[i] != argv[1][i])
			return false;
	return true;
}

/* Prints "file:line: message" on stderr in one write and exits 1. */
static inline _Noreturn __attribute__((format(printf, 3, 4))) void
check_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	size_t n = (size_t)format_snprintf(msg, sizeof(msg) - 1,
	                                   "%s:%d: ", file, line);

	if (n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	va_start(ap, fmt);
	n += (size_t)format_vsnprintf(msg + n, sizeof(msg) - 1 - n, fmt, ap);
	va_end(ap);
	if (n > sizeof(msg) - 2)
		n = sizeof(msg) - 2; /* cut: the message is one line */
	msg[n++] = '\n';
	sys_write(STDERR_FILENO, msg, n);
	exit(1);
}

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			check_fail(__FILE__, __LINE__, "CHECK(%s) failed",     \
			           #cond);                                     \
	} while (0)

/* " (-EFAULT)" for a negative value with an errno name, else "". */
static inline const char *errno_suffix(long value, char *buf, size_t size)
{
	const char *name = value < 0 ? errno_name((int)value) : "";

	buf[0] = '\0';
	if (name[0])
		format_snprintf(buf, size, " (-%s)", name);
	return buf;
}

/* How CHECK_EQ prints a value, from its type: a pointer in hex, an integer
 * in decimal. (An address held in an integer: CHECK_ADDR; an errno result:
 * CHECK_ERR. -1 is both -EPERM and sbrk's (void *)-1, so CHECK_EQ never
 * guesses a name.) */
enum check_form { CHECK_SIGNED, CHECK_UNSIGNED, CHECK_HEX };
/* (clang-format cannot lay out _Generic's associations.) */
// clang-format off
#define CHECK_FORM(x)                                                          \
	_Generic((x),                                                          \
		_Bool: CHECK_UNSIGNED,                                         \
		char: CHECK_SIGNED,                                            \
		signed char: CHECK_SIGNED,                                     \
		unsigned char: CHECK_UNSIGNED,                                 \
		short: CHECK_SIGNED,                                           \
		unsigned short: CHECK_UNSIGNED,                                \
		int: CHECK_SIGNED,                                             \
		unsigned int: CHECK_UNSIGNED,                                  \
		long: CHECK_SIGNED,                                            \
		unsigned long: CHECK_UNSIGNED,                                 \
		long long: CHECK_SIGNED,                                       \
		unsigned long long: CHECK_UNSIGNED,                            \
		default: CHECK_HEX)
// clang-format on

static inline const char *check_text(long value, enum check_form form,
                                     char *buf, size_t size)
{
	if (form == CHECK_HEX)
		format_snprintf(buf, size, "0x%08lx", (unsigned long)value);
	else if (form == CHECK_UNSIGNED)
		format_snprintf(buf, size, "%lu", (unsigned long)value);
	else
		format_snprintf(buf, size, "%ld", value);
	return buf;
}

static inline void check_eq(const char *file, int line, const char *what,
                            long actual, enum check_form actual_form,
                            long expected, enum check_form expected_form)
{
	char a[24], e[24];

	if (actual != expected)
		check_fail(file, line, "%s is %s, expected %s", what,
		           check_text(actual, actual_form, a, sizeof(a)),
		           check_text(expected, expected_form, e, sizeof(e)));
}

/* Two values are equal: "heap[5] is 0, expected 42"; for pointers
 * "sbrk(0) is 0xffffffff, expected 0x0804d000". */
#define CHECK_EQ(actual, expected)                                             \
	check_eq(__FILE__, __LINE__, #actual, (long)(actual),                  \
	         CHECK_FORM(actual), (long)(expected), CHECK_FORM(expected))

/* Two addresses held in integers (uintptr_t), both printed in hex. */
#define CHECK_ADDR(actual, expected)                                           \
	check_eq(__FILE__, __LINE__, #actual, (long)(actual), CHECK_HEX,       \
	         (long)(expected), CHECK_HEX)

/* A system call's result: 0, a count, or a negative errno, named:
 * "write(...) is -14 (-EFAULT), expected -9 (-EBADF)". */
#define CHECK_ERR(actual, expected)                                            \
	do {                                                                   \
		long check_a_ = (long)(actual);                                \
		long check_e_ = (long)(expected);                              \
		char check_an_[16], check_en_[16];                             \
		if (check_a_ != check_e_)                                      \
			check_fail(__FILE__, __LINE__,                         \
			           "%s is %ld%s, expected %ld%s", #actual,     \
			           check_a_,                                   \
			           errno_suffix(check_a_, check_an_, 16),      \
			           check_e_,                                   \
			           errno_suffix(check_e_, check_en_, 16));     \
	} while (0)

/* A call given a buffer whose end, start + len, wraps past 4 GiB must fail
 * with -EFAULT; the message names the mistake a check makes that adds. */
#define CHECK_EFAULT_WRAPS(call)                                               \
	do {                                                                   \
		long check_r_ = (long)(call);                                  \
		char check_rn_[16];                                            \
		if (check_r_ != -EFAULT)                                       \
			check_fail(__FILE__, __LINE__,                         \
			           "%s is %ld%s, expected -EFAULT: start + "   \
			           "len wraps past 4 GiB to a small address",  \
			           #call, check_r_,                            \
			           errno_suffix(check_r_, check_rn_, 16));     \
	} while (0)

/* A waitpid status in words: "exited with 3", "killed by signal 11". */
static inline const char *status_text(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		format_snprintf(buf, size, "exited with %d",
		                WEXITSTATUS(status));
	else
		format_snprintf(buf, size, "killed by signal %d",
		                WTERMSIG(status));
	return buf;
}

static inline void check_status(const char *file, int line, int status,
                                int want_exited, int want_value)
{
	char got[32];

	if (want_exited && WIFEXITED(status) &&
	    WEXITSTATUS(status) == want_value)
		return;
	if (!want_exited && WIFSIGNALED(status) &&
	    WTERMSIG(status) == want_value)
		return;
	check_fail(file, line, "child %s, expected %s %d",
	           status_text(status, got, sizeof(got)),
	           want_exited ? "exited with" : "killed by signal",
	           want_value);
}

/* The child whose waitpid status is `status` exited with `code` / was
 * killed by signal `sig`. */
#define CHECK_EXITED(status, code)                                             \
	check_status(__FILE__, __LINE__, (status), 1, (code))
#define CHECK_KILLED(status, sig)                                              \
	check_status(__FILE__, __LINE__, (status), 0, (sig))

/* Spawns program name (NULL: argv[0]) with argv and waits for it: returns
 * its waitpid status. A failed spawn or wait fails the test. */
static inline int run_at(const char *file, int line, const char *name,
                         char *const argv[])
{
	char err[16];
	int status = 0;

	if (!name)
		name = argv[0];
	int pid = sys_spawn(name, argv);
	if (pid <= 0)
		check_fail(file, line, "sys_spawn(\"%s\") returned %d%s", name,
		           pid, errno_suffix(pid, err, sizeof(err)));
	int got = sys_waitpid(pid, &status, 0);
	if (got != pid)
		check_fail(file, line, "sys_waitpid(%d) returned %d%s", pid,
		           got, errno_suffix(got, err, sizeof(err)));
	return status;
}

/* RUN("faulter", "null-read"): runs a program to its end; its status. */
#define RUN(...) run_at(__FILE__, __LINE__, NULL, (char *[]){__VA_ARGS__, NULL})

/* RUN_ARGV("name", argv): the same with an argv array. */
#define RUN_ARGV(name, argv) run_at(__FILE__, __LINE__, (name), (argv))

#endif
