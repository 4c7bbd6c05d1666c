/*
 * Lab 4, steps 2-9: the list heap. You grow this file one step at a time,
 * following docs/labs/lab4-heap.md; `make grade LAB=4` shows which steps
 * pass. The interface and the node struct are in lheap.h.
 */
#include "labs/4/heap/lheap.h"

/*
 * What the heap knows to start with: where its memory begins and ends,
 * and the next byte nobody has used yet (as in the bump allocator). From
 * step 5 on you will want pointers to the first and last nodes instead.
 */
static uintptr_t heap_start; /* the first byte of the heap */
static uintptr_t heap_cur;   /* the next byte never handed out */
static uintptr_t heap_end;   /* one past the last mapped byte */
static lheap_map_fn map_pages;
static void *map_ctx;

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

/*
 * A first version, given to you: the heap starts at the first page
 * boundary after the kernel, and initial_bytes (rounded up to pages) are
 * mapped there.
 *
 * TODO(lab 4, step 8): leave one page unmapped between the kernel and the
 * heap (the guard page), and start the heap as one free block (a node)
 * covering all the mapped memory.
 */
int lheap_init(uintptr_t kernel_end, size_t initial_bytes, lheap_map_fn map,
               void *ctx)
{
	uintptr_t start = round_up(kernel_end, LHEAP_PAGE);
	size_t bytes = round_up(initial_bytes, LHEAP_PAGE);

	map_pages = map;
	map_ctx = ctx;
	if (bytes == 0 || map((void *)start, bytes, ctx) != 0)
		return -1;
	heap_start = heap_cur = start;
	heap_end = start + bytes;
	return 0;
}

/*
 * TODO(lab 4): the allocator, step by step.
 *  step 2: write the block's size in a header just before the memory you
 *          return, and move heap_cur past both;
 *  step 4: first look for a free block that is big enough, from the start;
 *  step 5: use struct lheap_node as the header;
 *  step 7: split a block that is much bigger than the request;
 *  step 9: when nothing fits, grow the heap with map_pages.
 */
void *lheap_alloc(size_t size)
{
	(void)size;
	(void)map_pages;
	(void)map_ctx;
	return NULL;
}

/*
 * TODO(lab 4): step 3: mark the block free (refuse a block that is free
 * already); step 6: merge it with free neighbours, next first.
 */
int lheap_free(void *ptr)
{
	(void)ptr;
	return -1;
}

/*
 * TODO(lab 4, step 2): call visit for every block from heap_start on,
 * using the sizes in the headers to get from one block to the next.
 */
size_t lheap_walk(lheap_visit_fn visit, void *ctx)
{
	(void)visit;
	(void)ctx;
	(void)heap_start;
	(void)heap_cur;
	(void)heap_end;
	return 0;
}
