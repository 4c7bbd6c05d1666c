/*
 * A successful execv() frees the old image's frames at once, not when
 * the process ends: a child grows an 8 MiB heap, touches every page of
 * it, and execs itself; the new image finds the frames free again while
 * the process still lives. Then it execs "true", and once it has ended
 * every frame and kernel heap byte is back (no leak of the old images
 * nor of their regions).
 */
// test-vm: eager lazy
#include <memos.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "user/lib/parse.h"

#define HEAP_BYTES (8u << 20)
#define HEAP_FRAMES (HEAP_BYTES / PAGE_SIZE)
/* Page tables and the few pages that differ between the two images. */
#define SLACK 16

static void touch_stack(void)
{
	volatile char pad[16 * 1024];

	for (size_t i = 0; i < sizeof(pad); i += PAGE_SIZE)
		pad[i] = 0;
}

static uint32_t free_frames(void)
{
	struct meminfo m;

	CHECK_EQ(meminfo(&m), 0);
	return m.free_frames;
}

static uint32_t to_number(const char *s)
{
	int n;

	if (parse_int(s, &n) != 0 || n < 0)
		check_fail(__FILE__, __LINE__, "\"%s\" is not a count", s);
	return (uint32_t)n;
}

/* The child: grows and fills its heap, then execs itself with the free
 * frame counts from before and after. */
static int grow_and_exec(void)
{
	char start[12], grown[12];

	touch_stack();
	uint32_t at_start = free_frames();
	char *heap = sbrk(HEAP_BYTES);
	CHECK(heap != (void *)-1);
	for (uint32_t i = 0; i < HEAP_BYTES; i += PAGE_SIZE)
		heap[i] = 1;
	uint32_t at_grown = free_frames();
	CHECK(at_grown + HEAP_FRAMES <= at_start);
	format_snprintf(start, sizeof(start), "%u", (unsigned)at_start);
	format_snprintf(grown, sizeof(grown), "%u", (unsigned)at_grown);
	int ret = sys_execv("execv_frees", (char *[]){"execv_frees", "after",
	                                              start, grown, NULL});
	check_fail(__FILE__, __LINE__, "sys_execv returned %d", ret);
}

/* The new image: the heap's frames are free again. */
static int after(char **argv)
{
	touch_stack();
	uint32_t at_start = to_number(argv[2]);
	uint32_t at_grown = to_number(argv[3]);
	uint32_t now = free_frames();

	if (now < at_grown + HEAP_FRAMES || now + SLACK < at_start)
		check_fail(__FILE__, __LINE__,
		           "%u frames free after execv; %u before the old "
		           "image grew its heap, %u after",
		           (unsigned)now, (unsigned)at_start,
		           (unsigned)at_grown);
	char *argv_true[] = {"true", NULL};
	int ret = sys_execv("true", argv_true);
	check_fail(__FILE__, __LINE__, "sys_execv returned %d", ret);
}

int main(int argc, char **argv)
{
	struct meminfo before, after_all;

	if (argc >= 2 && strcmp(argv[1], "grow") == 0)
		return grow_and_exec();
	if (argc == 4 && strcmp(argv[1], "after") == 0)
		return after(argv);

	touch_stack();
	/* Once first: what the kernel heap keeps after a first use is not
	 * a leak. */
	CHECK_EXITED(RUN("execv_frees", "grow"), 0);
	sleep_ms(50); /* let the kernel finish freeing it */
	CHECK_EQ(meminfo(&before), 0);
	CHECK_EXITED(RUN("execv_frees", "grow"), 0);
	sleep_ms(50);
	CHECK_EQ(meminfo(&after_all), 0);
	CHECK_EQ(after_all.free_frames, before.free_frames);
	CHECK_EQ(after_all.kheap_used_bytes, before.kheap_used_bytes);
	return 0;
}
