/*
 * The kernel's slab caches: mm/slab.c over pages mapped in the kernel's
 * slab area (mm/layout.h), for the kernel's own fixed-size objects
 * (processes, regions). kmalloc stays for everything else. docs/slab.md.
 */
#ifndef MM_KSLAB_H
#define MM_KSLAB_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/abi.h"
#include "mm/slab.h"

/* The most caches the kernel registers (slabinfo lists them). */
#define KSLAB_MAX_CACHES 16

/* debug_caches (slab=debug on the command line): every cache gets red
 * zones and poison. Also gives the frame allocator its reclaim hook.
 * Call after kheap_init, before any cache is made. */
void kslab_init(bool debug_caches);

/* True with slab=debug: every cache made after has red zones and poison.
 * kslab_set_debug changes that for the caches made after it (the tests
 * make a debug cache in a kernel booted without the option). */
bool kslab_debug(void);
void kslab_set_debug(bool on);

/*
 * Sets up cache (the caller owns its memory) and lists it for slabinfo
 * and reclaim. A bad size or alignment, or too many caches, is a kernel
 * bug and panics. ctor: see slab.h (NULL for none). No destructor (slab.h
 * has them): no kernel cache has even a constructor yet; the first whose
 * objects hold something to undo adds the argument.
 */
void kslab_cache_create(struct slab_cache *cache, const char *name, size_t size,
                        size_t align, slab_ctor_fn ctor);

/* slab_cache_destroy, and off the list. -SLAB_EBUSY while objects live. */
int kslab_cache_destroy(struct slab_cache *cache);

/* An object, or NULL when frames run out. Interrupts are off inside. */
void *kslab_alloc(struct slab_cache *cache);

/* Gives obj back. Misuse (double free, the wrong cache, a pointer no
 * slab handed out; with slab=debug an overrun) panics with the cache's
 * name and the object's address. NULL does nothing. */
void kslab_free(struct slab_cache *cache, void *obj);

/* Gives every empty slab of every cache back; returns the pages. What
 * the frame allocator calls when it runs out (pmm_set_reclaim). */
size_t kslab_reclaim(void);

/* How many caches are listed; the i-th one's numbers (false past the
 * end), as SYS_SLABINFO reports them. */
unsigned kslab_cache_count(void);
bool kslab_cache_info(unsigned i, struct slabinfo *info);

/* The stats of one cache (interrupts off while they are read). */
void kslab_get_stats(struct slab_cache *cache, struct slab_stats *stats);

/* slab_cache_check on one cache: 0, or -SLAB_ECORRUPT with a message. */
int kslab_check(struct slab_cache *cache, char *msg, size_t msg_size);

#endif
