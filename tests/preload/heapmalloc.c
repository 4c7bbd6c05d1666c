/*
 * heapmalloc.c - mm/heap.c as the malloc of ordinary Linux programs:
 * LD_PRELOAD=build/host/libheapmalloc.so PROGRAM. The C and POSIX
 * allocation functions, over tcache.c (heap.c behind one lock, with a cache
 * of free blocks per thread), and the report of misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "mm/heap.h"
#include "tests/preload/tcache.h"

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
	tcache_unlock_for_misuse();
	abort();
}

/* ---- The allocation functions -------------------------------------------- */

static void *out_of_memory(void)
{
	errno = ENOMEM;
	return NULL;
}

void *malloc(size_t size)
{
	return tcache_malloc(size);
}

void free(void *ptr)
{
	tcache_free(ptr);
}

void *calloc(size_t count, size_t size)
{
	return tcache_calloc(count, size);
}

/* glibc's realloc(p, 0) frees p and returns NULL; programs expect that. */
void *realloc(void *ptr, size_t size)
{
	return tcache_realloc(ptr, size);
}

void *reallocarray(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return out_of_memory();
	return realloc(ptr, count * size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1)) || align % sizeof(void *))
		return EINVAL;
	p = tcache_memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *aligned_alloc(size_t align, size_t size)
{
	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return tcache_memalign(align, size);
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
	return tcache_usable_size(ptr);
}
