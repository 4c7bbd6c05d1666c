/*
 * Runs the user test programs: every line "NAME SECONDS" of the initrd's
 * test-list is a program run in a fresh process with a time limit. It
 * passes when it exits with status 0 in time. A line "NAME SECONDS
 * vm=MODE" runs it with its pages given frames in that mode
 * (kernel/vm_space.h), and tells it so in its argument: "NAME vm=MODE". Each
 * gives one TAP line in the same stream as the in-kernel tests. ktest_user_run
 * runs one program that way for any test (test_user_limit.c runs one that
 * hangs, and one that leaves children running).
 *
 * A test runs in a process group of its own (process_spawn gives a
 * program the kernel starts one), and its children are in it unless they
 * move. When the test ends, or is killed at its time limit, whatever of
 * the group still runs is killed (SIGKILL) and named as the test's
 * failure, "left 3 processes running": one test's runaway children never
 * fail the tests after it.
 */
#include "tests/kernel/ktest_user.h"

#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/frame_table.h"
#include "kernel/initrd.h"
#include "kernel/kprintf.h"
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/swap.h"
#include "lib/abi.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/pmm.h"

#define POLL_MS 10

struct user_test {
	char name[INITRD_NAME_MAX + 1];
	uint32_t seconds;
	char vm_arg[12];   /* "vm=eager", "vm=lazy" or "" */
	char swap_arg[24]; /* "swap=off", "swap=FRAMES[/SLOTS]" or "" */
};

/* Copies the word at *p (up to eol) into out (size n), past it. */
static void take_word(const char **p, const char *eol, char *out, size_t n)
{
	size_t m = 0;

	while (*p < eol && **p == ' ')
		(*p)++;
	while (*p < eol && **p != ' ' && m < n - 1)
		out[m++] = *(*p)++;
	out[m] = '\0';
}

/* Reads a decimal number at *p, past it. */
static uint32_t take_number(const char **p)
{
	uint32_t n = 0;

	while (**p >= '0' && **p <= '9')
		n = n * 10 + (uint32_t)(*(*p)++ - '0');
	return n;
}

/* The swap setting a test runs with (swap_set_test_limits): "swap=off"
 * (no eviction: the tests of running out of memory), "swap=F" (at most F
 * user frames: a small machine) or "swap=F/S" (and S slots); "" is the
 * machine as it booted. */
static void set_swap(const char *arg)
{
	if (!arg[0]) {
		swap_set_test_limits(true, 0, 0);
		return;
	}
	const char *p = arg + strlen("swap=");
	if (strcmp(p, "off") == 0) {
		swap_set_test_limits(false, 0, 0);
		return;
	}
	uint32_t frames = take_number(&p), slots = 0;
	if (*p == '/') {
		p++;
		slots = take_number(&p);
	}
	swap_set_test_limits(true, frames, slots);
}

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
			char word[sizeof(t->swap_arg)];
			t->vm_arg[0] = t->swap_arg[0] = '\0';
			for (take_word(&p, eol, word, sizeof(word)); word[0];
			     take_word(&p, eol, word, sizeof(word))) {
				if (strncmp(word, "vm=", 3) == 0)
					format_snprintf(t->vm_arg,
					                sizeof(t->vm_arg), "%s",
					                word);
				else if (strncmp(word, "swap=", 5) == 0)
					format_snprintf(t->swap_arg,
					                sizeof(t->swap_arg),
					                "%s", word);
			}
			return n > 0;
		}
		p = eol + 1;
	}
	return false;
}

/* How many processes of group pgid exist, zombies too. */
static int group_size(int pgid)
{
	bool irq = irq_save(); /* the scheduler frees orphans at a tick */
	int n = 0;

	for (struct process *p = process_list(); p; p = p->next)
		n += !p->is_kernel_task && p->pgid == pgid;
	irq_restore(irq);
	return n;
}

/*
 * Kills what is left of a test's group, and waits (1 s at most) until
 * every one of them is gone: killed orphans' zombies are freed by the
 * scheduler. Returns how many were still running.
 */
static int end_group(int pgid)
{
	int left = signal_group_alive(pgid);

	signal_kill_group(pgid, SIGKILL);
	for (unsigned ms = 0; ms <= 1000 && group_size(pgid) > 0; ms += POLL_MS)
		sched_sleep_ms(POLL_MS);
	return left;
}

unsigned ktest_user_count(void)
{
	struct user_test t;
	unsigned n = 0;

	while (test_at(n, &t))
		n++;
	return n;
}

void ktest_user_run(const char *name, const char *arg, uint32_t seconds,
                    struct ktest_user_result *result, char *why,
                    size_t why_size)
{
	const char *argv[] = {name, arg};
	int pid = process_spawn(name, arg ? 2 : 1, argv);
	uint32_t start = clock_uptime_ms();
	int kill_err = 0;

	*result = (struct ktest_user_result){0};
	why[0] = '\0';
	if (pid < 0) {
		/* Out of memory here is rarely this test's doing: say how
		 * many frames are left, so that a leak shows as one. */
		int n = format_snprintf(why, why_size,
		                        "spawn failed with error %d", pid);
		if (pid == -ENOMEM && n > 0 && (size_t)n < why_size)
			format_snprintf(why + n, why_size - (size_t)n,
			                " (-ENOMEM): %u of %u frames free; are "
			                "frames not returned when a process "
			                "ends?",
			                pmm_free_frames(), pmm_total_frames());
		return;
	}
	while (process_wait(pid, &result->status, WNOHANG) == 0) {
		if (clock_uptime_ms() - start > seconds * 1000) {
			result->timed_out = true;
			break;
		}
		sched_sleep_ms(POLL_MS);
	}
	if (result->timed_out) {
		/* SIGKILL ends it at once; waiting for it is bounded all the
		 * same, so that a kill that does not work fails this test
		 * instead of hanging every test after it. */
		struct process *child = process_find(pid);
		kill_err = child ? process_kill(child, SIGKILL) : -ESRCH;
		for (unsigned ms = 0; ms <= 1000; ms += POLL_MS) {
			if (process_wait(pid, &result->status, WNOHANG) != 0)
				break;
			sched_sleep_ms(POLL_MS);
		}
	}
	result->elapsed_ms = clock_uptime_ms() - start;
	/* The test's group is its own: pgid == pid. */
	result->left_running = end_group(pid);
	if (result->timed_out) {
		if (!WIFSIGNALED(result->status))
			format_snprintf(why, why_size,
			                "timed out after %u s, and SIGKILL "
			                "(error %d) did not end it",
			                (unsigned)seconds, kill_err);
		else
			format_snprintf(why, why_size, "timed out after %u s",
			                (unsigned)seconds);
	} else if (WIFSIGNALED(result->status)) {
		format_snprintf(why, why_size, "killed by signal %d",
		                WTERMSIG(result->status));
	} else if (WEXITSTATUS(result->status) != 0) {
		format_snprintf(why, why_size, "exited with status %d",
		                WEXITSTATUS(result->status));
	}
	if (result->left_running) {
		size_t n = strlen(why);
		format_snprintf(why + n, why_size - n,
		                "%sleft %d process%s running", n ? "; " : "",
		                result->left_running,
		                result->left_running == 1 ? "" : "es");
	}
}

/* The kernel heap's bytes in use now. */
static size_t kheap_used(void)
{
	struct heap_stats stats;

	kheap_get_stats(&stats);
	return stats.used_bytes;
}

/* After a test of swap, when all its processes are gone: every swap slot,
 * every user frame and every kernel heap byte they held must have come
 * back. */
static void check_swap_returned(const struct swap_counters *before,
                                uint32_t frames_before, size_t heap_before,
                                char *why, size_t why_size)
{
	struct swap_counters now = swap_counters();

	if (kheap_used() != heap_before)
		format_snprintf(
		        why, why_size,
		        "%u kernel heap bytes in use after it, %u before",
		        (unsigned)kheap_used(), (unsigned)heap_before);
	else if (now.slots_used != before->slots_used)
		format_snprintf(why, why_size,
		                "%u swap slots in use after it, %u before",
		                now.slots_used, before->slots_used);
	else if (frame_table_count() != frames_before)
		format_snprintf(why, why_size,
		                "%u user frames in use after it, %u before",
		                frame_table_count(), frames_before);
}

/* Whether name starts with one of the comma-separated prefixes of list. */
static bool selected(const char *name, const char *list)
{
	while (*list) {
		size_t n = 0;

		while (list[n] && list[n] != ',')
			n++;
		if (n > 0 && strncmp(name, list, n) == 0)
			return true;
		list += list[n] ? n + 1 : n;
	}
	return false;
}

unsigned ktest_run_user_tests(unsigned first_number)
{
	struct user_test t;
	unsigned failed = 0;
	char why[80];

	/* "only=PREFIX" on the command line runs only the user tests whose
	 * name starts with PREFIX (the others are skipped): one test's boot
	 * while working on it; "only=A,B,C": those starting with any of
	 * them (a lab's graded tests: tools/lab-grade.sh). */
	/* A copy: cmdline_value's buffer is reused (256: the line's most). */
	static char only_list[256];
	const char *only = cmdline_value("only");

	if (only) {
		format_snprintf(only_list, sizeof(only_list), "%s", only);
		only = only_list;
	}

	for (unsigned i = 0; test_at(i, &t); i++) {
		struct ktest_user_result result;

		if (only && !selected(t.name, only)) {
			kprintf("ok %u - user: %s # SKIP not selected by "
			        "only=%s\n",
			        first_number + i, t.name, only);
			continue;
		}
		enum vm_mode mode = vm_default_mode();
		char name[sizeof(t.name) + sizeof(t.vm_arg) + 3];

		if (t.vm_arg[0]) {
			/* the process keeps the mode it is spawned with */
			vm_set_default_mode(strcmp(t.vm_arg, "vm=eager") == 0
			                            ? VM_EAGER
			                            : VM_LAZY);
			format_snprintf(name, sizeof(name), "%s (%s)", t.name,
			                t.vm_arg);
		} else {
			format_snprintf(name, sizeof(name), "%s", t.name);
		}
		struct swap_counters swap_before = swap_counters();
		uint32_t frames_before = frame_table_count();
		size_t heap_before = kheap_used();
		set_swap(t.swap_arg);
		ktest_user_run(t.name, t.vm_arg[0] ? t.vm_arg : NULL, t.seconds,
		               &result, why, sizeof(why));
		set_swap("");
		if (!why[0] && t.swap_arg[0])
			check_swap_returned(&swap_before, frames_before,
			                    heap_before, why, sizeof(why));
		vm_set_default_mode(mode);
		if (why[0]) {
			failed++;
			kprintf("not ok %u - user: %s # %s\n", first_number + i,
			        name, why);
		} else {
			kprintf("ok %u - user: %s\n", first_number + i, name);
		}
	}
	return failed;
}
