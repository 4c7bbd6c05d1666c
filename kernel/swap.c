/*
 * Swap: slots on the swap disk, the swap cache, eviction (swap-out) and
 * the page-fault side (swap-in). docs/swap.md tells the same story with
 * pictures.
 *
 * SLOTS. The disk is cut into slots of one page (8 sectors): slot s is
 * sectors 8s to 8s + 7. slot_refs[s] counts the slot's holders: one per
 * PTE holding the swap entry for s, plus one while the swap cache holds
 * s. A slot with no holder is free.
 *
 * THE SWAP CACHE maps a slot to the frame holding the same bytes
 * (cached_frame[s], and the frame's frame-table entry says slot s). It
 * lets sharers of a page that was evicted from all of them share one
 * frame again when they fault it back, lets a faulter take back a page
 * whose eviction is still writing it, and remembers that a page read
 * from swap still has its bytes in its slot (evicting it again, unchanged,
 * needs no write). A frame in the cache holds one frame reference
 * (pmm_share_frame) and one slot reference for the cache, so:
 *     the frame's mappings = pmm_frame_refs(frame) - 1.
 *
 * THE RULE that keeps a slot's bytes right: a PTE may map a frame of the
 * cache writable only when it is the page's only holder (one mapping,
 * slot_refs == 1: the cache's). While swap entries for s exist, the
 * frame of s is mapped read-only (copy-on-write) everywhere, so its bytes
 * equal the slot's. A page that is written (the PTE's dirty bit, or
 * FRAME_DIRTY) no longer matches its slot and is written again when
 * evicted.
 *
 * EVICTION (evict_one; everything runs with interrupts off, except inside
 * the disk driver, where the process sleeps and others run):
 *   1. evict_choose (mm/evict.c) picks a victim frame: resident, not
 *      pinned, not busy with I/O.
 *   2. Count its mappings at its va in every process (the frame table's
 *      invariant). If some cannot be found (a space being built that no
 *      process holds yet), it is not evicted now.
 *   3. Clean (no dirty bit in any mapping, no FRAME_DIRTY) and no slot:
 *      its bytes come back from the program file or as zeros, so every
 *      PTE becomes 0 and the frame is freed. Done, no I/O.
 *   4. Clean with a slot (read from swap, unchanged): every PTE becomes
 *      the swap entry of that slot (one slot reference each), the cache
 *      lets it go, the frame is freed. Done, no I/O.
 *   5. Dirty: take a slot if it has none (swap full: try another victim)
 *      and put the frame in the swap cache under it; every PTE becomes the
 *      swap entry (one slot reference each; the current space's entry is
 *      flushed with invlpg, other spaces at their next CR3 load); mark
 *      the frame BUSY (no one evicts it twice).
 *   6. Write the frame to the slot. The process sleeps; others run. A
 *      faulter on one of the new swap entries finds the frame in the
 *      cache and maps it again at once (its bytes are good).
 *   7. Not BUSY any more. If someone mapped it meanwhile, it stays (in the
 *      cache, and now clean on disk): try another victim. Otherwise the
 *      cache lets it go (a slot whose PTEs all went meanwhile, by exit,
 *      is freed with it) and the frame is freed. A write error leaves it
 *      in the cache, marked dirty: faulters get it back from there.
 *
 * SWAP-IN (swap_in, on a fault at a PTE holding the swap entry of slot s):
 *   1. Slot s in the cache? If its frame is being read (READING), sleep
 *      until the read ends and fault again. Otherwise map it (below): a
 *      minor fault, no I/O.
 *   2. Not in the cache: allocate a frame (may evict, and sleep). Then
 *      look again: if the PTE changed or s came into the cache meanwhile,
 *      give the frame back and fault again.
 *   3. Put the frame in the cache under s, BUSY and READING (a second
 *      faulter on s waits for it: step 1); read the slot into it (sleep).
 *   4. Not BUSY, not READING; wake the waiters. Map it (below): a major
 *      fault. (A read error: the frame leaves the cache and is freed; the
 *      process is killed: its page is lost.)
 *   Mapping a frame of the cache: the PTE's slot reference goes, the
 *   mapping takes a frame reference. Writable only if the page is now
 *   this PTE's alone (the rule above); else read-only and PTE_COW (if the
 *   region is writable), so that a write copies it first.
 *
 * A process sleeping on the disk is in the middle of one of these
 * sequences: process_kill does not end it there (p->in_disk_io) but when
 * it returns to ring 3, so that no frame stays BUSY and no request is
 * left half done.
 */
#include "kernel/swap.h"

#include "drivers/ata.h"
#include "kernel/arch/cpu.h"
#include "kernel/frame_table.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/resident.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "mm/evict.h"
#include "mm/kheap.h"
#include "mm/pmm.h"

/* Frames kept free for the kernel when swap is on: user pages are
 * evicted before the free count falls below it, so that page tables,
 * kernel stacks and the kernel heap (never evicted) still find frames. */
#define SWAP_RESERVE_FRAMES 32u
/* Victims in a row that could not be evicted (their mappings not all
 * findable) before an allocation gives up evicting. */
#define SWAP_GIVE_UP_AFTER 64u
/* The most slots a swap entry can name (20 bits, mm/paging.h). */
#define SWAP_MAX_SLOTS (1u << 20)

static uint32_t slots_total; /* 0: no swap */
static uint16_t *slot_refs;
static uint32_t *cached_frame; /* frame number, or FRAME_NONE */
static uint32_t next_free_slot;
static struct swap_counters counters;
/* The tests' small machine (swap_set_test_limits): evictions off, or at
 * most frame_cap user frames resident and slot_cap slots used (0: no
 * cap). */
static bool evicting_off;
static uint32_t frame_cap, slot_cap;

bool swap_enabled(void)
{
	return slots_total != 0 && !evicting_off;
}

uint32_t swap_slots_total(void)
{
	if (!swap_enabled())
		return 0;
	return slot_cap && slot_cap < slots_total ? slot_cap : slots_total;
}

void swap_set_test_limits(bool on, uint32_t user_frames, uint32_t slots)
{
	bool irq = irq_save();

	evicting_off = !on;
	frame_cap = user_frames;
	slot_cap = slots;
	irq_restore(irq);
}

/* Whether a user page must be evicted before another frame is handed
 * out: the kernel's reserve is reached, or the tests' cap. */
static bool memory_short(void)
{
	return pmm_free_frames() <= SWAP_RESERVE_FRAMES ||
	       (frame_cap && frame_table_count() >= frame_cap);
}

static uint32_t slot_lba(uint32_t slot)
{
	return slot * (PAGE_SIZE / ATA_SECTOR_SIZE);
}

/* ---- Slots ---------------------------------------------------------------
 * Interrupts off for all of these (the caller's). */

/* A free slot with one reference, or SWAP_NO_SLOT: swap is full. */
static uint32_t slot_alloc(void)
{
	if (counters.slots_used >= swap_slots_total())
		return SWAP_NO_SLOT; /* full (or the tests' cap) */
	for (uint32_t n = 0; n < slots_total; n++) {
		uint32_t s = (next_free_slot + n) % slots_total;

		if (slot_refs[s] == 0) {
			slot_refs[s] = 1;
			counters.slots_used++;
			next_free_slot = s + 1;
			return s;
		}
	}
	return SWAP_NO_SLOT;
}

static void slot_get(uint32_t s)
{
	ASSERT(s < slots_total && slot_refs[s] > 0 &&
	       slot_refs[s] < UINT16_MAX);
	slot_refs[s]++;
}

static void slot_put(uint32_t s)
{
	ASSERT(s < slots_total && slot_refs[s] > 0);
	if (--slot_refs[s] == 0)
		counters.slots_used--;
}

/* ---- The swap cache -------------------------------------------------------
 */

/* frame (entry e) enters the cache under slot s and takes a frame
 * reference for it. The cache's slot reference is the caller's to give:
 * a fresh slot's first one (eviction), or one more (swap-in). */
static void cache_add(paddr_t frame, struct frame_entry *e, uint32_t s)
{
	ASSERT(e->slot == SWAP_NO_SLOT && cached_frame[s] == FRAME_NONE);
	e->slot = s;
	cached_frame[s] = frame / PAGE_SIZE;
	pmm_share_frame(frame);
}

/* frame leaves the cache: its two references go (the frame is freed if
 * nothing maps it, the slot if no PTE holds it). */
static void cache_drop(paddr_t frame, struct frame_entry *e)
{
	uint32_t s = e->slot;

	cached_frame[s] = FRAME_NONE;
	e->slot = SWAP_NO_SLOT;
	slot_put(s);
	if (pmm_release_frame(frame))
		frame_table_remove(frame);
}

static bool in_cache(const struct frame_entry *e)
{
	return e->slot != SWAP_NO_SLOT;
}

/* How many PTEs map frame (the cache's reference is not one). */
static uint32_t mappings(paddr_t frame, const struct frame_entry *e)
{
	return pmm_frame_refs(frame) - (in_cache(e) ? 1 : 0);
}

uint32_t swap_frame_mappings(paddr_t frame)
{
	struct frame_entry *e = frame_table_entry(frame / PAGE_SIZE);
	bool irq = irq_save();
	uint32_t n = pmm_frame_refs(frame);

	if (n && e && (e->flags & FRAME_RESIDENT) && in_cache(e))
		n--;
	irq_restore(irq);
	return n;
}

bool swap_frame_exclusive(paddr_t frame)
{
	struct frame_entry *e = frame_table_entry(frame / PAGE_SIZE);
	bool irq = irq_save();
	bool alone;

	if (!e || !(e->flags & FRAME_RESIDENT))
		alone = pmm_frame_refs(frame) == 1;
	else
		alone = mappings(frame, e) == 1 &&
		        (!in_cache(e) || slot_refs[e->slot] == 1);
	irq_restore(irq);
	return alone;
}

/* ---- Frames for user pages ------------------------------------------------
 */

paddr_t swap_alloc_frame_now(vmm_space_t owner, uintptr_t va)
{
	paddr_t frame = pmm_alloc_frame();

	if (frame)
		frame_table_add(frame, owner, va);
	return frame;
}

void swap_free_unused_frame(paddr_t frame)
{
	frame_table_remove(frame);
	pmm_free_frame(frame);
}

/* What evict_one did. */
enum evict_result {
	EVICTED,       /* a frame was freed */
	EVICT_AGAIN,   /* the victim could not go after all (it went to the
	                  tail): ask again */
	EVICT_NOTHING, /* nothing is evictable */
	EVICT_FULL,    /* swap is full, and the victim needed a slot */
	EVICT_IO_ERROR,
};
static enum evict_result evict_one(void);

paddr_t swap_alloc_frame(vmm_space_t owner, uintptr_t va)
{
	if (!swap_enabled())
		return swap_alloc_frame_now(owner, va);
	bool irq = irq_save();
	paddr_t frame = 0;
	/* Each round frees a frame or moves a victim it could not evict to
	 * the tail; a bound so that frames others keep taking cannot hold
	 * us forever. */
	uint32_t rounds = 2 * frame_table_count() + 8;
	uint32_t full = 0, again = 0;

	while (memory_short() && rounds-- > 0) {
		enum evict_result result = evict_one();

		if (result == EVICT_NOTHING)
			break; /* the reserve it is */
		/* Swap is full for a whole round of victims: what is left
		 * to evict is a few clean pages, which would only come back
		 * at the next instruction (thrashing): out of memory. */
		if (result == EVICT_FULL && ++full >= frame_table_count())
			break;
		/* Victims that cannot go (spaces being built): a few are
		 * normal, a long run means nothing else is left. */
		again = result == EVICT_AGAIN ? again + 1 : 0;
		if (again >= SWAP_GIVE_UP_AFTER)
			break;
	}
	/* Evicting failed (nothing evictable, or swap full): the kernel's
	 * reserve is all there is, but the tests' cap holds. */
	if (!frame_cap || frame_table_count() < frame_cap)
		frame = swap_alloc_frame_now(owner, va);
	irq_restore(irq);
	return frame;
}

/* ---- Eviction --------------------------------------------------------------
 */

static uint32_t ops_first(void)
{
	return frame_table_first();
}

static uint32_t ops_next(uint32_t f)
{
	return frame_table_next(f);
}

static uint32_t ops_count(void)
{
	return frame_table_count();
}

static const struct evict_ops frame_ops = {
        .first = ops_first,
        .next = ops_next,
        .count = ops_count,
        .move_to_tail = frame_table_move_to_tail,
        .test_and_clear_accessed = frame_table_test_and_clear_accessed,
        .evictable = frame_table_evictable,
        .age = frame_table_age,
};

/* random's generator, for the frames of every process (interrupts off). */
static uint32_t random_state = EVICT_SEED;

/* Where the lru sampling goes on at the next tick (a frame number). */
static uint32_t age_cursor = EVICT_NONE;

/*
 * The lru policy's sampling of every user frame, a bounded part of the
 * list per tick: testing a frame's accessed bit walks every process's
 * page table at its address, and ageing them all on every tick took more
 * than a tick once a few processes had a thousand pages (measured with
 * thrash: the machine did nothing else). SWAP_AGE_PER_TICK frames a tick
 * sample each frame every (resident frames / 64) ticks: the ages count
 * in those longer periods.
 */
#define SWAP_AGE_PER_TICK 64
void swap_tick(void)
{
	if (!swap_enabled() || resident_boot_policy() != EVICT_LRU)
		return;
	if (age_cursor != EVICT_NONE &&
	    !frame_table_has((paddr_t)age_cursor * PAGE_SIZE))
		age_cursor = EVICT_NONE; /* freed meanwhile: start over */
	age_cursor = evict_age_some(&frame_ops, age_cursor, SWAP_AGE_PER_TICK);
}

static void note_dirty(vmm_space_t space, uintptr_t va, pte_t *pte, void *arg)
{
	(void)space;
	(void)va;
	*(bool *)arg |= (*pte & PTE_DIRTY) != 0;
}

/* Step 3: the PTE forgets the page (its bytes come back from the file or
 * as zeros); the mapping's frame reference goes. */
static void unmap_clean(vmm_space_t space, uintptr_t va, pte_t *pte, void *arg)
{
	(void)space;
	(void)va;
	(void)arg;
	paddr_t frame = *pte & PTE_FRAME_MASK;

	*pte = 0;
	if (pmm_release_frame(frame))
		frame_table_remove(frame);
}

/* Steps 4 and 5: the PTE becomes the swap entry of slot *arg; the slot
 * gains a reference, the frame loses one (the cache keeps it). */
static void unmap_to_slot(vmm_space_t space, uintptr_t va, pte_t *pte,
                          void *arg)
{
	uint32_t s = *(uint32_t *)arg;
	paddr_t frame = *pte & PTE_FRAME_MASK;

	(void)space;
	(void)va;
	*pte = PTE_MAKE_SWAP(s);
	slot_get(s);
	bool freed = pmm_release_frame(frame);
	ASSERT(!freed); /* the cache holds it */
}

/* Writes a frame of the cache (BUSY) to its slot: the process sleeps on
 * the disk, and cannot be ended meanwhile (process_kill waits). */
static int write_slot(paddr_t frame, uint32_t s)
{
	struct process *self = sched_current();

	self->in_disk_io++;
	int err = ata_write_page(slot_lba(s), frame);
	self->in_disk_io--;
	return err;
}

/*
 * Evicts the user page in frame f (the sequence at the top of this file,
 * from step 2): what became of it. Interrupts are off.
 */
static enum evict_result evict_frame(uint32_t f)
{
	struct frame_entry *e = frame_table_entry(f);
	paddr_t frame = f * PAGE_SIZE;
	bool dirty = (e->flags & FRAME_DIRTY) != 0;

	/* Step 2. */
	if (frame_table_for_each_mapping(f, note_dirty, &dirty) !=
	    mappings(frame, e)) {
		frame_table_move_to_tail(f);
		return EVICT_AGAIN;
	}
	counters.evictions++;
	if (!dirty && !in_cache(e)) { /* step 3 */
		counters.evictions_clean++;
		frame_table_for_each_mapping(f, unmap_clean, NULL);
		return EVICTED; /* the last mapping freed it */
	}
	uint32_t s = e->slot;
	if (!dirty) { /* step 4 */
		counters.evictions_clean++;
		frame_table_for_each_mapping(f, unmap_to_slot, &s);
		cache_drop(frame, e);
		return EVICTED;
	}
	/* Step 5. */
	if (!in_cache(e)) {
		s = slot_alloc();
		if (s == SWAP_NO_SLOT) {
			counters.evictions--;
			frame_table_move_to_tail(f);
			return EVICT_FULL;
		}
		cache_add(frame, e, s); /* the fresh reference is the cache's */
	}
	/* No swap entry holds s now (the rule: the page was writable, so
	 * this frame's alone): the old bytes there are nobody's. */
	ASSERT(slot_refs[s] == 1);
	frame_table_for_each_mapping(f, unmap_to_slot, &s);
	e->flags = (e->flags & ~FRAME_DIRTY) | FRAME_BUSY;
	/* Step 6. */
	int err = write_slot(frame, s);
	/* Step 7. */
	e->flags &= ~FRAME_BUSY;
	if (err) {
		kprintf("swap: writing a page to slot %u failed (%d); it stays "
		        "in memory\n",
		        s, err);
		e->flags |= FRAME_DIRTY;
	} else {
		counters.pages_written++;
	}
	if (mappings(frame, e) == 0 && slot_refs[s] == 1) {
		cache_drop(frame, e); /* every holder went meanwhile (exit) */
		return EVICTED;
	}
	if (err || mappings(frame, e) > 0 || (e->flags & FRAME_DIRTY)) {
		/* A write error (the bytes are in memory only), or faulted
		 * back in meanwhile (and maybe written): it stays. */
		frame_table_move_to_tail(f);
		return err ? EVICT_IO_ERROR : EVICT_AGAIN;
	}
	cache_drop(frame, e);
	return EVICTED;
}

/* Step 1: the boot's policy (evict=) chooses among every user frame. */
static enum evict_result evict_one(void)
{
	uint32_t f =
	        evict_choose(&frame_ops, resident_boot_policy(), &random_state);

	if (f == EVICT_NONE)
		return EVICT_NOTHING;
	return evict_frame(f);
}

int swap_evict_page(struct vm_space *vm, uintptr_t va)
{
	paddr_t frame;

	if (!swap_enabled())
		return -ENOSYS;
	bool irq = irq_save();
	int err = 0;
	if (!vmm_translate(vm->pgdir, va, &frame, NULL))
		goto out; /* gone already: nothing to evict */
	uint32_t f = PAGE_ALIGN_DOWN(frame) / PAGE_SIZE;
	if (!frame_table_evictable(f)) {
		err = -EBUSY;
		goto out;
	}
	switch (evict_frame(f)) {
	case EVICTED:
	case EVICT_AGAIN: /* it came back meanwhile: used again, keep it */
		break;
	case EVICT_NOTHING:
		err = -EBUSY;
		break;
	case EVICT_FULL:
		err = -ENOSPC;
		break;
	case EVICT_IO_ERROR:
		err = -EIO;
		break;
	}
out:
	irq_restore(irq);
	return err;
}

/* ---- Swap-in --------------------------------------------------------------
 */

/* Maps frame (in the cache under s) at va of vm in place of the swap
 * entry (the rule at the top decides writable or copy-on-write).
 * have_ref: the caller already took the mapping's frame reference. */
static void map_from_cache(struct vm_space *vm, const struct region *r,
                           uintptr_t va, paddr_t frame, uint32_t s,
                           bool have_ref)
{
	struct frame_entry *e = frame_table_entry(frame / PAGE_SIZE);
	uint32_t flags = PTE_USER;

	if (!have_ref)
		pmm_share_frame(frame);
	slot_put(s); /* the PTE's reference: the cache still holds one */
	if (r->rights & REGION_WRITE) {
		bool alone = mappings(frame, e) == 1 && slot_refs[s] == 1;
		flags |= alone ? PTE_WRITABLE : PTE_COW;
	}
	/* The entry is not present: vmm_map replaces it (its table exists,
	 * so this cannot fail). */
	/* Accessed: it is about to be (mm/evict.c's clock must not take it
	 * before the faulting instruction runs again). */
	int err = vmm_map(vm->pgdir, va, frame, flags | PTE_ACCESSED);
	ASSERT(err == 0);
	if (e->owner == 0)
		e->owner = vm->pgdir;
}

enum swap_in_result swap_in(struct vm_space *vm, const struct region *r,
                            uintptr_t va, pte_t entry)
{
	uint32_t s = PTE_SWAP_SLOT(entry);
	enum swap_in_result result = SWAP_IN_MAJOR;
	bool irq = irq_save();

	ASSERT(s < slots_total);
	/* Step 1. */
	if (cached_frame[s] != FRAME_NONE) {
		uint32_t f = cached_frame[s];
		struct frame_entry *e = frame_table_entry(f);

		if (e->flags & FRAME_READING) {
			sched_sleep_on(e); /* its reader wakes us */
			result = SWAP_IN_RETRY;
		} else {
			map_from_cache(vm, r, va, f * PAGE_SIZE, s, false);
			counters.cache_hits++;
			result = SWAP_IN_MINOR;
		}
		goto out;
	}
	/* Step 2. */
	paddr_t frame = swap_alloc_frame(vm->pgdir, va);
	if (!frame) {
		result = SWAP_IN_NO_MEMORY;
		goto out;
	}
	if (vmm_entry(vm->pgdir, va) != entry ||
	    cached_frame[s] != FRAME_NONE) {
		swap_free_unused_frame(frame);
		result = SWAP_IN_RETRY;
		goto out;
	}
	/* Step 3: the frame's reference from the allocation becomes the
	 * mapping's; cache_add takes the cache's, and a slot reference. */
	struct frame_entry *e = frame_table_entry(frame / PAGE_SIZE);
	slot_get(s);
	cache_add(frame, e, s);
	e->flags |= FRAME_BUSY | FRAME_READING;
	struct process *self = sched_current();
	self->in_disk_io++;
	int err = ata_read_page(slot_lba(s), frame);
	self->in_disk_io--;
	/* Step 4. */
	e->flags &= ~(FRAME_BUSY | FRAME_READING);
	sched_wakeup(e);
	if (err) {
		kprintf("swap: reading slot %u failed (%d): the page is lost\n",
		        s, err);
		cache_drop(frame, e);
		swap_free_unused_frame(frame);
		result = SWAP_IN_IO_ERROR;
		goto out;
	}
	counters.pages_read++;
	/* Our PTE still holds the entry: only this process changes it
	 * (evictions change present entries only), and it was not ended
	 * while it slept (in_disk_io). */
	ASSERT(vmm_entry(vm->pgdir, va) == entry);
	map_from_cache(vm, r, va, frame, s, true);
out:
	irq_restore(irq);
	return result;
}

/* ---- Fork and teardown ------------------------------------------------------
 */

void swap_share_entry(pte_t entry)
{
	bool irq = irq_save();

	slot_get(PTE_SWAP_SLOT(entry));
	irq_restore(irq);
}

/* A frame of the cache that no PTE maps, whose slot no PTE holds, holds
 * a page nobody has any more: it leaves the cache and both are freed
 * (not while its eviction is writing it: that one finishes first). */
static void cache_trim(uint32_t s)
{
	uint32_t f = cached_frame[s];

	if (f == FRAME_NONE || slot_refs[s] != 1)
		return;
	struct frame_entry *e = frame_table_entry(f);
	if (!(e->flags & FRAME_BUSY) && mappings(f * PAGE_SIZE, e) == 0)
		cache_drop(f * PAGE_SIZE, e);
}

void swap_release_entry(vmm_space_t space, uintptr_t va, pte_t entry)
{
	(void)va;
	if (PTE_IS_SWAP(entry)) {
		uint32_t s = PTE_SWAP_SLOT(entry);

		slot_put(s);
		cache_trim(s);
		return;
	}
	paddr_t frame = entry & PTE_FRAME_MASK;
	struct frame_entry *e = frame_table_entry(frame / PAGE_SIZE);
	if (!e || !(e->flags & FRAME_RESIDENT)) { /* not a user page's */
		pmm_release_frame(frame);
		return;
	}
	if (e->owner == space)
		e->owner = 0; /* a hint only: its first mapper is gone */
	if (entry & PTE_DIRTY)
		e->flags |= FRAME_DIRTY; /* others may still map it */
	if (pmm_release_frame(frame))
		frame_table_remove(frame);
	else if (in_cache(e))
		cache_trim(e->slot);
}

/* ---- Start and counters
 * ------------------------------------------------------
 */

void swap_init(void)
{
	uint32_t slots = ata_sectors() / (PAGE_SIZE / ATA_SECTOR_SIZE);

	vmm_set_user_release(swap_release_entry);
	if (slots > SWAP_MAX_SLOTS)
		slots = SWAP_MAX_SLOTS;
	if (slots == 0) {
		kprintf("swap: no swap disk: a process that finds no free "
		        "frame is killed\n");
		return;
	}
	slot_refs = kcalloc(slots, sizeof(*slot_refs));
	cached_frame = kmalloc(slots * sizeof(*cached_frame));
	if (!slot_refs || !cached_frame)
		PANIC("swap: no memory for %u slots' counts", slots);
	for (uint32_t s = 0; s < slots; s++)
		cached_frame[s] = FRAME_NONE;
	slots_total = slots;
	counters.slots_total = slots;
	kprintf("swap: %u KiB on the swap disk (%u slots of one page)\n",
	        slots * (PAGE_SIZE / 1024), slots);
}

struct swap_counters swap_counters(void)
{
	bool irq = irq_save();
	struct swap_counters now = counters;

	now.slots_total = swap_slots_total(); /* the tests' cap, or 0 */
	irq_restore(irq);
	return now;
}
