/*
 * slabbench.c - fixed-size object workloads run against mm/slab.c, mm/heap.c
 * and the C library's malloc, for tools/slab-callgrind.sh (instructions per
 * alloc/free pair, counted by callgrind) and for the memory each allocator
 * holds at the workload's peak (printed by the run itself).
 *
 * usage: slabbench -a slab|heap|teaching|libc -w batch|steady|pairs|mix
 *                  -s SIZE
 * mix: objects of four sizes at once, 16, 36, 64 and 204 bytes (36 and 204
 * are the kernel's struct region and struct process, as slabinfo prints
 * them), 1000 live, each step frees a random one and allocates one of the
 * same size: slab.c with one cache per size (SIZE is ignored).
 * ("teaching" is heap.c with HEAP_POLICY_TEACHING: the heap chapter's own
 * first-fit design, the one the chapter compares the slab allocator to.)
 * Prints one line: "pairs N held BYTES live BYTES lost BYTES": at the peak,
 * the memory held, the bytes of live objects, and (slab.c only, else 0)
 * its internal fragmentation, the bytes of its slabs no object can use.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mm/heap.h"
#include "mm/slab.h"

#define LIVE 1000  /* objects alive at once (batch, steady) */
#define ROUNDS 100 /* batch: allocate LIVE, free them all, this often */
#define STEADY_OPS 100000
#define REGION ((size_t)256 << 20)

/* ---- The environments: a break for heap.c, a frame pool for slab.c ------- */

static uint8_t *region, *region_brk;

static void *bump(size_t bytes, size_t align)
{
	uint8_t *p = (uint8_t *)(((uintptr_t)region_brk + align - 1) &
	                         ~(uintptr_t)(align - 1));

	if (p + bytes > region + REGION)
		return NULL;
	region_brk = p + bytes;
	return p;
}

static void *heap_more(void *ctx, intptr_t delta)
{
	uint8_t *old = region_brk;

	(void)ctx;
	if (delta > 0 && region_brk + delta > region + REGION)
		return NULL;
	region_brk += delta;
	return old;
}

/* Given-back slabs wait on one list per page count (1, 2, 4, 8, 16), as a
 * frame allocator would keep them: reused at the cost of a pop. */
static void *pool[5];

static unsigned order_of(size_t pages)
{
	unsigned o = 0;

	while (((size_t)1 << o) < pages)
		o++;
	return o;
}

static void *pages_get(void *ctx, size_t pages)
{
	unsigned o = order_of(pages);
	void *p = pool[o];

	(void)ctx;
	if (p) {
		pool[o] = *(void **)p;
		return p;
	}
	return bump(pages * SLAB_PAGE_SIZE, pages * SLAB_PAGE_SIZE);
}

static void pages_put(void *ctx, void *mem, size_t pages)
{
	unsigned o = order_of(pages);

	(void)ctx;
	*(void **)mem = pool[o];
	pool[o] = mem;
}

void heap_report_misuse(struct heap *heap, enum heap_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	(void)heap;
	fprintf(stderr, "slabbench: heap: %s in %s(%p): %s\n",
	        heap_misuse_name(kind), op, ptr, detail);
	exit(2);
}

void slab_report_misuse(struct slab_cache *cache, enum slab_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	fprintf(stderr, "slabbench: slab %s: %s in %s(%p): %s\n", cache->name,
	        slab_misuse_name(kind), op, ptr, detail);
	exit(2);
}

/* ---- The three allocators behind one pair of calls ----------------------- */

#define KINDS 4 /* object sizes in the mix workload */

static struct heap heap;
static struct slab_cache cache[KINDS]; /* one per size */
static size_t size_of[KINDS];
static unsigned kinds = 1; /* KINDS in the mix, else 1 */
static char which;         /* 's', 'h' or 'l' */
static size_t size;        /* -s, the size of kind 0 */

static void *obj_alloc(unsigned kind)
{
	if (which == 's')
		return slab_alloc(&cache[kind]);
	if (which == 'h')
		return heap_alloc(&heap, size_of[kind]);
	return malloc(size_of[kind]);
}

static void obj_free(unsigned kind, void *p)
{
	if (which == 's')
		slab_free(&cache[kind], p);
	else if (which == 'h')
		heap_free(&heap, p);
	else
		free(p);
}

/* Bytes the allocator holds from its environment now; *lost: of those,
 * slab.c's internal fragmentation (0 for the others). */
static size_t held(size_t *lost)
{
	*lost = 0;
	if (which == 's') {
		size_t bytes = 0;

		for (unsigned k = 0; k < kinds; k++) {
			struct slab_stats st;

			slab_cache_get_stats(&cache[k], &st);
			bytes += st.pages * SLAB_PAGE_SIZE;
			*lost += st.lost_bytes;
		}
		return bytes;
	}
	if (which == 'h')
		return (size_t)(region_brk - region);
	return mallinfo2().arena + mallinfo2().hblkhd;
}

/* ---- Workloads ----------------------------------------------------------- */

static void *live[LIVE];
static size_t peak_held, peak_lost;
static unsigned long pairs;

/* The kind of object slot i holds: all kind 0 but in the mix. */
static unsigned kind_of(int i)
{
	return (unsigned)i % kinds;
}

static void *must_alloc(unsigned kind)
{
	void *p = obj_alloc(kind);
	size_t n = size_of[kind];

	if (!p) {
		fprintf(stderr, "slabbench: out of memory\n");
		exit(1);
	}
	memset(p, 0x5a, n < 16 ? n : 16); /* touch it, as a user does */
	return p;
}

static void note_peak(void)
{
	size_t lost, h = held(&lost);

	if (h > peak_held) {
		peak_held = h;
		peak_lost = lost;
	}
}

/* Allocate LIVE objects, free them all in the same order; ROUNDS times. */
static void batch(void)
{
	int r, i;

	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < LIVE; i++)
			live[i] = must_alloc(0);
		note_peak();
		for (i = 0; i < LIVE; i++)
			obj_free(0, live[i]);
		pairs += LIVE;
	}
}

/* LIVE objects alive; each step frees a random one and allocates anew
 * (one of the same kind: the mix keeps its proportions). */
static void steady(void)
{
	uint32_t x = 2463534242u;
	int i, op;

	for (i = 0; i < LIVE; i++)
		live[i] = must_alloc(kind_of(i));
	note_peak();
	for (op = 0; op < STEADY_OPS; op++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		i = (int)(x % LIVE);
		obj_free(kind_of(i), live[i]);
		live[i] = must_alloc(kind_of(i));
		pairs++;
	}
	note_peak();
	for (i = 0; i < LIVE; i++)
		obj_free(kind_of(i), live[i]);
	pairs += LIVE;
}

/* Allocate and free at once: the fast path alone. */
static void alloc_free_pairs(void)
{
	int op;

	for (op = 0; op < STEADY_OPS; op++)
		obj_free(0, must_alloc(0));
	pairs = STEADY_OPS;
	note_peak();
}

static int usage(void)
{
	fprintf(stderr, "usage: slabbench -a slab|heap|teaching|libc "
	                "-w batch|steady|pairs|mix "
	                "-s SIZE\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *alloc = NULL, *work = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "a:w:s:")) != -1) {
		if (opt == 'a')
			alloc = optarg;
		else if (opt == 'w')
			work = optarg;
		else if (opt == 's')
			size = strtoul(optarg, NULL, 0);
		else
			return usage();
	}
	if (!alloc || !work || size == 0)
		return usage();
	which = alloc[0];
	size_of[0] = size;
	if (strcmp(work, "mix") == 0) {
		static const size_t mix[KINDS] = {16, 36, 64, 204};

		kinds = KINDS;
		memcpy(size_of, mix, sizeof(mix));
	}
	region = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
	              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (region == MAP_FAILED)
		return 1;
	region_brk = region;
	if (strcmp(alloc, "slab") == 0) {
		for (unsigned k = 0; k < kinds; k++) {
			struct slab_config c = {.name = "bench",
			                        .size = size_of[k],
			                        .get = pages_get,
			                        .put = pages_put};
			if (slab_cache_init(&cache[k], &c))
				return usage();
		}
	} else if (strcmp(alloc, "heap") == 0 ||
	           strcmp(alloc, "teaching") == 0) {
		struct heap_config c = {.more = heap_more};

		if (alloc[0] == 't')
			c.policy = HEAP_POLICY_TEACHING;
		which = 'h';
		if (heap_init(&heap, &c))
			return 1;
	} else if (strcmp(alloc, "libc") != 0) {
		return usage();
	}
	if (strcmp(work, "batch") == 0)
		batch();
	else if (strcmp(work, "steady") == 0 || strcmp(work, "mix") == 0)
		steady();
	else if (strcmp(work, "pairs") == 0)
		alloc_free_pairs();
	else
		return usage();
	size_t live_bytes = 0;
	for (int i = 0; i < LIVE; i++)
		live_bytes += size_of[kind_of(i)];
	printf("pairs %lu held %zu live %zu lost %zu\n", pairs, peak_held,
	       live_bytes, peak_lost);
	return 0;
}
