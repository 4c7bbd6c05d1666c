/*
 * The frame table: what every frame holding a user page holds and who
 * maps it, so that a victim can be chosen and every page-table entry
 * that maps it changed (kernel/swap.c). Kernel frames (page tables, the
 * kernel heap, slabs, kernel stacks) are never in it, so never evicted.
 *
 * THE INVARIANT that makes one owner and one address enough: a user frame
 * is mapped at the same virtual address in every space that maps it.
 * Frames are shared only by fork, and fork keeps addresses (the child's
 * page at va maps the parent's frame at va). So the sharers of a frame
 * are found by looking at its va in every process's page table
 * (frame_table_for_each_mapping).
 *
 * What it offers the replacement policies (mm/evict.c), by frame number
 * (physical address / PAGE_SIZE):
 *   - the resident list in load order (frame_table_first, _next): the
 *     oldest first; a frame goes to the tail when it gets its page
 *     (FIFO's queue, clock's circle; frame_table_move_to_tail);
 *   - the accessed bit of a frame, ORed over all its mappings, tested
 *     and cleared (frame_table_test_and_clear_accessed);
 *   - whether a frame may be evicted now (frame_table_evictable): not
 *     pinned, not under disk I/O, and every mapping of it findable.
 * Every function here runs with interrupts off inside (irq_save): the
 * table is shared by every process and by kernel tasks.
 */
#ifndef KERNEL_FRAME_TABLE_H
#define KERNEL_FRAME_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/vmm.h"

#define FRAME_NONE UINT32_MAX /* no frame: the end of the list */
#define SWAP_NO_SLOT UINT32_MAX

/* A frame entry's flags. */
#define FRAME_RESIDENT 0x1 /* in the table: holds a user page */
#define FRAME_BUSY 0x2     /* under disk I/O: never a victim */
#define FRAME_READING                                                          \
	0x4 /* being read from swap: its bytes are not                         \
	       there yet (faulters wait) */
#define FRAME_DIRTY                                                            \
	0x8 /* differs from its file / slot although no                        \
	       PTE says so (a dirty mapping was dropped) */

/*
 * One user frame. owner and va: the space that first mapped it and the
 * address (every sharer maps it there too). owner is a hint for the
 * policies (replacement among one process's pages): it becomes 0 when
 * that space drops its mapping. slot: the swap slot holding a copy of
 * its bytes (the swap cache: kernel/swap.c finds the frame by slot), or
 * SWAP_NO_SLOT. pins: kernel code using its bytes (a copy between the
 * kernel and user memory, a copy-on-write copy): never a victim while
 * pinned. prev/next: the resident list.
 */
struct frame_entry {
	uintptr_t va;
	vmm_space_t owner;
	uint32_t slot;
	uint32_t prev, next;
	uint16_t pins;
	uint16_t flags;
	uint8_t age; /* the lru policy's (mm/evict.h) */
};

/* Gives the table its memory (kcalloc: one entry per frame the allocator
 * manages); after kheap_init. */
void frame_table_init(void);

/* The entry of frame number f (frame / PAGE_SIZE), NULL if f is not a
 * frame the allocator manages. kernel/swap.c changes its fields with
 * interrupts off. */
struct frame_entry *frame_table_entry(uint32_t f);

/* frame (just allocated, holding the page at va of owner) joins the
 * table, at the tail of the resident list. */
void frame_table_add(paddr_t frame, vmm_space_t owner, uintptr_t va);
/* frame leaves the table (it is being freed). */
void frame_table_remove(paddr_t frame);
/* Whether frame holds a user page (is in the table). */
bool frame_table_has(paddr_t frame);

/* The resident list, in load order: the oldest frame number, the next
 * one after f (FRAME_NONE after the newest), how many. */
uint32_t frame_table_first(void);
uint32_t frame_table_next(uint32_t f);
uint32_t frame_table_count(void);
/* f goes to the tail of the list (the newest). */
void frame_table_move_to_tail(uint32_t f);

/* Where f's age is kept (mm/evict.h's lru policy). */
uint8_t *frame_table_age(uint32_t f);

/* Whether f may be evicted now: resident, not pinned, not busy. */
bool frame_table_evictable(uint32_t f);

/* The accessed bit of f, ORed over every PTE that maps it, cleared in
 * all of them (the current space's with invlpg: see frame_table.c). */
bool frame_table_test_and_clear_accessed(uint32_t f);

/* Kernel code is using the frame's bytes: no eviction until unpinned.
 * A frame not in the table (kernel memory) is ignored. */
void frame_table_pin(paddr_t frame);
void frame_table_unpin(paddr_t frame);

/*
 * Calls fn for every PTE that maps frame f (present, this frame), in
 * every process's space, at f's va: the owner's first, the others until
 * as many as the frame's references say have been found. fn may change
 * the entry; space is the space it belongs to. Returns how many there
 * were: fewer than its references say if a space that maps it is no
 * process's (being built). Interrupts must be off (the caller's changes
 * and the count belong together).
 */
typedef void (*frame_mapping_fn)(vmm_space_t space, uintptr_t va, pte_t *pte,
                                 void *arg);
uint32_t frame_table_for_each_mapping(uint32_t f, frame_mapping_fn fn,
                                      void *arg);

#endif
