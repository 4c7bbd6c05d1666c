/*
 * sim.h - the page replacement simulator's core: runs a reference string
 * with a number of frames under one policy and counts faults, disk reads
 * and disk writes. FIFO, clock, aging LRU and random are mm/evict.c, the
 * kernel's own code; exact LRU and OPT (Belady's MIN) live only here.
 */
#ifndef TOOLS_SWAP_SIM_SIM_H
#define TOOLS_SWAP_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One reference: a page number, and whether the access writes it. */
struct sim_ref {
	uint32_t page;
	bool write;
};

struct sim_trace {
	struct sim_ref *refs;
	size_t count;
	size_t room;
};

/* The policies: mm/evict.h's four, then the simulator's two. */
enum sim_policy {
	SIM_FIFO,
	SIM_CLOCK,
	SIM_LRU, /* aging, as the kernel does it */
	SIM_RANDOM,
	SIM_LRU_EXACT,
	SIM_OPT,
	SIM_POLICIES
};

/* "fifo", "clock", "lru", "random", "lru-exact", "opt". */
extern const char *const sim_policy_names[SIM_POLICIES];

/* The policy named name, or -1. */
int sim_policy_by_name(const char *name);

/*
 * What a run counted. A fault is a reference to a page that is not
 * resident. It reads the disk (major) if the page was written out before;
 * otherwise it is a first touch: a zero-filled page, no I/O (minor).
 * Evicting a page written since it came in writes it to the disk; a
 * clean page is dropped (its copy on the disk, if any, is still good).
 */
struct sim_result {
	uint64_t faults;
	uint64_t major; /* = disk reads */
	uint64_t writes;
};

/*
 * Runs trace with frames frames. sample: the aging LRU samples the
 * accessed bits every `sample` references (the kernel: every timer tick);
 * seed: random's. Returns 0, or -1 if out of memory.
 */
int sim_run(const struct sim_trace *trace, enum sim_policy policy,
            uint32_t frames, uint32_t sample, uint32_t seed,
            struct sim_result *result);

/* Appends one reference; 0 or -1 (out of memory). */
int sim_trace_add(struct sim_trace *trace, uint32_t page, bool write);
/* Reads references from text: page numbers separated by spaces, commas or
 * newlines, each optionally followed by 'w' (a write) or 'r' (a read, the
 * default unless all_write). 0, or -1 with *bad at the bad word. */
int sim_trace_parse(struct sim_trace *trace, const char *text, bool all_write,
                    const char **bad);
void sim_trace_free(struct sim_trace *trace);

#endif
