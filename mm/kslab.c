/*
 * The kernel's environment for mm/slab.c: slabs live in the slab area
 * (SLAB_AREA_BASE to SLAB_AREA_LIMIT, mm/layout.h), in frames from the
 * frame allocator mapped there; misuse panics; the caches are listed for
 * slabinfo and for the frame allocator's reclaim.
 *
 *   SLAB_AREA_BASE                                        SLAB_AREA_LIMIT
 *   +------+------+-------------+------+------------- ... -----------+
 *   | slab | free | slab (4 pp) | slab | free                        |
 *   +------+------+-------------+------+------------- ... -----------+
 *   one bit per page in area_used; a slab of n pages starts on a
 *   multiple of n pages, as slab.c's page hook contract asks.
 */
#include "mm/kslab.h"

#include "kernel/arch/cpu.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

_Static_assert(SLAB_PAGE_SIZE == PAGE_SIZE, "slab.c's page is a frame");

#define AREA_PAGES ((SLAB_AREA_LIMIT - SLAB_AREA_BASE) / PAGE_SIZE)
#define AREA_WORDS (AREA_PAGES / 32)

static uint32_t area_used[AREA_WORDS]; /* bit per page: 1 = a slab's */
static struct slab_cache *caches[KSLAB_MAX_CACHES];
static unsigned cache_count;
static bool debug;

/* ---- The slab area ------------------------------------------------------- */

/* The address of `pages` free pages (a power of 2, at most 32) starting on
 * a multiple of `pages` pages, now marked used; 0 if none is left. A run
 * so aligned never crosses a bitmap word. */
static uintptr_t area_take(size_t pages)
{
	uint32_t mask = pages >= 32 ? 0xFFFFFFFFu : (1u << pages) - 1;

	for (uint32_t w = 0; w < AREA_WORDS; w++) {
		if (area_used[w] == 0xFFFFFFFFu)
			continue;
		for (uint32_t bit = 0; bit < 32; bit += (uint32_t)pages) {
			if (area_used[w] & (mask << bit))
				continue;
			area_used[w] |= mask << bit;
			return SLAB_AREA_BASE + (w * 32 + bit) * PAGE_SIZE;
		}
	}
	return 0;
}

static void area_give(uintptr_t va, size_t pages)
{
	uint32_t page = (uint32_t)((va - SLAB_AREA_BASE) / PAGE_SIZE);

	for (size_t i = 0; i < pages; i++) {
		ASSERT(area_used[(page + i) / 32] & (1u << ((page + i) % 32)));
		area_used[(page + i) / 32] &= ~(1u << ((page + i) % 32));
	}
}

/* True if va lies in a page of the area that a slab holds now. */
static bool area_holds(uintptr_t va)
{
	if (va < SLAB_AREA_BASE || va >= SLAB_AREA_LIMIT)
		return false;
	uint32_t page = (uint32_t)((va - SLAB_AREA_BASE) / PAGE_SIZE);
	return area_used[page / 32] & (1u << (page % 32));
}

/* ---- slab.c's hooks ------------------------------------------------------ */

/* Pages for a slab: a run of the area, with fresh frames mapped in. */
static void *pages_get(void *ctx, size_t pages)
{
	(void)ctx;
	uintptr_t va = area_take(pages);

	if (!va)
		return NULL;
	if (vmm_map_new_range(vmm_kernel_space(), va, va + pages * PAGE_SIZE,
	                      PTE_WRITABLE)) {
		area_give(va, pages);
		return NULL; /* out of frames */
	}
	return (void *)va;
}

static void pages_put(void *ctx, void *mem, size_t pages)
{
	(void)ctx;
	uintptr_t va = (uintptr_t)mem;

	vmm_unmap_and_free(vmm_kernel_space(), va, va + pages * PAGE_SIZE);
	area_give(va, pages);
}

/* The kernel's way to report slab misuse: a panic with every detail. */
void slab_report_misuse(struct slab_cache *cache, enum slab_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	PANIC("slab: %s: %p given to %s(%s) (%s)", slab_misuse_name(kind), ptr,
	      op, cache->name, detail);
}

/* ---- Caches -------------------------------------------------------------- */

void kslab_init(bool debug_caches)
{
	debug = debug_caches;
	pmm_set_reclaim(kslab_reclaim);
}

bool kslab_debug(void)
{
	return debug;
}

void kslab_set_debug(bool on)
{
	debug = on;
}

void kslab_cache_create(struct slab_cache *cache, const char *name, size_t size,
                        size_t align, slab_ctor_fn ctor)
{
	struct slab_config config = {
	        .name = name,
	        .size = size,
	        .align = align,
	        .ctor = ctor,
	        .get = pages_get,
	        .put = pages_put,
	        .debug = debug,
	};
	int err = slab_cache_init(cache, &config);

	if (err)
		PANIC("slab: cannot make cache %s of %u-byte objects (error "
		      "%d)",
		      name, (unsigned)size, err);
	bool irq = irq_save();
	if (cache_count == KSLAB_MAX_CACHES)
		PANIC("slab: more than %u caches", KSLAB_MAX_CACHES);
	caches[cache_count++] = cache;
	irq_restore(irq);
}

int kslab_cache_destroy(struct slab_cache *cache)
{
	bool irq = irq_save();
	int err = slab_cache_destroy(cache);

	for (unsigned i = 0; !err && i < cache_count; i++) {
		if (caches[i] == cache) {
			caches[i] = caches[--cache_count];
			break;
		}
	}
	irq_restore(irq);
	return err;
}

void *kslab_alloc(struct slab_cache *cache)
{
	bool irq = irq_save();
	void *obj = slab_alloc(cache);
	irq_restore(irq);
	return obj;
}

void kslab_free(struct slab_cache *cache, void *obj)
{
	/* slab.c reads the slab header below obj, where a slab of this
	 * cache would start: make sure that is memory a slab holds, so that
	 * a wild pointer panics with a message, not a page fault. For a
	 * cache of multi-page slabs that is not obj's own page: a pointer
	 * into a one-page slab of another cache can round down to a page of
	 * the area nothing holds. */
	if (obj && !area_holds((uintptr_t)obj))
		slab_report_misuse(cache, SLAB_MISUSE_WILD_POINTER, "slab_free",
		                   obj, "not in a page of the slab area");
	if (obj && !area_holds(slab_start_of(cache, obj)))
		slab_report_misuse(cache, SLAB_MISUSE_WILD_POINTER, "slab_free",
		                   obj,
		                   "no slab where this cache's slab holding it "
		                   "would start");
	bool irq = irq_save();
	slab_free(cache, obj);
	irq_restore(irq);
}

size_t kslab_reclaim(void)
{
	size_t pages = 0;
	bool irq = irq_save();

	for (unsigned i = 0; i < cache_count; i++)
		pages += slab_cache_reclaim(caches[i]);
	irq_restore(irq);
	return pages;
}

unsigned kslab_cache_count(void)
{
	return cache_count;
}

void kslab_get_stats(struct slab_cache *cache, struct slab_stats *stats)
{
	bool irq = irq_save();
	slab_cache_get_stats(cache, stats);
	irq_restore(irq);
}

int kslab_check(struct slab_cache *cache, char *msg, size_t msg_size)
{
	bool irq = irq_save();
	int err = slab_cache_check(cache, msg, msg_size);
	irq_restore(irq);
	return err;
}

bool kslab_cache_info(unsigned i, struct slabinfo *info)
{
	struct slab_stats st;

	if (i >= cache_count)
		return false;
	kslab_get_stats(caches[i], &st);
	memset(info, 0, sizeof(*info));
	size_t n = strlen(caches[i]->name);
	if (n >= sizeof(info->name))
		n = sizeof(info->name) - 1;
	memcpy(info->name, caches[i]->name, n);
	info->object_size = (uint32_t)st.object_size;
	info->stride = (uint32_t)st.stride;
	info->objects_per_slab = st.objects_per_slab;
	info->pages_per_slab = (uint32_t)st.pages_per_slab;
	info->objects_in_use = (uint32_t)st.objects_in_use;
	info->objects_total = (uint32_t)st.objects_total;
	info->slabs =
	        (uint32_t)(st.slabs_full + st.slabs_partial + st.slabs_empty);
	info->slabs_empty = (uint32_t)st.slabs_empty;
	info->pages = (uint32_t)st.pages;
	info->lost_bytes = (uint32_t)st.lost_bytes;
	info->debug = caches[i]->debug;
	return true;
}
