/*
 * heap_host_env.c - the host environment of mm/heap.c for tests: arena
 * hook, misuse recorder, payload patterns. See heap_host_env.h.
 */
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/heap_host_env.h"

struct host_misuse host_misuse_last;
jmp_buf *host_misuse_jump;

void heap_report_misuse(struct heap *heap, enum heap_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	(void)heap;
	host_misuse_last.count++;
	host_misuse_last.kind = kind;
	host_misuse_last.ptr = ptr;
	snprintf(host_misuse_last.op, sizeof(host_misuse_last.op), "%s", op);
	snprintf(host_misuse_last.message, sizeof(host_misuse_last.message),
	         "heap: %s in %s(%p): %s", heap_misuse_name(kind), op, ptr,
	         detail);
	if (host_misuse_jump)
		longjmp(*host_misuse_jump, 1);
	fprintf(stderr, "%s\n", host_misuse_last.message);
	abort();
}

int host_arena_open(struct host_arena *arena, size_t capacity, size_t misalign)
{
	memset(arena, 0, sizeof(*arena));
	arena->mem = aligned_alloc(4096, capacity + 4096);
	if (!arena->mem)
		return -1;
	arena->start = arena->mem + misalign;
	arena->capacity = capacity;
	arena->grows_left = -1;
	ASAN_POISON_MEMORY_REGION(arena->start, capacity);
	return 0;
}

void host_arena_close(struct host_arena *arena)
{
	ASAN_UNPOISON_MEMORY_REGION(arena->start, arena->capacity);
	free(arena->mem);
	arena->mem = NULL;
}

void host_arena_reset(struct host_arena *arena)
{
	/* Only what was ever handed out needs poisoning again. */
	ASAN_POISON_MEMORY_REGION(arena->start, arena->peak);
	arena->used = 0;
	arena->peak = 0;
	arena->grows_left = -1;
	arena->move_end = false;
	arena->grows = 0;
	arena->shrinks = 0;
}

void *host_arena_more(void *ctx, intptr_t delta)
{
	struct host_arena *arena = ctx;
	uint8_t *old_end = arena->start + arena->used;

	if (delta < 0) {
		if ((size_t)-delta > arena->used)
			return NULL;
		arena->used -= (size_t)-delta;
		ASAN_POISON_MEMORY_REGION(arena->start + arena->used,
		                          (size_t)-delta);
		arena->shrinks++;
		return old_end;
	}
	if (delta == 0)
		return old_end;
	if (arena->grows_left == 0 ||
	    (size_t)delta > arena->capacity - arena->used)
		return NULL;
	if (arena->move_end) {
		/* Pretend someone else took memory first: skip 64 bytes. */
		arena->move_end = false;
		if ((size_t)delta + 64 > arena->capacity - arena->used)
			return NULL;
		arena->used += 64;
		old_end += 64;
	}
	if (arena->grows_left > 0)
		arena->grows_left--;
	ASAN_UNPOISON_MEMORY_REGION(old_end, (size_t)delta);
	arena->used += (size_t)delta;
	if (arena->used > arena->peak)
		arena->peak = arena->used;
	arena->grows++;
	return old_end;
}

int host_heap_open(struct heap *heap, struct host_arena *arena,
                   enum heap_policy policy, size_t capacity, size_t misalign)
{
	struct heap_config config = {
	        .more = host_arena_more,
	        .more_ctx = arena,
	        .policy = policy,
	};

	if (host_arena_open(arena, capacity, misalign))
		return -HEAP_ENOMEM;
	return heap_init(heap, &config);
}

static unsigned char pattern(unsigned key, size_t i)
{
	return (unsigned char)(key * 2654435761u + i * 7 + (i >> 8));
}

void host_fill(void *p, size_t n, unsigned key)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = pattern(key, i);
}

bool host_intact(const void *p, size_t n, unsigned key)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		if (b[i] != pattern(key, i))
			return false;
	}
	return true;
}
