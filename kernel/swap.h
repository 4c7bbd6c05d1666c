/*
 * Swap: when no frame is free, a user page is evicted to the swap disk
 * (drivers/ata.h) instead of the process failing, and read back at its
 * next fault. The sequences, and why they stay consistent while the
 * disk sleeps, are in kernel/swap.c and docs/swap.md. The frame table
 * (kernel/frame_table.h) says what each user frame holds; the victim is
 * chosen by mm/evict.c. With no disk there is no swap, and every
 * function here behaves as the kernel did before swap existed.
 */
#ifndef KERNEL_SWAP_H
#define KERNEL_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vm_space.h"
#include "mm/region.h"

/* Sets the swap area up on the swap disk if there is one (after
 * ata_init, frame_table_init and kheap_init): one slot per page of the
 * disk. Prints one line. Installs the release hook of mm/vmm.c. */
void swap_init(void);

/* Whether there is a swap disk (and evictions are on). */
bool swap_enabled(void);
/* Pages of swap there are for user pages (0 without a disk). */
uint32_t swap_slots_total(void);

/*
 * For the tests, which need a small machine inside the big one: with on
 * false, no page is evicted (the kernel behaves as with no swap disk, but
 * for pages already in swap, which still come back); else at most
 * user_frames frames hold user pages at once and at most slots slots are
 * used (0: no cap). The caps are the kernel's, not a process's: set them
 * only while no other user process runs.
 */
void swap_set_test_limits(bool on, uint32_t user_frames, uint32_t slots);

/*
 * A frame for the user page at va of owner, entered in the frame table:
 * a free one, or, with swap, one freed by evicting another user page
 * (which may sleep on the disk). 0 when there is none: no free frame and
 * nothing evictable, or swap full too. With swap, a few frames are kept
 * free for the kernel's own memory (page tables, kernel stacks, heap),
 * which is never evicted.
 */
paddr_t swap_alloc_frame(vmm_space_t owner, uintptr_t va);
/* The same without eviction (inside a page-table walk, which holds
 * mappings and must not sleep). */
paddr_t swap_alloc_frame_now(vmm_space_t owner, uintptr_t va);
/* Frees a frame swap_alloc_frame gave that was never mapped. */
void swap_free_unused_frame(paddr_t frame);

/* What swap_in did. */
enum swap_in_result {
	SWAP_IN_MINOR, /* mapped from the swap cache: no disk read */
	SWAP_IN_MAJOR, /* read from the disk */
	SWAP_IN_RETRY, /* the entry changed while we slept: fault again */
	SWAP_IN_NO_MEMORY,
	SWAP_IN_IO_ERROR,
};

/* The page at va of vm (in region r) holds the swap entry `entry`: gives
 * it its frame back, from the swap cache or from the disk. */
enum swap_in_result swap_in(struct vm_space *vm, const struct region *r,
                            uintptr_t va, pte_t entry);

/*
 * Evicts the user page at va of vm now (a process at its resident limit,
 * kernel/resident.c): 0 (or it had no frame), -ENOSYS (no swap disk),
 * -EBUSY (pinned, under I/O), -ENOSPC (swap full), -EIO. May sleep.
 */
int swap_evict_page(struct vm_space *vm, uintptr_t va);

/* The timer tick: the lru policy's sampling of every user frame, when
 * evict=lru and there is swap. */
void swap_tick(void);

/* fork copies a swap entry into the child: one more reference to its
 * slot. */
void swap_share_entry(pte_t entry);

/* How many PTEs map frame (its references but the swap cache's). */
uint32_t swap_frame_mappings(paddr_t frame);

/* Whether the frame's page is this mapping's alone: no other PTE maps
 * it and no swap entry holds its slot (copy-on-write may then reuse the
 * frame instead of copying it). */
bool swap_frame_exclusive(paddr_t frame);

/* Drops what a user entry held (mm/vmm.h's vmm_release_fn): a present
 * entry's frame reference (the frame freed with its last, its swap-cache
 * copy with it when no swap entry needs it), or a swap entry's slot.
 * Interrupts must be off (the page-table walk that calls it has them
 * off: one irq_save per page would cost every exit). */
void swap_release_entry(vmm_space_t space, uintptr_t va, pte_t entry);

/* Since boot (struct meminfo shows them). */
struct swap_counters {
	uint32_t slots_total;
	uint32_t slots_used;
	uint32_t pages_written;   /* pages written to swap */
	uint32_t pages_read;      /* pages read from swap */
	uint32_t evictions;       /* frames taken from user pages */
	uint32_t evictions_clean; /* ...of them with no write: a page from
	                             the program file or zeros, or one whose
	                             slot still held its bytes */
	uint32_t cache_hits;      /* faults served from the swap cache */
};
struct swap_counters swap_counters(void);

#endif
