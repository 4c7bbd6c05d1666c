/*
 * heap_check.c - the cold half of the allocator: heap_walk, heap_get_stats
 * and heap_check, which read the blocks that mm/heap.c lays out (through
 * mm/heap_block.h) and never run on a malloc's or free's path.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/heap.h"
#include "mm/heap_block.h"

/* ---- Walking, stats ------------------------------------------------------ */

void heap_walk(struct heap *heap, heap_visit_fn visit, void *arg)
{
	uint8_t *b;

	heap_trim(heap); /* the quick lists are a cache: show freed as free */

	for (b = heap->first; b < heap->epilogue; b += block_size(b)) {
		struct heap_block_info info;
		uint32_t tag = block_tag(b);

		info.block = b;
		info.size = tag_block_size(tag);
		info.used = tag_is_used(tag) && !tag_is_quick(tag);
		info.payload = info.used ? payload_of(b) : NULL;
		info.usable = info.used ? info.size - TAG_SIZE : 0;
		if (info.size == 0 || visit(arg, &info))
			return;
	}
}

static int count_block(void *arg, const struct heap_block_info *info)
{
	struct heap_stats *stats = arg;

	if (info->used) {
		stats->used_bytes += info->size;
		stats->used_blocks++;
		return 0;
	}
	stats->free_bytes += info->size;
	stats->free_blocks++;
	if (info->size > stats->largest_free)
		stats->largest_free = info->size;
	return 0;
}

void heap_get_stats(struct heap *heap, struct heap_stats *stats)
{
	__builtin_memset(stats, 0, sizeof(*stats));
	heap_walk(heap, count_block, stats); /* may give memory back first */
	stats->heap_bytes = (size_t)(heap->epilogue + TAG_SIZE - heap->base);
	stats->grow_calls = heap->counters.grow_calls;
	stats->shrink_calls = heap->counters.shrink_calls;
}

/* ---- heap_check ---------------------------------------------------------- */

/* A bounded string builder: heap.c may not call snprintf. */
struct msg {
	char *buf;
	size_t size;
	size_t len;
};

static void msg_char(struct msg *m, char c)
{
	if (m->len + 1 < m->size) {
		m->buf[m->len++] = c;
		m->buf[m->len] = '\0';
	}
}

static void msg_str(struct msg *m, const char *s)
{
	while (*s)
		msg_char(m, *s++);
}

static void msg_hex(struct msg *m, uintptr_t v)
{
	int shift;

	msg_str(m, "0x");
	for (shift = (int)sizeof(v) * 8 - 4; shift >= 0; shift -= 4)
		msg_char(m, "0123456789abcdef"[(v >> shift) & 0xF]);
}

static void msg_dec(struct msg *m, size_t v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		msg_char(m, digits[--n]);
}

/* Formats "block 0x...: what (value)" and returns -HEAP_ECORRUPT. */
static int fail(struct msg *m, const void *where, const char *what,
                size_t value, bool show_value)
{
	msg_str(m, "block ");
	msg_hex(m, (uintptr_t)where);
	msg_str(m, ": ");
	msg_str(m, what);
	if (show_value) {
		msg_str(m, " (");
		msg_dec(m, value);
		msg_str(m, ")");
	}
	return -HEAP_ECORRUPT;
}

/* Checks one block's own tag, size and footer. */
static int check_block(struct heap *heap, uint8_t *b, bool prev_free,
                       struct msg *m)
{
	uint32_t tag = block_tag(b);
	size_t size = tag_block_size(tag);

	if (!tag_is_valid(tag) && !tag_is_quick(tag))
		return fail(m, b, "header check bits are wrong", tag, true);
	if (size < MIN_BLOCK)
		return fail(m, b, "size below the minimum block", size, true);
	if (size > (size_t)(heap->epilogue - b))
		return fail(m, b, "size runs past the epilogue", size, true);
	if (tag_prev_is_free(tag) != prev_free)
		return fail(m, b,
		            prev_free ? "PREV_FREE clear after a free block"
		                      : "PREV_FREE set after a used block",
		            0, false);
	if (tag_is_used(tag))
		return 0;
	if (prev_free)
		return fail(m, b, "two free blocks side by side", 0, false);
	if (*tag_at(b + size - TAG_SIZE) != tag)
		return fail(m, b, "footer differs from header",
		            *tag_at(b + size - TAG_SIZE), true);
	return 0;
}

/* Checks a free block's list links point at free blocks that link back. */
static int check_links(struct heap *heap, uint8_t *b, struct msg *m)
{
	uint32_t next = *next_link(b), prev = *prev_link(b);
	size_t span = (size_t)(heap->epilogue - heap->base);

	if (next > span || prev > span)
		return fail(m, b, "free-list link points outside the heap", 0,
		            false);
	if (prev && *next_link(block_at_link(heap, prev)) != link_of(heap, b))
		return fail(m, b, "previous list entry does not link back", 0,
		            false);
	if (!prev &&
	    heap->head[class_by_formula(block_size(b))] != link_of(heap, b))
		return fail(m, b,
		            "first on no list (not the head of its class)",
		            class_by_formula(block_size(b)), true);
	if (next && *prev_link(block_at_link(heap, next)) != link_of(heap, b))
		return fail(m, b, "next list entry does not link back", 0,
		            false);
	return 0;
}

/* Walks every block in address order; counts the free ones on lists
 * (all but the victim and the top). */
static int check_blocks(struct heap *heap, size_t *free_blocks,
                        size_t *quick_blocks, struct msg *m)
{
	uint8_t *b = heap->first;
	bool prev_free = false;
	int err;

	bool victim_seen = false;

	*free_blocks = 0;
	*quick_blocks = 0;
	while (b != heap->epilogue) {
		err = check_block(heap, b, prev_free, m);
		if (err)
			return err;
		prev_free = !tag_is_used(block_tag(b));
		if (tag_is_quick(block_tag(b))) {
			++*quick_blocks;
		} else if (prev_free && is_top(heap, b, block_size(b))) {
			if (b == heap->victim)
				return fail(m, b, "victim is the top", 0,
				            false);
			/* on no list: no links to check */
		} else if (prev_free && b == heap->victim) {
			victim_seen = true; /* on no list: no links to check */
		} else if (prev_free) {
			err = check_links(heap, b, m);
			if (err)
				return err;
			++*free_blocks;
		}
		b += block_size(b);
	}
	if (heap->victim && !victim_seen)
		return fail(m, heap->victim, "victim is not a free block", 0,
		            false);
	if (block_tag(b) !=
	    tag_make(0, TAG_USED | (prev_free ? TAG_PREV_FREE : 0)))
		return fail(m, b, "epilogue tag is wrong", block_tag(b), true);
	return 0;
}

/* Walks every list: entries are free blocks of the right class, bitmap
 * bits match, and the lists hold exactly as many blocks as the heap. */
static int check_lists(struct heap *heap, size_t free_blocks, struct msg *m)
{
	size_t listed = 0;
	unsigned c;

	for (c = 0; c < HEAP_CLASS_COUNT; c++) {
		uint32_t link = heap->head[c];
		bool bit = heap->nonempty[c / 32] & (1u << (c % 32));

		if (bit != (link != 0))
			return fail(m, heap, "class bitmap disagrees with list",
			            c, true);
		if (c % 32 == 0 && !(heap->nonempty_words & (1u << (c / 32))) !=
		                           !heap->nonempty[c / 32])
			return fail(m, heap,
			            "bitmap word summary disagrees with "
			            "its word",
			            c / 32, true);
		while (link) {
			uint8_t *b = block_at_link(heap, link);

			if (b < heap->first || b >= heap->epilogue ||
			    ((uintptr_t)(b + TAG_SIZE) & ALIGN_MASK))
				return fail(m, b,
				            "list entry is not in the heap", c,
				            true);
			if (!tag_is_valid(block_tag(b)) ||
			    tag_is_used(block_tag(b)))
				return fail(m, b,
				            "list entry is not a free block", c,
				            true);
			if (b == heap->victim)
				return fail(m, b, "victim is on a list", c,
				            true);
			if (is_top(heap, b, block_size(b)))
				return fail(m, b, "top is on a list", c, true);
			if (class_by_formula(block_size(b)) != c)
				return fail(
				        m, b,
				        "free block on the wrong class list", c,
				        true);
			if (++listed > free_blocks)
				return fail(m, b,
				            "lists hold more entries than "
				            "free blocks (cycle or duplicate)",
				            free_blocks, true);
			link = *next_link(b);
		}
	}
	if (listed != free_blocks)
		return fail(m, heap, "free blocks missing from the lists",
		            free_blocks - listed, true);
	return 0;
}

/* Walks the quick lists: entries are quick blocks of the list's size, and
 * the lists hold exactly the quick blocks of the heap. */
static int check_quick(struct heap *heap, size_t quick_blocks, struct msg *m)
{
	size_t listed = 0;
	unsigned c;

	for (c = 0; c < HEAP_QUICK_CLASSES; c++) {
		uint32_t link = heap->quick[c];

		while (link) {
			uint8_t *b = block_at_link(heap, link);

			if (b < heap->first || b >= heap->epilogue ||
			    ((uintptr_t)(b + TAG_SIZE) & ALIGN_MASK))
				return fail(m, b,
				            "quick entry is not in the heap", c,
				            true);
			if (!tag_is_quick(block_tag(b)) ||
			    quick_class(block_size(b)) != c)
				return fail(m, b,
				            "quick entry is not a quick block"
				            " of its list's size",
				            c, true);
			if (++listed > quick_blocks)
				return fail(m, b,
				            "quick lists hold more entries "
				            "than quick blocks (cycle?)",
				            quick_blocks, true);
			link = *next_link(b);
		}
	}
	if (listed != quick_blocks)
		return fail(m, heap,
		            "quick blocks missing from the quick lists",
		            quick_blocks - listed, true);
	return 0;
}

int heap_check(struct heap *heap, char *msg, size_t msg_size)
{
	struct msg m = {msg, msg_size, 0};
	size_t free_blocks, quick_blocks;
	int err;

	if (msg_size)
		msg[0] = '\0';
	if (heap->magic != HEAP_MAGIC)
		return fail(&m, heap, "heap not initialised", 0, false);
	if ((uintptr_t)(heap->first + TAG_SIZE) & ALIGN_MASK)
		return fail(&m, heap->first, "first payload is misaligned", 0,
		            false);
	err = check_blocks(heap, &free_blocks, &quick_blocks, &m);
	if (!err)
		err = check_lists(heap, free_blocks, &m);
	if (!err)
		err = check_quick(heap, quick_blocks, &m);
	return err;
}
