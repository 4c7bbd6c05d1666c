/*
 * bigbss: a program bigger than the machine's memory. Its bss is 192 MiB
 * (QEMU and Bochs give memos 128 MiB). With memory on demand (vm=lazy,
 * the default) it starts, touches three pages of it and says which got
 * frames; with vm=eager spawn refuses it (not enough memory).
 */
#include <memos.h>
#include <stdio.h>

#define HUGE (192u * 1024 * 1024)
static char huge[HUGE];

static const char *frame_of(const void *p)
{
	struct pageinfo info;

	if (pageinfo(p, &info) != 0)
		return "?";
	return info.flags & PAGEINFO_PRESENT ? "has a frame" : "has none";
}

int main(void)
{
	printf("bigbss: %u MiB of bss at %p\n", HUGE >> 20, (void *)huge);
	huge[0] = 1;
	huge[HUGE - 1] = 3;
	printf("bigbss: touched its first and last page: the first %s, the "
	       "middle %s, the last %s\n",
	       frame_of(huge), frame_of(huge + HUGE / 2),
	       frame_of(huge + HUGE - 1));
	return huge[0] + huge[HUGE - 1] == 4 ? 0 : 1;
}
