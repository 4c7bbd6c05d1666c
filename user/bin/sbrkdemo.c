/*
 * sbrkdemo: moves the program break (the end of the heap) with sbrk and
 * prints where it is, how many pages the heap spans and how many of them
 * have a frame (pageinfo). The break is byte-exact; a page the break
 * enters gets a zero-filled frame when first touched (vm=lazy, the
 * default) or at once (vm=eager), and loses it when the break leaves it.
 */
#include <errno.h>
#include <memos.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096u

extern char _end[]; /* user/user.ld: the end of the program's image */

static char *heap_start;

/* "heap pages: 4, with a frame: 2" for the heap as it is now. */
static void show_pages(void)
{
	uintptr_t end =
	        ((uintptr_t)sbrk(0) + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	unsigned pages = 0, framed = 0;

	for (uintptr_t va = (uintptr_t)heap_start; va < end; va += PAGE) {
		struct pageinfo info;
		pages++;
		if (pageinfo((void *)va, &info) == 0 &&
		    (info.flags & PAGEINFO_PRESENT))
			framed++;
	}
	printf("heap pages: %u, with a frame: %u\n", pages, framed);
}

static void move(intptr_t increment)
{
	void *old = sbrk(increment);

	if (old == (void *)-1) {
		printf("sbrk(%d) failed: %s; the break stays at %p\n",
		       (int)increment, strerror(errno), sbrk(0));
		return;
	}
	printf("sbrk(%d) returned %p; the break is now %p;\n  ", (int)increment,
	       old, sbrk(0));
	show_pages();
}

int main(void)
{
	heap_start = sbrk(0);
	printf("sbrkdemo: the program's image ends at %p; its heap starts "
	       "empty at the next page:\nthe break is %p.\n\n",
	       (void *)_end, (void *)heap_start);

	char *heap = heap_start;
	move(100);
	move(4000);
	printf("  (the break is byte-exact: 100 + 4000 bytes past the "
	       "start)\n");
	move(10000);
	printf("  (a heap page gets its frame when first touched; with "
	       "vm=eager on the kernel\n  command line, at sbrk)\n");
	printf("  the new bytes read as zero: %s; ",
	       heap[0] == 0 && heap[14099] == 0 ? "yes" : "no");
	show_pages();
	memset(heap, 0x5a, 14100);
	printf("  wrote all 14100 bytes up to the break; ");
	show_pages();
	move(-10000);
	printf("  (pages wholly above the break lose their frames: touching "
	       "them now is a SIGSEGV)\n");
	move(-4100);
	move(-1);
	printf("  (the break never goes below the heap's start: EINVAL)\n");

	printf("\nNow ask for 2 GiB, more than the machine has:\n");
	move(0x7fffffff);
	printf("  (a heap bigger than the machine's memory could never get "
	       "its frames: ENOMEM,\n  and the break did not move)\n");
	return 0;
}
