/*
 * heapdemo [COUNT]: mallocs and frees COUNT blocks (default 6) in
 * patterns and prints the heap's block list after each step, so you can
 * watch a free block split in two to serve a smaller request, and free
 * neighbours merge into one. Above 16 blocks only the statistics are
 * printed. The heap is checked (every invariant) after each step.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DEFAULT_COUNT 6
#define MAX_COUNT 1000
#define LIST_LIMIT 16 /* print every block up to this many */

static int count;

static void show(const char *what)
{
	char msg[160];

	printf("\n== %s\n", what);
	if (count <= LIST_LIMIT) {
		malloc_dump();
	} else {
		struct heap_stats s;
		malloc_get_stats(&s);
		printf("heap: %u bytes from sbrk: %u used blocks (%u bytes), "
		       "%u free (%u bytes, largest %u)\n",
		       (unsigned)s.heap_bytes, (unsigned)s.used_blocks,
		       (unsigned)s.used_bytes, (unsigned)s.free_blocks,
		       (unsigned)s.free_bytes, (unsigned)s.largest_free);
	}
	if (malloc_check(msg, sizeof(msg)) != 0) {
		printf("heap check FAILED: %s\n", msg);
		exit(1);
	}
	printf("heap check: ok\n");
}

int main(int argc, char **argv)
{
	static void *blocks[MAX_COUNT];

	count = argc > 1 ? atoi(argv[1]) : DEFAULT_COUNT;
	if (argc > 2 || count < 2 || count > MAX_COUNT) {
		fprintf(stderr, "usage: heapdemo [COUNT], COUNT from 2 to %d\n",
		        MAX_COUNT);
		return 2;
	}
	printf("heapdemo: %d blocks. Each line of a list is one block: its "
	       "header's address,\nits size (header included), used or free; "
	       "a used block also shows the\naddress malloc returned and how "
	       "many bytes may be used there.\n",
	       count);
	printf("The heap starts empty: the break is %p.\n", sbrk(0));

	for (int i = 0; i < count; i++)
		blocks[i] = malloc((size_t)(i + 1) * 40);
	show("malloc 40, 80, 120, ... bytes: the heap grows with sbrk and "
	     "cuts each block\n   from its free memory");

	for (int i = 0; i < count; i += 2) {
		free(blocks[i]);
		blocks[i] = NULL;
	}
	show("free every second block: the free blocks cannot merge, a used "
	     "block sits\n   between each two");

	for (int i = 0; i < count; i += 2)
		blocks[i] = malloc(16);
	show("malloc(16) as many times: each is cut from a free block that "
	     "fits, and the\n   rest of that block stays free (split)");

	for (int i = 1; i < count; i += 2) {
		free(blocks[i]);
		blocks[i] = NULL;
	}
	show("free the other big blocks: each joins the free blocks on either "
	     "side (merge)");

	for (int i = 0; i < count; i += 2)
		free(blocks[i]);
	show("free the rest: everything merges back into one free block; the "
	     "heap keeps it\n   for the next malloc (it gives memory back "
	     "with sbrk only above 256 KiB)");
	printf("\nThe break is %p.\n", sbrk(0));
	return 0;
}
