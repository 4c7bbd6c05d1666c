/*
 * Nothing leaks: after 200 short processes, and children that fault or
 * are refused, the free frames, the kernel heap's bytes in use and the
 * number of processes are what they were before.
 */
// test-timeout: 120
#include "check.h"
#include "lib/string.h"

#define SHORT_PROCESSES 200

static char too_long[ARG_MAX_BYTES + 1];

/* Every way a child comes and goes, once. */
static void children_of_every_kind(void)
{
	CHECK_EXITED(RUN("exitwith", "3"), 3);
	CHECK_KILLED(RUN("faulter", "null-write"), SIGSEGV);
	CHECK_KILLED(RUN("faulter", "stack-overflow"), SIGSEGV);
	CHECK_ERR(sys_spawn("bad_overlap", NULL), -ENOEXEC);
	CHECK_ERR(sys_spawn("bad_segment_past_eof", NULL), -ENOEXEC);
	CHECK_ERR(sys_spawn("no-such-program", NULL), -ENOENT);
	CHECK_ERR(sys_spawn("true",
	                    (char *[]){"true", (char *)KERNEL_TEXT_ADDR, NULL}),
	          -EFAULT);
	CHECK_ERR(sys_spawn("true", (char *[]){"true", too_long, NULL}),
	          -E2BIG);
}

/* Measures after a short sleep, so memory the kernel frees only once it
 * has switched away from a dead process is free again. */
static void measure(struct meminfo *m)
{
	sys_sleep_ms(50);
	CHECK_ERR(sys_meminfo(m), 0);
}

int main(void)
{
	struct meminfo before, after;

	memset(too_long, 'x', ARG_MAX_BYTES);
	/* Once first: whatever the kernel keeps after a first use is not a
	 * leak (and our own stack has grown as deep as it will). */
	children_of_every_kind();
	measure(&before);

	for (int i = 0; i < SHORT_PROCESSES; i++)
		CHECK_EXITED(RUN("true"), 0);
	for (int i = 0; i < 5; i++)
		children_of_every_kind();

	measure(&after);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	CHECK_EQ(after.process_count, before.process_count);
	return 0;
}
