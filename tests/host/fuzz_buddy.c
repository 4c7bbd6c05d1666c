/*
 * fuzz_buddy.c - libFuzzer target for mm/buddy.c: the input bytes are read
 * as the frames the allocator gets, then a sequence of operations (alloc,
 * free, a refused free) checked against a shadow map of who owns each
 * frame, with buddy_check after every operation. At the end everything is
 * freed and the free lists must be what the ranges made. Any finding
 * aborts.
 *
 * Input: 4 bytes of ranges ([first/8] [count/8] twice, over 512 frames),
 * then 2 bytes per operation: [kind] [argument].
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/buddy.h"

#define FRAMES 512u

struct live {
	uint32_t first;
	unsigned order;
};

static struct buddy_frame frames[FRAMES];
static struct buddy b;
static struct live live[FRAMES];
static uint16_t owner[FRAMES]; /* live index + 1; 0: none */
static bool added[FRAMES];

/* Stops the run, saying what went wrong and what buddy_check says. */
static void die(const char *what, size_t op)
{
	char msg[200];
	int err = buddy_check(&b, msg, sizeof(msg));

	fprintf(stderr, "fuzz_buddy: op %zu: %s (buddy_check: %s)\n", op, what,
	        err ? msg : "ok");
	abort();
}

static void check(size_t op)
{
	if (buddy_check(&b, NULL, 0) != 0)
		die("an invariant is broken", op);
}

static void own(struct live l, uint16_t who)
{
	for (uint32_t f = l.first; f < l.first + (1u << l.order); f++)
		owner[f] = who;
}

static void add(uint8_t first8, uint8_t count8)
{
	uint32_t first = first8 % (FRAMES / 8) * 8;
	uint32_t count = count8 % (FRAMES / 8) * 8;

	if (count > FRAMES - first)
		count = FRAMES - first;
	for (uint32_t f = first; f < first + count; f++)
		if (added[f])
			return; /* overlapping ranges: buddy_add_range refuses
			         */
	if (buddy_add_range(&b, first, count) != 0)
		die("buddy_add_range refused a fresh range", 0);
	for (uint32_t f = first; f < first + count; f++)
		added[f] = true;
}

static void alloc(unsigned order, size_t *n, size_t op)
{
	uint32_t free_before = b.free_frames;
	uint32_t f = buddy_alloc(&b, order);

	if (f == BUDDY_NONE) {
		if (order <= BUDDY_MAX_ORDER &&
		    buddy_largest_free(&b) >= (1u << order))
			die("buddy_alloc failed with a block big enough free",
			    op);
		return;
	}
	if (f % (1u << order) || f + (1u << order) > FRAMES)
		die("a block out of alignment or past the end", op);
	for (uint32_t i = f; i < f + (1u << order); i++)
		if (!added[i] || owner[i])
			die("a block holds a frame never added or in use", op);
	if (b.free_frames != free_before - (1u << order))
		die("free_frames did not drop by the block's size", op);
	live[*n] = (struct live){f, order};
	own(live[*n], (uint16_t)(*n + 1));
	(*n)++;
}

static void release(unsigned which, size_t *n, size_t op)
{
	if (*n == 0)
		return;
	unsigned i = which % *n;
	struct live l = live[i];

	if (buddy_free(&b, l.first, l.order) != 0)
		die("buddy_free refused a live block", op);
	own(l, 0);
	live[i] = live[--*n];
	if (i < *n)
		own(live[i], (uint16_t)(i + 1));
	/* The same block again: a double free, refused. */
	if (buddy_free(&b, l.first, l.order) != -BUDDY_EDOUBLE)
		die("a double free was not refused as one", op);
}

/* A free the allocator must refuse: a wrong order, or inside a block. */
static void bad_free(unsigned which, size_t n, size_t op)
{
	if (n == 0)
		return;
	struct live l = live[which % n];
	unsigned order = (l.order + 1 + which % 3) % (BUDDY_MAX_ORDER + 1);

	if (order != l.order && buddy_free(&b, l.first, order) == 0)
		die("buddy_free accepted a block with the wrong order", op);
	if (l.order > 0 && buddy_free(&b, l.first + 1, 0) == 0)
		die("buddy_free accepted a frame inside a block", op);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t start_blocks[BUDDY_MAX_ORDER + 1];
	size_t n = 0;

	if (size < 4)
		return 0;
	memset(owner, 0, sizeof(owner));
	memset(added, 0, sizeof(added));
	buddy_init(&b, frames, FRAMES);
	add(data[0], data[1]);
	add(data[2], data[3]);
	check(0);
	memcpy(start_blocks, b.free_blocks, sizeof(start_blocks));
	for (size_t i = 4, op = 1; i + 1 < size; i += 2, op++) {
		switch (data[i] % 4) {
		case 0:
		case 1:
			alloc(data[i + 1] % 7, &n, op);
			break;
		case 2:
			release(data[i + 1], &n, op);
			break;
		case 3:
			bad_free(data[i + 1], n, op);
			break;
		}
		check(op);
	}
	while (n > 0)
		release(0, &n, 0);
	check(0);
	if (memcmp(start_blocks, b.free_blocks, sizeof(start_blocks)) != 0)
		die("everything freed, the free blocks are not what the ranges "
		    "made",
		    0);
	return 0;
}
