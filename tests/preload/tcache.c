/*
 * tcache.c - the allocator behind libheapmalloc.so: one mm/heap.c heap over
 * memory of its own, one lock around it, and in front a cache of free blocks
 * per size per thread (glibc's tcache, tcmalloc's thread cache), so that most
 * malloc/free pairs take neither the lock nor any atomic instruction.
 * Only the host's drop-in library builds it: heap.c knows nothing of threads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mm/heap_block.h"
#include "tests/preload/tcache.h"

/*
 * What a thread's cache holds, per block size (one bin per size, in steps
 * of HEAP_ALIGN, up to TCACHE_MAX_BLOCK bytes with the header):
 *
 *   bin 1 (16 B):  head -> [next|key|..] -> [next|key|..] -> NULL
 *   bin 2 (32 B):  head -> NULL
 *   ...
 *   bin 512 (8 KiB): head -> [next|key|......] -> NULL
 *        ^ malloc pops, free pushes: no lock   | refill / flush: a batch
 *                                              v under the lock
 *                       mm/heap.c (one struct heap, one lock)
 *
 * A cached block stays a USED block for heap.c. Its header is never written
 * here: only the lock's holder writes headers (heap.c sets and clears
 * PREV_FREE in a used block's header when its neighbour changes), so the
 * cache writes only into the payload: the link to the next cached block
 * and tcache_key, which marks it as cached (free checks it: double frees).
 * heap.c never merges a neighbour into a used block, and heap_check counts
 * cached blocks as allocations.
 *
 * A block freed by another thread than the one that allocated it goes into
 * the freeing thread's cache (as in glibc): there is one heap, so any
 * thread may hand any block back to it. A thread that ends gives its cache
 * back (a pthread key's destructor); fork takes the lock first, so the
 * child never inherits it held.
 */
/*
 * The sizes, measured with make bench-dropin (docs/heap-benchmark.md):
 * more blocks per bin, bigger blocks cached and bigger batches each cost
 * fewer instructions per operation, and each costs resident memory; these
 * are where the trace suites' utilization stays above glibc's.
 */
#define TCACHE_MAX_BLOCK ((size_t)8192) /* with the header */
#define TCACHE_BINS (TCACHE_MAX_BLOCK / HEAP_ALIGN + 1)
/* The largest request a bin serves: its block minus the header. */
#define TCACHE_MAX_REQUEST (TCACHE_MAX_BLOCK - TAG_SIZE)
/* A bin holds at most TCACHE_BIN_BLOCKS blocks and TCACHE_BIN_BYTES
 * bytes (bin_limit); a full bin gives half back. */
#define TCACHE_BIN_BLOCKS 250u
#define TCACHE_BIN_BYTES ((size_t)64 * 1024)
/* A refill carves 1 block, then 2, 4, ... up to half the bin and at most
 * TCACHE_CARVE_BYTES. */
#define TCACHE_CARVE_BYTES ((size_t)4096)
/* Cached blocks above this size go back when the heap must grow
 * (alloc_locked). */
#define TCACHE_SMALL_BLOCK ((size_t)1024)
/* Offsets are 32 bits (heap.h): no block lies farther from the heap's
 * first payload. */
#define HEAP_SPAN ((uintptr_t)1 << 32)

/* On x86-64 every rounded request is at least MIN_BLOCK, so the bin of a
 * request is its rounded size in units, with no minimum to apply. */
_Static_assert(HEAP_ALIGN >= MIN_BLOCK, "tcache.c assumes x86-64 blocks");
_Static_assert(TCACHE_BIN_BLOCKS < 256, "room[] is 8 bits");

/* The payload of a cached block (the smallest has 12 bytes). */
struct cached {
	struct cached *next;
	uint32_t key; /* tcache_key while cached */
};

enum tcache_state {
	TCACHE_NEW = 0, /* no block cached yet: every free is slow */
	TCACHE_ACTIVE,  /* destructor registered */
	TCACHE_GONE,    /* thread exiting: straight to the heap */
};

/*
 * One per thread. room[b] counts the blocks bin b may still take. A bin is
 * "closed" (room 0, empty) until the slow path opens it and lists it in
 * open[]: so a new thread's first free is slow (it sets the thread up),
 * and giving every cached block back walks the open bins only.
 */
struct tcache {
	struct cached *head[TCACHE_BINS];
	uint8_t room[TCACHE_BINS];
	uint8_t batch[TCACHE_BINS]; /* blocks the next refill carves */
	uint16_t open[TCACHE_BINS]; /* the open bins, open_count of them */
	unsigned open_count;
	uint16_t open_big[TCACHE_BINS]; /* those of big blocks */
	unsigned open_big_count;
	uint8_t state;
};
_Static_assert(TCACHE_BINS <= 65536, "open[] is 16 bits");

/* initial-exec: one %fs-relative access (libheapmalloc.so is loaded at
 * start-up, by LD_PRELOAD, never by dlopen). */
static __thread struct tcache cache __attribute__((tls_model("initial-exec")));

static struct heap heap; /* guarded by heap_lock */
static bool heap_ready;  /* guarded by heap_lock */
static int heap_lock;    /* 0 free, 1 held */
/*
 * The first payload address, read without the lock by free's fast path:
 * a pointer is examined only if it lies in [heap_low, heap_low + 4 GiB).
 * Until the heap exists it is a value no user pointer passes.
 */
static uintptr_t heap_low = UINTPTR_MAX - HEAP_SPAN;
/* Set by the hook when heap.c grows the heap; guarded by heap_lock. */
static bool heap_grew;
static uint32_t tcache_key;
static pthread_key_t exit_key;

/* ---- The lock -------------------------------------------------------------
 * A test-and-set lock: taking it free is one exchange, giving it back one
 * store. A waiter spins a little, then yields its CPU. */

static __attribute__((noinline, cold)) void wait_for_lock(void)
{
	unsigned spins = 0;

	while (__atomic_load_n(&heap_lock, __ATOMIC_RELAXED)) {
		if (++spins < 100)
			__builtin_ia32_pause();
		else
			sched_yield();
	}
}

/* ---- The memory ----------------------------------------------------------
 * heap.c's hook over one reserved mapping of HEAP_SPAN bytes (all that its
 * 32-bit offsets reach), touched only as the heap grows, like a break of
 * its own: growing is a pointer bump (no system call), and memory given
 * back is dropped with MADV_DONTNEED. Not the program's break: valgrind
 * caps that at 8 MB (make bench-dropin runs the library under callgrind),
 * and a program that moves the break itself would split the heap. Where
 * the mapping is refused (strict overcommit), the hook is sbrk. */
static uint8_t *arena_start, *arena_end;

static void *sbrk_more(void *ctx, intptr_t delta)
{
	void *old = sbrk(delta);

	(void)ctx;
	heap_grew |= delta > 0;
	return old == (void *)-1 ? NULL : old;
}

static void *arena_more(void *ctx, intptr_t delta)
{
	uint8_t *old = arena_end;
	uintptr_t page = 4096;

	(void)ctx;
	if (delta > 0 &&
	    (uintptr_t)delta > HEAP_SPAN - (uintptr_t)(old - arena_start))
		return NULL;
	if (delta < 0) {
		/* Whole pages past the new end go back to the kernel. */
		uintptr_t from =
		        ((uintptr_t)old + delta + page - 1) & ~(page - 1);
		uintptr_t to = (uintptr_t)old & ~(page - 1);

		if (to > from)
			madvise((void *)from, to - from, MADV_DONTNEED);
	}
	arena_end = old + delta;
	heap_grew |= delta > 0;
	return old;
}

static heap_more_fn reserve_arena(void)
{
	void *p = mmap(NULL, HEAP_SPAN, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return sbrk_more;
	arena_start = arena_end = p;
	return arena_more;
}

/* The heap, set up by the first call that takes the lock. */
static __attribute__((noinline, cold)) bool setup_heap(void)
{
	struct heap_config config = {
	        .more = reserve_arena(),
	        .trim_threshold = 1024 * 1024,
	        .trim_keep = 256 * 1024,
	};

	if (heap_init(&heap, &config))
		return false;
	heap_ready = true;
	__atomic_store_n(&heap_low, (uintptr_t)heap.first + TAG_SIZE,
	                 __ATOMIC_RELEASE);
	return true;
}

/* Takes the lock (and sets the heap up on first use); false, with the
 * lock free, if there is no heap. */
static inline __attribute__((always_inline)) bool lock_heap(void)
{
	while (__atomic_exchange_n(&heap_lock, 1, __ATOMIC_ACQUIRE))
		wait_for_lock();
	if (__builtin_expect(!heap_ready, 0) && !setup_heap()) {
		__atomic_store_n(&heap_lock, 0, __ATOMIC_RELEASE);
		return false;
	}
	return true;
}

static inline void unlock_heap(void)
{
	__atomic_store_n(&heap_lock, 0, __ATOMIC_RELEASE);
}

void tcache_unlock_for_misuse(void)
{
	unlock_heap();
}

/* ---- Reading a block's size without the lock ------------------------------
 */

/*
 * The bin of the block whose payload is ptr if the cache may take it (a
 * used block of at most TCACHE_MAX_BLOCK bytes, by its header), else 0.
 * Anything else (NULL, a foreign or freed pointer, a big block) is left to
 * heap.c, which checks it thoroughly under the lock.
 *
 * The caller owns the block, so its size bits do not change; but another
 * thread holding the lock may at the same moment set or clear PREV_FREE in
 * this very word (the block below it was freed or taken). The 4-byte load
 * is atomic on x86 and only the flag bit differs, so the race is benign:
 * ThreadSanitizer is told not to watch this one load.
 */
__attribute__((no_sanitize("thread"))) static inline uint32_t
read_tag(const void *ptr)
{
	return *tag_at(block_of(ptr));
}

static inline unsigned bin_of_block(const void *ptr)
{
	uintptr_t offset =
	        (uintptr_t)ptr - __atomic_load_n(&heap_low, __ATOMIC_RELAXED);
	uint32_t tag;

	if (offset >= HEAP_SPAN || (offset & ALIGN_MASK))
		return 0;
	tag = read_tag(ptr);
	if ((tag & (TAG_CHECK_MASK | TAG_USED)) != (TAG_MAGIC | TAG_USED) ||
	    tag_block_size(tag) > TCACHE_MAX_BLOCK)
		return 0;
	return (unsigned)(tag_block_size(tag) >> ALIGN_SHIFT);
}

/* The bin of a request of at most TCACHE_MAX_REQUEST bytes: its block
 * size (heap.c's block_size_for) in units. */
static inline unsigned bin_of_request(size_t size)
{
	return (unsigned)((size + TAG_SIZE + ALIGN_MASK) >> ALIGN_SHIFT);
}

/* Blocks bin b holds at most: TCACHE_BIN_BLOCKS, fewer for big blocks
 * (TCACHE_BIN_BYTES in all), at least 2. */
static inline unsigned bin_limit(unsigned b)
{
	size_t n = TCACHE_BIN_BYTES / ((size_t)b << ALIGN_SHIFT);

	return n > TCACHE_BIN_BLOCKS ? TCACHE_BIN_BLOCKS
	       : n < 2               ? 2
	                             : (unsigned)n;
}

/* ---- Bins ------------------------------------------------------------------
 */

static inline void push(unsigned b, void *ptr)
{
	struct cached *c = ptr;

	c->next = cache.head[b];
	c->key = tcache_key;
	cache.head[b] = c;
	cache.room[b]--;
}

static inline void *pop(unsigned b)
{
	struct cached *c = cache.head[b];

	cache.head[b] = c->next;
	c->key = 0;
	cache.room[b]++;
	return c;
}

/* Gives up to n blocks of bin b back to heap.c; the lock is held. */
static void flush_locked(unsigned b, unsigned n)
{
	while (n-- && cache.head[b])
		heap_free(&heap, pop(b));
}

static void flush_bin(unsigned b, unsigned n)
{
	if (!lock_heap())
		return;
	flush_locked(b, n);
	unlock_heap();
}

static void close_bins(uint16_t *bins, unsigned *count)
{
	unsigned i;

	for (i = 0; i < *count; i++) {
		unsigned b = bins[i];

		flush_locked(b, bin_limit(b));
		cache.room[b] = 0;
	}
	*count = 0;
}

/* Every cached block of this thread back to heap.c, every bin closed;
 * the lock is held. */
static void flush_all_locked(void)
{
	close_bins(cache.open, &cache.open_count);
	close_bins(cache.open_big, &cache.open_big_count);
}

static void open_bin(unsigned b)
{
	cache.room[b] = (uint8_t)bin_limit(b);
	if ((size_t)b << ALIGN_SHIFT > TCACHE_SMALL_BLOCK)
		cache.open_big[cache.open_big_count++] = (uint16_t)b;
	else
		cache.open[cache.open_count++] = (uint16_t)b;
}

/* The destructor of exit_key: a thread ends, its cache goes back. */
static void thread_exit(void *arg)
{
	(void)arg;
	cache.state = TCACHE_GONE;
	if (!lock_heap())
		return;
	flush_all_locked();
	unlock_heap();
}

/* The first free or refill of a thread registers the destructor. false if
 * the thread must bypass the cache (it is ending). */
static bool thread_ready(void)
{
	unsigned b;

	if (cache.state == TCACHE_ACTIVE)
		return true;
	if (cache.state == TCACHE_GONE)
		return false;
	cache.state = TCACHE_GONE; /* pthread_setspecific may allocate */
	if (pthread_setspecific(exit_key, &cache))
		return false;
	for (b = 1; b < TCACHE_BINS; b++)
		cache.batch[b] = 1;
	cache.state = TCACHE_ACTIVE;
	return true;
}

static bool bin_holds(unsigned b, const void *ptr)
{
	const struct cached *c;

	for (c = cache.head[b]; c; c = c->next)
		if (c == ptr)
			return true;
	return false;
}

/* ---- malloc and free ------------------------------------------------------
 */

static void *no_memory(void)
{
	errno = ENOMEM;
	return NULL;
}

/*
 * heap_alloc, with the lock held; but if heap.c had to grow the heap for
 * it while this thread holds big blocks (over TCACHE_SMALL_BLOCK bytes)
 * in its cache, those go back first, merge, and the request is made again,
 * as heap.c does with its own quick lists before it grows. Cached big
 * blocks would otherwise make the heap bigger for their own thread: a
 * program that frees two 4 KiB blocks and asks for 8 KiB gets them merged,
 * not new memory. (Small blocks stay: few bytes, and flushing them at
 * every growth costs more than it saves.) What heap.c grew for the first
 * try and then did not use is untouched memory: no resident page but the
 * one holding the end tag.
 */
static void *alloc_locked(size_t size)
{
	void *p;

	heap_grew = false;
	p = heap_alloc(&heap, size);
	if (heap_grew && cache.open_big_count) {
		heap_free(&heap, p);
		close_bins(cache.open_big, &cache.open_big_count);
		p = heap_alloc(&heap, size);
	}
	return p;
}

static void *heap_malloc_locked(size_t size)
{
	void *p;

	if (!lock_heap())
		return no_memory();
	p = alloc_locked(size);
	unlock_heap();
	return p ? p : no_memory();
}

/*
 * n blocks of bin b for the price of one heap_alloc: heap.c gives one used
 * block of n times the bin's size, and it is relabelled as n used blocks
 * in a row (the last one takes whatever heap.c added to the request):
 *
 *   before  [USED  n * size .......................................]
 *   after   [USED size][USED size][USED size] ... [USED size (+rest)]
 *
 * That is a state heap.c could have reached by n heap_alloc calls, so
 * everything it does later (free, merge, heap_check) applies unchanged.
 * The lock is held; bin b is empty. Returns how many blocks it got.
 */
static unsigned carve(unsigned b, unsigned n)
{
	size_t size = (size_t)b << ALIGN_SHIFT, whole;
	uint8_t *p = alloc_locked(n * size - TAG_SIZE), *block;
	uint32_t prev_free;
	unsigned i;

	if (!p)
		return 0;
	if (!cache.room[b]) /* closed, maybe by alloc_locked's flush */
		open_bin(b);
	block = block_of(p);
	whole = block_size(block);
	prev_free = block_tag(block) & TAG_PREV_FREE;
	for (i = 0; i < n; i++) {
		size_t piece = i + 1 < n ? size : whole - (n - 1) * size;

		set_header(block, piece, TAG_USED | (i ? 0 : prev_free));
		push(b, payload_of(block));
		block += piece;
	}
	return n;
}

/* An empty bin: carve a batch under one lock. The batch doubles at each
 * refill of the bin (a slow start, as in tcmalloc), up to half the bin, so
 * a size used once costs one block, not a batch. */
static __attribute__((noinline)) void *refill(unsigned b)
{
	unsigned n = cache.batch[b], got;

	if (!lock_heap())
		return no_memory();
	got = carve(b, n);
	if (!got && n > 1)
		got = carve(b, 1);
	unlock_heap();
	if (2 * n <= bin_limit(b) / 2 &&
	    2 * n * ((size_t)b << ALIGN_SHIFT) <= TCACHE_CARVE_BYTES)
		cache.batch[b] = (uint8_t)(2 * n);
	if (!got)
		return no_memory();
	return pop(b);
}

static __attribute__((noinline)) void *malloc_slow(size_t size)
{
	if (size <= TCACHE_MAX_REQUEST && thread_ready())
		return refill(bin_of_request(size));
	return heap_malloc_locked(size);
}

void *tcache_malloc(size_t size)
{
	if (size <= TCACHE_MAX_REQUEST) {
		unsigned b = bin_of_request(size);

		if (cache.head[b])
			return pop(b);
	}
	return malloc_slow(size);
}

/* free of a block the cache does not take (big, foreign, NULL, freed). */
static __attribute__((noinline)) void free_to_heap(void *ptr)
{
	if (!ptr || !lock_heap())
		return;
	heap_free(&heap, ptr);
	unlock_heap();
}

/* free of a block of bin b whose bin is full or closed, or that may be
 * in the cache already. */
static __attribute__((noinline)) void free_slow(void *ptr, unsigned b)
{
	if (((struct cached *)ptr)->key == tcache_key && bin_holds(b, ptr)) {
		if (lock_heap()) {
			heap_report_misuse(&heap, HEAP_MISUSE_DOUBLE_FREE,
			                   "free", ptr,
			                   "block already in this thread's "
			                   "cache");
			unlock_heap();
		}
		return;
	}
	if (thread_ready()) {
		if (!cache.room[b] && !cache.head[b])
			open_bin(b);
		else if (!cache.room[b])
			flush_bin(b, bin_limit(b) / 2);
		push(b, ptr);
		return;
	}
	free_to_heap(ptr);
}

void tcache_free(void *ptr)
{
	unsigned b = bin_of_block(ptr);

	if (!b) {
		free_to_heap(ptr);
		return;
	}
	if (cache.room[b] && ((struct cached *)ptr)->key != tcache_key) {
		push(b, ptr);
		return;
	}
	free_slow(ptr, b);
}

/* ---- The other functions
 * ----------------------------------------------------- */

void *tcache_calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return no_memory();
	p = tcache_malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *tcache_realloc(void *ptr, size_t size)
{
	unsigned b;
	void *p;

	if (!ptr)
		return tcache_malloc(size);
	if (size == 0) {
		tcache_free(ptr);
		return NULL;
	}
	/* The same block size: nothing to do (heap.c would do nothing
	 * either, but under the lock). */
	b = bin_of_block(ptr);
	if (b && size <= TCACHE_MAX_REQUEST && bin_of_request(size) == b)
		return ptr;
	if (!lock_heap())
		return no_memory();
	p = heap_realloc(&heap, ptr, size);
	unlock_heap();
	return p ? p : no_memory();
}

void *tcache_memalign(size_t align, size_t size)
{
	void *p;

	if (!lock_heap())
		return no_memory();
	p = heap_alloc_aligned(&heap, align, size);
	unlock_heap();
	return p ? p : no_memory();
}

size_t tcache_usable_size(const void *ptr)
{
	unsigned b = bin_of_block(ptr);
	size_t n;

	if (b)
		return (b << ALIGN_SHIFT) - TAG_SIZE;
	if (!ptr || !lock_heap())
		return 0;
	n = heap_usable_size(&heap, ptr);
	unlock_heap();
	return n;
}

int tcache_check(char *msg, size_t msg_size, struct heap_stats *stats)
{
	int err;

	if (!lock_heap())
		return -HEAP_ENOMEM;
	flush_all_locked();
	err = heap_check(&heap, msg, msg_size);
	if (!err && stats)
		heap_get_stats(&heap, stats);
	unlock_heap();
	return err;
}

/* ---- Start-up and fork
 * ------------------------------------------------------- */

/* A child of fork() must not inherit the lock held by a thread that does
 * not exist in it: the parent takes it around the fork. The child keeps
 * the forking thread's cache (its own memory) and loses the others'
 * cached blocks, as with glibc's tcache. */
static void before_fork(void)
{
	while (__atomic_exchange_n(&heap_lock, 1, __ATOMIC_ACQUIRE))
		wait_for_lock();
}

static void after_fork(void)
{
	unlock_heap();
}

__attribute__((constructor)) static void tcache_setup(void)
{
	/* Any value no program stores often: the address of a static,
	 * mixed with the process id. A user's data that happens to equal
	 * it only costs a walk of one bin (free_slow). */
	tcache_key = (uint32_t)(((uintptr_t)&heap >> 4) ^
	                        ((uintptr_t)getpid() * 0x9E3779B1u)) |
	             1;
	pthread_key_create(&exit_key, thread_exit);
	pthread_atfork(before_fork, after_fork, after_fork);
}
