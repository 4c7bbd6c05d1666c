/*
 * Lab 4 (reference): the list heap after every step of the lab. First fit
 * over all blocks, split on allocation, merge on free, grown page by page
 * at the end through the map hook.
 */
#include "labs/4/heap/lheap.h"

#define NODE sizeof(struct lheap_node)

static struct lheap_node *head; /* the lowest block */
static struct lheap_node *tail; /* the highest block */
static uintptr_t heap_end;      /* one past the last mapped byte */
static lheap_map_fn map_pages;
static void *map_ctx;

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

static void *payload_of(struct lheap_node *node)
{
	return (char *)node + NODE;
}

int lheap_init(uintptr_t kernel_end, size_t initial_bytes, lheap_map_fn map,
               void *ctx)
{
	/* The page after the kernel stays unmapped: a stray write just
	 * below the heap faults instead of landing in the kernel. */
	uintptr_t start = round_up(kernel_end, LHEAP_PAGE) + LHEAP_PAGE;
	size_t bytes = round_up(initial_bytes, LHEAP_PAGE);

	head = tail = NULL;
	map_pages = map;
	map_ctx = ctx;
	if (bytes == 0 || map((void *)start, bytes, ctx) != 0)
		return -1;
	head = tail = (struct lheap_node *)start;
	head->size = bytes - NODE;
	head->status = LHEAP_FREE;
	head->prev = head->next = NULL;
	heap_end = start + bytes;
	return 0;
}

/*
 * Cuts a used block down to size bytes when what is left over can be a
 * block of its own (a node and at least LHEAP_MIN_PAYLOAD); a smaller rest
 * stays inside the block, where it is not lost but cannot be handed out.
 */
static void split(struct lheap_node *node, size_t size)
{
	if (node->size < size + NODE + LHEAP_MIN_PAYLOAD)
		return;
	struct lheap_node *rest =
	        (struct lheap_node *)((char *)payload_of(node) + size);

	rest->size = node->size - size - NODE;
	rest->status = LHEAP_FREE;
	rest->prev = node;
	rest->next = node->next;
	if (node->next)
		node->next->prev = rest;
	else
		tail = rest;
	node->next = rest;
	node->size = size;
}

/* Swallows node->next (which must exist) into node. */
static void absorb_next(struct lheap_node *node)
{
	struct lheap_node *next = node->next;

	node->size += NODE + next->size;
	node->next = next->next;
	if (next->next)
		next->next->prev = node;
	else
		tail = node;
}

/*
 * Maps enough pages at the heap's end for a block of size bytes. If the
 * last block is free it simply gets longer; otherwise the new memory
 * becomes a new free block. Returns the free block at the end, or NULL.
 */
static struct lheap_node *grow(size_t size)
{
	bool extend = tail->status == LHEAP_FREE;
	size_t need = extend ? size - tail->size : size + NODE;
	size_t bytes = round_up(need, LHEAP_PAGE);

	if (map_pages((void *)heap_end, bytes, map_ctx) != 0)
		return NULL;
	if (extend) {
		tail->size += bytes;
	} else {
		struct lheap_node *node = (struct lheap_node *)heap_end;

		node->size = bytes - NODE;
		node->status = LHEAP_FREE;
		node->prev = tail;
		node->next = NULL;
		tail->next = node;
		tail = node;
	}
	heap_end += bytes;
	return tail;
}

void *lheap_alloc(size_t size)
{
	if (size == 0 || !head || size > SIZE_MAX / 2)
		return NULL;
	size = round_up(size, LHEAP_ALIGN);
	if (size < LHEAP_MIN_PAYLOAD)
		size = LHEAP_MIN_PAYLOAD;

	struct lheap_node *node = head;
	while (node && (node->status != LHEAP_FREE || node->size < size))
		node = node->next; /* first fit */
	if (!node)
		node = grow(size);
	if (!node)
		return NULL;
	node->status = LHEAP_USED;
	split(node, size);
	return payload_of(node);
}

int lheap_free(void *ptr)
{
	if (!ptr)
		return 0;
	struct lheap_node *node = (struct lheap_node *)((char *)ptr - NODE);

	if (node->status != LHEAP_USED)
		return -1;
	node->status = LHEAP_FREE;
	/* Next first: once prev has swallowed node, node's own fields are
	 * payload of prev and no longer describe where next is. */
	if (node->next && node->next->status == LHEAP_FREE)
		absorb_next(node);
	if (node->prev && node->prev->status == LHEAP_FREE)
		absorb_next(node->prev);
	return 0;
}

size_t lheap_walk(lheap_visit_fn visit, void *ctx)
{
	size_t count = 0;

	for (struct lheap_node *node = head; node; node = node->next) {
		visit(payload_of(node), node->size, node->status == LHEAP_USED,
		      ctx);
		count++;
	}
	return count;
}
