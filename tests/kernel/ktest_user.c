/*
 * Runs the user test programs: every line "NAME SECONDS" of the initrd's
 * test-list is a program run in a fresh process with a time limit. It
 * passes when it exits with status 0 in time. Each gives one TAP line in
 * the same stream as the in-kernel tests.
 */
#include "tests/kernel/ktest_user.h"

#include "drivers/pit.h"
#include "kernel/initrd.h"
#include "kernel/kprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "lib/format.h"
#include "lib/string.h"

#define POLL_MS 10

struct user_test {
	char name[INITRD_NAME_MAX + 1];
	uint32_t seconds;
};

/* Parses line number `index` of test-list; false past the end. */
static bool test_at(unsigned index, struct user_test *t)
{
	const char *data;
	size_t size;

	if (!initrd_find("test-list", (const void **)&data, &size))
		return false;
	const char *p = data, *end = data + size;
	for (unsigned line = 0; p < end; line++) {
		const char *eol = p;
		while (eol < end && *eol != '\n')
			eol++;
		if (line == index) {
			size_t n = 0;
			while (p < eol && *p != ' ' && n < INITRD_NAME_MAX)
				t->name[n++] = *p++;
			t->name[n] = '\0';
			t->seconds = 0;
			while (p < eol && *p == ' ')
				p++;
			while (p < eol && *p >= '0' && *p <= '9')
				t->seconds = t->seconds * 10 +
				             (uint32_t)(*p++ - '0');
			if (t->seconds == 0)
				t->seconds = 30;
			return n > 0;
		}
		p = eol + 1;
	}
	return false;
}

unsigned ktest_user_count(void)
{
	struct user_test t;
	unsigned n = 0;

	while (test_at(n, &t))
		n++;
	return n;
}

/* Runs one test; fills why (empty if it passed). */
static void run_test(const struct user_test *t, char *why, size_t why_size)
{
	const char *argv[] = {t->name};
	int pid = process_spawn(t->name, 1, argv);
	int status = 0;

	why[0] = '\0';
	if (pid < 0) {
		format_snprintf(why, why_size, "spawn failed with error %d",
		                pid);
		return;
	}
	uint32_t start = pit_uptime_ms();
	while (process_wait(pid, &status, WNOHANG) == 0) {
		if (pit_uptime_ms() - start > t->seconds * 1000) {
			process_kill(process_find(pid), SIGKILL);
			process_wait(pid, &status, 0);
			format_snprintf(why, why_size, "timed out after %u s",
			                (unsigned)t->seconds);
			return;
		}
		sched_sleep_ms(POLL_MS);
	}
	if (WIFSIGNALED(status))
		format_snprintf(why, why_size, "killed by signal %d",
		                WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		format_snprintf(why, why_size, "exited with status %d",
		                WEXITSTATUS(status));
}

unsigned ktest_run_user_tests(unsigned first_number)
{
	struct user_test t;
	unsigned failed = 0;
	char why[80];

	for (unsigned i = 0; test_at(i, &t); i++) {
		run_test(&t, why, sizeof(why));
		if (why[0]) {
			failed++;
			kprintf("not ok %u - user: %s # %s\n", first_number + i,
			        t.name, why);
		} else {
			kprintf("ok %u - user: %s\n", first_number + i, t.name);
		}
	}
	return failed;
}
