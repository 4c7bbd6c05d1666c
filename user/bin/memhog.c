/*
 * memhog: mallocs until malloc returns NULL (1 MiB blocks, then smaller
 * ones), reports how much it got, frees it all, and shows with meminfo
 * that the frames came back to the kernel. It writes only the first word
 * of each block: with memory on demand (vm=lazy) only those pages get
 * frames, and malloc stops when the heap is as big as the machine's
 * memory; with vm=eager, sbrk maps every page and the frames run out.
 */
#include <memos.h>
#include <stdio.h>
#include <stdlib.h>

#define FIRST_CHUNK (1024 * 1024)
#define LAST_CHUNK 16

static struct meminfo info(void)
{
	struct meminfo m = {0};

	meminfo(&m);
	return m;
}

int main(void)
{
	struct meminfo before = info();
	void **last = NULL; /* the blocks, linked through their first word */
	unsigned long total = 0, blocks = 0;

	printf("memhog: %u of %u frames free (%u KiB) before.\n",
	       (unsigned)before.free_frames, (unsigned)before.total_frames,
	       (unsigned)before.free_frames * 4);
	for (size_t chunk = FIRST_CHUNK; chunk >= LAST_CHUNK;) {
		void **p = malloc(chunk);
		if (!p) {
			chunk /= 2;
			continue;
		}
		*p = last;
		last = p;
		total += chunk;
		blocks++;
	}
	struct meminfo peak = info();
	printf("memhog: malloc returned NULL after %lu KiB in %lu blocks; "
	       "%u frames free now.\n",
	       total / 1024, blocks, (unsigned)peak.free_frames);
	if (peak.free_frames > before.free_frames / 2)
		printf("memhog: (memory on demand: only the pages memhog "
		       "wrote, "
		       "one per block, have frames)\n");

	while (last) {
		void **next = *last;
		free(last);
		last = next;
	}
	struct meminfo after = info();
	printf("memhog: freed everything: %u frames came back, %u frames "
	       "free.\n",
	       (unsigned)(after.free_frames - peak.free_frames),
	       (unsigned)after.free_frames);
	printf("memhog: the other %u frames are the heap's kept free memory "
	       "and page tables;\nexit returns them.\n",
	       (unsigned)(before.free_frames - after.free_frames));
	return 0;
}
