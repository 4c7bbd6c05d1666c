/*
 * heap_host_env.h - the host environment of mm/heap.c for tests: a test
 * arena behind the sbrk-like hook (can be told to fail) and a
 * heap_report_misuse() that records the report and jumps back to the test.
 */
#ifndef TESTS_HOST_HEAP_HOST_ENV_H
#define TESTS_HOST_HEAP_HOST_ENV_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/heap.h"

/*
 * A fixed buffer handed out like sbrk hands out the data segment. The bytes
 * past the current end are poisoned for AddressSanitizer, so the heap
 * touching memory it has not asked for is caught at once.
 */
struct host_arena {
	uint8_t *mem;   /* what was allocated */
	uint8_t *start; /* mem + misalignment: what the hook hands out */
	size_t capacity;
	size_t used; /* the current "break" offset */
	size_t peak;
	long grows_left;     /* successful growths allowed; -1: unlimited */
	bool move_end;       /* next growth returns a non-contiguous end */
	unsigned long grows; /* successful delta > 0 calls */
	unsigned long shrinks;
};

int host_arena_open(struct host_arena *arena, size_t capacity, size_t misalign);
void host_arena_close(struct host_arena *arena);
/* Forgets everything handed out, as if freshly opened. */
void host_arena_reset(struct host_arena *arena);
void *host_arena_more(void *ctx, intptr_t delta);

/* A heap over a fresh arena; returns heap_init's result. */
int host_heap_open(struct heap *heap, struct host_arena *arena,
                   enum heap_policy policy, size_t capacity, size_t misalign);

/* The last misuse reported, and how many so far. */
struct host_misuse {
	unsigned count;
	enum heap_misuse kind;
	const void *ptr;
	char op[32];
	char message[256]; /* formatted as an environment would print it */
};

extern struct host_misuse host_misuse_last;

/* While non-NULL, heap_report_misuse() longjmps here (value 1); while NULL
 * it prints the message and aborts, failing whatever test was running. */
extern jmp_buf *host_misuse_jump;

/*
 * Runs STMT expecting a misuse report: true if one was reported (and
 * recorded in host_misuse_last). STMT must be a single call into the heap.
 */
#define HOST_EXPECT_MISUSE(stmt)                                               \
	({                                                                     \
		jmp_buf jb_;                                                   \
		volatile bool reported_ = false;                               \
		volatile unsigned before_ = host_misuse_last.count;            \
		host_misuse_jump = &jb_;                                       \
		if (setjmp(jb_) == 0) {                                        \
			stmt;                                                  \
		} else {                                                       \
			reported_ = host_misuse_last.count > before_;          \
		}                                                              \
		host_misuse_jump = NULL;                                       \
		reported_;                                                     \
	})

/* Fills/checks n bytes at p with a pattern derived from key. */
void host_fill(void *p, size_t n, unsigned key);
bool host_intact(const void *p, size_t n, unsigned key);

#endif /* TESTS_HOST_HEAP_HOST_ENV_H */
