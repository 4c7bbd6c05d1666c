/*
 * heapmalloc.c - mm/heap.c as the malloc of ordinary Linux programs:
 * LD_PRELOAD=build/host/libheapmalloc.so PROGRAM. The sbrk hook, one lock
 * around the core (the core itself knows nothing of threads), and the C and
 * POSIX allocation functions on top.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm/heap.h"

static struct heap heap;
static bool heap_ready;
static pthread_mutex_t heap_lock = PTHREAD_MUTEX_INITIALIZER;

/* The hook: the program break, as the heap wants it. */
static void *sbrk_more(void *ctx, intptr_t delta)
{
	void *old = sbrk(delta);

	(void)ctx;
	return old == (void *)-1 ? NULL : old;
}

/* ---- Misuse: print one line and stop, without allocating ---------------- */

static size_t put_str(char *buf, size_t at, size_t size, const char *s)
{
	while (*s && at + 1 < size)
		buf[at++] = *s++;
	return at;
}

static size_t put_hex(char *buf, size_t at, size_t size, uintptr_t v)
{
	char digits[2 + 2 * sizeof(v)];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v & 0xF];
		v >>= 4;
	} while (v);
	at = put_str(buf, at, size, "0x");
	while (n && at + 1 < size)
		buf[at++] = digits[--n];
	return at;
}

void heap_report_misuse(struct heap *h, enum heap_misuse kind, const char *op,
                        const void *ptr, const char *detail)
{
	char msg[256];
	size_t n = 0;

	(void)h;
	n = put_str(msg, n, sizeof(msg), "heapmalloc: ");
	n = put_str(msg, n, sizeof(msg), heap_misuse_name(kind));
	n = put_str(msg, n, sizeof(msg), " in ");
	n = put_str(msg, n, sizeof(msg), op);
	n = put_str(msg, n, sizeof(msg), "(");
	n = put_hex(msg, n, sizeof(msg), (uintptr_t)ptr);
	n = put_str(msg, n, sizeof(msg), "): ");
	n = put_str(msg, n, sizeof(msg), detail);
	n = put_str(msg, n, sizeof(msg), "\n");
	if (write(STDERR_FILENO, msg, n) < 0)
		n = 0;
	/* We hold the lock; release it so abort handlers can still run. */
	pthread_mutex_unlock(&heap_lock);
	abort();
}

/* ---- Locking ------------------------------------------------------------- */

static bool lock_heap(void)
{
	pthread_mutex_lock(&heap_lock);
	if (!heap_ready) {
		struct heap_config config = {
		        .more = sbrk_more,
		        .trim_threshold = 1024 * 1024,
		        .trim_keep = 256 * 1024,
		};

		if (heap_init(&heap, &config)) {
			pthread_mutex_unlock(&heap_lock);
			return false;
		}
		heap_ready = true;
	}
	return true;
}

static void unlock_heap(void)
{
	pthread_mutex_unlock(&heap_lock);
}

/* A child of fork() must not inherit a lock some other thread held. */
static void before_fork(void)
{
	pthread_mutex_lock(&heap_lock);
}
static void after_fork(void)
{
	pthread_mutex_unlock(&heap_lock);
}

__attribute__((constructor)) static void register_fork_handlers(void)
{
	pthread_atfork(before_fork, after_fork, after_fork);
}

/* ---- The allocation functions -------------------------------------------- */

static void *out_of_memory(void)
{
	errno = ENOMEM;
	return NULL;
}

void *malloc(size_t size)
{
	void *p;

	if (!lock_heap())
		return out_of_memory();
	p = heap_alloc(&heap, size);
	unlock_heap();
	return p ? p : out_of_memory();
}

void free(void *ptr)
{
	if (!ptr || !lock_heap())
		return;
	heap_free(&heap, ptr);
	unlock_heap();
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (!lock_heap())
		return out_of_memory();
	p = heap_calloc(&heap, count, size);
	unlock_heap();
	return p ? p : out_of_memory();
}

/* glibc's realloc(p, 0) frees p and returns NULL; programs expect that. */
void *realloc(void *ptr, size_t size)
{
	void *p;

	if (ptr && size == 0) {
		free(ptr);
		return NULL;
	}
	if (!lock_heap())
		return out_of_memory();
	p = heap_realloc(&heap, ptr, size);
	unlock_heap();
	return p ? p : out_of_memory();
}

void *reallocarray(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return out_of_memory();
	return realloc(ptr, count * size);
}

static void *aligned(size_t align, size_t size)
{
	void *p;

	if (!lock_heap())
		return out_of_memory();
	p = heap_alloc_aligned(&heap, align, size);
	unlock_heap();
	return p;
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = aligned(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	p = aligned(align, size);
	return p ? p : out_of_memory();
}

void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}

void *valloc(size_t size)
{
	return aligned_alloc((size_t)sysconf(_SC_PAGESIZE), size);
}

void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (size > SIZE_MAX - page)
		return out_of_memory();
	return aligned_alloc(page, (size + page - 1) & ~(page - 1));
}

size_t malloc_usable_size(void *ptr)
{
	size_t n;

	if (!ptr || !lock_heap())
		return 0;
	n = heap_usable_size(&heap, ptr);
	unlock_heap();
	return n;
}
