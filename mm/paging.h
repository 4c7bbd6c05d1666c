/*
 * i386 two-level paging: the types and bits of page-directory entries (PDE)
 * and page-table entries (PTE), and the macros that split an address.
 *
 *   virtual address:  | 31 .. 22 | 21 .. 12 | 11 .. 0 |
 *                     |   PDX    |   PTX    | offset  |
 *
 * CR3 -> page directory (1024 PDEs) -> page table (1024 PTEs) -> 4 KiB frame
 */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include <stdint.h>

#include "mm/layout.h"

typedef uint32_t paddr_t; /* a physical address: never dereference it */
typedef uint32_t pde_t;
typedef uint32_t pte_t;

#define ENTRIES_PER_TABLE 1024u

/* Bits shared by PDEs and PTEs. */
#define PTE_PRESENT 0x001u
#define PTE_WRITABLE 0x002u
#define PTE_USER 0x004u
#define PTE_ACCESSED 0x020u
#define PTE_DIRTY 0x040u
/* Bits 9-11 are the OS's own; the CPU ignores them. memos marks a page
 * fork shares read-only, to be copied at the first write, with bit 9. */
#define PTE_COW 0x200u
/*
 * A not-present entry can hold a swap entry (kernel/swap.h): the page's
 * bytes are in swap slot N of the swap disk. Present bit clear, the
 * marker bit 10 set, the slot number in bits 12-31:
 *
 *   | 31 ........ 12 | 11 | 10 | 9 .. 1 | 0 |
 *   |  slot number   |  0 |  1 |   0    | 0 |
 *
 * The CPU ignores a not-present entry's other bits, so they are ours.
 */
#define PTE_SWAP 0x400u
#define PTE_IS_SWAP(e) (((e) & (PTE_PRESENT | PTE_SWAP)) == PTE_SWAP)
#define PTE_SWAP_SLOT(e) ((uint32_t)(e) >> 12)
#define PTE_MAKE_SWAP(slot) (((pte_t)(slot) << 12) | PTE_SWAP)
#define PTE_FLAGS_MASK 0xFFFu
#define PTE_FRAME_MASK 0xFFFFF000u

#define PDX(va) (((uint32_t)(va) >> 22) & 0x3FFu)
#define PTX(va) (((uint32_t)(va) >> 12) & 0x3FFu)
#define PAGE_OFFSET(va) ((uint32_t)(va)&0xFFFu)
#define PAGE_ALIGN_DOWN(x) ((uint32_t)(x) & ~(PAGE_SIZE - 1))
#define PAGE_ALIGN_UP(x) (((uint32_t)(x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))

/* The first page-directory entry of the kernel's shared part. */
#define KERNEL_PDE_FIRST PDX(KERNEL_VMA)
#define KERNEL_PDE_COUNT (ENTRIES_PER_TABLE - KERNEL_PDE_FIRST)

/*
 * Physical <-> virtual for memory the boot code mapped at KERNEL_VMA (the
 * kernel image and low memory). Other frames go through kmap().
 */
static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(pa + KERNEL_VMA);
}

static inline paddr_t virt_to_phys(const void *va)
{
	return (paddr_t)((uint32_t)va - KERNEL_VMA);
}

#endif
