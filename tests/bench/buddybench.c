/*
 * buddybench.c - the buddy allocator (mm/buddy.c) against the bitmap's
 * linear search for a run (mm/bitmap_run.c) on 128 MiB of frames, the
 * first 4 MiB reserved as in memos. It ages memory with a random workload
 * of runs of 1-16 frames (the same for both policies), then makes PAIRS
 * alloc/free pairs of N frames through measured_alloc/measured_free,
 * whose instructions tests/bench/buddy-callgrind.sh counts (make
 * bench-buddy).
 *
 * usage: buddybench -a buddy|bitmap -n N [-p PAIRS] [-f]
 *   -f: fresh memory, no ageing.
 * Prints one line: policy n pairs frames-in-use longest-free-run
 * largest-request frames-held frames-asked (after the ageing).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm/bitmap_run.h"
#include "mm/buddy.h"

#define FRAMES 32768u  /* 128 MiB of 4 KiB frames */
#define RESERVED 1024u /* the first 4 MiB: low memory and the kernel */
#define AGE_STEPS 20000
#define LIVE_MAX 8192

static bool use_buddy;
static struct buddy buddy;
static struct buddy_frame buddy_frames[FRAMES];
static uint32_t used[FRAMES / 32]; /* the bitmap policy's; 1 = in use */
static uint8_t in_use[FRAMES];     /* both: what is handed out */

static void set_frames(uint32_t first, uint32_t n, bool on)
{
	for (uint32_t f = first; f < first + n; f++) {
		if (on)
			used[f / 32] |= 1u << (f % 32);
		else
			used[f / 32] &= ~(1u << (f % 32));
		in_use[f] = on;
	}
}

/* Frames a request of n takes under the policy. */
static uint32_t held_for(uint32_t n)
{
	return use_buddy ? 1u << buddy_order_for(n) : n;
}

static uint32_t policy_alloc(uint32_t n)
{
	uint32_t f;

	if (use_buddy) {
		f = buddy_alloc(&buddy, buddy_order_for(n));
		if (f == BUDDY_NONE)
			return UINT32_MAX;
	} else {
		f = bitmap_find_run(used, FRAMES, n);
		if (f == BITMAP_RUN_NONE)
			return UINT32_MAX;
	}
	set_frames(f, held_for(n), true);
	return f;
}

static void policy_free(uint32_t f, uint32_t n)
{
	if (use_buddy && buddy_free(&buddy, f, buddy_order_for(n)) != 0) {
		fprintf(stderr, "buddybench: buddy_free(%u) failed\n", f);
		exit(1);
	}
	set_frames(f, held_for(n), false);
}

/* The calls callgrind counts (kept out of line so it can find them). */
__attribute__((noinline)) uint32_t measured_alloc(uint32_t n)
{
	return policy_alloc(n);
}

__attribute__((noinline)) void measured_free(uint32_t f, uint32_t n)
{
	policy_free(f, n);
}

static uint32_t seed = 20261130;

static uint32_t next_random(void)
{
	seed = seed * 1664525u + 1013904223u; /* Numerical Recipes' LCG */
	return seed >> 8;
}

int main(int argc, char **argv)
{
	static struct {
		uint32_t first, n;
	} live[LIVE_MAX];
	uint32_t n = 1, pairs = 1000, count = 0, asked = 0, held = 0;
	bool fresh = false;
	int opt;

	while ((opt = getopt(argc, argv, "a:n:p:f")) != -1) {
		switch (opt) {
		case 'a':
			use_buddy = strcmp(optarg, "buddy") == 0;
			break;
		case 'n':
			n = (uint32_t)atoi(optarg);
			break;
		case 'p':
			pairs = (uint32_t)atoi(optarg);
			break;
		case 'f':
			fresh = true;
			break;
		default:
			fprintf(stderr,
			        "usage: buddybench -a buddy|bitmap -n N "
			        "[-p PAIRS] [-f]\n");
			return 2;
		}
	}
	buddy_init(&buddy, buddy_frames, FRAMES);
	buddy_add_range(&buddy, RESERVED, FRAMES - RESERVED);
	set_frames(0, RESERVED, true);
	memset(in_use, 0, RESERVED);

	/* Ageing: runs of 1-16 frames, about half of memory in use. */
	for (int step = 0; !fresh && step < AGE_STEPS; step++) {
		bool grow = count == 0 || (count < LIVE_MAX &&
		                           held < (FRAMES - RESERVED) / 2 &&
		                           next_random() % 3 != 0);

		if (grow) {
			uint32_t size = 1 + next_random() % 16;
			uint32_t f = policy_alloc(size);

			if (f == UINT32_MAX)
				continue;
			live[count].first = f;
			live[count++].n = size;
			asked += size;
			held += held_for(size);
		} else {
			uint32_t i = next_random() % count;

			policy_free(live[i].first, live[i].n);
			asked -= live[i].n;
			held -= held_for(live[i].n);
			live[i] = live[--count];
		}
	}

	/* The longest run of free frames, whichever policy made it. */
	uint32_t longest = 0, run = 0, in_use_now = 0;

	for (uint32_t f = RESERVED; f < FRAMES; f++) {
		run = in_use[f] ? 0 : run + 1;
		in_use_now += in_use[f];
		if (run > longest)
			longest = run;
	}
	/* What one request can get: the buddy's largest block; the bitmap
	 * finds any run. */
	uint32_t largest = use_buddy ? buddy_largest_free(&buddy) : longest;

	for (uint32_t i = 0; i < pairs; i++) {
		uint32_t f = measured_alloc(n);

		if (f == UINT32_MAX) {
			fprintf(stderr, "buddybench: no run of %u frames\n", n);
			return 1;
		}
		measured_free(f, n);
	}
	printf("%s %u %u %u %u %u %u %u\n", use_buddy ? "buddy" : "bitmap", n,
	       pairs, in_use_now, longest, largest, held, asked);
	return 0;
}
