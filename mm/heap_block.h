/*
 * heap_block.h - the block layer of mm/heap.c: tags, blocks, free-list links
 * and size classes. Private to mm/heap.c (the allocator) and mm/heap_check.c
 * (walk, stats, heap_check); the one other reader is the host's drop-in
 * library (tests/preload/tcache.c), which reads a used block's size from its
 * tag and relabels a block it owns, under the rules written there.
 */
#ifndef MM_HEAP_BLOCK_H
#define MM_HEAP_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/heap.h"

/*
 * The heap as heap.c and heap_check.c see it. A "block" is the address of its
 * header tag (uint8_t * so that arithmetic is in bytes).
 *
 *    header          footer (free blocks only)
 *    v               v
 *    +----+----+----+--- ... ---+----+----+----+-----------------
 *    |tag |next|prev|           |tag |tag |     next block ...
 *    +----+----+----+--- ... ---+----+----+-----------------------
 *    b    b+4  b+8              b+size-4   b+size = next header
 *
 *  - next/prev: offsets (from heap->base) of the payloads of the
 *    neighbouring blocks ON THE SAME FREE LIST, 0 meaning "none". They are
 *    not address-order neighbours: those are found through the sizes.
 *  - the address-order next block is always b + size;
 *  - the address-order previous block is known only when it is free (our
 *    PREV_FREE bit is set): its footer sits just below our header.
 */

#define TAG_SIZE ((size_t)4)
#define ALIGN_MASK (HEAP_ALIGN - 1)
/* log2(HEAP_ALIGN): 4 on x86-64, 3 on i386 (a constant the compiler folds) */
#define ALIGN_SHIFT ((unsigned)__builtin_ctz(HEAP_ALIGN))

/* Smallest block: header, two links, footer (all 4 bytes), i.e. 16 bytes. */
#define MIN_BLOCK ((size_t)16)
_Static_assert(MIN_BLOCK % HEAP_ALIGN == 0, "MIN_BLOCK must keep alignment");
_Static_assert(HEAP_ALIGN >= 8, "tags need 3 low size bits");

/* The tag word, drawn in heap.h: the size in bytes (a multiple of
 * HEAP_ALIGN, so its low bits are free for the flags) and 4 check bits in
 * its high bits. Reading the size is one AND, writing a tag one OR. */
#define TAG_USED 0x1u
#define TAG_PREV_FREE 0x2u
#define TAG_FLAGS (TAG_USED | TAG_PREV_FREE)
#define TAG_CHECK_SHIFT 28
#define TAG_CHECK_MASK (0xFu << TAG_CHECK_SHIFT)
#define TAG_SIZE_MASK ((uint32_t)~TAG_CHECK_MASK & ~(uint32_t)ALIGN_MASK)
/* Flipping this check bit (0 in TAG_MAGIC) turns a used block's tag into
 * a quick one's. */
#define TAG_QUICK_FLIP (0x2u << TAG_CHECK_SHIFT)
_Static_assert(HEAP_MAX_BLOCK == TAG_SIZE_MASK, "HEAP_MAX_BLOCK fits a tag");

#define HEAP_MAGIC 0x48454150u /* "HEAP" */

/* ---- Tags ---------------------------------------------------------------- */

static inline uint32_t *tag_at(const uint8_t *addr)
{
	return (uint32_t *)(uintptr_t)addr;
}

/*
 * Every tag carries the magic value TAG_MAGIC (1001) in its check bits,
 * the top 4 bits of the word. The bytes an overrun or a stray pointer
 * finds there match it one time in 16, and never for zeros, 0xff, 0xaa,
 * 0x55 or text (whose bytes are 0x20 to 0x7e). A constant, not a hash:
 * tags are written several times per operation, so this costs nothing.
 */
#define TAG_MAGIC (0x9u << TAG_CHECK_SHIFT)

static inline uint32_t tag_make(size_t size, uint32_t flags)
{
	return (uint32_t)size | flags | TAG_MAGIC;
}

static inline bool tag_is_valid(uint32_t tag)
{
	return (tag & TAG_CHECK_MASK) == TAG_MAGIC;
}

/* A freed block waiting on a quick list: USED still set (its neighbours
 * do not merge with it) and the check bits TAG_MAGIC ^ TAG_QUICK_FLIP. */
static inline bool tag_is_quick(uint32_t tag)
{
	return (tag & (TAG_CHECK_MASK | TAG_USED)) ==
	       ((TAG_MAGIC ^ TAG_QUICK_FLIP) | TAG_USED);
}

static inline size_t tag_block_size(uint32_t tag)
{
	return tag & TAG_SIZE_MASK;
}

static inline bool tag_is_used(uint32_t tag)
{
	return tag & TAG_USED;
}

static inline bool tag_prev_is_free(uint32_t tag)
{
	return tag & TAG_PREV_FREE;
}

/* ---- Blocks -------------------------------------------------------------- */

static inline uint32_t block_tag(const uint8_t *b)
{
	return *tag_at(b);
}

static inline size_t block_size(const uint8_t *b)
{
	return tag_block_size(block_tag(b));
}

static inline void set_header(uint8_t *b, size_t size, uint32_t flags)
{
	*tag_at(b) = tag_make(size, flags);
}

/* A free block's footer is a copy of its header word. */
static inline void set_footer(uint8_t *b, size_t size)
{
	*tag_at(b + size - TAG_SIZE) = *tag_at(b);
}

/* The address-order previous block; only valid when it is free. */
static inline uint8_t *prev_free_block(const uint8_t *b)
{
	return (uint8_t *)b - tag_block_size(*tag_at(b - TAG_SIZE));
}

static inline void *payload_of(uint8_t *b)
{
	return b + TAG_SIZE;
}

static inline uint8_t *block_of(const void *payload)
{
	return (uint8_t *)payload - TAG_SIZE;
}

/* ---- Free-list links and size classes ----------------------------------- */

static inline uint32_t link_of(const struct heap *heap, const uint8_t *b)
{
	return (uint32_t)(b + TAG_SIZE - heap->base);
}

static inline uint8_t *block_at_link(const struct heap *heap, uint32_t link)
{
	return heap->base + link - TAG_SIZE;
}

static inline uint32_t *next_link(uint8_t *b)
{
	return tag_at(b + TAG_SIZE);
}

static inline uint32_t *prev_link(uint8_t *b)
{
	return tag_at(b + 2 * TAG_SIZE);
}

/*
 * Size classes. Blocks of fewer than SMALL_CLASSES units (one unit =
 * HEAP_ALIGN bytes) have a class of their own, so a hit there is an exact
 * fit. Above that each power of two is cut into 4 classes:
 *
 *   class:  0 1 2 ... 31 | 32 33 34 35 | 36 37 38 39 | ...
 *   units:  0 1 2 ... 31 | 32-39 40-47 48-55 56-63  | 64-79 ...
 */
#define SMALL_CLASSES 32u
#define SUBCLASS_BITS 2u
#define SUBCLASSES (1u << SUBCLASS_BITS)
#define SMALL_CLASS_SHIFT 5u /* log2(SMALL_CLASSES) */

static inline unsigned floor_log2(uint32_t x)
{
	return 31u - (unsigned)__builtin_clz(x);
}

/*
 * The class of a block of units units (units >= SMALL_CLASSES), given
 * power = floor_log2(units): SMALL_CLASSES + (power - 5) * 4 + the 2 bits
 * below the top one (units >> (power - 2) is those 2 bits plus the top
 * bit, 4). A macro so that heap.c's class table can use it as a constant.
 */
#define CLASS_OF_UNITS(units, power)                                           \
	(SMALL_CLASSES - SMALL_CLASS_SHIFT * SUBCLASSES - SUBCLASSES +         \
	 (power)*SUBCLASSES + ((units) >> ((power)-SUBCLASS_BITS)))

/*
 * The class of a block of size bytes, by the formula. heap.c's class_of
 * gives the same answer from a table for the common sizes (it runs on
 * every malloc and free); heap_check uses this one, so it also checks
 * that the table and the formula agree.
 */
static inline unsigned class_by_formula(size_t size)
{
	uint32_t units = (uint32_t)(size >> ALIGN_SHIFT);

	if (units < SMALL_CLASSES)
		return units;
	return CLASS_OF_UNITS(units, floor_log2(units));
}

/* The quick list of a block of size bytes: one list per size. */
static inline unsigned quick_class(size_t size)
{
	return (unsigned)(size >> ALIGN_SHIFT);
}

/*
 * The "top" is the free block that ends the heap, if the last block is
 * free. It is on no list: only a request that no list and no victim can
 * serve takes from it (it is what the heap grows), so most frees and
 * mallocs at the heap's end move no list entry, and the top stays whole
 * for the requests that would otherwise grow the heap.
 */
static inline bool is_top(const struct heap *heap, const uint8_t *b,
                          size_t size)
{
	return b + size == heap->epilogue;
}

#endif /* MM_HEAP_BLOCK_H */
