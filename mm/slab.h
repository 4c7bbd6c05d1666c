/*
 * slab.h - caches of fixed-size objects (Bonwick's slab allocator). Like
 * mm/heap.c it knows nothing of its environment: pages come and go through
 * hooks given at init, misuse goes out through slab_report_misuse().
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The page size the hooks deal in. memos' frames are 4 KiB; the kernel's
 * build checks that this matches its own PAGE_SIZE.
 */
#define SLAB_PAGE_SIZE ((size_t)4096)

/* The largest slab, in pages: objects up to about 64 KiB (a power of 2). */
#define SLAB_MAX_PAGES 16

/* Alignment when the cache is created with align 0: a pointer's. */
#define SLAB_MIN_ALIGN (sizeof(void *))

/*
 * Freed objects a cache parks in its magazine, a stack in front of its
 * slabs (Bonwick and Adams' magazine layer, 2001): the next allocations
 * take them back first, with no slab to update.
 */
#define SLAB_MAGAZINE 32

/* Empty slabs a cache keeps when slab_config.reserve is 0. */
#define SLAB_DEFAULT_RESERVE 1

/* Error values (negated on return), the same numbers as the errno names. */
#define SLAB_ENOMEM 12
#define SLAB_EBUSY 16
#define SLAB_EINVAL 22
#define SLAB_ECORRUPT 74 /* EBADMSG: slab_cache_check found a problem */

/*
 * The page hooks. get returns pages * SLAB_PAGE_SIZE bytes aligned to
 * their own size (a slab of 4 pages starts on a 16 KiB boundary: that is
 * how slab_free finds the slab of an object), or NULL. put gives back what
 * get returned, with the same page count. pages is always a power of 2.
 */
typedef void *(*slab_pages_get_fn)(void *ctx, size_t pages);
typedef void (*slab_pages_put_fn)(void *ctx, void *mem, size_t pages);

/*
 * A constructor puts an object in its initial state. It runs once per
 * object, when the slab holding it is made, not on every slab_alloc: a
 * freed object must be handed back in that constructed state (Bonwick's
 * object caching). The allocator itself never writes into an object.
 */
typedef void (*slab_ctor_fn)(void *obj);

/*
 * A destructor undoes the constructor (Bonwick's pair): it runs once per
 * object when the slab holding it gives its pages back (reclaim, destroy,
 * an empty slab beyond the reserve), never on slab_free, when the object
 * stays constructed for its next user. Needs a constructor: an object
 * never constructed has nothing to undo.
 */
typedef void (*slab_dtor_fn)(void *obj);

/* Settings for slab_cache_init. */
struct slab_config {
	const char *name;      /* for messages and stats; kept, not copied */
	size_t size;           /* object size in bytes (> 0) */
	size_t align;          /* a power of 2 <= SLAB_PAGE_SIZE, or 0 */
	slab_ctor_fn ctor;     /* or NULL */
	slab_dtor_fn dtor;     /* or NULL; only with a ctor */
	slab_pages_get_fn get; /* required */
	slab_pages_put_fn put; /* required */
	void *pages_ctx;       /* passed back to both hooks */
	unsigned reserve;      /* empty slabs kept for the next allocations
	                          (0: SLAB_DEFAULT_RESERVE) */
	bool debug;            /* red zones and poison: see SLAB_REDZONE
	                          (a debug cache has no magazine) */
	bool no_magazine;      /* frees go straight back to their slabs */
};

/*
 * The debug option (the kernel's `slab=debug`). Each object is followed
 * by a red zone of at least SLAB_REDZONE bytes of SLAB_REDZONE_BYTE,
 * checked when the object is freed and when it is handed out again: a
 * write past the object's end is caught. A cache with no constructor also
 * fills each free object with SLAB_POISON_BYTE and checks it is intact
 * when the object is handed out again: a write to a freed object is
 * caught. (A constructed object keeps its state while free, so it cannot
 * be poisoned.) Costs the red zone in every object and a pass over it on
 * every alloc and free.
 */
#define SLAB_REDZONE 8
#define SLAB_REDZONE_BYTE 0xbb
#define SLAB_POISON_BYTE 0x6b

struct slab; /* one slab's header: mm/slab.c draws it */

/* A freed object in the magazine, and its slab's next_free entry. */
struct slab_parked {
	void *obj;
	uint16_t *mark;
};

/* A list of slabs (doubly linked through their headers) and its length. */
struct slab_list {
	struct slab *head;
	size_t count;
};

/*
 * One cache. The caller owns the memory of this struct, as with struct
 * heap. Treat every field as private: use the functions below.
 */
struct slab_cache {
	const char *name;
	size_t size;   /* what the user asked for */
	size_t stride; /* size rounded up to align */
	size_t align;
	slab_ctor_fn ctor;
	slab_dtor_fn dtor;
	slab_pages_get_fn get;
	slab_pages_put_fn put;
	void *pages_ctx;
	struct slab *current;  /* allocations come from here: mm/slab.c */
	uintptr_t slab_mask;   /* an object's address & mask: its slab */
	uint32_t reciprocal;   /* ceil(2^32 / stride): mm/slab.c index_of */
	size_t pages_per_slab; /* a power of 2 */
	unsigned objects_per_slab;
	size_t first_offset;  /* object 0 from the slab's start, uncoloured */
	unsigned colours;     /* different first-object offsets in use */
	unsigned colour_next; /* the next slab's, in units of align */
	unsigned reserve;
	struct slab_list full, partial, empty;
	bool debug;             /* red zones and poison */
	unsigned magazine_size; /* 0 (no magazine) or SLAB_MAGAZINE */
	unsigned parked;        /* objects in the magazine now */
	struct slab_parked magazine[SLAB_MAGAZINE];
	unsigned long slabs_made;  /* pages got through the hook, in slabs */
	unsigned long slabs_freed; /* pages given back, in slabs */
	uint32_t magic;            /* set by init, cleared by destroy */
};

/* What slab_cache_get_stats returns (what slabinfo prints). */
struct slab_stats {
	size_t object_size; /* as asked */
	size_t stride;      /* as placed */
	unsigned objects_per_slab;
	size_t pages_per_slab;
	size_t objects_in_use;
	size_t objects_total; /* in every slab the cache holds */
	size_t slabs_full, slabs_partial, slabs_empty;
	size_t pages;        /* held now */
	size_t unused_bytes; /* pages - objects_in_use * object_size */
	size_t lost_bytes;   /* internal fragmentation: bytes of the slabs no
	                        object can use (headers, the free-list index,
	                        padding after each object, slab tails):
	                        pages - objects_total * object_size */
	unsigned long slabs_made, slabs_freed;
};

/* Kinds of misuse slab_report_misuse() is told about. */
enum slab_misuse {
	SLAB_MISUSE_DOUBLE_FREE,    /* the object is already free */
	SLAB_MISUSE_WRONG_CACHE,    /* a live object of another cache */
	SLAB_MISUSE_WILD_POINTER,   /* no slab handed out this pointer */
	SLAB_MISUSE_OVERRUN,        /* debug: the red zone was written */
	SLAB_MISUSE_USE_AFTER_FREE, /* debug: a free object was written */
};

/*
 * Each environment DEFINES this function; slab.c only calls it (as with
 * heap_report_misuse). op is the API call ("slab_free"), ptr the pointer
 * it was given, detail what exactly was wrong. If it returns, the
 * operation does nothing: the cache is never touched after a misuse.
 */
void slab_report_misuse(struct slab_cache *cache, enum slab_misuse kind,
                        const char *op, const void *ptr, const char *detail);

/* A short name for a misuse kind, for messages: "double free", ... */
const char *slab_misuse_name(enum slab_misuse kind);

/*
 * Sets up an empty cache (no pages yet): picks the slab size and how many
 * objects fit in one. Returns 0 or -SLAB_EINVAL (no hooks, size 0, an
 * align that is not a power of 2, an object too big for SLAB_MAX_PAGES,
 * a destructor without a constructor).
 */
int slab_cache_init(struct slab_cache *cache, const struct slab_config *config);

/*
 * Gives every slab back. Returns -SLAB_EBUSY, and does nothing, while
 * objects are still in use; 0 after, when the cache is unusable.
 */
int slab_cache_destroy(struct slab_cache *cache);

/* One constructed object, aligned as asked, or NULL (the get hook
 * failed, or, with debug, the object to hand out was found written while
 * free: that is reported first). */
void *slab_alloc(struct slab_cache *cache);

/* Gives obj back to its slab; NULL does nothing. Misuse is reported. */
void slab_free(struct slab_cache *cache, void *obj);

/* Where the slab of this cache that would hold obj starts: obj rounded
 * down to the slab's size. slab_free reads the slab's header there first,
 * so an environment that cannot read every address (the kernel) checks
 * this one before it calls slab_free with a pointer it was given. */
uintptr_t slab_start_of(const struct slab_cache *cache, const void *obj);

/*
 * Empties the magazine into the slabs, then gives every empty slab back,
 * the reserve included (what the frame allocator calls when memory runs
 * short). Returns the pages given back.
 */
size_t slab_cache_reclaim(struct slab_cache *cache);

/* Fills *stats. O(partial slabs): objects in use are counted, not kept
 * (the fast paths keep no counter). */
void slab_cache_get_stats(const struct slab_cache *cache,
                          struct slab_stats *stats);

/*
 * Checks every invariant: each slab on the list its use count says, its
 * header intact, its free chain the right length with no object twice,
 * the counts. Returns 0, or -SLAB_ECORRUPT and a sentence on the first
 * violation in msg. Prints nothing.
 */
int slab_cache_check(const struct slab_cache *cache, char *msg,
                     size_t msg_size);

#endif /* MM_SLAB_H */
