/*
 * buddy.c - the buddy allocator over frame numbers (docs/buddy.md draws
 * it). Read it next to mm/heap.c: the same "no environment inside" shape.
 *
 * A block of 2^k frames always starts at a multiple of 2^k. Its buddy is
 * the other half of the block of 2^(k+1) they were split from: the block
 * whose first frame differs from its own in bit k alone, f XOR 2^k.
 *
 *   order 2: [ 0  1  2  3 ][ 4  5  6  7 ]   blocks 0 and 4 are buddies
 *   order 1: [ 0  1 ][ 2  3 ]               blocks 0 and 2 are buddies
 *   order 0: [0][1]                         frames 0 and 1 are buddies
 */
#include "mm/buddy.h"

#include <stdarg.h>

#include "lib/format.h"

/* The first frame of the buddy of the block of 2^order frames at f. */
static uint32_t buddy_of(uint32_t f, unsigned order)
{
	return f ^ (1u << order);
}

/* ---- The free lists: one doubly linked list per order ------------------ */

/* Block f of 2^order frames becomes free: first on its order's list. */
static void list_push(struct buddy *b, uint32_t f, unsigned order)
{
	struct buddy_frame *fr = &b->frames[f];

	fr->state = BUDDY_FREE;
	fr->order = (uint8_t)order;
	fr->prev = BUDDY_NONE;
	fr->next = b->free_head[order];
	if (fr->next != BUDDY_NONE)
		b->frames[fr->next].prev = f;
	b->free_head[order] = f;
	b->free_blocks[order]++;
	b->free_frames += 1u << order;
}

/* Free block f leaves its list (the caller says what it becomes). */
static void list_remove(struct buddy *b, uint32_t f)
{
	struct buddy_frame *fr = &b->frames[f];

	if (fr->prev != BUDDY_NONE)
		b->frames[fr->prev].next = fr->next;
	else
		b->free_head[fr->order] = fr->next;
	if (fr->next != BUDDY_NONE)
		b->frames[fr->next].prev = fr->prev;
	b->free_blocks[fr->order]--;
	b->free_frames -= 1u << fr->order;
}

/* ---- Split and merge --------------------------------------------------- */

/*
 * Block f of 2^from frames, off every list, is cut down to 2^to frames:
 * each cut halves it, and the upper half (its buddy) goes on the free
 * list one order down. f keeps the lower half each time.
 */
static void split(struct buddy *b, uint32_t f, unsigned from, unsigned to)
{
	while (from > to) {
		from--;
		list_push(b, f + (1u << from), from);
	}
}

/*
 * Block f of 2^*order frames, off every list, merges with its buddy as
 * long as the buddy is a free block of the same order (a free buddy of a
 * smaller order has been split: part of it is in use). Returns the first
 * frame of the merged block and sets *order to its order.
 */
static uint32_t merge(struct buddy *b, uint32_t f, unsigned *order)
{
	while (*order < BUDDY_MAX_ORDER) {
		uint32_t buddy = buddy_of(f, *order);

		if (buddy >= b->nframes ||
		    b->frames[buddy].state != BUDDY_FREE ||
		    b->frames[buddy].order != *order)
			break;
		list_remove(b, buddy);
		/* The lower of the two heads the merged block. */
		if (buddy < f) {
			b->frames[f].state = BUDDY_TAIL;
			f = buddy;
		} else {
			b->frames[buddy].state = BUDDY_TAIL;
		}
		(*order)++;
	}
	return f;
}

/* ---- The interface ------------------------------------------------------ */

void buddy_init(struct buddy *b, struct buddy_frame *frames, uint32_t nframes)
{
	b->frames = frames;
	b->nframes = nframes;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		b->free_head[k] = BUDDY_NONE;
		b->free_blocks[k] = 0;
	}
	b->free_frames = 0;
	b->managed_frames = 0;
	for (uint32_t f = 0; f < nframes; f++)
		frames[f] = (struct buddy_frame){BUDDY_NONE, BUDDY_NONE, 0,
		                                 BUDDY_RESERVED};
}

int buddy_add_range(struct buddy *b, uint32_t first, uint32_t count)
{
	if (first > b->nframes || count > b->nframes - first)
		return -BUDDY_EINVAL;
	for (uint32_t f = first; f < first + count; f++)
		if (b->frames[f].state != BUDDY_RESERVED)
			return -BUDDY_EINVAL;
	/* The frames come in as allocated frames, then each is freed:
	 * freeing merges it into the largest block its free neighbours make. */
	for (uint32_t f = first; f < first + count; f++) {
		b->frames[f].state = BUDDY_USED;
		b->frames[f].order = 0;
	}
	b->managed_frames += count;
	for (uint32_t f = first; f < first + count; f++)
		buddy_free(b, f, 0);
	return 0;
}

unsigned buddy_order_for(uint32_t n)
{
	unsigned order = 0;

	while (order < 32 && (1ull << order) < n)
		order++;
	return order;
}

uint32_t buddy_alloc(struct buddy *b, unsigned order)
{
	unsigned k = order;

	if (order > BUDDY_MAX_ORDER)
		return BUDDY_NONE;
	/* The smallest free block that is big enough. */
	while (k <= BUDDY_MAX_ORDER && b->free_head[k] == BUDDY_NONE)
		k++;
	if (k > BUDDY_MAX_ORDER)
		return BUDDY_NONE;
	uint32_t f = b->free_head[k];

	list_remove(b, f);
	split(b, f, k, order);
	b->frames[f].state = BUDDY_USED;
	b->frames[f].order = (uint8_t)order;
	return f;
}

/* The first frame of the block frame f lies in, or BUDDY_NONE (f is
 * reserved). A block is aligned to its size: its head is f with the low
 * bits cleared, and every frame between is a tail. */
static uint32_t block_of(const struct buddy *b, uint32_t f)
{
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint32_t head = f & ~((1u << k) - 1);
		const struct buddy_frame *h = &b->frames[head];

		if (h->state == BUDDY_RESERVED)
			return BUDDY_NONE;
		if (h->state != BUDDY_TAIL)
			return h->order >= k ? head : BUDDY_NONE;
	}
	return BUDDY_NONE;
}

int buddy_free(struct buddy *b, uint32_t first, unsigned order)
{
	if (order > BUDDY_MAX_ORDER || first >= b->nframes ||
	    first % (1u << order) != 0)
		return -BUDDY_EINVAL;
	const struct buddy_frame *fr = &b->frames[first];

	if (fr->state != BUDDY_USED || fr->order != order) {
		uint32_t head = block_of(b, first);

		if (head != BUDDY_NONE && b->frames[head].state == BUDDY_FREE)
			return -BUDDY_EDOUBLE;
		return -BUDDY_EINVAL;
	}
	uint32_t merged = merge(b, first, &order);

	list_push(b, merged, order);
	return 0;
}

bool buddy_is_allocated(const struct buddy *b, uint32_t f)
{
	uint32_t head = f < b->nframes ? block_of(b, f) : BUDDY_NONE;

	return head != BUDDY_NONE && b->frames[head].state == BUDDY_USED;
}

uint32_t buddy_largest_free(const struct buddy *b)
{
	for (int k = BUDDY_MAX_ORDER; k >= 0; k--)
		if (b->free_head[k] != BUDDY_NONE)
			return 1u << k;
	return 0;
}

/* ---- buddy_check --------------------------------------------------------- */

/* Writes the message and returns -BUDDY_ECORRUPT. */
__attribute__((format(printf, 3, 4))) static int
fail(char *msg, size_t msg_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (msg && msg_size)
		format_vsnprintf(msg, msg_size, fmt, ap);
	va_end(ap);
	return -BUDDY_ECORRUPT;
}

/* The blocks in address order: each aligned to its size, made of tails
 * after its head, never reaching a reserved frame or the end; no tail
 * outside a block; no two free buddies unmerged. Counts what it sees. */
static int check_blocks(const struct buddy *b, uint32_t *free_blocks,
                        uint32_t *free_frames, uint32_t *managed, char *msg,
                        size_t msg_size)
{
	uint32_t f = 0;

	while (f < b->nframes) {
		const struct buddy_frame *h = &b->frames[f];

		if (h->state == BUDDY_RESERVED) {
			f++;
			continue;
		}
		if (h->state == BUDDY_TAIL)
			return fail(
			        msg, msg_size,
			        "frame %u is in no block (a tail frame with "
			        "no block head before it: lost by a split?)",
			        f);
		if (h->state != BUDDY_FREE && h->state != BUDDY_USED)
			return fail(msg, msg_size, "frame %u: bad state %u", f,
			            h->state);
		unsigned k = h->order;
		uint32_t size = 1u << k;

		if (k > BUDDY_MAX_ORDER)
			return fail(msg, msg_size,
			            "block at frame %u: order %u is above the "
			            "largest, %u",
			            f, k, BUDDY_MAX_ORDER);
		if (f % size != 0)
			return fail(
			        msg, msg_size,
			        "%s block at frame %u of order %u (%u frames) "
			        "is not aligned to its size (merged with a "
			        "block that is not its buddy?)",
			        h->state == BUDDY_FREE ? "free" : "used", f, k,
			        size);
		if (size > b->nframes - f)
			return fail(
			        msg, msg_size,
			        "block at frame %u of order %u runs past the "
			        "last frame, %u",
			        f, k, b->nframes - 1);
		for (uint32_t t = f + 1; t < f + size; t++)
			if (b->frames[t].state != BUDDY_TAIL)
				return fail(
				        msg, msg_size,
				        "frame %u is in two blocks: inside the "
				        "block at frame %u of order %u, and %s",
				        t, f, k,
				        b->frames[t].state == BUDDY_RESERVED
				                ? "reserved"
				                : "the head of another");
		if (h->state == BUDDY_FREE) {
			/* Not buddy_of: the check must not share its mistakes.
			 */
			uint32_t other = f ^ size;

			if (k < BUDDY_MAX_ORDER && other < b->nframes &&
			    b->frames[other].state == BUDDY_FREE &&
			    b->frames[other].order == k)
				return fail(
				        msg, msg_size,
				        "free buddies at frames %u and %u of "
				        "order %u are not merged",
				        f < other ? f : other,
				        f < other ? other : f, k);
			free_blocks[k]++;
			*free_frames += size;
		}
		*managed += size;
		f += size;
	}
	return 0;
}

/* Each list holds free blocks of its order only, linked both ways, as
 * many as the walk of the blocks found. */
static int check_lists(const struct buddy *b, const uint32_t *free_blocks,
                       char *msg, size_t msg_size)
{
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint32_t prev = BUDDY_NONE, n = 0;

		for (uint32_t f = b->free_head[k]; f != BUDDY_NONE;
		     f = b->frames[f].next) {
			if (f >= b->nframes)
				return fail(
				        msg, msg_size,
				        "free list %u holds frame %u, past the "
				        "last frame",
				        k, f);
			const struct buddy_frame *fr = &b->frames[f];

			if (fr->state != BUDDY_FREE || fr->order != k)
				return fail(
				        msg, msg_size,
				        "free list %u holds frame %u, which is "
				        "not a free block of order %u",
				        k, f, k);
			if (fr->prev != prev)
				return fail(
				        msg, msg_size,
				        "free list %u: frame %u's prev link is "
				        "not the block before it",
				        k, f);
			if (++n > free_blocks[k])
				return fail(
				        msg, msg_size,
				        "free list %u holds more entries than "
				        "the %u free blocks of that order (one "
				        "twice, or a loop)",
				        k, free_blocks[k]);
			prev = f;
		}
		if (n != free_blocks[k])
			return fail(msg, msg_size,
			            "free list %u holds %u blocks, but %u free "
			            "blocks of order %u lie in memory",
			            k, n, free_blocks[k], k);
		if (b->free_blocks[k] != n)
			return fail(msg, msg_size,
			            "free list %u is counted as %u blocks but "
			            "holds %u",
			            k, b->free_blocks[k], n);
	}
	return 0;
}

int buddy_check(const struct buddy *b, char *msg, size_t msg_size)
{
	uint32_t free_blocks[BUDDY_MAX_ORDER + 1] = {0};
	uint32_t free_frames = 0, managed = 0;
	int err;

	if (msg && msg_size)
		msg[0] = '\0';
	err = check_blocks(b, free_blocks, &free_frames, &managed, msg,
	                   msg_size);
	if (!err)
		err = check_lists(b, free_blocks, msg, msg_size);
	if (err)
		return err;
	if (free_frames != b->free_frames)
		return fail(msg, msg_size,
		            "free_frames is %u, but the free blocks hold %u",
		            b->free_frames, free_frames);
	if (managed != b->managed_frames)
		return fail(msg, msg_size,
		            "the blocks hold %u frames, but %u were added",
		            managed, b->managed_frames);
	return 0;
}
