/*
 * buddy.h - the buddy allocator: blocks of 2^order frames, split on
 * allocation, merged with their buddy on free, one free list per order.
 * Like mm/heap.c it knows nothing of its environment: it works on frame
 * numbers and on a per-frame array the caller owns (docs/buddy.md).
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest block: 2^10 frames (4 MiB of 4 KiB frames), as in Linux. */
#define BUDDY_MAX_ORDER 10

/* "No frame": an empty free list, or buddy_alloc with nothing left. */
#define BUDDY_NONE UINT32_MAX

/* Error values (negated on return), the same numbers as the errno names. */
#define BUDDY_EINVAL 22
#define BUDDY_EDOUBLE 114 /* EALREADY: the block is free already */
#define BUDDY_ECORRUPT 74 /* EBADMSG: buddy_check found a problem */

/* What a frame is to the allocator (struct buddy_frame.state). */
enum buddy_state {
	BUDDY_RESERVED = 0, /* not the allocator's: never in a block */
	BUDDY_FREE,         /* first frame of a free block (on a free list) */
	BUDDY_USED,         /* first frame of an allocated block */
	BUDDY_TAIL,         /* any other frame of a block, free or not */
};

/*
 * One per frame, in an array the caller provides (frame f is frames[f]).
 * Only a block's first frame (its head) says anything: its order, and,
 * when the block is free, its links in the free list of that order.
 */
struct buddy_frame {
	uint32_t next, prev; /* free list links (frame numbers), BUDDY_NONE */
	uint8_t order;       /* the block's size is 2^order frames */
	uint8_t state;       /* enum buddy_state */
};

/* One allocator. The caller owns the struct; treat the fields as private. */
struct buddy {
	struct buddy_frame *frames;
	uint32_t nframes;                          /* frames[0 .. nframes) */
	uint32_t free_head[BUDDY_MAX_ORDER + 1];   /* a free list per order */
	uint32_t free_blocks[BUDDY_MAX_ORDER + 1]; /* its length */
	uint32_t free_frames;                      /* in all free blocks */
	uint32_t managed_frames; /* given by buddy_add_range */
};

/* An allocator of frames [0, nframes), none of them its own yet. */
void buddy_init(struct buddy *b, struct buddy_frame *frames, uint32_t nframes);

/* Frames [first, first + count) become the allocator's, free: they merge
 * into the largest aligned blocks they make up. They must be reserved
 * until now and lie below nframes (else -BUDDY_EINVAL, nothing added). */
int buddy_add_range(struct buddy *b, uint32_t first, uint32_t count);

/* The smallest order whose block holds n frames (n >= 1); more than
 * BUDDY_MAX_ORDER when no block is that big. */
unsigned buddy_order_for(uint32_t n);

/* The first frame of a free block of 2^order frames, now allocated; or
 * BUDDY_NONE when no block that big is free (or order is too big). */
uint32_t buddy_alloc(struct buddy *b, unsigned order);

/*
 * Gives back the block at frame `first` that buddy_alloc(order) returned;
 * it merges with its buddy as long as the buddy is free and whole.
 * 0, or -BUDDY_EDOUBLE (the block, or the block it lies in, is free
 * already) or -BUDDY_EINVAL (no allocated block of that order starts
 * there); nothing changes then.
 */
int buddy_free(struct buddy *b, uint32_t first, unsigned order);

/* True if frame f lies in an allocated block. */
bool buddy_is_allocated(const struct buddy *b, uint32_t f);

/* The frames in the largest free block (0 when nothing is free). */
uint32_t buddy_largest_free(const struct buddy *b);

/*
 * Checks every invariant: each free block is aligned to its size, lies in
 * the allocator's frames and is on the list of its order (and each list
 * entry is such a block); no two free buddies of one order are left
 * unmerged; every frame of the allocator is in exactly one block; the
 * counts agree. 0, or -BUDDY_ECORRUPT with what is wrong in msg.
 */
int buddy_check(const struct buddy *b, char *msg, size_t msg_size);

#endif
