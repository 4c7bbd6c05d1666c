/*
 * The virtual memory manager: page mappings in any address space.
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
/* Frees every user page table and the directory, and releases every frame
 * they map (freed unless another space shares it: pmm_release_frame). */
void vmm_space_destroy(vmm_space_t space);

/* Maps the page at va to the frame pa with flags (PTE_WRITABLE, PTE_USER).
 * Returns 0, -ENOMEM if a page table could not be allocated, -EEXIST if
 * va is already mapped. va and pa must be page aligned. */
int vmm_map(vmm_space_t space, uintptr_t va, paddr_t pa, uint32_t flags);

/* Maps a fresh zero-filled frame at va. Returns 0, -ENOMEM or -EEXIST
 * (and then frees the frame). */
int vmm_map_new_page(vmm_space_t space, uintptr_t va, uint32_t flags);

/* Maps fresh zero-filled frames at every page of [from, to) (page
 * aligned). Returns 0, or -ENOMEM / -EEXIST after undoing its own work. */
int vmm_map_new_range(vmm_space_t space, uintptr_t from, uintptr_t to,
                      uint32_t flags);

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

/* Unmaps every page in [from, to) (page aligned) that has a frame, and
 * releases the frame (freed unless fork shares it: pmm_release_frame);
 * pages with none (never touched) are skipped. */
void vmm_unmap_and_free(vmm_space_t space, uintptr_t from, uintptr_t to);

/* Looks va up; on success stores the physical address (with va's offset)
 * and the PTE's flags. */
bool vmm_translate(vmm_space_t space, uintptr_t va, paddr_t *pa,
                   uint32_t *flags);

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
