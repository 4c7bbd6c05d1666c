/*
 * evict.c - the page replacement policies over a ring of resident pages
 * (mm/evict.h). Shared by the kernel and the host simulator: it includes
 * nothing of either, and never blocks or allocates.
 */
#include "mm/evict.h"

#include <stddef.h>

const char *const evict_policy_names[EVICT_POLICIES + 1] = {
        [EVICT_FIFO] = "fifo",     [EVICT_CLOCK] = "clock", [EVICT_LRU] = "lru",
        [EVICT_RANDOM] = "random", [EVICT_POLICIES] = NULL,
};

void evict_set_init(struct evict_set *set, enum evict_policy policy,
                    uint32_t capacity, uint32_t *keys, uint8_t *ages,
                    uint32_t seed)
{
	set->policy = policy;
	set->capacity = capacity;
	set->used = 0;
	set->hand = 0;
	set->random = seed ? seed : 1; /* xorshift never leaves 0 */
	set->keys = keys;
	set->ages = ages;
	for (uint32_t i = 0; i < capacity; i++) {
		keys[i] = EVICT_EMPTY;
		ages[i] = 0;
	}
}

uint32_t evict_random_next(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* The slot after slot, round the ring. */
static uint32_t next_slot(const struct evict_set *set, uint32_t slot)
{
	return slot + 1 == set->capacity ? 0 : slot + 1;
}

int evict_set_insert(struct evict_set *set, uint32_t key)
{
	uint32_t slot = set->hand;

	if (set->used == set->capacity)
		return -1;
	while (set->keys[slot] != EVICT_EMPTY)
		slot = next_slot(set, slot);
	set->keys[slot] = key;
	set->ages[slot] = EVICT_AGE_NEW;
	set->used++;
	return (int)slot;
}

int evict_set_find(const struct evict_set *set, uint32_t key)
{
	for (uint32_t i = 0; i < set->capacity; i++)
		if (set->keys[i] == key)
			return (int)i;
	return -1;
}

void evict_set_remove(struct evict_set *set, uint32_t slot)
{
	if (set->keys[slot] == EVICT_EMPTY)
		return;
	set->keys[slot] = EVICT_EMPTY;
	set->ages[slot] = 0;
	set->used--;
}

void evict_set_replace(struct evict_set *set, uint32_t slot, uint32_t key)
{
	if (set->keys[slot] == EVICT_EMPTY)
		set->used++;
	set->keys[slot] = key;
	set->ages[slot] = EVICT_AGE_NEW;
}

/* A slot the policy may pick: it holds a page the caller lets go. */
static bool candidate(const struct evict_set *set,
                      const struct evict_set_ops *ops, uint32_t slot)
{
	return set->keys[slot] != EVICT_EMPTY &&
	       (!ops->can_evict || ops->can_evict(ops->ctx, slot));
}

/* FIFO: the first page from the hand on, the oldest loaded. */
static int choose_fifo(struct evict_set *set, const struct evict_set_ops *ops)
{
	uint32_t slot = set->hand;

	for (uint32_t n = 0; n < set->capacity; n++) {
		if (candidate(set, ops, slot))
			return (int)slot;
		slot = next_slot(set, slot);
	}
	return -1;
}

/*
 * Clock: the hand goes round; a page used since it last passed (accessed
 * bit set) loses the bit and stays, the first one not used goes. Two
 * turns at most: after the first, every bit the hand passed is clear.
 */
static int choose_clock(struct evict_set *set, const struct evict_set_ops *ops)
{
	uint32_t slot = set->hand;

	for (uint32_t n = 0; n < 2 * set->capacity; n++) {
		if (candidate(set, ops, slot) &&
		    !ops->test_and_clear_accessed(ops->ctx, slot))
			return (int)slot;
		slot = next_slot(set, slot);
	}
	return -1;
}

/*
 * Aging: the smallest age (the page whose recent samples saw the fewest,
 * oldest uses). Among equal ages, the first from the hand: the one loaded
 * earliest, as FIFO would take.
 */
static int choose_lru(struct evict_set *set, const struct evict_set_ops *ops)
{
	uint32_t slot = set->hand;
	int best = -1;

	for (uint32_t n = 0; n < set->capacity; n++) {
		if (candidate(set, ops, slot) &&
		    (best < 0 || set->ages[slot] < set->ages[best]))
			best = (int)slot;
		slot = next_slot(set, slot);
	}
	return best;
}

/* Random: a slot from the generator, or the next candidate after it. */
static int choose_random(struct evict_set *set, const struct evict_set_ops *ops)
{
	uint32_t slot = evict_random_next(&set->random) % set->capacity;

	for (uint32_t n = 0; n < set->capacity; n++) {
		if (candidate(set, ops, slot))
			return (int)slot;
		slot = next_slot(set, slot);
	}
	return -1;
}

int evict_set_choose(struct evict_set *set, const struct evict_set_ops *ops)
{
	int victim = -1;

	if (set->capacity == 0)
		return -1;
	switch (set->policy) {
	case EVICT_FIFO:
		victim = choose_fifo(set, ops);
		break;
	case EVICT_CLOCK:
		victim = choose_clock(set, ops);
		break;
	case EVICT_LRU:
		victim = choose_lru(set, ops);
		break;
	case EVICT_RANDOM:
	case EVICT_POLICIES:
		victim = choose_random(set, ops);
		break;
	}
	if (victim >= 0)
		set->hand = next_slot(set, (uint32_t)victim);
	return victim;
}

void evict_set_age(struct evict_set *set, const struct evict_set_ops *ops)
{
	for (uint32_t i = 0; i < set->capacity; i++) {
		if (set->keys[i] == EVICT_EMPTY)
			continue;
		bool used = ops->test_and_clear_accessed(ops->ctx, i);
		set->ages[i] = (uint8_t)(set->ages[i] >> 1 | (used ? 0x80 : 0));
	}
}

/* ---- The list ---------------------------------------------------------- */

/* FIFO: the oldest frame that may go; the others keep their places. */
static uint32_t list_fifo(const struct evict_ops *ops)
{
	for (uint32_t f = ops->first(); f != EVICT_NONE; f = ops->next(f))
		if (ops->evictable(f))
			return f;
	return EVICT_NONE;
}

/*
 * Clock over the list: the hand is the head. A frame whose accessed bit
 * is set (used since the hand last passed) gets its second chance: the
 * bit is cleared and the frame goes to the tail, as if just loaded. The
 * first one found with the bit clear goes. Frames that may not go now go
 * round too. After two turns every bit has been cleared once.
 */
static uint32_t list_clock(const struct evict_ops *ops)
{
	uint32_t turns = 2 * ops->count() + 1;

	for (uint32_t step = 0; step < turns; step++) {
		uint32_t f = ops->first();

		if (f == EVICT_NONE)
			return EVICT_NONE;
		if (ops->evictable(f) && !ops->test_and_clear_accessed(f))
			return f;
		ops->move_to_tail(f); /* a second chance, or not now */
	}
	return EVICT_NONE;
}

/* Aging: the smallest age, the oldest loaded among equals. */
static uint32_t list_lru(const struct evict_ops *ops)
{
	uint32_t best = EVICT_NONE;

	for (uint32_t f = ops->first(); f != EVICT_NONE; f = ops->next(f))
		if (ops->evictable(f) &&
		    (best == EVICT_NONE || *ops->age(f) < *ops->age(best)))
			best = f;
	return best;
}

/* Random: the generator's place in the list, or the next that may go. */
static uint32_t list_random(const struct evict_ops *ops, uint32_t *random)
{
	uint32_t count = ops->count();
	uint32_t f = ops->first();

	if (count == 0)
		return EVICT_NONE;
	for (uint32_t n = evict_random_next(random) % count; n > 0; n--)
		f = ops->next(f);
	for (uint32_t n = 0; n < count; n++) {
		if (ops->evictable(f))
			return f;
		f = ops->next(f);
		if (f == EVICT_NONE)
			f = ops->first();
	}
	return EVICT_NONE;
}

uint32_t evict_choose(const struct evict_ops *ops, enum evict_policy policy,
                      uint32_t *random)
{
	switch (policy) {
	case EVICT_FIFO:
		return list_fifo(ops);
	case EVICT_LRU:
		if (ops->age)
			return list_lru(ops);
		return list_clock(ops);
	case EVICT_RANDOM:
		return list_random(ops, random);
	case EVICT_CLOCK:
	case EVICT_POLICIES:
		break;
	}
	return list_clock(ops);
}

uint32_t evict_age_some(const struct evict_ops *ops, uint32_t from, uint32_t n)
{
	uint32_t f = from == EVICT_NONE ? ops->first() : from;

	if (!ops->age)
		return EVICT_NONE;
	for (; f != EVICT_NONE && n > 0; f = ops->next(f), n--) {
		uint8_t *age = ops->age(f);
		bool used = ops->test_and_clear_accessed(f);
		*age = (uint8_t)(*age >> 1 | (used ? 0x80 : 0));
	}
	return f;
}

void evict_age_all(const struct evict_ops *ops)
{
	evict_age_some(ops, EVICT_NONE, UINT32_MAX);
}
