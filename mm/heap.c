/*
 * heap.c - the allocator core: boundary-tagged blocks, segregated explicit
 * free lists and a first-fit policy. Built unchanged for the i386 kernel,
 * the i386 user library and the x86-64 host; mm/heap.h draws the block
 * layout and gives the API contract, mm/heap_block.h holds the tag, block
 * and link helpers, and mm/heap_check.c the walk, the stats and heap_check.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/heap.h"
#include "mm/heap_block.h"

/*
 * Reading map: the steps of the heap chapter that lab 4 follows
 * (docs/labs/lab4-heap.md), and where this file does each of them. The
 * teaching policy (alloc_teaching) places blocks as the chapter does; the
 * segregated policy, memos' own, adds the right-hand column.
 *
 *   chapter step           memos                          what memos adds
 *   ---------------------  -----------------------------  -----------------
 *   1 bump allocation      lab 4's bump.c; here the heap  the hook (K&R's
 *                          only grows at its end:         morecore): kernel
 *                          extend_heap                    frames, sbrk, or a
 *                                                         host test arena
 *   2-3 size and status    the tag word: tag_make,        check bits that
 *       headers, free      set_header, TAG_USED;          catch bad and
 *                          heap_free -> free_payload ->   double frees
 *                          release_block                  (used_block_of)
 *   4 reuse freed memory   teaching policy: first fit,    segregated lists:
 *                          find_first_fit_walk            alloc_segregated,
 *                                                         size classes
 *   5 merge                release_block:                 boundary tags: a
 *                          merge_with_prev (found by its  free block's
 *                          footer, PREV_FREE) and         footer makes the
 *                          merge_with_next (by b's size)  previous one O(1)
 *   6 split                place_first_fit, split_low,    small blocks from
 *                          MIN_BLOCK                      a block's high end:
 *                                                         place, split_high
 *   7 initialization       heap_init (the kernel's guard  a pad so payloads
 *                          page: mm/kheap.c)              are aligned
 *   8 expansion            grow_for, grow_amount          a chunk at a time
 *                                                         for small blocks;
 *                                                         shrinking too:
 *                                                         make_top, trim_top
 *
 * Beyond the chapter, for speed (docs/heap-benchmark.md measures it):
 * quick lists (quick_push, quick_pop: small freed blocks reused without a
 * merge), the victim (what is left of the last block split for a small
 * request: the next small ones are carved from it), the top (the free
 * block ending the heap, used last), and a two-level bitmap of non-empty
 * classes (next_nonempty_class).
 */

/*
 * Splitting a free block of size s to serve a block of size n:
 *
 *    before  |<---------------------- s ---------------------->|
 *            [FREE                                              ]
 *    big n   [USED  n          ][FREE  s-n                      ]
 *    small n [FREE  s-n                      ][USED  n          ]
 *
 * The chapter (and the teaching policy) always cuts the used block from
 * the low end. The segregated policy cuts small blocks from the high end,
 * so a run of small long-lived blocks does not pin the space between
 * short-lived big ones: on the malloc-lab "binary" traces the low end
 * alone keeps about half the heap in use (docs/heap-benchmark.md). ("The
 * top" means one thing only: the free block ending the heap.)
 */

/*
 * In the segregated policy, blocks below this size count as small: they
 * are carved from the high end of the free block they split, and when they
 * make the heap grow it grows by a whole chunk (heap_config.small_chunk),
 * which then fills with small blocks from its high end down and with big
 * ones from its low end up.
 */
#define SMALL_BLOCK ((size_t)96)

/* Defaults for heap_config fields left 0. */
#define DEFAULT_SMALL_CHUNK ((size_t)512)
#define DEFAULT_TRIM_THRESHOLD ((size_t)256 * 1024)
#define DEFAULT_TRIM_KEEP ((size_t)64 * 1024)
#define DEFAULT_FIT_BUDGET 8u
#define DEFAULT_REALLOC_PAD ((size_t)4096)

/*
 * Block size for a request of size bytes: header added, rounded up to the
 * alignment, at least MIN_BLOCK. Returns 0 when no block can be that big,
 * which keeps SIZE_MAX-ish requests from wrapping around to small blocks.
 */
static inline size_t block_size_for(size_t size)
{
	if (size > HEAP_MAX_BLOCK - TAG_SIZE - ALIGN_MASK)
		return 0;
	size = (size + TAG_SIZE + ALIGN_MASK) & ~ALIGN_MASK;
	return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* ---- Free lists ---------------------------------------------------------- */

/*
 * class_of runs several times per malloc and free. For blocks of fewer
 * than CLASS_TABLE_UNITS units (16 KiB on x86-64, 8 KiB on i386) it reads
 * the class from a table that the compiler fills in from the formula
 * (CLASS_OF_UNITS, mm/heap_block.h): one load instead of a dozen
 * instructions. The macros below just write out its 1024 entries.
 */
#define CLASS_TABLE_UNITS 1024u
#define FLOOR_LOG2_BELOW_1024(u)                                               \
	((u) >= 512 ? 9 : (u) >= 256 ? 8 : (u) >= 128 ? 7 : (u) >= 64 ? 6 : 5)
#define CLASS_ENTRY(u)                                                         \
	((uint8_t)((u) < SMALL_CLASSES                                         \
	                   ? (u)                                               \
	                   : CLASS_OF_UNITS((u), FLOOR_LOG2_BELOW_1024(u))))
#define CLASS_ENTRIES_4(u)                                                     \
	CLASS_ENTRY(u), CLASS_ENTRY((u) + 1), CLASS_ENTRY((u) + 2),            \
	        CLASS_ENTRY((u) + 3)
#define CLASS_ENTRIES_16(u)                                                    \
	CLASS_ENTRIES_4(u), CLASS_ENTRIES_4((u) + 4),                          \
	        CLASS_ENTRIES_4((u) + 8), CLASS_ENTRIES_4((u) + 12)
#define CLASS_ENTRIES_64(u)                                                    \
	CLASS_ENTRIES_16(u), CLASS_ENTRIES_16((u) + 16),                       \
	        CLASS_ENTRIES_16((u) + 32), CLASS_ENTRIES_16((u) + 48)
#define CLASS_ENTRIES_256(u)                                                   \
	CLASS_ENTRIES_64(u), CLASS_ENTRIES_64((u) + 64),                       \
	        CLASS_ENTRIES_64((u) + 128), CLASS_ENTRIES_64((u) + 192)

static const uint8_t class_table[CLASS_TABLE_UNITS] = {
        CLASS_ENTRIES_256(0u), CLASS_ENTRIES_256(256u), CLASS_ENTRIES_256(512u),
        CLASS_ENTRIES_256(768u)};

_Static_assert(CLASS_ENTRY(31u) == 31 && CLASS_ENTRY(32u) == 32 &&
                       CLASS_ENTRY(1023u) + 1 == CLASS_OF_UNITS(1024u, 10),
               "the table joins the formula without a gap");

static inline unsigned class_of(size_t size)
{
	uint32_t units = (uint32_t)(size >> ALIGN_SHIFT);
	unsigned power;

	if (units < CLASS_TABLE_UNITS)
		return class_table[units];
	power = floor_log2(units);
	return CLASS_OF_UNITS(units, power);
}

/*
 * First class >= c that has blocks, or HEAP_CLASS_COUNT if none. Two
 * levels of bitmap (as in TLSF), so no loop: a bit per class, and a bit
 * per word of those saying the word is not zero.
 *
 *   nonempty_words:  ....0101      word 0 and word 2 have bits
 *   nonempty[0..3]:  [class bits 0-31] [0] [class bits 64-95] [0]
 */
static inline unsigned next_nonempty_class(const struct heap *heap, unsigned c)
{
	unsigned word = c / 32;
	uint32_t bits, words;

	if (word < HEAP_BITMAP_WORDS) {
		bits = heap->nonempty[word] & (~0u << (c % 32));
		if (bits)
			return word * 32 + (unsigned)__builtin_ctz(bits);
	}
	words = heap->nonempty_words & (~1u << word);
	if (!words)
		return HEAP_CLASS_COUNT;
	word = (unsigned)__builtin_ctz(words);
	return word * 32 + (unsigned)__builtin_ctz(heap->nonempty[word]);
}

/* "On no list": the class place() is given for the top (see take_free). */
#define NO_CLASS HEAP_CLASS_COUNT

/*
 * The list operations run several times per malloc and free, so they are
 * forced inline: a call costs about as much as the work inside.
 */
#define HOT static inline __attribute__((always_inline))

/* Pushes free block b on the front of list c (its class). */
HOT void list_push(struct heap *heap, uint8_t *b, unsigned c)
{
	uint32_t old = heap->head[c];
	uint32_t link = link_of(heap, b);

	*next_link(b) = old;
	*prev_link(b) = 0;
	if (old) {
		*prev_link(block_at_link(heap, old)) = link;
	} else {
		heap->nonempty[c / 32] |= 1u << (c % 32);
		heap->nonempty_words |= 1u << (c / 32);
	}
	heap->head[c] = link;
}

/* Takes free block b off list c (its class). */
HOT void list_remove(struct heap *heap, uint8_t *b, unsigned c)
{
	uint32_t next = *next_link(b);
	uint32_t prev = *prev_link(b);

	if (prev) {
		*next_link(block_at_link(heap, prev)) = next;
	} else {
		heap->head[c] = next;
		if (!next && !(heap->nonempty[c / 32] &= ~(1u << (c % 32))))
			heap->nonempty_words &= ~(1u << (c / 32));
	}
	if (next)
		*prev_link(block_at_link(heap, next)) = prev;
}

/* Same, when the class is not at hand: it is only needed at the head. */
HOT void list_unlink(struct heap *heap, uint8_t *b)
{
	uint32_t next = *next_link(b);
	uint32_t prev = *prev_link(b);

	if (prev) {
		*next_link(block_at_link(heap, prev)) = next;
		if (next)
			*prev_link(block_at_link(heap, next)) = prev;
		return;
	}
	list_remove(heap, b, class_of(block_size(b)));
}

/*
 * A free block whose start moves but whose class stays the same (split
 * off its front, or merged with the block before it) keeps its place in
 * the list: from's entry becomes to's. Cheaper than remove + push, and
 * the common case in both malloc and free.
 */
HOT void list_move(struct heap *heap, uint8_t *from, uint8_t *to, unsigned c)
{
	uint32_t next = *next_link(from);
	uint32_t prev = *prev_link(from);
	uint32_t link = link_of(heap, to);

	*next_link(to) = next;
	*prev_link(to) = prev;
	if (prev)
		*next_link(block_at_link(heap, prev)) = link;
	else
		heap->head[c] = link;
	if (next)
		*prev_link(block_at_link(heap, next)) = link;
}

/* ---- The victim ---------------------------------------------------------- */

/*
 * The "victim" (dlmalloc's designated victim) is one of the two free
 * blocks on no list (the other is the top: is_top, mm/heap_block.h): the
 * rest of the last block split for a small request.
 * Small requests that find no exact fit are carved from it, one after the
 * other, so a run of small mallocs costs a few tag writes each instead of
 * moving the shrinking rest from list to list at every split; frees next
 * to it grow it the same way. It also keeps blocks allocated together
 * next to each other.
 */

/* Takes free block b off whatever holds it: the victim slot, its list, or
 * nothing (the top). */
static inline void take_free(struct heap *heap, uint8_t *b)
{
	if (b == heap->victim)
		heap->victim = NULL;
	else if (!is_top(heap, b, block_size(b)))
		list_unlink(heap, b);
}

/* Free block b (off every list) becomes the victim; the old one is listed. */
static inline void set_victim(struct heap *heap, uint8_t *b)
{
	uint8_t *old = heap->victim;

	if (old)
		list_push(heap, old, class_of(block_size(old)));
	heap->victim = b;
}

/* ---- Splitting ----------------------------------------------------------- */

/* Free block b (need bytes, off every list) becomes used, whole. */
HOT uint8_t *use_whole(uint8_t *b, size_t size)
{
	*tag_at(b) |= TAG_USED;
	*tag_at(b + size) &= ~TAG_PREV_FREE;
	return b;
}

/* Splits free block b: a used block of need bytes at its high end, and
 * its first rest bytes stay a free block (its list entry is the caller's
 * care). */
HOT uint8_t *split_high(uint8_t *b, size_t rest, size_t need)
{
	uint8_t *used = b + rest;

	set_header(b, rest, 0);
	set_footer(b, rest);
	set_header(used, need, TAG_USED | TAG_PREV_FREE);
	*tag_at(used + need) &= ~TAG_PREV_FREE;
	return used;
}

/* Splits free block b: a used block of need bytes at its low end; the
 * rest (rest bytes) stays free. The block after it keeps PREV_FREE. */
HOT uint8_t *split_low(uint8_t *b, size_t need, size_t rest)
{
	set_header(b, need, TAG_USED);
	set_header(b + need, rest, 0);
	set_footer(b + need, rest);
	return b;
}

/* ---- Finding a free block ------------------------------------------------ */

/*
 * Bounded best fit inside one class: look at no more than fit_budget
 * blocks, stop early on an exact fit. Bounded because a long list of
 * blocks just too small would otherwise make one malloc O(n).
 */
HOT uint8_t *best_fit_in_class(struct heap *heap, unsigned c, size_t need)
{
	uint32_t link = heap->head[c];
	uint8_t *best = NULL;
	size_t best_size = SIZE_MAX;
	unsigned budget = heap->fit_budget;

	while (link && budget--) {
		uint8_t *b = block_at_link(heap, link);
		size_t size = block_size(b);

		if (size >= need && size < best_size) {
			if (size == need)
				return b;
			best = b;
			best_size = size;
		}
		link = *next_link(b);
	}
	return best;
}

/*
 * Segregated policy: a block from class c, which is larger than the
 * request's own, so every block on it fits: the first one ("good fit", as
 * in TLSF). A best fit here would walk fit_budget blocks per malloc and
 * wastes hardly less (docs/heap-benchmark.md, "What was tried").
 */
static inline uint8_t *pick_larger(struct heap *heap, unsigned c)
{
	return block_at_link(heap, heap->head[c]);
}

/* Teaching policy: the chapter's walk over every block, first fit. */
static uint8_t *find_first_fit_walk(struct heap *heap, size_t need, unsigned *c)
{
	uint8_t *b;

	for (b = heap->first; b != heap->epilogue; b += block_size(b)) {
		if (!tag_is_used(block_tag(b)) && block_size(b) >= need) {
			*c = is_top(heap, b, block_size(b))
			             ? NO_CLASS
			             : class_of(block_size(b));
			return b;
		}
	}
	return NULL;
}

/* ---- Quick lists --------------------------------------------------------- */

/*
 * Programs free and allocate the same small sizes over and over. A freed
 * block of at most quick_max bytes is not merged: it keeps its USED bit
 * (so its neighbours leave it alone), flips one check bit to say "quick"
 * and goes on the singly linked list of its exact size. heap_alloc takes
 * it back from there in a few instructions. The lists are emptied into
 * the ordinary free lists (merging every block) before the heap grows, so
 * they never make the heap bigger than it would be without them.
 */
HOT void quick_push(struct heap *heap, uint8_t *b, size_t size)
{
	unsigned c = quick_class(size);

	*tag_at(b) ^= TAG_QUICK_FLIP;
	*next_link(b) = heap->quick[c];
	heap->quick[c] = link_of(heap, b);
	heap->quick_any = true;
}

HOT uint8_t *quick_pop(struct heap *heap, unsigned c)
{
	uint8_t *b = block_at_link(heap, heap->quick[c]);

	heap->quick[c] = *next_link(b);
	*tag_at(b) ^= TAG_QUICK_FLIP;
	return b;
}

static uint8_t *release_block(struct heap *heap, uint8_t *b);

/* Frees every block on the quick lists for real. Returns true if there
 * were any. */
static bool quick_flush(struct heap *heap)
{
	bool any = false;
	unsigned c;

	if (!heap->quick_any)
		return false;
	heap->quick_any = false;
	for (c = 0; c < HEAP_QUICK_CLASSES; c++) {
		while (heap->quick[c]) {
			release_block(heap, quick_pop(heap, c));
			any = true;
		}
	}
	return any;
}

/* ---- Growing and shrinking ----------------------------------------------- */

/*
 * A program that allocates more than it frees grows the heap on many of
 * its mallocs, so extend_heap and grow_for are forced inline into their
 * callers: two calls fewer per growth.
 */

/*
 * Asks the hook for delta more bytes at the heap's end and moves the
 * epilogue there. Returns the old epilogue address (where the new space
 * starts; the caller writes its header) or NULL.
 */
HOT uint8_t *extend_heap(struct heap *heap, size_t delta)
{
	size_t span = (size_t)(heap->epilogue + TAG_SIZE - heap->base);
	uint8_t *start = heap->epilogue;
	uint8_t *old_end;

	/* Links are 32-bit offsets, so the heap stays below 4 GiB. */
	if (delta > (size_t)UINT32_MAX - span || delta > (size_t)INTPTR_MAX)
		return NULL;
	old_end = heap->more(heap->more_ctx, (intptr_t)delta);
	if (!old_end)
		return NULL;
	if (old_end != start + TAG_SIZE) {
		/* Someone else moved the end: not ours to use. */
		heap->more(heap->more_ctx, -(intptr_t)delta);
		return NULL;
	}
	heap->epilogue = start + delta;
	set_header(heap->epilogue, 0, TAG_USED | TAG_PREV_FREE);
	heap->counters.grow_calls++;
	return start;
}

/* How much to grow for a block of need bytes of which missing are lacking:
 * exactly what is missing, except that small blocks get a chunk. */
static size_t grow_amount(const struct heap *heap, size_t need, size_t missing)
{
	if (need < SMALL_BLOCK && missing < heap->small_chunk)
		missing = heap->small_chunk;
	return (missing + ALIGN_MASK) & ~ALIGN_MASK;
}

/*
 * Grows the heap so that the top (made if there is none) has at least need
 * bytes, growing only by what the top lacks (the caller found it too
 * small). Returns the top or NULL if the hook says no; the heap is then
 * unchanged.
 */
HOT uint8_t *grow_for(struct heap *heap, size_t need)
{
	uint8_t *last = NULL;
	size_t have = 0;
	uint8_t *start;

	if (tag_prev_is_free(block_tag(heap->epilogue))) {
		last = prev_free_block(heap->epilogue); /* the top */
		have = block_size(last);
	}
	start = extend_heap(heap, grow_amount(heap, need, need - have));
	if (!start)
		return NULL;
	if (last)
		start = last;
	set_header(start, (size_t)(heap->epilogue - start), 0);
	return start;
}

/* ---- Freeing ------------------------------------------------------------- */

/*
 * A free block next (tag next_tag) must end inside the heap before a
 * neighbour merges with it. used_block_of checks only the next header's
 * check bits and PREV_FREE (it runs on every free); the size is checked
 * here, where it is used: a size running past the heap means the header
 * was overwritten with bytes whose check bits happen to look right.
 */
HOT bool next_free_size_ok(const struct heap *heap, const uint8_t *next,
                           uint32_t next_tag)
{
	return tag_is_used(next_tag) ||
	       tag_block_size(next_tag) <= (size_t)(heap->epilogue - next);
}

static __attribute__((noinline, cold)) void
damaged_next(struct heap *heap, uint8_t *b, const char *op)
{
	heap_report_misuse(heap, HEAP_MISUSE_CORRUPT_HEADER, op, payload_of(b),
	                   "next block's header is damaged (write past the end"
	                   " of this block?)");
}

/* Writes the tags of free block b (size bytes) and tells the next block. */
HOT void mark_free(uint8_t *b, size_t size)
{
	set_header(b, size, 0);
	set_footer(b, size);
	*tag_at(b + size) |= TAG_PREV_FREE;
}

/*
 * Free block old (on a list or the victim) becomes free block b of size
 * bytes (the same block grown or shrunk at its front, or merged): b takes
 * over old's place, moving lists only when the class changes.
 */
HOT void refit_free(struct heap *heap, uint8_t *old, uint8_t *b, size_t size)
{
	unsigned c = class_of(size), old_class;

	if (old == heap->victim) {
		heap->victim = b;
		return;
	}
	old_class = class_of(block_size(old));
	if (c == old_class) {
		if (old != b)
			list_move(heap, old, b, c);
	} else {
		list_remove(heap, old, old_class);
		list_push(heap, b, c);
	}
}

/*
 * Free block b (size bytes, off every list) is the top and reached
 * trim_threshold: give memory back. Hysteresis: only from trim_threshold
 * on, and then keep trim_keep bytes, so a program hovering around one size
 * does not call the hook on every free. Out of line: it is rare, and
 * release_block's common paths then save fewer registers.
 */
static __attribute__((noinline)) void trim_top(struct heap *heap, uint8_t *b,
                                               size_t size)
{
	size_t keep = heap->trim_keep;

	if (keep < MIN_BLOCK)
		keep = 0;
	if (heap->more(heap->more_ctx, -(intptr_t)(size - keep))) {
		heap->epilogue = b + keep;
		set_header(heap->epilogue, 0, TAG_USED);
		heap->counters.shrink_calls++;
		size = keep;
	} /* else the hook refused: keep everything */
	if (size)
		mark_free(b, size);
}

/* Free block b (size bytes, off every list) ends the heap: it becomes the
 * top, and gives memory back once it reaches trim_threshold. */
HOT void make_top(struct heap *heap, uint8_t *b, size_t size)
{
	if (size >= heap->trim_threshold)
		trim_top(heap, b, size);
	else
		mark_free(b, size);
}

/*
 * Merging, the chapter's step 5: used block b of *size bytes joins its
 * free previous neighbour, which holds its list entry (*kept). Returns the
 * merged block's start (the neighbour's).
 */
HOT uint8_t *merge_with_prev(uint8_t *b, size_t *size, uint8_t **kept)
{
	/* b's header ends up inside the merged block: mark it free so a
	 * second heap_free(b) is reported as a double free. */
	set_header(b, *size, 0);
	*kept = prev_free_block(b);
	*size += block_size(*kept);
	return *kept;
}

/*
 * Block b (*size bytes, perhaps already merged with its previous
 * neighbour) joins its free next neighbour. Of two free neighbours one
 * list entry is kept (the victim's if either is the victim) and the other
 * unlinked; the top is on no list.
 */
HOT void merge_with_next(struct heap *heap, uint8_t *b, uint8_t *next,
                         uint32_t next_tag, size_t *size, uint8_t **kept)
{
	*size += tag_block_size(next_tag);
	if (is_top(heap, b, *size)) {
		/* next was the top: b joins it */
	} else if (!*kept) {
		*kept = next;
	} else if (next == heap->victim) {
		list_unlink(heap, *kept);
		*kept = next;
	} else {
		list_unlink(heap, next);
	}
}

/*
 * Turns the used block b into free space, merging it with a free previous
 * block and a free next block, so no two free blocks ever touch. Each merge
 * only needs the neighbour's size, found in O(1) from a header or footer.
 * Returns the free block made, or NULL if it is the top (or b stays used).
 *
 *   [prev FREE][b USED][next FREE]  ->  [FREE prev+b+next              ]
 *
 * The merged block takes over a neighbour's list entry (the victim's, if
 * it touches the victim), so most frees move no more than one list entry;
 * one that ends the heap is the top and on no list.
 *
 * The chapter merges with the next block first and the previous one after:
 * its list of nodes must find the next node before the previous one swallows
 * b. Here both neighbours are found before anything changes (next from b's
 * own size, prev from its footer), and the merged block ends where b ended
 * whichever merge comes first, so memos merges with the previous first.
 */
static uint8_t *release_block(struct heap *heap, uint8_t *b)
{
	uint32_t tag = block_tag(b);
	size_t size = tag_block_size(tag);
	uint8_t *next = b + size;
	uint32_t next_tag = block_tag(next);
	uint8_t *kept = NULL; /* a free neighbour whose entry b takes over */

	if (!next_free_size_ok(heap, next, next_tag)) {
		damaged_next(heap, b, "heap_free");
		return NULL; /* b stays used: a leak, not a broken heap */
	}
	if (tag_prev_is_free(tag))
		b = merge_with_prev(b, &size, &kept);
	if (!tag_is_used(next_tag))
		merge_with_next(heap, b, next, next_tag, &size, &kept);
	if (is_top(heap, b, size)) {
		if (kept)
			take_free(heap, kept);
		make_top(heap, b, size);
		return NULL;
	}
	if (kept)
		refit_free(heap, kept, b, size);
	else
		list_push(heap, b, class_of(size));
	mark_free(b, size);
	return b;
}

/* Frees the part of used block b beyond its first keep bytes, if that
 * part is big enough to be a block. */
static void shrink_block(struct heap *heap, uint8_t *b, size_t keep)
{
	uint32_t tag = block_tag(b);
	size_t size = tag_block_size(tag);
	uint8_t *tail = b + keep;

	if (size - keep < MIN_BLOCK)
		return;
	set_header(b, keep, tag & TAG_FLAGS);
	set_header(tail, size - keep, TAG_USED);
	release_block(heap, tail);
}

/* ---- Allocating ---------------------------------------------------------- */

/*
 * The segregated policy's split: serves need bytes from the free block b,
 * which is on list c (or NO_CLASS when it is the top) and, like every free
 * block, has PREV_FREE clear. Small requests take the high end of b and
 * leave its low end as the victim; big ones take the low end, and the rest
 * keeps b's list entry when its class holds. Returns the used block.
 */
HOT uint8_t *place(struct heap *heap, uint8_t *b, unsigned c, size_t need)
{
	size_t size = block_size(b);
	size_t rest = size - need;
	unsigned rest_class;

	if (rest < MIN_BLOCK) { /* too little left for a block: use it all */
		if (c != NO_CLASS)
			list_remove(heap, b, c);
		return use_whole(b, size);
	}
	if (need < SMALL_BLOCK) { /* the rest stays where b starts */
		if (c != NO_CLASS)
			list_remove(heap, b, c);
		if (c >= SMALL_CLASSES)
			set_victim(heap, b);
		else
			list_push(heap, b, class_of(rest));
		return split_high(b, rest, need);
	}
	if (c == NO_CLASS) /* b is the top: so is the rest */
		return split_low(b, need, rest);
	rest_class = class_of(rest);
	if (rest_class == c) {
		list_move(heap, b, b + need, c);
	} else {
		list_remove(heap, b, c);
		list_push(heap, b + need, rest_class);
	}
	return split_low(b, need, rest);
}

/* Serves need bytes from the victim v (of size bytes, enough). */
static uint8_t *carve_victim(struct heap *heap, uint8_t *v, size_t size,
                             size_t need)
{
	size_t rest = size - need;

	if (rest < MIN_BLOCK) {
		heap->victim = NULL;
		return use_whole(v, size);
	}
	if (need < SMALL_BLOCK)
		return split_high(v, rest, need);
	heap->victim = v + need;
	return split_low(v, need, rest);
}

static uint8_t *alloc_from_more(struct heap *heap, size_t need);

/*
 * Segregated policy, in order: an exact fit from a small class's list
 * (taken whole, no split); bounded best fit in a bigger request's class;
 * for a small request a small free block; the victim, unless a list of a
 * smaller class than the victim's has blocks; the first block of the
 * first larger non-empty class; the top; growing the heap.
 */
static __attribute__((noinline)) uint8_t *alloc_segregated(struct heap *heap,
                                                           size_t need)
{
	unsigned c = class_of(need);
	uint8_t *b, *v;
	size_t vsize;

	if (heap->head[c]) {
		if (c < SMALL_CLASSES) {
			b = block_at_link(heap, heap->head[c]);
			list_remove(heap, b, c);
			return use_whole(b, need);
		}
		b = best_fit_in_class(heap, c, need);
		if (b)
			return place(heap, b, c, need);
	}
	if (need < SMALL_BLOCK) {
		/* a small free block if there is one, else the victim */
		uint32_t small = heap->nonempty[0] & (~1u << c);

		if (small) {
			c = (unsigned)__builtin_ctz(small);
			b = block_at_link(heap, heap->head[c]);
			return place(heap, b, c, need);
		}
	}
	/* the victim, if no list offers a smaller class (decided before
	 * any list is searched: the victim wins often) */
	c = next_nonempty_class(heap, c + 1);
	v = heap->victim;
	vsize = v ? block_size(v) : 0;
	if (vsize >= need && (c == HEAP_CLASS_COUNT || class_of(vsize) <= c))
		return carve_victim(heap, v, vsize, need);
	if (c < HEAP_CLASS_COUNT)
		return place(heap, pick_larger(heap, c), c, need);
	return alloc_from_more(heap, need);
}

/* The top, if there is one and it has at least need bytes. */
static inline uint8_t *top_with(const struct heap *heap, size_t need)
{
	uint8_t *top;

	if (!tag_prev_is_free(block_tag(heap->epilogue)))
		return NULL;
	top = prev_free_block(heap->epilogue);
	return block_size(top) >= need ? top : NULL;
}

/*
 * No listed block and no victim fits: the top, else merge the quick
 * blocks and try again, else grow the heap. Out of line (and reached by a
 * tail call) so that the common paths of alloc_segregated save no
 * registers for it.
 */
static __attribute__((noinline)) uint8_t *alloc_from_more(struct heap *heap,
                                                          size_t need)
{
	uint8_t *b = top_with(heap, need);

	if (b)
		return place(heap, b, NO_CLASS, need);
	if (quick_flush(heap)) /* merged, the quick blocks may do */
		return alloc_segregated(heap, need);
	b = grow_for(heap, need);
	return b ? place(heap, b, NO_CLASS, need) : NULL;
}

/*
 * The teaching policy's split, the chapter's: the used block takes the low
 * end of free block b (on list c, or NO_CLASS when it is the top), and the
 * rest, if it can be a block, stays free right after it.
 */
static uint8_t *place_first_fit(struct heap *heap, uint8_t *b, unsigned c,
                                size_t need)
{
	size_t size = block_size(b);
	size_t rest = size - need;

	if (c != NO_CLASS)
		list_remove(heap, b, c);
	if (rest < MIN_BLOCK) /* too little left for a block: use it all */
		return use_whole(b, size);
	if (c != NO_CLASS) /* (the rest of the top is the top: on no list) */
		list_push(heap, b + need, class_of(rest));
	return split_low(b, need, rest);
}

/*
 * The teaching policy's malloc, the chapter's: first fit over every block
 * in address order, else grow the heap by what the request lacks (the
 * policy has no small_chunk) and split the block that makes.
 */
static __attribute__((noinline)) uint8_t *alloc_teaching(struct heap *heap,
                                                         size_t need)
{
	unsigned c = NO_CLASS;
	uint8_t *b = find_first_fit_walk(heap, need, &c);

	if (!b) {
		b = grow_for(heap, need);
		c = NO_CLASS;
	}
	return b ? place_first_fit(heap, b, c, need) : NULL;
}

/* A used block of need bytes (a block size, not 0) by the heap's policy,
 * or NULL. Inlined: just the choice of one of two out-of-line calls. */
static inline uint8_t *alloc_block(struct heap *heap, size_t need)
{
	if (heap->policy == HEAP_POLICY_SEGREGATED)
		return alloc_segregated(heap, need);
	return alloc_teaching(heap, need);
}

/* ---- Checking pointers handed back by the user --------------------------- */

static void *misuse(struct heap *heap, enum heap_misuse kind, const char *op,
                    const void *ptr, const char *detail)
{
	heap_report_misuse(heap, kind, op, ptr, detail);
	return NULL;
}

/*
 * The slow path of used_block_of: finds out exactly what is wrong with
 * ptr, reports it, returns NULL. Kept out of line so that the fast path
 * stays a handful of instructions.
 */
static __attribute__((noinline, cold)) uint8_t *
diagnose_pointer(struct heap *heap, const void *ptr, const char *op)
{
	const uint8_t *p = ptr;
	uint8_t *b = block_of(p);
	uint32_t tag;
	size_t size;

	if ((uintptr_t)p & ALIGN_MASK)
		return misuse(heap, HEAP_MISUSE_WILD_POINTER, op, ptr,
		              "not aligned like any block the heap returns");
	if (p < heap->first + TAG_SIZE || p >= heap->epilogue)
		return misuse(heap, HEAP_MISUSE_WILD_POINTER, op, ptr,
		              "pointer is outside the heap");
	/* Is this a header at all? Check bits and size first: only then
	 * does its USED bit mean anything (bytes such as 0x5a5a5a5a have
	 * the right check bits but USED clear: that is not a double free). */
	tag = block_tag(b);
	size = tag_block_size(tag);
	if (!tag_is_valid(tag) && !tag_is_quick(tag))
		return misuse(heap, HEAP_MISUSE_CORRUPT_HEADER, op, ptr,
		              "header check bits are wrong: header overwritten"
		              " or pointer not returned by the heap");
	if (size < MIN_BLOCK || size > (size_t)(heap->epilogue - b))
		return misuse(
		        heap, HEAP_MISUSE_CORRUPT_HEADER, op, ptr,
		        "header size runs past the heap end: header"
		        " overwritten or pointer not returned by the heap");
	if (tag_is_quick(tag))
		return misuse(heap, HEAP_MISUSE_DOUBLE_FREE, op, ptr,
		              "block already free");
	if (!tag_is_used(tag))
		return misuse(heap, HEAP_MISUSE_DOUBLE_FREE, op, ptr,
		              "block already free");
	return misuse(heap, HEAP_MISUSE_CORRUPT_HEADER, op, ptr,
	              "next block's header is damaged (write past the end of"
	              " this block?)");
}

/*
 * Returns the used block whose payload is ptr, and its size in *size_out
 * (the callers' copy of the size read here spares i386 a second load of
 * the header), or reports what is wrong with ptr and returns NULL. On
 * every free and realloc, so the checks are folded into few compares:
 * aligned and inside the heap; header has the magic and USED; the block
 * ends inside the heap; the next header has the magic and PREV_FREE
 * clear (its size is checked where a merge uses it, next_free_size_ok:
 * one compare less here, and on i386 one register more for the rest).
 */
static inline uint8_t *used_block_of(struct heap *heap, const void *ptr,
                                     const char *op, size_t *size_out)
{
	const uint8_t *p = ptr;
	uint8_t *b = block_of(p), *next;
	uint32_t tag, next_tag;
	size_t size;

	if (((uintptr_t)p & ALIGN_MASK) || p < heap->first + TAG_SIZE ||
	    p >= heap->epilogue)
		return diagnose_pointer(heap, ptr, op);
	tag = block_tag(b);
	size = tag_block_size(tag);
	/* 0 < size <= room before the epilogue (size 0 wraps the same way) */
	if ((tag & (TAG_CHECK_MASK | TAG_USED)) != (TAG_MAGIC | TAG_USED) ||
	    size - 1 >= (size_t)(heap->epilogue - b))
		return diagnose_pointer(heap, ptr, op);
	next = b + size;
	next_tag = block_tag(next);
	/* (the next block may be used or quick: ignore the quick bit) */
	if ((next_tag & ((TAG_CHECK_MASK & ~TAG_QUICK_FLIP) | TAG_PREV_FREE)) !=
	    TAG_MAGIC)
		return diagnose_pointer(heap, ptr, op);
	*size_out = size;
	return b;
}

const char *heap_misuse_name(enum heap_misuse kind)
{
	switch (kind) {
	case HEAP_MISUSE_DOUBLE_FREE:
		return "double free";
	case HEAP_MISUSE_WILD_POINTER:
		return "pointer the heap never returned";
	case HEAP_MISUSE_CORRUPT_HEADER:
		return "corrupted block header";
	}
	return "unknown misuse";
}

/* ---- The API ------------------------------------------------------------- */

int heap_init(struct heap *heap, const struct heap_config *config)
{
	uint8_t *base, *got;
	size_t pad;
	unsigned c;

	if (!heap || !config || !config->more)
		return -HEAP_EINVAL;
	if (config->policy != HEAP_POLICY_SEGREGATED &&
	    config->policy != HEAP_POLICY_TEACHING)
		return -HEAP_EINVAL;
	heap->more = config->more;
	heap->more_ctx = config->more_ctx;
	heap->policy = config->policy;
	heap->small_chunk =
	        config->small_chunk ? config->small_chunk : DEFAULT_SMALL_CHUNK;
	heap->realloc_pad = (config->realloc_pad ? config->realloc_pad
	                                         : DEFAULT_REALLOC_PAD) &
	                    ~ALIGN_MASK;
	heap->quick_max = HEAP_QUICK_BYTES;
	if (heap->policy == HEAP_POLICY_TEACHING) {
		/* The chapter's design: the heap grows by what a request
		 * lacks, and every free merges at once. */
		heap->small_chunk = 0;
		heap->realloc_pad = 0;
		heap->quick_max = 0;
	}
	heap->trim_threshold = config->trim_threshold ? config->trim_threshold
	                                              : DEFAULT_TRIM_THRESHOLD;
	heap->trim_keep =
	        config->trim_keep ? config->trim_keep : DEFAULT_TRIM_KEEP;
	heap->trim_keep &= ~ALIGN_MASK;
	heap->fit_budget =
	        config->fit_budget ? config->fit_budget : DEFAULT_FIT_BUDGET;
	heap->victim = NULL;
	for (c = 0; c < HEAP_QUICK_CLASSES; c++)
		heap->quick[c] = 0;
	heap->quick_any = false;
	if (heap->trim_keep >= heap->trim_threshold)
		return -HEAP_EINVAL;
	for (c = 0; c < HEAP_BITMAP_WORDS; c++)
		heap->nonempty[c] = 0;
	heap->nonempty_words = 0;
	for (c = 0; c < HEAP_CLASS_COUNT; c++)
		heap->head[c] = 0;
	heap->counters.grow_calls = 0;
	heap->counters.shrink_calls = 0;

	/* Pad so that the first payload (header + 4) is aligned. */
	base = heap->more(heap->more_ctx, 0);
	if (!base)
		return -HEAP_ENOMEM;
	pad = (size_t)(-(uintptr_t)(base + TAG_SIZE)) & ALIGN_MASK;
	got = heap->more(heap->more_ctx, (intptr_t)(pad + TAG_SIZE));
	if (got != base) {
		/* Someone else moved the end: give back what we got, as
		 * extend_heap does. */
		if (got)
			heap->more(heap->more_ctx, -(intptr_t)(pad + TAG_SIZE));
		return -HEAP_ENOMEM;
	}
	heap->base = base;
	heap->first = base + pad;
	heap->epilogue = heap->first;
	set_header(heap->epilogue, 0, TAG_USED);
	heap->magic = HEAP_MAGIC;
	return 0;
}

void heap_trim(struct heap *heap)
{
	quick_flush(heap);
}

void heap_destroy(struct heap *heap)
{
	if (heap->magic != HEAP_MAGIC)
		return;
	heap->more(heap->more_ctx,
	           -(intptr_t)(heap->epilogue + TAG_SIZE - heap->base));
	heap->magic = 0;
}

void *heap_alloc(struct heap *heap, size_t size)
{
	size_t need = block_size_for(size);
	uint8_t *b;

	if (need <= HEAP_QUICK_BYTES && heap->quick[quick_class(need)])
		return payload_of(quick_pop(heap, quick_class(need)));
	if (!need)
		return NULL;
	b = alloc_block(heap, need);
	return b ? payload_of(b) : NULL;
}

/*
 * Free block b reached trim_threshold but is not the top: if only blocks
 * waiting on quick lists lie between it and the heap's end, it would be
 * the top once they are freed for real, so free them and give the memory
 * back. Without this a program that frees everything, the small blocks
 * first (memhog, the last block first: small blocks are carved downwards,
 * so the last ones lie lowest), never gave its heap back: the small ones
 * wait on the quick lists still marked used, and the heap's end never
 * became free. Only frees for real check it: the quick path pays nothing.
 */
static __attribute__((noinline, cold)) void
give_back_past_quick_blocks(struct heap *heap, const uint8_t *b)
{
	if (!heap->quick_any)
		return;
	for (b += block_size(b); b != heap->epilogue; b += block_size(b))
		if (tag_is_used(block_tag(b)) && !tag_is_quick(block_tag(b)))
			return;
	quick_flush(heap);
}

/* heap_free of a pointer that is not NULL. */
static __attribute__((noinline)) void free_payload(struct heap *heap, void *ptr)
{
	uint8_t *b;
	size_t size = 0;

	b = used_block_of(heap, ptr, "heap_free", &size);
	if (!b)
		return;
	if (size <= heap->quick_max) {
		quick_push(heap, b, size);
	} else {
		uint8_t *freed = release_block(heap, b);

		if (freed && block_size(freed) >= heap->trim_threshold)
			give_back_past_quick_blocks(heap, freed);
	}
}

/*
 * free(NULL) is common (cleanup code frees what it may not have got), so
 * heap_free only tests ptr: the work, and the three registers it saves on
 * i386, are free_payload's.
 */
void heap_free(struct heap *heap, void *ptr)
{
	if (ptr)
		free_payload(heap, ptr);
}

/*
 * The spare room a block growing from size to need bytes at the heap's end
 * takes: a few of its steps, at most an eighth of it (the pad stays inside
 * the block even when it no longer ends the heap) and at most realloc_pad.
 */
static size_t pad_limit(const struct heap *heap, size_t need)
{
	size_t pad = need / 8;

	return (pad < heap->realloc_pad ? pad : heap->realloc_pad) &
	       ~ALIGN_MASK;
}

static size_t realloc_pad_for(const struct heap *heap, size_t size, size_t need)
{
	size_t pad = 4 * (need - size);
	size_t most = pad_limit(heap, need);

	return (pad < most ? pad : most) & ~ALIGN_MASK;
}

/*
 * Grows used block b (size bytes) to need bytes without moving it: into a
 * free next block, and if that block (or b itself) ends the heap, by
 * extending the heap. Returns false if neither works; b is then unchanged.
 *
 * At the heap's end it takes realloc_pad bytes more than it lacks and keeps
 * them inside b: a buffer that grows by small steps (a string being
 * appended to) then calls the hook once per realloc_pad bytes, not once per
 * step, and heap_realloc serves the next steps without touching a tag.
 * Left free after b, the pad would be the first place a small malloc
 * lands, and b could not grow in place any more.
 */
static bool grow_in_place(struct heap *heap, uint8_t *b, size_t size,
                          size_t need)
{
	uint8_t *next = b + size;
	uint32_t next_tag = block_tag(next);
	size_t avail = size, rest;
	bool next_free = !tag_is_used(next_tag), next_listed = false;

	if (next_free) {
		avail += tag_block_size(next_tag);
		/* (decided now: growing the heap moves the end) */
		next_listed = !is_top(heap, b, avail);
	}
	if (avail < need) {
		if (b + avail != heap->epilogue ||
		    !extend_heap(heap,
		                 need - avail +
		                         realloc_pad_for(heap, size, need)))
			return false;
		avail = (size_t)(heap->epilogue - b);
		need = avail; /* the pad stays in b */
	}
	rest = avail - need;
	if (next_free && rest >= MIN_BLOCK) {
		/* The free next block just starts higher up. */
		if (next_listed) /* else it is the top and stays so */
			refit_free(heap, next, b + need, rest);
		mark_free(b + need, rest);
		set_header(b, need, TAG_USED | (block_tag(b) & TAG_PREV_FREE));
		return true;
	}
	if (next_listed)
		take_free(heap, next);
	set_header(b, avail, TAG_USED | (block_tag(b) & TAG_PREV_FREE));
	*tag_at(b + avail) &= ~TAG_PREV_FREE;
	shrink_block(heap, b, need);
	return true;
}

/*
 * Moves used block b down into a free previous block when that, with a
 * free next block if there is one, makes room:
 *
 *   [prev FREE][b USED][next FREE]  ->  [b' USED (data moved)][rest FREE]
 *
 * Returns the new payload, or NULL (b unchanged).
 */
static void *slide_into_prev(struct heap *heap, uint8_t *b, size_t size,
                             size_t need)
{
	uint8_t *prev, *next = b + size;
	uint32_t next_tag = block_tag(next);
	size_t avail;

	if (!tag_prev_is_free(block_tag(b)))
		return NULL;
	prev = prev_free_block(b);
	avail = block_size(prev) + size;
	if (!tag_is_used(next_tag))
		avail += tag_block_size(next_tag);
	if (avail < need)
		return NULL;
	take_free(heap, prev);
	if (!tag_is_used(next_tag))
		take_free(heap, next);
	__builtin_memmove(payload_of(prev), payload_of(b), size - TAG_SIZE);
	set_header(prev, avail, TAG_USED);
	*tag_at(prev + avail) &= ~TAG_PREV_FREE;
	shrink_block(heap, prev, need);
	return payload_of(prev);
}

void *heap_realloc(struct heap *heap, void *ptr, size_t size)
{
	size_t need, old_size = 0;
	uint8_t *b, *next;
	void *moved;

	if (!ptr)
		return heap_alloc(heap, size);
	b = used_block_of(heap, ptr, "heap_realloc", &old_size);
	if (!b)
		return NULL;
	next = b + old_size;
	if (!next_free_size_ok(heap, next, block_tag(next))) {
		damaged_next(heap, b, "heap_realloc");
		return NULL;
	}
	need = block_size_for(size);
	if (!need)
		return NULL;
	if (need <= old_size) {
		/* A block that ends the heap keeps the spare bytes its last
		 * growth padded it with (see grow_in_place), no more. */
		if (b + old_size != heap->epilogue ||
		    old_size - need > pad_limit(heap, need))
			shrink_block(heap, b, need);
		return ptr;
	}
	if (grow_in_place(heap, b, old_size, need))
		return ptr;
	moved = slide_into_prev(heap, b, old_size, need);
	if (moved)
		return moved;
	moved = heap_alloc(heap, size);
	if (!moved)
		return NULL;
	__builtin_memcpy(moved, ptr, old_size - TAG_SIZE);
	release_block(heap, b);
	return moved;
}

void *heap_calloc(struct heap *heap, size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = heap_alloc(heap, count * size);
	if (p)
		__builtin_memset(p, 0, count * size);
	return p;
}

/*
 * Over-allocates by align + MIN_BLOCK, then frees the space before the
 * first aligned payload that leaves room for a whole free block there,
 * and the space after the request:
 *
 *   [USED  over-allocated                                   ]
 *   [FREE  front ][USED  aligned payload ...][FREE  tail    ]
 */
void *heap_alloc_aligned(struct heap *heap, size_t align, size_t size)
{
	size_t need = block_size_for(size);
	uintptr_t p, q;
	uint8_t *b, *aligned;

	if (!align || (align & (align - 1)) || !need)
		return NULL;
	if (align <= HEAP_ALIGN)
		return heap_alloc(heap, size);
	if (align > HEAP_MAX_BLOCK / 2 ||
	    size > HEAP_MAX_BLOCK / 2 - MIN_BLOCK - TAG_SIZE)
		return NULL;
	b = alloc_block(heap, block_size_for(size + align + MIN_BLOCK));
	if (!b)
		return NULL;
	p = (uintptr_t)payload_of(b);
	q = (p + align - 1) & ~(uintptr_t)(align - 1);
	if (q != p && q - p < MIN_BLOCK)
		q += align;
	aligned = block_of((void *)q);
	if (aligned != b) {
		size_t front = (size_t)(aligned - b);
		size_t rest = block_size(b) - front;

		set_header(aligned, rest, TAG_USED);
		set_header(b, front, block_tag(b) & TAG_FLAGS);
		release_block(heap, b); /* sets aligned's PREV_FREE */
	}
	shrink_block(heap, aligned, need);
	return (void *)q;
}

size_t heap_usable_size(struct heap *heap, const void *ptr)
{
	uint8_t *b;
	size_t size = 0;

	if (!ptr)
		return 0;
	b = used_block_of(heap, ptr, "heap_usable_size", &size);
	return b ? size - TAG_SIZE : 0;
}

bool heap_contains(const struct heap *heap, const void *ptr)
{
	const uint8_t *p = ptr;

	return p >= heap->base && p < heap->epilogue + TAG_SIZE;
}
