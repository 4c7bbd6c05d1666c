/*
 * sbrkdemo: moves the program break (the end of the heap) with sbrk and
 * prints where it is and how many frames the kernel has mapped for it. The
 * break is byte-exact; pages are mapped (zero-filled) as it enters them
 * and unmapped as it leaves them.
 */
#include <errno.h>
#include <memos.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char _end[]; /* user/user.ld: the end of the program's image */

static uint32_t start_frames;

static uint32_t free_frames(void)
{
	struct meminfo m;

	return meminfo(&m) == 0 ? m.free_frames : 0;
}

static void move(intptr_t increment)
{
	void *old = sbrk(increment);

	if (old == (void *)-1) {
		printf("sbrk(%d) failed: %s; the break stays at %p\n",
		       (int)increment, strerror(errno), sbrk(0));
		return;
	}
	printf("sbrk(%d) returned %p; the break is now %p; frames in use: "
	       "%d\n",
	       (int)increment, old, sbrk(0),
	       (int)(start_frames - free_frames()));
}

int main(void)
{
	start_frames = free_frames();
	printf("sbrkdemo: the program's image ends at %p; its heap starts "
	       "empty at the next page:\nthe break is %p.\n\n",
	       (void *)_end, sbrk(0));

	char *heap = sbrk(0);
	move(100);
	move(4000);
	printf("  (the break is byte-exact: 100 + 4000 bytes past the "
	       "start)\n");
	move(10000);
	printf("  the new bytes read as zero: %s\n",
	       heap[0] == 0 && heap[14099] == 0 ? "yes" : "no");
	memset(heap, 0x5a, 14100);
	printf("  wrote all 14100 bytes up to the break\n");
	move(-10000);
	printf("  (pages wholly above the break are unmapped: touching them "
	       "now is a SIGSEGV)\n");
	move(-4100);
	move(-1);
	printf("  (the break never goes below the heap's start: EINVAL)\n");
	printf("\nBack where it started: the break is %p, %d frames in use.\n",
	       sbrk(0), (int)(start_frames - free_frames()));

	printf("\nNow ask for 2 GiB, more than the machine has:\n");
	move(0x7fffffff);
	printf("  (frames ran out, so the break did not move: ENOMEM; the "
	       "page tables made\n  on the way stay until the program "
	       "exits)\n");
	return 0;
}
