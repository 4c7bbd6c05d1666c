/*
 * A failed execv() returns the right error and the caller goes on
 * unchanged: its heap, stack, data and bss hold what they held, its break
 * and regions are where they were, and no frame or kernel heap byte is
 * lost to the image execv had begun to build. Cases: a missing program
 * (ENOENT), malformed ones (ENOEXEC; user/files, as bad_elf), a path or
 * argv the caller may not read (EFAULT), too many arguments (E2BIG), and
 * in eager mode a program bigger than the machine (ENOMEM: bigbss, whose
 * pages execv must all give frames before the old image goes). The
 * checks run in a child that exits with CHILD_PASSED: an execv that
 * wrongly succeeded would end it with another program's status.
 */
// test-vm: eager lazy
#include <errno.h>
#include <memos.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

#define HEAP_PAGES 4 /* the last one holds the unterminated strings */
#define MAX_REGIONS 8
#define CHILD_PASSED 42

static uint32_t data_pattern[256] = {1}; /* in .data, filled at start */
static uint32_t bss_pattern[1024];
static char big[ARG_MAX_BYTES + 1];
static char *too_many[ARG_MAX_COUNT + 2];

/* What must survive every failed execv. */
static struct {
	uint32_t *heap;
	size_t heap_words;
	volatile uint32_t *stack;
	size_t stack_words;
	void *brk;
	int region_count;
	struct region_info regions[MAX_REGIONS];
} kept;

static uint32_t pattern(size_t i, uint32_t seed)
{
	return seed ^ (uint32_t)(i * 2654435761u);
}

static void fill(volatile uint32_t *words, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++)
		words[i] = pattern(i, seed);
}

static void check_filled(int line, const char *what,
                         const volatile uint32_t *words, size_t n,
                         uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		if (words[i] != pattern(i, seed))
			check_fail(__FILE__, line,
			           "after the failed execv, %s word %u is "
			           "0x%08x, expected 0x%08x",
			           what, (unsigned)i, (unsigned)words[i],
			           (unsigned)pattern(i, seed));
	}
}

/* The caller is as it was before the execv on line `line`. */
static void check_intact(int line)
{
	struct region_info now[MAX_REGIONS];

	check_filled(line, "heap", kept.heap, kept.heap_words, 0x4ea9);
	check_filled(line, "stack", kept.stack, kept.stack_words, 0x57ac);
	check_filled(line, "data", data_pattern, 256, 0xda7a);
	check_filled(line, "bss", bss_pattern, 1024, 0xb55);
	if (sbrk(0) != kept.brk)
		check_fail(__FILE__, line, "the break moved: %p, was %p",
		           sbrk(0), kept.brk);
	int n = regions(0, now, MAX_REGIONS);
	if (n != kept.region_count)
		check_fail(__FILE__, line, "%d regions, there were %d", n,
		           kept.region_count);
	for (int i = 0; i < n; i++) {
		const struct region_info *a = &now[i], *b = &kept.regions[i];
		if (a->start != b->start || a->end != b->end ||
		    a->rights != b->rights || a->kind != b->kind)
			check_fail(__FILE__, line,
			           "region %d is %08x-%08x, was %08x-%08x", i,
			           (unsigned)a->start, (unsigned)a->end,
			           (unsigned)b->start, (unsigned)b->end);
	}
}

/* sys_execv(...) fails with err, and the caller is unchanged. */
#define FAILS(call, err)                                                       \
	do {                                                                   \
		CHECK_ERR(call, err);                                          \
		check_intact(__LINE__);                                        \
	} while (0)

static char *const bad_files[] = {
        "bad_magic",
        "bad_class64",
        "bad_phdrs_past_end",
        "bad_entry",
        "bad_segment_past_eof",
        "bad_overlap",
        "bad_truncated",
        "bad_empty",
        "test-list",
};

/* Every failure once. The heap's last page: "true" with no NUL up to
 * the unmapped page after the break, then an argv with no NULL. */
static void every_failure(bool eager)
{
	char *heap_end = (char *)kept.brk;

	FAILS(sys_execv("no-such-program", NULL), -ENOENT);
	FAILS(sys_execv("", NULL), -ENOENT);
	FAILS(sys_execv("tru", NULL), -ENOENT); /* a prefix of "true" */
	FAILS(sys_execv(big, NULL), -ENOENT);   /* no name is so long */
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++)
		FAILS(sys_execv(bad_files[i], NULL), -ENOEXEC);

	/* Paths it may not read. */
	FAILS(sys_execv(NULL, NULL), -EFAULT);
	FAILS(sys_execv((char *)KERNEL_TEXT_ADDR, NULL), -EFAULT);
	FAILS(sys_execv((char *)UNMAPPED_ADDR, NULL), -EFAULT);
	char *unterminated = heap_end - 4;
	memcpy(unterminated, "true", 4);
	FAILS(sys_execv(unterminated, NULL), -EFAULT);

	/* argv arrays it may not read. */
	FAILS(sys_execv("true", (char **)KERNEL_TEXT_ADDR), -EFAULT);
	FAILS(sys_execv("true", (char **)UNMAPPED_ADDR), -EFAULT);
	FAILS(sys_execv("true",
	                (char *[]){"true", (char *)KERNEL_TEXT_ADDR, NULL}),
	      -EFAULT);
	FAILS(sys_execv("true",
	                (char *[]){"true", (char *)UNMAPPED_ADDR, NULL}),
	      -EFAULT);
	FAILS(sys_execv("true", (char *[]){"true", unterminated, NULL}),
	      -EFAULT);
	char **no_null = (char **)(heap_end - 2 * sizeof(char *));
	no_null[0] = "true";
	no_null[1] = "x";
	FAILS(sys_execv("true", no_null), -EFAULT);

	/* One string, one byte too many. */
	FAILS(sys_execv("true", too_many), -E2BIG);
	FAILS(sys_execv("true", (char *[]){big, NULL}), -E2BIG);

	/* Eager: 192 MiB of bss cannot all have frames on 128 MiB. */
	if (eager)
		FAILS(sys_execv("bigbss", NULL), -ENOMEM);

	/* The C library's execv: -1 and errno. */
	errno = 0;
	CHECK_EQ(execv("no-such-program", (char *[]){"x", NULL}), -1);
	CHECK_EQ(errno, ENOENT);
	errno = 0;
	CHECK_EQ(execv("bad_magic", NULL), -1);
	CHECK_EQ(errno, ENOEXEC);
	check_intact(__LINE__);
}

/* Touches 16 KiB of stack, so that the calls between the two counts take
 * no new stack page (a frame) of their own. */
static void touch_stack(void)
{
	volatile char pad[16 * 1024];

	for (size_t i = 0; i < sizeof(pad); i += PAGE_SIZE)
		pad[i] = 0;
}

/* The checks, in a child: an execv that wrongly succeeded would end it
 * with the other program's status, never with this one. */
static int child(bool eager)
{
	volatile uint32_t stack[512];
	struct meminfo before, after;

	touch_stack();
	memset(big, 'x', ARG_MAX_BYTES);
	for (int i = 0; i <= ARG_MAX_COUNT; i++)
		too_many[i] = "x";
	kept.heap = sbrk(HEAP_PAGES * PAGE_SIZE);
	CHECK(kept.heap != (void *)-1);
	kept.brk = sbrk(0);
	kept.heap_words = (HEAP_PAGES - 1) * PAGE_SIZE / sizeof(uint32_t);
	kept.stack = stack;
	kept.stack_words = sizeof(stack) / sizeof(stack[0]);
	fill(kept.heap, kept.heap_words, 0x4ea9);
	fill(kept.stack, kept.stack_words, 0x57ac);
	fill(data_pattern, 256, 0xda7a);
	fill(bss_pattern, 1024, 0xb55);
	kept.region_count = regions(0, kept.regions, MAX_REGIONS);
	CHECK(kept.region_count >= 4 && kept.region_count <= MAX_REGIONS);

	/* Once first, so that what the kernel heap keeps is there already
	 * when the frames are counted. */
	every_failure(eager);
	CHECK_EQ(meminfo(&before), 0);
	every_failure(eager);
	CHECK_EQ(meminfo(&after), 0);
	CHECK_EQ(after.free_frames, before.free_frames);
	CHECK_EQ(after.kheap_used_bytes, before.kheap_used_bytes);
	return CHILD_PASSED;
}

int main(int argc, char **argv)
{
	bool eager = vm_eager(argc, argv);

	if (argc == 3 && strcmp(argv[2], "child") == 0)
		return child(eager);
	CHECK_EXITED(
	        RUN("execv_errors", eager ? "vm=eager" : "vm=lazy", "child"),
	        CHILD_PASSED);
	return 0;
}
