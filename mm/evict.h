/*
 * evict.h - the page replacement policies: which resident page to evict
 * when a page must come in and there is no room. One source for the
 * kernel (a process's pages under its RLIMIT_RSS, the swap's frames) and
 * the host simulator tools/swap-sim (docs/swap-policies.md). It knows
 * nothing of page tables: it asks its caller through two callbacks.
 *
 * The resident pages sit in the slots of a ring, in load order, and a hand
 * points at the oldest (the next one FIFO and clock look at):
 *
 *            hand
 *             v
 *   +-----+-----+-----+-----+-----+
 *   | p4  | p1  | p2  | p3  |  -  |   slot: a key (the caller's name for
 *   +-----+-----+-----+-----+-----+   a page) or EVICT_EMPTY
 *    age   age   age   age          one 8-bit counter per slot (lru)
 *
 * The victim's slot takes the new page and the hand moves past it, so the
 * new page is the last the hand reaches: the textbook clock, and FIFO when
 * the accessed bits are ignored.
 *
 * The swap's frames are a list instead (kernel/frame_table.h: a frame
 * goes to the tail when it gets a page), which the same policies walk
 * through struct evict_ops: clock's hand is the list's head, a second
 * chance a move to the tail. A ring with its hand and a list with its
 * head are the same queue: tests/host/test_evict.c checks that FIFO and
 * clock fault alike over both.
 */
#ifndef MM_EVICT_H
#define MM_EVICT_H

#include <stdbool.h>
#include <stdint.h>

enum evict_policy {
	EVICT_FIFO,   /* the page loaded first */
	EVICT_CLOCK,  /* FIFO, but a page used since the hand last passed
	                 gets a second chance (its accessed bit cleared) */
	EVICT_LRU,    /* aging: the smallest 8-bit history of accessed bits */
	EVICT_RANDOM, /* any, from a seeded generator: runs repeat */
	EVICT_POLICIES
};

/* The boot option's words, in enum order, NULL-terminated:
 * "fifo", "clock", "lru", "random". */
extern const char *const evict_policy_names[EVICT_POLICIES + 1];

/* The seed the kernel gives every set, and the simulator by default: a
 * process's random choices are the simulator's. */
#define EVICT_SEED 0x9e3779b9u

/* A slot with no page. */
#define EVICT_EMPTY UINT32_MAX
/* A new page's age: used just now (it is being loaded for a use). */
#define EVICT_AGE_NEW 0x80

/* ---- A ring of slots: a process's resident set, the simulator ---------- */

/* What a policy asks its caller about the page in a slot. */
struct evict_set_ops {
	/* True if the page was used since the last call for it, and clears
	 * that (the accessed bit, and its TLB entry with it). */
	bool (*test_and_clear_accessed)(void *ctx, uint32_t slot);
	/* May the page be evicted now (not pinned, not in the middle of
	 * I/O)? NULL: always. */
	bool (*can_evict)(void *ctx, uint32_t slot);
	void *ctx;
};

struct evict_set {
	enum evict_policy policy;
	uint32_t capacity; /* slots */
	uint32_t used;     /* slots holding a page */
	uint32_t hand;     /* the slot FIFO and clock look at first */
	uint32_t random;   /* the generator's state (never 0) */
	uint32_t *keys;    /* capacity of them: the caller's storage */
	uint8_t *ages;     /* capacity of them: the caller's storage */
};

/* An empty set of capacity slots (keys and ages: capacity each, the
 * caller's), with a policy and a seed for random (any value). */
void evict_set_init(struct evict_set *set, enum evict_policy policy,
                    uint32_t capacity, uint32_t *keys, uint8_t *ages,
                    uint32_t seed);

/* Puts key in a free slot (the first from the hand on). Its slot, or -1
 * when the set is full: then evict_choose, and evict_set_replace. */
int evict_set_insert(struct evict_set *set, uint32_t key);

/* The slot holding key, or -1. */
int evict_set_find(const struct evict_set *set, uint32_t key);

/* The page in slot leaves the set (it was freed or evicted by others). */
void evict_set_remove(struct evict_set *set, uint32_t slot);

/*
 * The victim: the slot whose page the policy evicts, among the pages ops
 * says may go; -1 if none may. The hand moves past it. Clock clears the
 * accessed bits it passes; the others do not touch them.
 */
int evict_set_choose(struct evict_set *set, const struct evict_set_ops *ops);

/* After the victim in slot went: key takes its place, as a new page. */
void evict_set_replace(struct evict_set *set, uint32_t slot, uint32_t key);

/*
 * The aging step (lru's sampling; the kernel calls it on the timer tick):
 * each page's age shifts right, its accessed bit (tested and cleared)
 * comes in at the top. Eight samples of history: a page unused for eight
 * samples is as old as one never used.
 */
void evict_set_age(struct evict_set *set, const struct evict_set_ops *ops);

/* The next number of the seeded generator (xorshift32): random's choice,
 * also for tests and workloads that want the same numbers everywhere. */
uint32_t evict_random_next(uint32_t *state);

/* ---- A list in load order: the swap's frames (kernel/frame_table.h) ---- */

#define EVICT_NONE UINT32_MAX /* no frame: the end of the list, no victim */

/* What the policies may ask of the frames they choose among. */
struct evict_ops {
	/* The resident frames in load order: the oldest, the next after f
	 * (EVICT_NONE after the newest), and how many. */
	uint32_t (*first)(void);
	uint32_t (*next)(uint32_t f);
	uint32_t (*count)(void);
	/* f becomes the newest (the tail of the load order). */
	void (*move_to_tail)(uint32_t f);
	/* f's accessed bit (the hardware's, ORed over its mappings): read
	 * and cleared. */
	bool (*test_and_clear_accessed)(uint32_t f);
	/* Whether f may be evicted now (not pinned, not under I/O). */
	bool (*evictable)(uint32_t f);
	/* f's age (lru): where the caller keeps it. */
	uint8_t *(*age)(uint32_t f);
};

/*
 * The victim under policy, or EVICT_NONE if no frame may be evicted now.
 * The caller evicts it (or, if it cannot after all, moves it to the tail
 * and asks again). random: random's generator state.
 */
uint32_t evict_choose(const struct evict_ops *ops, enum evict_policy policy,
                      uint32_t *random);

/* lru's sampling over the list (evict_set_age's step for every frame). */
void evict_age_all(const struct evict_ops *ops);
/* The same for at most n frames from frame `from` on (EVICT_NONE: from the
 * oldest), so that one sample's work is bounded; returns the frame to
 * go on from next time (EVICT_NONE: the list's end was reached). */
uint32_t evict_age_some(const struct evict_ops *ops, uint32_t from, uint32_t n);

#endif
