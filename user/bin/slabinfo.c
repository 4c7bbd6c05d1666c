/*
 * slabinfo: the kernel's slab caches, like Linux's /proc/slabinfo: per
 * cache the object size, objects in use and in all, slabs, pages, and the
 * bytes lost inside the objects in use (internal fragmentation). See
 * docs/slab.md.
 */
#include <memos.h>
#include <stdio.h>

#define MAX_CACHES 16

int main(int argc, char **argv)
{
	struct slabinfo cache[MAX_CACHES];

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: slabinfo\n");
		return 2;
	}
	int n = slabinfo(cache, MAX_CACHES);
	if (n < 0) {
		perror("slabinfo");
		return 1;
	}
	printf("cache     size stride  in use  total  slabs empty  pages "
	       "per slab   lost\n");
	for (int i = 0; i < n && i < MAX_CACHES; i++) {
		const struct slabinfo *c = &cache[i];
		printf("%-8s %5u %6u %7u %6u %6u %5u %6u %3u/%-4u %6u\n",
		       c->name, (unsigned)c->object_size, (unsigned)c->stride,
		       (unsigned)c->objects_in_use, (unsigned)c->objects_total,
		       (unsigned)c->slabs, (unsigned)c->slabs_empty,
		       (unsigned)c->pages, (unsigned)c->objects_per_slab,
		       (unsigned)c->pages_per_slab, (unsigned)c->lost_bytes);
	}
	if (n > 0 && cache[0].debug)
		printf("(slab=debug: each object has a red zone after it)\n");
	return 0;
}
