/*
 * fuzz_slab.c - libFuzzer target for mm/slab.c: the input configures four
 * caches, then is read as operations (alloc, free, misuse of each kind,
 * reclaim, page hook failure, an overrun into a red zone) on 64 slots,
 * checked against a shadow model with slab_cache_check after every
 * operation. Any finding aborts.
 *
 * Header, 2 bytes per cache:  [size] [flags]
 *   size = 1 + size byte, times 32 if flags bit 7 (up to 8161 bytes);
 *   flags bits 0-1: align 0, 8, 32, 256; bit 2: debug; bits 3-4: reserve;
 *   bit 5: a constructor; bit 6: no magazine.
 * Then one operation = 4 bytes:  [kind] [cache] [slot] [arg]
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/slab.h"

#define CACHES 4
#define SLOTS 64
#define QUARANTINE 4096

struct slot {
	uint8_t *ptr;
	unsigned cache;
	unsigned key;
};

static struct slab_cache cache[CACHES];
static size_t size_of[CACHES];
static struct slot slot[SLOTS];
static unsigned next_key;

/* ---- Pages: from the C library, aligned; given-back pages wait in a
 * quarantine until the input ends, so that a stale pointer into a slab
 * that went back reads a dead header instead of freed memory. */
static long gets_left = -1;
static long pages_out;
static void *quarantine[QUARANTINE];
static size_t quarantined;

static void *pages_get(void *ctx, size_t pages)
{
	size_t bytes = pages * SLAB_PAGE_SIZE;
	void *mem;

	(void)ctx;
	if (gets_left == 0 || quarantined == QUARANTINE)
		return NULL;
	if (gets_left > 0)
		gets_left--;
	mem = aligned_alloc(bytes, bytes);
	if (mem) {
		memset(mem, 0xa5, bytes);
		pages_out += (long)pages;
	}
	return mem;
}

static void pages_put(void *ctx, void *mem, size_t pages)
{
	(void)ctx;
	pages_out -= (long)pages;
	quarantine[quarantined++] = mem;
}

/* ---- Misuse: expected ones jump back; any other aborts ---------------- */

static jmp_buf *misuse_jump;
static enum slab_misuse misuse_kind;

void slab_report_misuse(struct slab_cache *c, enum slab_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	misuse_kind = kind;
	if (misuse_jump)
		longjmp(*misuse_jump, 1);
	fprintf(stderr, "fuzz_slab: unexpected %s in %s(%s, %p): %s\n",
	        slab_misuse_name(kind), op, c->name, ptr, detail);
	abort();
}

static void die(const char *what, size_t op)
{
	fprintf(stderr, "fuzz_slab: op %zu: %s\n", op, what);
	abort();
}

/* Runs STMT expecting a misuse report of kind A or B. */
#define EXPECT_MISUSE(op, a, b, stmt)                                          \
	do {                                                                   \
		jmp_buf jb_;                                                   \
		misuse_jump = &jb_;                                            \
		if (setjmp(jb_) == 0) {                                        \
			stmt;                                                  \
			misuse_jump = NULL;                                    \
			die("misuse not reported: " #stmt, op);                \
		}                                                              \
		misuse_jump = NULL;                                            \
		if (misuse_kind != (a) && misuse_kind != (b))                  \
			die("misuse reported as the wrong kind", op);          \
	} while (0)

/* ---- The shadow model -------------------------------------------------- */

static void ctor(void *obj)
{
	memset(obj, 0x3c, 1);
}

static uint8_t pattern(unsigned key, size_t i)
{
	return (uint8_t)(key * 31 + i);
}

/* The first and last 16 bytes of an object carry its key. */
static void fill(uint8_t *p, size_t n, unsigned key)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = pattern(key, i);
		if (i == 15 && n > 32)
			i = n - 17;
	}
}

static bool intact(const uint8_t *p, size_t n, unsigned key)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != pattern(key, i))
			return false;
		if (i == 15 && n > 32)
			i = n - 17;
	}
	return true;
}

static size_t live_in(unsigned c)
{
	size_t n = 0;

	for (unsigned i = 0; i < SLOTS; i++)
		n += slot[i].ptr && slot[i].cache == c;
	return n;
}

static void check(size_t op)
{
	char msg[256];
	struct slab_stats st;
	long pages = 0;

	for (unsigned c = 0; c < CACHES; c++) {
		if (slab_cache_check(&cache[c], msg, sizeof(msg)))
			die(msg, op);
		slab_cache_get_stats(&cache[c], &st);
		if (st.objects_in_use != live_in(c))
			die("objects in use differ from the model", op);
		pages += (long)st.pages;
	}
	if (pages != pages_out)
		die("the caches' pages differ from what the hook handed out",
		    op);
}

static void alloc_into(struct slot *s, unsigned c, size_t op)
{
	uint8_t *p = slab_alloc(&cache[c]);
	size_t align = cache[c].align;

	if (!p)
		return; /* the hook failed: allowed */
	if ((uintptr_t)p % align)
		die("misaligned object", op);
	for (unsigned i = 0; i < SLOTS; i++) {
		const struct slot *o = &slot[i];

		if (o->ptr && o->ptr < p + size_of[c] &&
		    p < o->ptr + size_of[o->cache])
			die("object overlaps a live one", op);
	}
	s->ptr = p;
	s->cache = c;
	s->key = ++next_key;
	fill(p, size_of[c], s->key);
}

static void free_slot(struct slot *s, size_t op)
{
	if (!intact(s->ptr, size_of[s->cache], s->key))
		die("object contents changed", op);
	slab_free(&cache[s->cache], s->ptr);
	s->ptr = NULL;
}

static void misuse_op(struct slot *s, unsigned arg, size_t op)
{
	unsigned c = s->cache, other = (c + 1 + arg / 3) % CACHES;
	uint8_t *p = s->ptr;

	switch (arg % 3) {
	case 0:
		/* The other cache rounds p down to its own slab size: with
		 * bigger slabs than c's that may be memory no slab holds (the
		 * kernel checks that first: mm/kslab.c); with smaller ones,
		 * the middle of p's slab. */
		if (other == c ||
		    cache[other].pages_per_slab > cache[c].pages_per_slab)
			break;
		if (cache[other].pages_per_slab == cache[c].pages_per_slab)
			EXPECT_MISUSE(op, SLAB_MISUSE_WRONG_CACHE,
			              SLAB_MISUSE_WRONG_CACHE,
			              slab_free(&cache[other], p));
		else
			EXPECT_MISUSE(op, SLAB_MISUSE_WRONG_CACHE,
			              SLAB_MISUSE_WILD_POINTER,
			              slab_free(&cache[other], p));
		break;
	case 1:
		if (cache[c].stride > 1)
			EXPECT_MISUSE(op, SLAB_MISUSE_WILD_POINTER,
			              SLAB_MISUSE_WILD_POINTER,
			              slab_free(&cache[c], p + 1));
		break;
	case 2:
		/* The slab may have gone back with the first free: then
		 * its header is dead, and the pointer no slab's. */
		free_slot(s, op);
		EXPECT_MISUSE(op, SLAB_MISUSE_DOUBLE_FREE,
		              SLAB_MISUSE_WILD_POINTER,
		              slab_free(&cache[c], p));
		break;
	}
}

/* Debug caches: a byte past the object is caught by its free, which
 * then does nothing; mended, the object frees. */
static void overrun_op(struct slot *s, size_t op)
{
	unsigned c = s->cache;
	uint8_t *end = s->ptr + size_of[c];

	if (!cache[c].debug)
		return;
	*end ^= 0xff;
	EXPECT_MISUSE(op, SLAB_MISUSE_OVERRUN, SLAB_MISUSE_OVERRUN,
	              slab_free(&cache[c], s->ptr));
	*end ^= 0xff;
	free_slot(s, op);
}

static void run_op(const uint8_t *in, size_t op)
{
	struct slot *s = &slot[in[2] % SLOTS];
	unsigned c = in[1] % CACHES;

	switch (in[0] % 8) {
	case 0:
	case 1:
	case 2:
		if (!s->ptr)
			alloc_into(s, c, op);
		break;
	case 3:
		if (s->ptr)
			free_slot(s, op);
		break;
	case 4:
		if (s->ptr)
			misuse_op(s, in[3], op);
		break;
	case 5:
		slab_cache_reclaim(&cache[c]);
		if (cache[c].empty.count || cache[c].parked)
			die("reclaim left an empty slab or a parked object",
			    op);
		break;
	case 6:
		gets_left = in[3] % 4 ? (long)(in[3] % 4) - 1 : -1;
		break;
	case 7:
		if (s->ptr)
			overrun_op(s, op);
		break;
	}
	check(op);
}

static void open_caches(const uint8_t *hdr)
{
	static const size_t aligns[4] = {0, 8, 32, 256};

	for (unsigned c = 0; c < CACHES; c++) {
		uint8_t flags = hdr[2 * c + 1];
		struct slab_config config = {
		        .name = "fuzz",
		        .size = (1 + (size_t)hdr[2 * c]) *
		                (flags & 0x80 ? 32 : 1),
		        .align = aligns[flags & 3],
		        .debug = flags & 4,
		        .reserve = (flags >> 3) & 3,
		        .ctor = flags & 0x20 ? ctor : NULL,
		        .no_magazine = flags & 0x40,
		        .get = pages_get,
		        .put = pages_put,
		};

		if (slab_cache_init(&cache[c], &config))
			die("slab_cache_init refused a valid config", 0);
		size_of[c] = config.size;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t op;

	if (size < 2 * CACHES)
		return 0;
	gets_left = -1;
	next_key = 0;
	memset(slot, 0, sizeof(slot));
	open_caches(data);
	data += 2 * CACHES;
	size -= 2 * CACHES;
	for (op = 0; op + 4 <= size && op < 4 * 4096; op += 4)
		run_op(data + op, op / 4);
	for (unsigned i = 0; i < SLOTS; i++) {
		if (slot[i].ptr)
			free_slot(&slot[i], op / 4);
	}
	for (unsigned c = 0; c < CACHES; c++) {
		if (slab_cache_destroy(&cache[c]))
			die("destroy refused with every object freed", op / 4);
	}
	if (pages_out != 0)
		die("pages not given back after destroy", op / 4);
	while (quarantined)
		free(quarantine[--quarantined]);
	return 0;
}
