/*
 * pageinfo() and memory on demand, as a program sees them: untouched heap
 * and bss pages have no frame and touched ones do (vm=lazy), every page
 * has one from the start (vm=eager); a text page gets its frame when code
 * in it first runs; regions have the rights of what they hold; writing to
 * text still kills the program.
 */
// test-vm: eager lazy
#include <memos.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static char bss_pages[3 * PAGE_SIZE] __attribute__((aligned(4096)));

/* A function alone in its own page of text, called once below. */
__attribute__((noinline, aligned(4096))) static int far_function(int x)
{
	return x * 3 + 1;
}
/* ... and the page after it starts with this one, so far_function's page
 * holds nothing else that runs. */
__attribute__((noinline, aligned(4096))) static int next_function(int x)
{
	return x - 1;
}

static struct pageinfo info_of(const void *p)
{
	struct pageinfo info;

	CHECK_EQ(pageinfo(p, &info), 0);
	return info;
}

static bool present(const void *p)
{
	return info_of(p).flags & PAGEINFO_PRESENT;
}

int main(int argc, char **argv)
{
	bool eager = vm_eager(argc, argv);

	if (argc == 2 && strcmp(argv[1], "write-text") == 0) {
		*(volatile char *)(uintptr_t)far_function = 0; /* SIGSEGV */
		return 99;
	}

	/* The text region: read and execute, never write. */
	struct pageinfo text = info_of((void *)(uintptr_t)main);
	CHECK_EQ(text.flags &
	                 (PAGEINFO_REGION | PAGEINFO_READ | PAGEINFO_WRITE |
	                  PAGEINFO_EXEC | PAGEINFO_PRESENT | PAGEINFO_WRITABLE),
	         PAGEINFO_REGION | PAGEINFO_READ | PAGEINFO_EXEC |
	                 PAGEINFO_PRESENT);
	CHECK_EQ(text.region_kind, (uint32_t)REGION_KIND_TEXT);
	CHECK(text.region_start <= (uintptr_t)main &&
	      (uintptr_t)main < text.region_end);
	CHECK(text.frame != 0 && text.frame % PAGE_SIZE == 0);
	CHECK_EQ(text.frame_maps, 1u);

	/* Code that has not run yet is not in memory (lazy). */
	CHECK_EQ(present((void *)(uintptr_t)far_function), eager);
	CHECK_EQ(far_function(4), 13);
	CHECK(present((void *)(uintptr_t)far_function));
	CHECK_EQ(next_function(1), 0);

	/* bss: read and write, zero-filled; a frame on first touch. */
	struct pageinfo bss = info_of(bss_pages);
	CHECK_EQ(bss.region_kind, (uint32_t)REGION_KIND_BSS);
	CHECK_EQ(bss.flags & (PAGEINFO_READ | PAGEINFO_WRITE | PAGEINFO_EXEC),
	         PAGEINFO_READ | PAGEINFO_WRITE);
	CHECK_EQ(present(bss_pages + PAGE_SIZE), eager);
	CHECK_EQ(bss_pages[PAGE_SIZE + 5], 0); /* a read is a touch too */
	CHECK(present(bss_pages + PAGE_SIZE));
	CHECK(info_of(bss_pages + PAGE_SIZE).flags & PAGEINFO_WRITABLE);
	CHECK_EQ(present(bss_pages + 2 * PAGE_SIZE), eager);

	/* The heap: pages below the break, a frame on first touch. */
	char *heap = sbrk(2 * PAGE_SIZE);
	CHECK(heap != (void *)-1);
	struct pageinfo h = info_of(heap);
	CHECK_EQ(h.region_kind, (uint32_t)REGION_KIND_HEAP);
	CHECK_EQ(h.region_end, (uintptr_t)heap + 2 * PAGE_SIZE);
	CHECK_EQ(present(heap), eager);
	heap[PAGE_SIZE] = 1;
	CHECK_EQ(present(heap), eager);
	CHECK(present(heap + PAGE_SIZE));
	/* Above the break: no region, no frame. */
	CHECK_EQ(info_of(heap + 2 * PAGE_SIZE).flags, 0u);

	/* The stack: the page holding a local. */
	int local = 0;
	struct pageinfo stack = info_of(&local);
	CHECK_EQ(stack.region_kind, (uint32_t)REGION_KIND_STACK);
	CHECK(stack.flags & PAGEINFO_PRESENT);

	/* Writing to text is a fault that ends the program. */
	CHECK_KILLED(RUN("pageinfo", "write-text"), SIGSEGV);
	return 0;
}
