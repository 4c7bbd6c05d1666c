/*
 * workloads.h - the programs `make bench-swap` measures, written once
 * against one array of 32-bit words: the host runs them to record their
 * page traces (tools/swap-sim), memos runs the same code on real memory.
 * Freestanding: no C library.
 */
#ifndef TOOLS_SWAP_SIM_WORKLOADS_H
#define TOOLS_SWAP_SIM_WORKLOADS_H

#include <stdbool.h>
#include <stdint.h>

#define WORKLOAD_PAGE_WORDS 1024u /* 4 KiB pages of 32-bit words */

/* The memory a workload works on, and an optional observer of each
 * access (word index; true for a write). */
struct workload_mem {
	uint32_t *words;
	uint32_t size; /* words */
	void (*note)(void *ctx, uint32_t word, bool write);
	void *ctx;
};

struct workload {
	const char *name;
	const char *what; /* one line for the bench's table */
	uint32_t pages;   /* the memory it needs */
	/* Runs it; returns a checksum of its result (the same on the host
	 * and in memos: the data came through intact). */
	uint32_t (*run)(struct workload_mem *mem);
};

extern const struct workload workloads[];
extern const unsigned workload_count;

#endif
