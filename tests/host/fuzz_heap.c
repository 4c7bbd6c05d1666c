/*
 * fuzz_heap.c - libFuzzer target for mm/heap.c: the input bytes are read
 * as a sequence of operations (alloc, free, realloc, calloc, aligned
 * alloc, hook failure on/off) on 32 slots, checked against a shadow model
 * with heap_check after every operation. Any finding aborts.
 *
 * One operation = 4 bytes:  [kind] [slot] [size low] [size high]
 * The top 2 bits of kind scale the size (x1, x4, x16, x64: up to 4 MiB).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/heap.h"
#include "tests/host/heap_host_env.h"

#define SLOTS 32
#define ARENA_SIZE ((size_t)16 << 20)

struct slot {
	unsigned char *ptr;
	size_t size;
	unsigned key;
};

static struct host_arena arena;
static struct heap heap;
static struct slot slot[SLOTS];
static unsigned next_key;

static void die(const char *what, size_t op)
{
	char msg[256] = "";

	heap_check(&heap, msg, sizeof(msg));
	fprintf(stderr, "fuzz_heap: op %zu: %s (heap_check: %s)\n", op, what,
	        msg[0] ? msg : "ok");
	abort();
}

/*
 * Patterns cover the first and last EDGE bytes of a block: where overlaps
 * and off-by-ones show, without spending the fuzzer's time on megabytes.
 */
#define EDGE ((size_t)512)

static void fill_edges(unsigned char *p, size_t size, unsigned key)
{
	if (size <= 2 * EDGE) {
		host_fill(p, size, key);
		return;
	}
	host_fill(p, EDGE, key);
	host_fill(p + size - EDGE, EDGE, key + 1);
}

static bool edges_intact(const unsigned char *p, size_t size, unsigned key)
{
	if (size <= 2 * EDGE)
		return host_intact(p, size, key);
	return host_intact(p, EDGE, key) &&
	       host_intact(p + size - EDGE, EDGE, key + 1);
}

static void check_slot(const struct slot *s, size_t op)
{
	if (s->ptr && !edges_intact(s->ptr, s->size, s->key))
		die("block contents changed", op);
}

static void take(struct slot *s, void *p, size_t size, size_t align, size_t op)
{
	if (!p)
		return;
	if ((uintptr_t)p % align || (uintptr_t)p % HEAP_ALIGN)
		die("misaligned pointer", op);
	if (heap_usable_size(&heap, p) < size)
		die("usable size below the request", op);
	s->ptr = p;
	s->size = size;
	next_key += 2;
	s->key = next_key;
	fill_edges(p, size, s->key);
}

static void run_op(const uint8_t *in, size_t op)
{
	struct slot *s = &slot[in[1] % SLOTS];
	size_t size = ((size_t)in[2] | (size_t)in[3] << 8)
	              << (2 * (in[0] >> 6));
	unsigned kind = in[0] & 0x3F;
	char msg[256];

	check_slot(s, op);
	switch (kind % 8) {
	case 0:
	case 1:
		heap_free(&heap, s->ptr);
		s->ptr = NULL;
		take(s, heap_alloc(&heap, size), size, 1, op);
		break;
	case 2:
		heap_free(&heap, s->ptr);
		s->ptr = NULL;
		break;
	case 3:
	case 4: {
		size_t keep = size < s->size ? size : s->size;
		unsigned char *p = heap_realloc(&heap, s->ptr, size);

		if (!p)
			break; /* old block must be intact: next check_slot */
		if (s->ptr && keep == s->size && !edges_intact(p, keep, s->key))
			die("realloc lost contents", op);
		if (s->ptr && keep < s->size &&
		    !host_intact(p, keep < EDGE ? keep : EDGE, s->key))
			die("realloc lost contents", op);
		s->ptr = NULL;
		take(s, p, size, 1, op);
		break;
	}
	case 5: {
		size_t count = kind >> 3;
		unsigned char *p;
		size_t i;

		heap_free(&heap, s->ptr);
		s->ptr = NULL;
		p = heap_calloc(&heap, count, size);
		for (i = 0; p && i < count * size; i++) {
			if (p[i])
				die("calloc memory not zeroed", op);
			if (i == EDGE && count * size > 2 * EDGE)
				i = count * size - EDGE;
		}
		take(s, p, count * size, 1, op);
		break;
	}
	case 6: {
		size_t align = (size_t)1 << (kind >> 3 << 1);

		heap_free(&heap, s->ptr);
		s->ptr = NULL;
		take(s, heap_alloc_aligned(&heap, align, size), size, align,
		     op);
		break;
	}
	case 7:
		/* kind >> 3: 0 = unlimited, else allow that many growths */
		arena.grows_left = (kind >> 3) ? (long)(kind >> 3) - 1 : -1;
		break;
	}
	if (heap_check(&heap, msg, sizeof(msg)))
		die(msg, op);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct heap_config config = {.more = host_arena_more,
	                             .more_ctx = &arena};
	size_t op, i;

	if (!arena.mem && host_arena_open(&arena, ARENA_SIZE, 4))
		abort();
	host_arena_reset(&arena);
	memset(slot, 0, sizeof(slot));
	/* The first byte picks the policy and the tuning. */
	if (size > 0) {
		config.policy = data[0] & 1 ? HEAP_POLICY_TEACHING
		                            : HEAP_POLICY_SEGREGATED;
		config.fit_budget = 1 + (data[0] >> 1 & 7);
		config.trim_threshold = (size_t)4096 << (data[0] >> 4 & 7);
		config.trim_keep = config.trim_threshold / 4;
		data++;
		size--;
	}
	if (heap_init(&heap, &config))
		abort();
	for (op = 0; op + 1 <= size / 4; op++)
		run_op(data + 4 * op, op);
	arena.grows_left = -1;
	for (i = 0; i < SLOTS; i++) {
		check_slot(&slot[i], op);
		heap_free(&heap, slot[i].ptr);
	}
	if (heap_check(&heap, NULL, 0))
		die("heap broken after freeing everything", op);
	heap_destroy(&heap);
	if (arena.used != 0)
		die("heap_destroy did not give every byte back", op);
	return 0;
}
