/*
 * sim.c - the simulator's core (sim.h). The four kernel policies run
 * through mm/evict.c with the accessed bits kept here, one per page: set
 * by every reference, as the MMU sets a PTE's.
 */
#include "tools/swap-sim/sim.h"

#include <stdlib.h>
#include <string.h>

#include "mm/evict.h"

const char *const sim_policy_names[SIM_POLICIES] = {
        [SIM_FIFO] = "fifo",
        [SIM_CLOCK] = "clock",
        [SIM_LRU] = "lru",
        [SIM_RANDOM] = "random",
        [SIM_LRU_EXACT] = "lru-exact",
        [SIM_OPT] = "opt",
};

int sim_policy_by_name(const char *name)
{
	for (int p = 0; p < SIM_POLICIES; p++)
		if (strcmp(name, sim_policy_names[p]) == 0)
			return p;
	return -1;
}

int sim_trace_add(struct sim_trace *trace, uint32_t page, bool write)
{
	if (trace->count == trace->room) {
		size_t room = trace->room ? 2 * trace->room : 256;
		struct sim_ref *refs =
		        realloc(trace->refs, room * sizeof(*refs));
		if (!refs)
			return -1;
		trace->refs = refs;
		trace->room = room;
	}
	trace->refs[trace->count++] = (struct sim_ref){page, write};
	return 0;
}

static bool separator(char c)
{
	return c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r';
}

/* One page number at *p, with its 'w' or 'r': 0 and *p past it, or -1
 * with *p at the bad character. */
static int parse_ref(const char **p, uint32_t *page, bool *write)
{
	uint64_t n = 0;

	if (**p < '0' || **p > '9')
		return -1;
	while (**p >= '0' && **p <= '9') {
		n = n * 10 + (uint64_t)(*(*p)++ - '0');
		if (n >= EVICT_EMPTY)
			return -1;
	}
	if (**p == 'w' || **p == 'r')
		*write = *(*p)++ == 'w';
	if (**p && !separator(**p))
		return -1;
	*page = (uint32_t)n;
	return 0;
}

int sim_trace_parse(struct sim_trace *trace, const char *text, bool all_write,
                    const char **bad)
{
	const char *p = text;

	for (;;) {
		uint32_t page;
		bool write = all_write;

		while (separator(*p))
			p++;
		if (!*p)
			return 0;
		if (parse_ref(&p, &page, &write)) {
			*bad = p;
			return -1;
		}
		if (sim_trace_add(trace, page, write))
			return -1;
	}
}

void sim_trace_free(struct sim_trace *trace)
{
	free(trace->refs);
	*trace = (struct sim_trace){0};
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The trace's pages renumbered 0..distinct-1 (ids[i] for refs[i]), so
 * that per-page state is an array. */
static uint32_t *dense_ids(const struct sim_trace *trace, uint32_t *distinct)
{
	uint32_t *sorted = malloc((trace->count + 1) * sizeof(*sorted));
	uint32_t *ids = malloc((trace->count + 1) * sizeof(*ids));
	size_t n = 0;

	if (!sorted || !ids)
		goto out_fail;
	for (size_t i = 0; i < trace->count; i++)
		sorted[i] = trace->refs[i].page;
	qsort(sorted, trace->count, sizeof(*sorted), compare_u32);
	for (size_t i = 0; i < trace->count; i++)
		if (n == 0 || sorted[n - 1] != sorted[i])
			sorted[n++] = sorted[i];
	for (size_t i = 0; i < trace->count; i++) {
		uint32_t *at = bsearch(&trace->refs[i].page, sorted, n,
		                       sizeof(*sorted), compare_u32);
		ids[i] = (uint32_t)(at - sorted);
	}
	free(sorted);
	*distinct = (uint32_t)n;
	return ids;
out_fail:
	free(sorted);
	free(ids);
	return NULL;
}

/* Per-run state: what each page is, and which slot holds it. */
struct run {
	uint32_t frames;
	uint32_t *slot_of; /* page -> slot, or EVICT_EMPTY */
	bool *accessed;    /* page -> its accessed bit */
	bool *dirty;       /* page -> written since it came in */
	bool *on_disk;     /* page -> a copy is on the disk */
	uint32_t *page_in; /* slot -> page, or EVICT_EMPTY */
	uint64_t *stamp;   /* slot -> last use (lru-exact), next use (opt) */
	uint8_t *ages;     /* slot -> age (mm/evict.c) */
	struct evict_set set;
};

static bool sim_test_and_clear(void *ctx, uint32_t slot)
{
	struct run *run = ctx;
	uint32_t page = run->set.keys[slot];
	bool was = run->accessed[page];

	run->accessed[page] = false;
	return was;
}

/* The slot exact LRU (oldest last use) or OPT (farthest next use)
 * empties: both are a search over the stamps. */
static uint32_t choose_by_stamp(const struct run *run, bool largest)
{
	uint32_t best = 0;

	for (uint32_t s = 1; s < run->frames; s++)
		if (largest ? run->stamp[s] > run->stamp[best]
		            : run->stamp[s] < run->stamp[best])
			best = s;
	return best;
}

/* next[i]: where the page of reference i is referenced next (UINT64_MAX:
 * never), for OPT. */
static uint64_t *next_uses(const uint32_t *ids, size_t count, uint32_t distinct)
{
	uint64_t *next = malloc((count + 1) * sizeof(*next));
	uint64_t *seen = malloc((distinct + 1) * sizeof(*seen));

	if (!next || !seen) {
		free(next);
		free(seen);
		return NULL;
	}
	for (uint32_t p = 0; p < distinct; p++)
		seen[p] = UINT64_MAX;
	for (size_t i = count; i-- > 0;) {
		next[i] = seen[ids[i]];
		seen[ids[i]] = i;
	}
	free(seen);
	return next;
}

int sim_run(const struct sim_trace *trace, enum sim_policy policy,
            uint32_t frames, uint32_t sample, uint32_t seed,
            struct sim_result *result)
{
	struct run run = {.frames = frames};
	uint32_t distinct = 0;
	uint32_t *ids = dense_ids(trace, &distinct);
	uint64_t *next = NULL;
	int ret = -1;

	*result = (struct sim_result){0};
	if (!ids || frames == 0)
		goto out;
	run.slot_of = malloc((distinct + 1) * sizeof(*run.slot_of));
	run.accessed = calloc(distinct + 1, sizeof(*run.accessed));
	run.dirty = calloc(distinct + 1, sizeof(*run.dirty));
	run.on_disk = calloc(distinct + 1, sizeof(*run.on_disk));
	run.page_in = malloc(frames * sizeof(*run.page_in));
	run.stamp = calloc(frames, sizeof(*run.stamp));
	run.ages = malloc(frames);
	if (policy == SIM_OPT)
		next = next_uses(ids, trace->count, distinct);
	if (!run.slot_of || !run.accessed || !run.dirty || !run.on_disk ||
	    !run.page_in || !run.stamp || !run.ages ||
	    (policy == SIM_OPT && !next))
		goto out;
	for (uint32_t p = 0; p < distinct; p++)
		run.slot_of[p] = EVICT_EMPTY;
	/* The kernel's policies keep their slots in run.set.keys (page_in);
	 * lru-exact and opt use page_in directly. */
	evict_set_init(&run.set,
	               policy < SIM_LRU_EXACT ? (enum evict_policy)policy
	                                      : EVICT_FIFO,
	               frames, run.page_in, run.ages, seed);
	struct evict_set_ops ops = {sim_test_and_clear, NULL, &run};
	uint32_t used = 0;

	for (size_t i = 0; i < trace->count; i++) {
		uint32_t page = ids[i];
		uint32_t slot = run.slot_of[page];

		if (slot == EVICT_EMPTY) {
			result->faults++;
			if (run.on_disk[page])
				result->major++;
			if (used < frames) {
				slot = used++;
				if (policy < SIM_LRU_EXACT)
					slot = (uint32_t)evict_set_insert(
					        &run.set, page);
			} else {
				if (policy == SIM_LRU_EXACT)
					slot = choose_by_stamp(&run, false);
				else if (policy == SIM_OPT)
					slot = choose_by_stamp(&run, true);
				else
					slot = (uint32_t)evict_set_choose(
					        &run.set, &ops);
				uint32_t victim = run.page_in[slot];
				if (run.dirty[victim]) {
					result->writes++;
					run.on_disk[victim] = true;
					run.dirty[victim] = false;
				}
				run.accessed[victim] = false;
				run.slot_of[victim] = EVICT_EMPTY;
				if (policy < SIM_LRU_EXACT)
					evict_set_replace(&run.set, slot, page);
			}
			run.page_in[slot] = page;
			run.slot_of[page] = slot;
		}
		run.accessed[page] = true;
		if (trace->refs[i].write)
			run.dirty[page] = true;
		run.stamp[slot] = policy == SIM_OPT ? next[i] : i;
		if (policy == SIM_LRU && sample && (i + 1) % sample == 0)
			evict_set_age(&run.set, &ops);
	}
	ret = 0;
out:
	free(ids);
	free(next);
	free(run.slot_of);
	free(run.accessed);
	free(run.dirty);
	free(run.on_disk);
	free(run.page_in);
	free(run.stamp);
	free(run.ages);
	return ret;
}
