/*
 * The virtual memory manager: the page-table MECHANISM. It maps, unmaps,
 * translates and walks page tables in any address space, and knows
 * nothing of regions or processes: what a fault means is the policy's
 * (kernel/page_fault.c), and a process's whole address space is
 * kernel/vm_space.h.
 *
 * An address space is named by the physical address of its page directory
 * (what goes in CR3). The kernel's part (KERNEL_VMA and up) uses 256 page
 * tables made once at boot and shared by every page directory, so a kernel
 * mapping made at any time is seen in every address space. Page tables of
 * the user part are allocated on demand.
 */
#ifndef MM_VMM_H
#define MM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/paging.h"

typedef paddr_t vmm_space_t; /* physical address of a page directory */

/* Makes the kernel's text and rodata read-only, now that paging is on. */
void vmm_init(void);

/* The kernel's own address space (the boot page directory). */
vmm_space_t vmm_kernel_space(void);
vmm_space_t vmm_current_space(void);
void vmm_switch_space(vmm_space_t space);

/* A new address space: the shared kernel part, an empty user part.
 * Returns 0 when out of memory. */
vmm_space_t vmm_space_create(void);
/* Frees every user page table and the directory, and drops what every
 * user entry holds (vmm_set_user_release: a frame's reference, freed
 * unless another space shares it, or a swap slot). */
void vmm_space_destroy(vmm_space_t space);

/*
 * What dropping a user page's entry (teardown, vmm_unmap_and_free) does
 * with what the entry held: entry is present (a frame) or a swap entry
 * (mm/paging.h), of space at va. Set once at boot by kernel/swap.c (the
 * frame table and the swap slots keep count); until then a present
 * entry's frame is released with pmm_release_frame. It runs inside a
 * page-table walk: interrupts off, tables mapped; it must not sleep.
 */
typedef void (*vmm_release_fn)(vmm_space_t space, uintptr_t va, pte_t entry);
void vmm_set_user_release(vmm_release_fn release);

/* Maps the page at va to the frame pa with flags (PTE_WRITABLE, PTE_USER).
 * Returns 0, -ENOMEM if a page table could not be allocated, -EEXIST if
 * va is already mapped. va and pa must be page aligned. */
int vmm_map(vmm_space_t space, uintptr_t va, paddr_t pa, uint32_t flags);

/* Maps fresh zero-filled frames at every page of [from, to) (page
 * aligned): kernel memory (the kernel heap, slabs). User pages get their
 * frames from the page-fault path (kernel/page_fault.c) only. Returns 0,
 * or -ENOMEM / -EEXIST after undoing its own work. */
int vmm_map_new_range(vmm_space_t space, uintptr_t from, uintptr_t to,
                      uint32_t flags);

/* Copies the frame from's 4,096 bytes into the frame to. */
void vmm_copy_frame(paddr_t to, paddr_t from);

/* Copies len bytes to va in space (which need not be the current one);
 * every page must be mapped. Returns 0 or -EFAULT. */
int vmm_copy_to_space(vmm_space_t space, uintptr_t va, const void *src,
                      size_t len);

/* Changes the mapping of va, which must exist, to the frame pa with flags
 * (and flushes it from the TLB). Returns 0 or -ENOENT. The old frame is
 * not freed: the caller knows what becomes of it. */
int vmm_remap(vmm_space_t space, uintptr_t va, paddr_t pa, uint32_t flags);

/* Removes the mapping of va. Returns 0 or -ENOENT if it had none. The
 * frame is not freed: the caller knows whether it owns it. */
int vmm_unmap(vmm_space_t space, uintptr_t va);

/* Unmaps every page in [from, to) (page aligned) that has a frame (or, in
 * the user part, a swap entry), and drops what it held (user part:
 * vmm_set_user_release; kernel part: pmm_release_frame); pages with none
 * (never touched) are skipped, and so are page tables that do not exist.
 * The TLB is flushed once at the end. */
void vmm_unmap_and_free(vmm_space_t space, uintptr_t from, uintptr_t to);

/*
 * The page-table walker: one loop for every job that visits many pages.
 * fn gets each page's address and its page-table entry, which it may
 * read and change (other is NULL but with vmm_for_each_used_with).
 * fn returns 0 to go on, anything else to stop the walk, which returns
 * it. Each page table is mapped once for all its 1,024 entries, and the
 * walk runs with interrupts off. It never flushes the TLB: a caller that
 * changed present entries of the current space calls vmm_flush_tlb once
 * at the end (entries that were absent need no flush). [from, to) is
 * page aligned and lies in the user part or in the kernel part.
 */
typedef int (*vmm_walk_fn)(uintptr_t va, pte_t *pte, pte_t *other, void *arg);

/* fn for every present entry; page tables that do not exist are skipped
 * whole (4 MiB at a time). */
int vmm_for_each_present(vmm_space_t space, uintptr_t from, uintptr_t to,
                         vmm_walk_fn fn, void *arg);

/* fn for every entry in use: present, or a swap entry (mm/paging.h). User
 * part. */
int vmm_for_each_used(vmm_space_t space, uintptr_t from, uintptr_t to,
                      vmm_walk_fn fn, void *arg);

/* fn for every entry, present or not, making the page tables that are
 * missing (eager population): -ENOMEM if a table cannot be made. */
int vmm_for_each_entry(vmm_space_t space, uintptr_t from, uintptr_t to,
                       vmm_walk_fn fn, void *arg);

/* fork's walk: fn for every entry of space in use (present, or a swap
 * entry), with other's entry
 * for the same address (other's page table made if missing: -ENOMEM if
 * it cannot; vmm_make_tables_like first makes them all at once). User
 * part only. */
int vmm_for_each_used_with(vmm_space_t space, vmm_space_t other, uintptr_t from,
                           uintptr_t to, vmm_walk_fn fn, void *arg);

/* Gives to a page table wherever from has one in [start, end) (user
 * part), so that a later vmm_for_each_used_with cannot fail. Returns
 * 0 or -ENOMEM (the tables made so far stay in to, empty). */
int vmm_make_tables_like(vmm_space_t to, vmm_space_t from, uintptr_t start,
                         uintptr_t end);

/* Drops every user translation of space from the TLB if it is the current
 * space (one CR3 reload: memos maps nothing global). */
void vmm_flush_tlb(vmm_space_t space);

/* Looks va up; on success stores the physical address (with va's offset)
 * and the PTE's flags. */
bool vmm_translate(vmm_space_t space, uintptr_t va, paddr_t *pa,
                   uint32_t *flags);

/* The raw entry for va (present or not: a swap entry, mm/paging.h), 0 if
 * va has no page table. */
pte_t vmm_entry(vmm_space_t space, uintptr_t va);

/* The kernel wrote to the page at va through another mapping (kmap):
 * sets its PTE's dirty bit, as the CPU does for a write through the PTE,
 * so that eviction knows the page differs from its file or swap slot. */
void vmm_mark_dirty(vmm_space_t space, uintptr_t va);

/* Temporarily maps one frame into the kernel so it can be read or written;
 * undo with kunmap. At most KMAP_SLOTS at a time. */
void *kmap(paddr_t frame);
void kunmap(void *va);
/* How many kmap slots are taken now (the tests check none is kept). */
uint32_t kmap_slots_in_use(void);

/* Maps a physical range for good (read-write) and returns the virtual
 * address of pa, or NULL when the region is full or the range is empty or
 * runs past 4 GiB. */
void *vmm_map_phys(paddr_t pa, size_t size);

#endif
