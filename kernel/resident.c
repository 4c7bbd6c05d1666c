/*
 * A process's resident-set limit and its replacement policy
 * (kernel/resident.h): a ring of its heap pages (mm/evict.h's evict_set,
 * the keys being the pages' addresses) that the fault path keeps at the
 * limit. Processes change their own set only, in system calls and faults
 * (interrupts off); the timer tick ages the current one's: interrupts
 * off is the lock, and the tick cannot come in the middle of a change.
 */
#include "kernel/resident.h"

#include "kernel/arch/cpu.h"
#include "kernel/swap.h"
#include "mm/kheap.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/region.h"
#include "mm/vmm.h"

_Static_assert(EVICT_FIFO == EVICT_POLICY_FIFO &&
                       EVICT_CLOCK == EVICT_POLICY_CLOCK &&
                       EVICT_LRU == EVICT_POLICY_LRU &&
                       EVICT_RANDOM == EVICT_POLICY_RANDOM,
               "lib/abi.h's policy numbers are mm/evict.h's");

/*
 * One process's: the limit as setrlimit gave it, the policy, and the ring
 * (capacity: the limit in pages; 0 when there is no limit, the set only
 * remembering the policy). keys and ages follow the struct in the same
 * allocation.
 */
struct resident_set {
	struct rlimit limit;
	struct evict_set ring;
};

static enum evict_policy boot_policy = EVICT_CLOCK;

void resident_init(enum evict_policy policy)
{
	boot_policy = policy;
}

enum evict_policy resident_boot_policy(void)
{
	return boot_policy;
}

/* A set with room for pages pages, empty. NULL when out of memory. */
static struct resident_set *set_alloc(const struct rlimit *limit,
                                      enum evict_policy policy)
{
	uint32_t pages = limit->rlim_cur == RLIM_INFINITY
	                         ? 0
	                         : limit->rlim_cur / PAGE_SIZE;
	struct resident_set *rs =
	        kmalloc(sizeof(*rs) + pages * (sizeof(uint32_t) + 1));

	if (!rs)
		return NULL;
	rs->limit = *limit;
	uint32_t *keys = (uint32_t *)(rs + 1);
	evict_set_init(&rs->ring, policy, pages, keys,
	               (uint8_t *)(keys + pages), EVICT_SEED);
	return rs;
}

void resident_free(struct vm_space *vm)
{
	kfree(vm->resident);
	vm->resident = NULL;
}

/* The walker's step for test_and_clear_accessed: the entry is reachable
 * only inside the walk (its page table is mapped for it). */
static int clear_accessed(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	(void)va;
	(void)other;
	*(bool *)arg = (*pte & PTE_ACCESSED) != 0;
	*pte &= ~PTE_ACCESSED;
	return 0;
}

/* mm/evict.h's question for slot: was its page used since last asked?
 * The CPU sets PTE_ACCESSED when it loads the translation into the TLB,
 * so clearing the bit needs the TLB entry gone too, or later uses would
 * not set it again. */
static bool test_and_clear_accessed(void *ctx, uint32_t slot)
{
	struct vm_space *vm = ctx;
	uintptr_t va = vm->resident->ring.keys[slot];
	bool accessed = false;

	vmm_for_each_present(vm->pgdir, va, va + PAGE_SIZE, clear_accessed,
	                     &accessed);
	if (accessed && vm->pgdir == vmm_current_space())
		invlpg((const void *)va);
	return accessed;
}

static struct evict_set_ops ops_for(struct vm_space *vm)
{
	return (struct evict_set_ops){test_and_clear_accessed, NULL, vm};
}

/* Evicts vm's heap page at va to swap (kernel/swap.c): 0, -ENOSYS with no
 * swap disk, or another error of the eviction. */
static int evict_heap_page(struct vm_space *vm, uintptr_t va)
{
	return swap_evict_page(vm, va);
}

void resident_get_limit(const struct vm_space *vm, struct rlimit *limit)
{
	if (vm->resident)
		*limit = vm->resident->limit;
	else
		*limit = (struct rlimit){RLIM_INFINITY, RLIM_INFINITY};
}

/* The walk that builds a new set: every resident heap page, in address
 * order, joins it while there is room (its accessed bit cleared: the
 * oldest, unused). The walk may not sleep (it holds a page table
 * mapped), so the pages past the limit are evicted after it, one by one:
 * find_untracked stops at the first resident page the set does not
 * have. */
struct fill {
	struct resident_set *rs;
	uintptr_t untracked;
};

static int add_present_page(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	struct fill *fill = arg;

	(void)other;
	*pte &= ~PTE_ACCESSED; /* flushed once, at the end */
	evict_set_insert(&fill->rs->ring, va);
	return 0;
}

static int find_untracked(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	struct fill *fill = arg;

	(void)pte;
	(void)other;
	if (evict_set_find(&fill->rs->ring, va) >= 0)
		return 0;
	fill->untracked = va;
	return 1;
}

int resident_set_limit(struct vm_space *vm, const struct rlimit *limit)
{
	struct rlimit old;

	resident_get_limit(vm, &old);
	if (limit->rlim_cur > limit->rlim_max ||
	    (limit->rlim_cur != RLIM_INFINITY &&
	     (limit->rlim_cur < PAGE_SIZE ||
	      limit->rlim_cur / PAGE_SIZE > RLIMIT_RSS_MAX_PAGES)))
		return -EINVAL;
	if (limit->rlim_max > old.rlim_max)
		return -EPERM;
	enum evict_policy policy =
	        vm->resident ? vm->resident->ring.policy : boot_policy;
	struct resident_set *rs = set_alloc(limit, policy);
	if (!rs)
		return -ENOMEM;
	resident_free(vm);
	vm->resident = rs;
	const struct region *heap = region_of_kind(&vm->regions, REGION_HEAP);
	if (!heap || rs->ring.capacity == 0)
		return 0;
	struct fill fill = {rs, 0};
	vmm_for_each_present(vm->pgdir, heap->start, heap->end,
	                     add_present_page, &fill);
	vmm_flush_tlb(vm->pgdir);
	/* Past the limit: evicted now. Bounded: a page that stays (it came
	 * back meanwhile) must not hold us here. With no swap they stay,
	 * over the limit, as a fault past it would be. */
	for (uint32_t n = (heap->end - heap->start) / PAGE_SIZE; n > 0; n--) {
		fill.untracked = 0;
		if (vmm_for_each_present(vm->pgdir, heap->start, heap->end,
		                         find_untracked, &fill) != 1 ||
		    evict_heap_page(vm, fill.untracked))
			break;
	}
	return 0;
}

int resident_set_policy(struct vm_space *vm, int policy)
{
	int old = vm->resident ? (int)vm->resident->ring.policy
	                       : (int)boot_policy;

	if (policy == -1)
		return old;
	if (policy < 0 || policy >= EVICT_POLICIES)
		return -EINVAL;
	if (!vm->resident) {
		struct rlimit none = {RLIM_INFINITY, RLIM_INFINITY};
		vm->resident = set_alloc(&none, (enum evict_policy)policy);
		if (!vm->resident)
			return -ENOMEM;
	}
	vm->resident->ring.policy = (enum evict_policy)policy;
	return old;
}

int resident_copy(struct vm_space *to, const struct vm_space *from,
                  bool with_pages)
{
	const struct resident_set *src = from->resident;

	if (!src)
		return 0;
	struct resident_set *rs = set_alloc(&src->limit, src->ring.policy);
	if (!rs)
		return -ENOMEM;
	if (with_pages) {
		uint32_t n = src->ring.capacity;
		for (uint32_t i = 0; i < n; i++) {
			rs->ring.keys[i] = src->ring.keys[i];
			rs->ring.ages[i] = src->ring.ages[i];
		}
		rs->ring.used = src->ring.used;
		rs->ring.hand = src->ring.hand;
		rs->ring.random = src->ring.random;
	}
	to->resident = rs;
	return 0;
}

int resident_make_room(struct vm_space *vm, uintptr_t page)
{
	struct resident_set *rs = vm->resident;

	if (!rs || rs->ring.capacity == 0 ||
	    rs->ring.used < rs->ring.capacity ||
	    evict_set_find(&rs->ring, page) >= 0)
		return 0;
	struct evict_set_ops ops = ops_for(vm);
	int victim = evict_set_choose(&rs->ring, &ops);
	if (victim < 0)
		return 0; /* nothing may go now: over the limit, for once */
	int err = evict_heap_page(vm, rs->ring.keys[victim]);
	if (err == -ENOSYS || err == -EBUSY)
		return 0; /* no swap, or pinned: over the limit, for once */
	if (err == -ENOSPC)
		return -ENOMEM; /* swap is full: out of memory */
	if (err)
		return err;
	evict_set_remove(&rs->ring, (uint32_t)victim);
	return 0;
}

void resident_loaded(struct vm_space *vm, uintptr_t page)
{
	struct resident_set *rs = vm->resident;

	if (!rs || rs->ring.capacity == 0)
		return;
	int slot = evict_set_find(&rs->ring, page);
	if (slot >= 0)
		evict_set_replace(&rs->ring, (uint32_t)slot, page);
	else
		evict_set_insert(&rs->ring,
		                 page); /* full: not kept (no swap) */
}

void resident_forget(struct vm_space *vm, uintptr_t from, uintptr_t to)
{
	struct resident_set *rs = vm->resident;

	if (!rs)
		return;
	for (uint32_t i = 0; i < rs->ring.capacity; i++)
		if (rs->ring.keys[i] != EVICT_EMPTY &&
		    rs->ring.keys[i] >= from && rs->ring.keys[i] < to)
			evict_set_remove(&rs->ring, i);
}

void resident_tick(struct vm_space *vm)
{
	struct resident_set *rs = vm->resident;

	if (rs && rs->ring.policy == EVICT_LRU && rs->ring.used) {
		struct evict_set_ops ops = ops_for(vm);
		evict_set_age(&rs->ring, &ops);
	}
}
