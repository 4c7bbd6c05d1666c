/*
 * slab.c - caches of fixed-size objects, after Bonwick's slab allocator
 * ("The Slab Allocator: An Object-Caching Kernel Memory Allocator", 1994).
 * Read it next to mm/heap.c: the same hooks-and-report shape, no heap.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/slab.h"

/*
 * Why a slab allocator beside heap.c: the kernel makes and frees many
 * objects of a few fixed sizes (processes, regions). For those, a general
 * heap does work it need not do: find a block of the right size, split it,
 * merge it back on free. A cache holds only objects of one size, so any
 * free object fits, and alloc and free are a pop and a push on a list.
 *
 * One slab: pages_per_slab pages (one, or a few for big objects), aligned
 * to their own size, carved into objects of one size:
 *
 *   slab start (= object address rounded down to the slab's size)
 *   v
 *   +--------+---------------+--------+-------+-------+-----+---------+-----+
 *   | struct | next_free[n]  | colour | obj 0 | obj 1 | ... | obj n-1 | end |
 *   | slab   | 2 bytes each  |  pad   |       |       |     |         | pad |
 *   +--------+---------------+--------+-------+-------+-----+---------+-----+
 *   |<------ first_offset ---->|       |<stride>|
 *
 * - struct slab: the magic that slab_free checks, the owning cache, the
 *   links of the list it is on, how many objects are in use.
 * - next_free[i] is the index of the next free object after object i
 *   (free_head is the first; SLAB_NONE ends the chain) or SLAB_IN_USE
 *   while object i is handed out. Keeping the chain here and not inside the
 *   free objects (as heap.c keeps its links) means the allocator never
 *   writes into an object: a constructed object stays constructed while it
 *   is free, and SLAB_IN_USE is how a double free is caught.
 * - The colour pad is 0, align, 2*align, ... bytes, a different amount in
 *   successive slabs, taken from the space that would be wasted at the end
 *   anyway: objects at the same index in different slabs then fall on
 *   different cache lines (Bonwick's "slab colouring").
 *
 * Each cache allocates from one slab, its current slab, and keeps the
 * others on three lists, full, partial and empty, by how many objects are
 * in use (drawn above slab_alloc).
 */
struct slab {
	uint32_t magic;
	struct slab_cache *cache;
	struct slab *prev, *next; /* on the cache's full/partial/empty list */
	uint8_t *objects;         /* object 0 (after the colour pad) */
	uint16_t in_use;
	uint16_t free_head;   /* first free object, or SLAB_NONE */
	uint16_t next_free[]; /* one per object: see above */
};

#define SLAB_MAGIC 0x51ab51abu  /* in every live slab's header */
#define CACHE_MAGIC 0xcac4e5abu /* in every initialized cache */
#define SLAB_NONE 0xffffu       /* end of a free chain */
#define SLAB_IN_USE 0xfffeu     /* next_free of an object handed out */
#define SLAB_PARKED 0xfffdu     /* ... of one freed into the magazine */
#define SLAB_MAX_OBJECTS 0xfffcu

/* A slab is cut into at least this many objects when the size allows it
 * (with fewer, a big object wastes a big part of each slab). */
#define SLAB_MIN_OBJECTS 8

/* ---- Sizes and the layout of a slab -------------------------------------- */

static size_t align_up(size_t n, size_t align)
{
	return (n + align - 1) & ~(align - 1);
}

static bool is_power_of_2(size_t n)
{
	return n && !(n & (n - 1));
}

static size_t slab_bytes(const struct slab_cache *cache)
{
	return cache->pages_per_slab * SLAB_PAGE_SIZE;
}

/* Where object 0 starts, uncoloured, when a slab holds n objects. */
static size_t offset_of_objects(size_t n, size_t align)
{
	return align_up(sizeof(struct slab) + n * sizeof(uint16_t), align);
}

/* How many objects of `stride` bytes (aligned to align) fit in `bytes`. */
static size_t objects_that_fit(size_t bytes, size_t stride, size_t align)
{
	size_t n;

	if (bytes < sizeof(struct slab))
		return 0;
	n = (bytes - sizeof(struct slab)) / (stride + sizeof(uint16_t));
	while (n > 0 && offset_of_objects(n, align) + n * stride > bytes)
		n--;
	return n < SLAB_MAX_OBJECTS ? n : SLAB_MAX_OBJECTS;
}

/*
 * The slab size: the fewest pages that hold SLAB_MIN_OBJECTS objects and
 * leave at most an eighth of themselves unused past the last object, else
 * the most pages that hold any (Bonwick's rule of thumb). The header and
 * next_free do not count as waste: more pages would not make them smaller
 * per object. 0 if no slab holds one object.
 */
static size_t choose_pages(size_t stride, size_t align)
{
	size_t pages, best = 0;

	for (pages = 1; pages <= SLAB_MAX_PAGES; pages *= 2) {
		size_t bytes = pages * SLAB_PAGE_SIZE;
		size_t n = objects_that_fit(bytes, stride, align);
		size_t waste = bytes - offset_of_objects(n, align) - n * stride;

		if (n == 0)
			continue;
		best = pages;
		if (n >= SLAB_MIN_OBJECTS && waste * 8 <= bytes)
			return pages;
	}
	return best;
}

/* ---- The three lists ----------------------------------------------------- */

/* The list a slab with in_use objects in use belongs on (checked by
 * slab_cache_check; alloc and free know which boundary they cross). */
static const struct slab_list *list_for(const struct slab_cache *cache,
                                        unsigned in_use)
{
	if (in_use == 0)
		return &cache->empty;
	if (in_use == cache->objects_per_slab)
		return &cache->full;
	return &cache->partial;
}

static inline void list_push(struct slab_list *list, struct slab *slab)
{
	slab->prev = NULL;
	slab->next = list->head;
	if (list->head)
		list->head->prev = slab;
	list->head = slab;
	list->count++;
}

static inline void list_remove(struct slab_list *list, struct slab *slab)
{
	if (slab->prev)
		slab->prev->next = slab->next;
	else
		list->head = slab->next;
	if (slab->next)
		slab->next->prev = slab->prev;
	slab->prev = slab->next = NULL;
	list->count--;
}

/* Moves a slab from one list to another. */
static inline void move_slab(struct slab_list *from, struct slab_list *to,
                             struct slab *slab)
{
	list_remove(from, slab);
	list_push(to, slab);
}

/* ---- The debug option: red zones and poison ------------------------------ */

/*
 * With cache->debug, each object is followed by its red zone (stride -
 * size >= SLAB_REDZONE bytes of SLAB_REDZONE_BYTE) and, in a cache with no
 * constructor, a free object is filled with SLAB_POISON_BYTE:
 *
 *   | object (size bytes)            | red zone     | next object ...
 *   | in use: the caller's           | 0xbb 0xbb .. |
 *   | free:   0x6b 0x6b ... (poison) | 0xbb 0xbb .. |
 *
 * A write past an object's end changes its red zone; a write through a
 * stale pointer changes the poison. Both are seen at the next free or
 * alloc of that object.
 */
static void fill(uint8_t *p, size_t n, uint8_t byte)
{
	while (n--)
		*p++ = byte;
}

/* The offset of the first byte in p[0..n) that is not byte, or n. */
static size_t first_differing(const uint8_t *p, size_t n, uint8_t byte)
{
	size_t i;

	for (i = 0; i < n && p[i] == byte; i++)
		continue;
	return i;
}

static bool poisoned(const struct slab_cache *cache)
{
	return cache->debug && !cache->ctor;
}

/* Red zones in every object of a new slab, poison in each (no ctor). */
static void paint_debug_bytes(struct slab_cache *cache, struct slab *slab)
{
	unsigned i;

	for (i = 0; i < cache->objects_per_slab; i++) {
		uint8_t *obj = slab->objects + (size_t)i * cache->stride;

		if (poisoned(cache))
			fill(obj, cache->size, SLAB_POISON_BYTE);
		fill(obj + cache->size, cache->stride - cache->size,
		     SLAB_REDZONE_BYTE);
	}
}

/* True if obj's red zone is intact; else reports an overrun (op: the call
 * that found it). */
static __attribute__((noinline)) bool
redzone_intact(struct slab_cache *cache, const uint8_t *obj, const char *op)
{
	if (first_differing(obj + cache->size, cache->stride - cache->size,
	                    SLAB_REDZONE_BYTE) == cache->stride - cache->size)
		return true;
	slab_report_misuse(
	        cache, SLAB_MISUSE_OVERRUN, op, obj,
	        "the red zone past the object's end was written (an overrun)");
	return false;
}

/* Before a free object is handed out: its red zone and poison intact. */
static __attribute__((noinline)) bool
free_object_intact(struct slab_cache *cache, const uint8_t *obj)
{
	if (!redzone_intact(cache, obj, "slab_alloc"))
		return false;
	if (poisoned(cache) &&
	    first_differing(obj, cache->size, SLAB_POISON_BYTE) !=
	            cache->size) {
		slab_report_misuse(
		        cache, SLAB_MISUSE_USE_AFTER_FREE, "slab_alloc", obj,
		        "the free object's poison was overwritten (a write "
		        "after free)");
		return false;
	}
	return true;
}

/* ---- Making and releasing slabs ------------------------------------------ */

/* The colour pad of the next slab, in bytes; cycles through the colours. */
static size_t next_colour(struct slab_cache *cache)
{
	size_t pad = cache->colour_next * cache->align;

	cache->colour_next = (cache->colour_next + 1) % cache->colours;
	return pad;
}

/*
 * A new empty slab, on no list yet, every object constructed and on the
 * free chain in address order; NULL if the get hook fails or breaks its
 * contract (memory not aligned to the slab's size: then it goes back).
 */
static struct slab *make_slab(struct slab_cache *cache)
{
	size_t pages = cache->pages_per_slab;
	struct slab *slab = cache->get(cache->pages_ctx, pages);
	unsigned i, n = cache->objects_per_slab;

	if (!slab)
		return NULL;
	if ((uintptr_t)slab & (slab_bytes(cache) - 1)) {
		cache->put(cache->pages_ctx, slab, pages);
		return NULL;
	}
	slab->magic = SLAB_MAGIC;
	slab->cache = cache;
	slab->prev = slab->next = NULL;
	slab->in_use = 0;
	slab->objects =
	        (uint8_t *)slab + cache->first_offset + next_colour(cache);
	slab->free_head = 0;
	for (i = 0; i < n; i++) {
		slab->next_free[i] = (uint16_t)(i + 1 < n ? i + 1 : SLAB_NONE);
		if (cache->ctor)
			cache->ctor(slab->objects + (size_t)i * cache->stride);
	}
	if (cache->debug)
		paint_debug_bytes(cache, slab);
	cache->slabs_made++;
	return slab;
}

/* Gives the pages of an empty slab, on no list, back, each object
 * destroyed first: they are all free, and so constructed. */
static void release_slab(struct slab_cache *cache, struct slab *slab)
{
	for (unsigned i = 0; cache->dtor && i < cache->objects_per_slab; i++)
		cache->dtor(slab->objects + (size_t)i * cache->stride);
	slab->magic = 0; /* a stale pointer into it is no longer a slab's */
	slab->cache = NULL;
	cache->put(cache->pages_ctx, slab, cache->pages_per_slab);
	cache->slabs_freed++;
}

/* Gives back empty slabs until at most keep remain on the empty list;
 * returns how many went. */
static size_t release_empty_beyond(struct slab_cache *cache, size_t keep)
{
	size_t released = 0;

	while (cache->empty.count > keep) {
		struct slab *slab = cache->empty.head;

		list_remove(&cache->empty, slab);
		release_slab(cache, slab);
		released++;
	}
	return released;
}

/* ---- Misuse -------------------------------------------------------------- */

const char *slab_misuse_name(enum slab_misuse kind)
{
	switch (kind) {
	case SLAB_MISUSE_DOUBLE_FREE:
		return "double free";
	case SLAB_MISUSE_WRONG_CACHE:
		return "free into the wrong cache";
	case SLAB_MISUSE_WILD_POINTER:
		return "pointer no slab handed out";
	case SLAB_MISUSE_OVERRUN:
		return "write past the end of an object";
	case SLAB_MISUSE_USE_AFTER_FREE:
		return "write after free";
	}
	return "unknown misuse";
}

/*
 * slab_free found obj not to be an object of this cache in use: says
 * which misuse it is, checking in the order the table in docs/slab.md
 * gives. The slab's header is read at obj rounded down to the slab size:
 * for a pointer into memory the caller does not own, that read may
 * itself fault (the kernel checks the address first: mm/kslab.c).
 */
static __attribute__((noinline)) void report_bad_free(struct slab_cache *cache,
                                                      const struct slab *slab,
                                                      const uint8_t *obj)
{
	enum slab_misuse kind = SLAB_MISUSE_WILD_POINTER;
	const char *detail = "inside a slab but not the start of an object";

	if (slab->magic != SLAB_MAGIC) {
		detail = "no slab header where its slab would start";
	} else if (slab->cache != cache) {
		kind = SLAB_MISUSE_WRONG_CACHE;
		detail = "the object belongs to another cache";
	} else if (obj >= slab->objects) {
		size_t offset = (size_t)(obj - slab->objects);
		size_t i = offset / cache->stride;

		if (i < cache->objects_per_slab &&
		    i * cache->stride == offset) {
			kind = SLAB_MISUSE_DOUBLE_FREE;
			detail = "the object is already free";
		}
	}
	slab_report_misuse(cache, kind, "slab_free", obj, detail);
}

/* ---- Alloc and free: the fast paths, and the slow ones ------------------- */

/*
 * The current slab. Allocation takes from one slab, the cache's current
 * slab, until it is full, as SLUB does with its per-CPU slab: the current
 * slab is on none of the three lists, so an alloc or a free in it only
 * pops or pushes an object (the fast path, inline below). Only an alloc
 * that finds it full, and a free into another slab, reach the slow paths,
 * which move slabs between the lists:
 *
 *   current  any use count     alloc pops here; when full it goes to
 *                              `full` and the next comes from partial,
 *                              then empty, then the page hook
 *   full     in_use == n       never looked at by alloc
 *   partial  0 < in_use < n    the next current slabs
 *   empty    in_use == 0       at most `reserve` kept; the rest, and all
 *                              of them on slab_cache_reclaim, go back
 *                              through the put hook
 *
 * A debug cache has no current slab: every call takes the slow paths,
 * which check red zones and poison.
 */

/* Pops slab's first free object (it has one). */
static inline void *take_object(struct slab_cache *cache, struct slab *slab)
{
	unsigned i = slab->free_head;

	slab->free_head = slab->next_free[i];
	slab->next_free[i] = SLAB_IN_USE;
	slab->in_use++;
	return slab->objects + (size_t)i * cache->stride;
}

/* Pushes object i back on its slab's free chain. */
static inline void put_object(struct slab *slab, unsigned i)
{
	slab->next_free[i] = slab->free_head;
	slab->free_head = (uint16_t)i;
	slab->in_use--;
}

/* The slab the next allocations come from: a partial one, else an empty
 * one, else a new one (NULL if the hook fails). Taken off its list. */
static struct slab *next_current(struct slab_cache *cache)
{
	struct slab *slab = cache->partial.head;

	if (slab) {
		list_remove(&cache->partial, slab);
	} else if ((slab = cache->empty.head)) {
		list_remove(&cache->empty, slab);
	} else {
		slab = make_slab(cache);
	}
	return slab;
}

/*
 * A debug cache's alloc: the object to hand out is checked (red zone,
 * poison) before anything changes, since the report may not return.
 */
static void *alloc_debug(struct slab_cache *cache)
{
	struct slab_list *from = &cache->partial;
	struct slab *slab = from->head;
	void *obj;

	if (!slab) {
		from = &cache->empty;
		slab = from->head;
	}
	if (!slab) {
		slab = make_slab(cache);
		if (!slab)
			return NULL;
		list_push(from, slab);
	}
	if (!free_object_intact(cache, slab->objects + (size_t)slab->free_head *
	                                                       cache->stride))
		return NULL;
	obj = take_object(cache, slab);
	move_slab(from,
	          slab->free_head == SLAB_NONE ? &cache->full : &cache->partial,
	          slab);
	return obj;
}

/* The current slab is full, or there is none. */
static __attribute__((noinline)) void *alloc_slow(struct slab_cache *cache)
{
	struct slab *slab = cache->current;

	if (cache->debug)
		return alloc_debug(cache);
	if (slab) {
		list_push(&cache->full, slab);
		cache->current = NULL;
	}
	slab = next_current(cache);
	if (!slab)
		return NULL;
	cache->current = slab;
	return take_object(cache, slab);
}

void *slab_alloc(struct slab_cache *cache)
{
	struct slab *slab = cache->current;

	unsigned parked = cache->parked;

	if (parked) {
		struct slab_parked *p = &cache->magazine[parked - 1];

		cache->parked = parked - 1;
		*p->mark = SLAB_IN_USE;
		return p->obj;
	}
	if (__builtin_expect(!slab || slab->free_head == SLAB_NONE, 0))
		return alloc_slow(cache);
	return take_object(cache, slab);
}

/* The index of the object at offset bytes from object 0, if offset is a
 * multiple of the stride: offset / stride as a multiplication by the
 * stride's reciprocal (cache->reciprocal = ceil(2^32 / stride)), exact
 * for every offset inside a slab (Granlund and Montgomery: offset * (the
 * rounding error) < 2^16 * stride <= 2^32). A division takes tens of
 * cycles; this, one multiplication. */
static inline size_t index_of(const struct slab_cache *cache, size_t offset)
{
	return (size_t)(((uint64_t)offset * cache->reciprocal) >> 32);
}

/*
 * A free into a slab other than the current one that was full or becomes
 * empty, or any free in a debug cache (which has no current slab): the
 * debug checks first, since the report may not return; then the object
 * goes back, and a slab that is now empty or was full moves lists (an
 * empty one beyond the reserve goes back to the page hook).
 */
static __attribute__((noinline)) void free_slow_path(struct slab_cache *cache,
                                                     struct slab *slab,
                                                     uint8_t *obj, unsigned i)
{
	bool was_full = slab->free_head == SLAB_NONE;

	if (cache->debug) {
		if (!redzone_intact(cache, obj, "slab_free"))
			return;
		if (poisoned(cache))
			fill(obj, cache->size, SLAB_POISON_BYTE);
	}
	put_object(slab, i);
	if (slab->in_use == 0) {
		move_slab(was_full ? &cache->full : &cache->partial,
		          &cache->empty, slab);
		release_empty_beyond(cache, cache->reserve);
	} else if (was_full) {
		move_slab(&cache->full, &cache->partial, slab);
	}
}

/* Puts object i of slab (in use) back on its slab: the fast path when
 * the slab is the current one, or another that neither was full nor
 * becomes empty (a debug cache has no current slab). */
static inline void free_to_slab(struct slab_cache *cache, struct slab *slab,
                                uint8_t *obj, unsigned i)
{
	if (slab != cache->current &&
	    (cache->debug || slab->free_head == SLAB_NONE ||
	     slab->in_use == 1)) {
		free_slow_path(cache, slab, obj, i);
		return;
	}
	put_object(slab, i);
}

void slab_free(struct slab_cache *cache, void *ptr)
{
	uint8_t *obj = ptr;
	struct slab *slab = (struct slab *)((uintptr_t)obj & cache->slab_mask);
	unsigned parked = cache->parked;
	size_t offset, i;

	if (!obj)
		return;
	/* The checks every free makes: a slab header naming this cache,
	 * the start of one of its objects, in use. An object before
	 * slab->objects gives a huge unsigned offset. (The magic is read
	 * only to tell what a failed check means: a page whose word at
	 * slab->cache's offset is the cache's address by chance is not a
	 * risk worth an instruction on every free.) */
	if (slab->cache != cache) {
		report_bad_free(cache, slab, obj);
		return;
	}
	offset = (size_t)(obj - slab->objects);
	i = index_of(cache, offset);
	if (i >= cache->objects_per_slab || i * cache->stride != offset ||
	    slab->next_free[i] != SLAB_IN_USE) {
		report_bad_free(cache, slab, obj);
		return;
	}
	/* The fastest path: park it in the magazine. */
	if (parked < cache->magazine_size) {
		uint16_t *mark = &slab->next_free[i];

		*mark = SLAB_PARKED;
		cache->magazine[parked] = (struct slab_parked){obj, mark};
		cache->parked = parked + 1;
		return;
	}
	free_to_slab(cache, slab, obj, (unsigned)i);
}

/* Gives every object in the magazine back to its slab. */
static void empty_magazine(struct slab_cache *cache)
{
	while (cache->parked) {
		struct slab_parked *p = &cache->magazine[--cache->parked];
		struct slab *slab =
		        (struct slab *)((uintptr_t)p->obj & cache->slab_mask);

		*p->mark = SLAB_IN_USE;
		free_to_slab(cache, slab, p->obj,
		             (unsigned)(p->mark - slab->next_free));
	}
}

/* ---- The rest of the API ------------------------------------------------- */

uintptr_t slab_start_of(const struct slab_cache *cache, const void *obj)
{
	return (uintptr_t)obj & cache->slab_mask;
}

int slab_cache_init(struct slab_cache *cache, const struct slab_config *config)
{
	size_t align = config->align ? config->align : SLAB_MIN_ALIGN;
	size_t stride, pages, n, leftover;

	if (!config->get || !config->put || config->size == 0 ||
	    !is_power_of_2(align) || align > SLAB_PAGE_SIZE ||
	    config->size > SLAB_MAX_PAGES * SLAB_PAGE_SIZE ||
	    (config->dtor && !config->ctor))
		return -SLAB_EINVAL;
	stride = align_up(config->size + (config->debug ? SLAB_REDZONE : 0),
	                  align);
	pages = choose_pages(stride, align);
	if (pages == 0)
		return -SLAB_EINVAL;
	n = objects_that_fit(pages * SLAB_PAGE_SIZE, stride, align);

	*cache = (struct slab_cache){0};
	cache->name = config->name ? config->name : "(unnamed)";
	cache->size = config->size;
	cache->stride = stride;
	cache->align = align;
	cache->ctor = config->ctor;
	cache->dtor = config->dtor;
	cache->get = config->get;
	cache->put = config->put;
	cache->pages_ctx = config->pages_ctx;
	cache->pages_per_slab = pages;
	cache->slab_mask = ~(uintptr_t)(pages * SLAB_PAGE_SIZE - 1);
	cache->reciprocal =
	        (uint32_t)((((uint64_t)1 << 32) + stride - 1) / stride);
	cache->objects_per_slab = (unsigned)n;
	cache->first_offset = offset_of_objects(n, align);
	leftover = pages * SLAB_PAGE_SIZE - cache->first_offset - n * stride;
	cache->colours = (unsigned)(leftover / align + 1);
	cache->reserve =
	        config->reserve ? config->reserve : SLAB_DEFAULT_RESERVE;
	cache->debug = config->debug;
	cache->magazine_size =
	        config->debug || config->no_magazine ? 0 : SLAB_MAGAZINE;
	cache->magic = CACHE_MAGIC;
	return 0;
}

/* Gives the current slab back if it is empty; true if it did. */
static bool release_current_if_empty(struct slab_cache *cache)
{
	struct slab *slab = cache->current;

	if (!slab || slab->in_use)
		return false;
	cache->current = NULL;
	release_slab(cache, slab);
	return true;
}

/* Objects handed out and not freed: counted from the slabs (no counter
 * on the fast paths). O(partial slabs). */
static size_t objects_in_use(const struct slab_cache *cache)
{
	size_t n = cache->full.count * cache->objects_per_slab;
	const struct slab *slab;

	for (slab = cache->partial.head; slab; slab = slab->next)
		n += slab->in_use;
	if (cache->current)
		n += cache->current->in_use;
	return n - cache->parked; /* parked objects count in their slabs */
}

int slab_cache_destroy(struct slab_cache *cache)
{
	if (objects_in_use(cache))
		return -SLAB_EBUSY;
	empty_magazine(cache);
	release_current_if_empty(cache);
	release_empty_beyond(cache, 0);
	cache->magic = 0;
	return 0;
}

size_t slab_cache_reclaim(struct slab_cache *cache)
{
	size_t slabs;

	empty_magazine(cache);
	slabs = release_empty_beyond(cache, 0);

	slabs += release_current_if_empty(cache);
	return slabs * cache->pages_per_slab;
}

void slab_cache_get_stats(const struct slab_cache *cache,
                          struct slab_stats *stats)
{
	const struct slab *current = cache->current;
	size_t slabs = cache->full.count + cache->partial.count +
	               cache->empty.count + (current != NULL);

	stats->object_size = cache->size;
	stats->stride = cache->stride;
	stats->objects_per_slab = cache->objects_per_slab;
	stats->pages_per_slab = cache->pages_per_slab;
	stats->objects_in_use = objects_in_use(cache);
	stats->objects_total = slabs * cache->objects_per_slab;
	stats->slabs_full = cache->full.count;
	stats->slabs_partial = cache->partial.count;
	stats->slabs_empty = cache->empty.count;
	if (current) /* counted by its use count */
		*(current->free_head == SLAB_NONE ? &stats->slabs_full
		  : current->in_use               ? &stats->slabs_partial
		                                  : &stats->slabs_empty) += 1;
	stats->pages = slabs * cache->pages_per_slab;
	stats->unused_bytes = stats->pages * SLAB_PAGE_SIZE -
	                      stats->objects_in_use * cache->size;
	stats->lost_bytes = stats->pages * SLAB_PAGE_SIZE -
	                    stats->objects_total * cache->size;
	stats->slabs_made = cache->slabs_made;
	stats->slabs_freed = cache->slabs_freed;
}

/* ---- slab_cache_check ---------------------------------------------------- */

/* A message being written into the caller's buffer (never overrun). */
struct msg {
	char *buf;
	size_t size, len;
};

static void msg_str(struct msg *m, const char *s)
{
	while (*s && m->len + 1 < m->size)
		m->buf[m->len++] = *s++;
	if (m->size)
		m->buf[m->len] = '\0';
}

static void msg_hex(struct msg *m, uintptr_t v)
{
	char digits[2 * sizeof(v) + 3] = "0x";
	int shift, k = 2;

	for (shift = (int)(8 * sizeof(v)) - 4; shift >= 0; shift -= 4)
		digits[k++] = "0123456789abcdef"[(v >> shift) & 0xF];
	digits[k] = '\0';
	msg_str(m, digits);
}

static int fail(struct msg *m, const void *slab, const char *what)
{
	msg_str(m, "slab ");
	msg_hex(m, (uintptr_t)slab);
	msg_str(m, ": ");
	msg_str(m, what);
	return -SLAB_ECORRUPT;
}

/* Checks one slab's header and free chain, and that it is on the list its
 * use count says (list NULL: the current slab, on none); counts its
 * parked objects (in the magazine) into *parked. */
static int check_slab(const struct slab_cache *cache,
                      const struct slab_list *list, const struct slab *slab,
                      size_t *parked, struct msg *m)
{
	unsigned i, n = cache->objects_per_slab, marked = 0, chained = 0;

	if (slab->magic != SLAB_MAGIC || slab->cache != cache)
		return fail(m, slab, "header overwritten (magic or cache)");
	if (list && list_for(cache, slab->in_use) != list)
		return fail(m, slab, "on the wrong list for its use count");
	for (i = 0; i < n; i++) {
		marked += slab->next_free[i] == SLAB_IN_USE ||
		          slab->next_free[i] == SLAB_PARKED;
		*parked += slab->next_free[i] == SLAB_PARKED;
	}
	if (marked != slab->in_use)
		return fail(m, slab, "use count differs from objects in use");
	for (i = slab->free_head; i != SLAB_NONE; i = slab->next_free[i]) {
		if (i >= n || ++chained > n - marked)
			return fail(m, slab, "free chain broken or too long");
	}
	if (chained != n - marked)
		return fail(m, slab, "free chain misses free objects");
	return 0;
}

static int check_list(const struct slab_cache *cache,
                      const struct slab_list *list, size_t *parked,
                      struct msg *m)
{
	const struct slab *slab, *prev = NULL;
	size_t count = 0;
	int err;

	for (slab = list->head; slab; prev = slab, slab = slab->next) {
		if (slab->prev != prev)
			return fail(m, slab, "list back link broken");
		if (++count > list->count)
			return fail(m, slab, "list longer than its count");
		err = check_slab(cache, list, slab, parked, m);
		if (err)
			return err;
	}
	if (count != list->count)
		return fail(m, list->head, "list shorter than its count");
	return 0;
}

int slab_cache_check(const struct slab_cache *cache, char *msg, size_t msg_size)
{
	struct msg m = {msg, msg_size, 0};
	size_t parked = 0, i;
	int err;

	msg_str(&m, "");
	if (cache->magic != CACHE_MAGIC)
		return fail(&m, NULL, "cache not initialized or destroyed");
	err = check_list(cache, &cache->full, &parked, &m);
	if (!err)
		err = check_list(cache, &cache->partial, &parked, &m);
	if (!err)
		err = check_list(cache, &cache->empty, &parked, &m);
	if (err)
		return err;
	if (cache->current) {
		const struct slab *cur = cache->current;

		if (cache->debug)
			return fail(&m, cur,
			            "a debug cache has a current slab");
		if (cur->prev || cur->next)
			return fail(&m, cur, "the current slab is on a list");
		err = check_slab(cache, NULL, cur, &parked, &m);
		if (err)
			return err;
	}
	if (parked != cache->parked)
		return fail(&m, NULL,
		            "the magazine's count differs from the parked "
		            "objects in the slabs");
	for (i = 0; i < cache->parked; i++) {
		if (*cache->magazine[i].mark != SLAB_PARKED)
			return fail(&m, cache->magazine[i].obj,
			            "an object in the magazine is not parked");
	}
	if (cache->empty.count > cache->reserve)
		return fail(&m, cache->empty.head,
		            "more empty slabs than the "
		            "reserve");
	return 0;
}
