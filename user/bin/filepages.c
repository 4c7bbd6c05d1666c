/*
 * filepages: vmbench's helper for one kind of page fault. It reads one
 * byte of each page of a 128 KiB table in its own program file: with
 * vm=lazy each read is a fault that fills a frame from the file (the
 * initrd), and it prints the instructions per fault as vmbench's lines
 * (user/bin/vmbench.c says how they are counted). With vm=eager the pages
 * were filled at spawn: it says so and does nothing.
 */
#include <memos.h>
#include <stdio.h>

#ifndef ICOUNT_SHIFT
#error "ICOUNT_SHIFT comes from tools/emulator-clock.conf (user/user.mk)"
#endif

#define PAGE 4096u
#define PAGES 32

/* Initialised, so its bytes are in the file (not bss); read-only. */
static const char table[PAGES * PAGE] __attribute__((aligned(4096))) = {1};

int main(void)
{
	const char *what = "fault: program page from the file";
	struct meminfo before, after;
	struct pageinfo info;

	if (pageinfo(&table[PAGE], &info) != 0)
		return 1;
	if (info.flags & PAGEINFO_PRESENT) {
		printf("filepages: the table has its frames already "
		       "(vm=eager): no fault to time\n");
		return 0;
	}
	if (meminfo(&before) != 0)
		return 1;
	unsigned sum = 0;
	uint64_t start = read_tsc();
	for (unsigned i = 0; i < PAGES; i++)
		sum += ((const volatile char *)table)[i * PAGE];
	uint64_t took = (read_tsc() - start) >> ICOUNT_SHIFT;
	if (meminfo(&after) != 0 || sum != 1)
		return 1;
	if (after.pages_from_file - before.pages_from_file != PAGES) {
		printf("vmbench (lazy): %s: not measured: %u pages from the "
		       "file for %u reads\n",
		       what, after.pages_from_file - before.pages_from_file,
		       PAGES);
		return 1;
	}
	printf("vmbench (lazy): %s: %u instructions each (%u runs)\n", what,
	       (unsigned)(took / PAGES), PAGES);
	return 0;
}
