/*
 * heap.h - the one allocator core shared by the kernel heap, the user malloc
 * and the host tests. It knows nothing of its environment: memory comes in
 * through a hook given at init, misuse goes out through heap_report_misuse().
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every pointer the heap returns is aligned to HEAP_ALIGN: two pointers wide,
 * so 16 bytes on x86-64 and 8 bytes on i386. It follows from the types, not
 * from a per-target #ifdef.
 *
 * What a block looks like (addresses grow to the right, one tag = 4 bytes,
 * A = HEAP_ALIGN; every payload address is a multiple of A, so every header
 * sits 4 bytes below a multiple of A and every block size is a multiple of A):
 *
 *   a USED block                         a FREE block
 *   +--------+---------------------+     +--------+------+------+----+--------+
 *   | header | payload ...         |     | header | next | prev |    | footer |
 *   +--------+---------------------+     +--------+------+------+----+--------+
 *   ^        ^                           ^        ^                   copy of
 *   block    pointer given to the user   block    two 4-byte links   the header
 *   |<------------ size ---------->|     |<--------------- size ------------->|
 *
 * A used block has no footer: the next block's header says whether its
 * previous neighbour is free (PREV_FREE), and only then is the footer there
 * to be read. That saves 4 bytes per allocation, and it is why the smallest
 * request costs one 16-byte block on both i386 and x86-64.
 *
 * The header (and footer) tag, one 32-bit word:
 *
 *   31      28 27                                 2   1           0
 *   +---------+------------------------------------+-----------+------+
 *   |  check  |  size in bytes (low bits: 0)       | PREV_FREE | USED |
 *   +---------+------------------------------------+-----------+------+
 *
 * The size is a multiple of A, so its low bits are free for the two flags
 * (bit 2 is always 0 on x86-64 too). The 4 check bits hold a magic value:
 * 1001, or 1011 in the header of a freed block waiting on a quick list
 * (mm/heap.c, "Quick lists"). A header trampled by an overrun of the block
 * below it, or a pointer into the middle of a block, shows other bits
 * there 14 times in 16 (always, for zeros, 0xff, 0xaa, 0x55 and text); the
 * size and neighbour checks catch most of the rest.
 *
 * The links of a free block are 32-bit offsets from the start of the heap's
 * memory, not pointers: on x86-64 that keeps the smallest block at 16 bytes
 * instead of 32. The heap therefore spans less than 4 GiB.
 *
 * The heap as a whole (one contiguous range, grown and shrunk at its end):
 *
 *   base (hook's start)                                   end (hook's break)
 *   v                                                                  v
 *   +-----+-------+-------+--------+--------+ ... +-------+----------+
 *   | pad | block | block | block  | block  |     | block | epilogue |
 *   +-----+-------+-------+--------+--------+ ... +-------+----------+
 *         ^ first                                         a 4-byte tag:
 *           block                                         size 0, USED
 *
 * The pad (0 to A-4 bytes) puts the first payload on an A boundary. The
 * epilogue tag stops every walk and carries PREV_FREE for the last block;
 * growing turns it into the header of the new memory.
 */
#define HEAP_ALIGN (2 * sizeof(void *))

/* Largest block the 28-bit size field can describe (256 MiB less
 * HEAP_ALIGN); larger requests return NULL. */
#define HEAP_SIZE_BITS 28
#define HEAP_MAX_BLOCK (((size_t)1 << HEAP_SIZE_BITS) - HEAP_ALIGN)

/* Number of segregated free lists (size classes) and bitmap words. */
#define HEAP_CLASS_COUNT 128
#define HEAP_BITMAP_WORDS (HEAP_CLASS_COUNT / 32)

/* Freed blocks of at most HEAP_QUICK_BYTES wait, unmerged, on one
 * singly linked "quick" list per size (like glibc's tcache). */
#define HEAP_QUICK_BYTES 144
#define HEAP_QUICK_CLASSES (HEAP_QUICK_BYTES / HEAP_ALIGN + 1)

/* Error values (negated on return), the same numbers as the errno names. */
#define HEAP_ENOMEM 12
#define HEAP_EINVAL 22
#define HEAP_ECORRUPT 74 /* EBADMSG: heap_check found a broken invariant */

/*
 * The memory hook, sbrk-like. Called with delta > 0 it extends the heap's
 * memory by delta bytes and returns the OLD end (where the new bytes
 * start), or NULL if it cannot. With delta < 0 it gives the last -delta
 * bytes back (the return value is then only compared against NULL). With
 * delta == 0 it returns the current end. Memory must stay contiguous: if
 * the hook returns an old end that is not where the heap ends, the heap
 * gives the bytes back and treats the growth as failed.
 */
typedef void *(*heap_more_fn)(void *ctx, intptr_t delta);

/*
 * Placement policy, chosen at init.
 * HEAP_POLICY_SEGREGATED: memos' allocator, the default: size-class free
 *   lists, a bitmap of non-empty classes, bounded best fit inside the
 *   request's class, else the first block of the next non-empty class;
 *   quick lists, the victim, small blocks cut from a block's high end, the
 *   heap grown by at least small_chunk for a small block.
 * HEAP_POLICY_TEACHING: the heap chapter's design (lab 4), kept so that
 *   the benchmark and heapviz can show the difference: walk every block
 *   from the start of the heap and take the first free one that fits
 *   (O(blocks) per allocation), the used block at the low end of the free
 *   block it splits, the heap grown by exactly what a request lacks, every
 *   free merged with its free neighbours at once. Underneath it is memos'
 *   heap, not the chapter's: boundary tags instead of linked nodes, free
 *   blocks also kept on the class lists (never searched: the free and
 *   realloc code is the same for both policies), the heap started empty
 *   rather than as one free block, memory given back past trim_threshold,
 *   and realloc, calloc and aligned allocation as for the other policy.
 *   small_chunk and realloc_pad do not apply to it.
 */
enum heap_policy {
	HEAP_POLICY_SEGREGATED = 0,
	HEAP_POLICY_TEACHING = 1,
};

/* Settings for heap_init. Zero in a size field means "use the default". */
struct heap_config {
	heap_more_fn more; /* the memory hook (required) */
	void *more_ctx;    /* passed back to the hook */
	enum heap_policy policy;
	size_t small_chunk;    /* a small block (< 96 bytes) that makes the
	                          heap grow grows it by at least this much
	                          (default 512; segregated policy); others
	                          grow it by exactly what they lack */
	size_t trim_threshold; /* shrink when the top free block reaches
	                          this size (default 256 KiB) */
	size_t trim_keep;      /* ... down to this many free bytes
	                          (default 64 KiB, must be < threshold) */
	unsigned fit_budget;   /* free blocks examined per best-fit search
	                          in one class (default 8) */
	size_t realloc_pad;    /* a block that realloc grows at the heap's
	                          end grows it by this much more than it
	                          lacks (default 4 KiB, segregated policy;
	                          see grow_in_place) */
};

/* Counters that the hot paths keep; the rest of heap_stats is computed. */
struct heap_counters {
	unsigned long grow_calls;   /* successful growths through the hook */
	unsigned long shrink_calls; /* memory given back through the hook */
};

/*
 * The state of one heap. The caller owns the memory of this struct (a
 * global, a field, a local in a test), so there can be several heaps.
 * Treat every field as private: use the functions below.
 */
struct heap {
	heap_more_fn more;
	void *more_ctx;
	enum heap_policy policy;
	uint8_t *base;     /* start of the heap's memory (hook's old end) */
	uint8_t *first;    /* header of the first block */
	uint8_t *epilogue; /* the end tag; the heap's memory ends 4 bytes on */
	size_t small_chunk;
	size_t trim_threshold;
	size_t trim_keep;
	unsigned fit_budget;
	size_t realloc_pad;
	uint8_t *victim;  /* the free block on no list (heap.c: "victim") */
	size_t quick_max; /* largest block the quick lists take (0: none) */
	uint32_t quick[HEAP_QUICK_CLASSES]; /* first block of a quick list */
	bool quick_any; /* a block went on a quick list since the last flush */
	uint32_t nonempty[HEAP_BITMAP_WORDS]; /* bit c: class c has blocks */
	uint32_t nonempty_words;              /* bit w: nonempty[w] is not 0 */
	uint32_t head[HEAP_CLASS_COUNT];      /* first free block of a class */
	struct heap_counters counters;
	uint32_t magic; /* set by heap_init, cleared by heap_destroy */
};

/* What heap_get_stats returns (walks the heap: O(blocks)). */
struct heap_stats {
	size_t heap_bytes;   /* memory obtained from the hook, in total */
	size_t used_bytes;   /* in used blocks, headers included */
	size_t free_bytes;   /* in free blocks */
	size_t largest_free; /* the biggest free block */
	size_t used_blocks;
	size_t free_blocks;
	unsigned long grow_calls;
	unsigned long shrink_calls;
};

/* One block, as heap_walk shows it. */
struct heap_block_info {
	void *block;   /* the block's header */
	void *payload; /* what heap_alloc returned (used blocks) */
	size_t size;   /* whole block, header included */
	size_t usable; /* bytes the user may touch (used blocks) */
	bool used;
};

/* Called once per block, in address order; return non-zero to stop. */
typedef int (*heap_visit_fn)(void *arg, const struct heap_block_info *info);

/*
 * Kinds of misuse heap_report_misuse() is told about.
 */
enum heap_misuse {
	HEAP_MISUSE_DOUBLE_FREE,    /* the block is already free */
	HEAP_MISUSE_WILD_POINTER,   /* the heap never returned this pointer */
	HEAP_MISUSE_CORRUPT_HEADER, /* a block header was overwritten */
};

/*
 * Each environment DEFINES this function; heap.c only calls it.
 *   kernel: PANIC with the message;
 *   user library: print the message and exit the program;
 *   host tests: record it and longjmp back into the test.
 * op is the API call ("heap_free", ...), ptr the pointer it was given,
 * detail what exactly was wrong ("block already free"). If it returns, the
 * operation does nothing (free) or fails (realloc returns NULL,
 * usable_size returns 0): the heap is never touched after a misuse.
 */
void heap_report_misuse(struct heap *heap, enum heap_misuse kind,
                        const char *op, const void *ptr, const char *detail);

/* A short name for a misuse kind, for messages: "double free", ... */
const char *heap_misuse_name(enum heap_misuse kind);

/*
 * Sets up an empty heap. Asks the hook for the few bytes that align the
 * first block and hold the epilogue. Returns 0, -HEAP_EINVAL (bad config)
 * or -HEAP_ENOMEM (the hook failed).
 */
int heap_init(struct heap *heap, const struct heap_config *config);

/*
 * Frees the blocks waiting on the quick lists for real (merged with their
 * neighbours; a free top over trim_threshold goes back through the hook).
 * After every block is freed and heap_trim called, the heap is one free
 * block at most. Never needed for correctness: the heap does it itself
 * before it grows, and when a free makes a block of trim_threshold bytes
 * or more with only quick blocks between it and the heap's end.
 */
void heap_trim(struct heap *heap);

/* Gives every byte back through the hook; the heap is unusable after. */
void heap_destroy(struct heap *heap);

/*
 * Returns size bytes aligned to HEAP_ALIGN, or NULL. heap_alloc(0) returns
 * a unique pointer to the smallest block (12 usable bytes), like glibc.
 */
void *heap_alloc(struct heap *heap, size_t size);

/* Frees ptr; heap_free(NULL) does nothing. Misuse is reported, not fixed. */
void heap_free(struct heap *heap, void *ptr);

/*
 * C realloc: ptr NULL means heap_alloc. Size 0 shrinks to the smallest
 * block (it does not free). Tries, in order: shrink in place, grow into a
 * free next block or the heap's end, slide down into a free previous
 * block, then allocate, copy and free. On NULL the old block is untouched.
 */
void *heap_realloc(struct heap *heap, void *ptr, size_t size);

/* count * size zeroed bytes; NULL if the product overflows. */
void *heap_calloc(struct heap *heap, size_t count, size_t size);

/*
 * size bytes at an address that is a multiple of align, which must be a
 * power of two (e.g. 4096). Freed with heap_free. NULL on a bad align.
 */
void *heap_alloc_aligned(struct heap *heap, size_t align, size_t size);

/* Bytes usable at ptr (at least what was asked for); 0 for NULL. */
size_t heap_usable_size(struct heap *heap, const void *ptr);

/* True if ptr lies inside this heap's memory (not proof of a live block). */
bool heap_contains(const struct heap *heap, const void *ptr);

/*
 * Walks every block and checks every invariant: tags, sizes, alignment,
 * footers, PREV_FREE bits, no two free neighbours, every free block on
 * exactly the list of its class, links, the class bitmap, the epilogue.
 * Returns 0, or -HEAP_ECORRUPT and a sentence on the FIRST violation in
 * msg (always NUL-terminated if msg_size > 0). Prints nothing.
 */
int heap_check(struct heap *heap, char *msg, size_t msg_size);

/*
 * Calls visit for each block in address order (a dump is a visitor). It
 * first empties the quick lists (heap_trim), so that every freed block
 * shows as merged free space: blocks merge, and a top that reaches
 * trim_threshold goes back through the hook, before the first visit.
 */
void heap_walk(struct heap *heap, heap_visit_fn visit, void *arg);

/* Fills *stats by a walk (so it may give memory back, as heap_walk says);
 * every number describes the heap after that. */
void heap_get_stats(struct heap *heap, struct heap_stats *stats);

#endif /* MM_HEAP_H */
