/*
 * The address map: where everything lives in virtual memory, defined once.
 * KERNEL_VMA and KERNEL_PHYS come from the Makefile (-D), which gives the
 * same values to nasm and ld. (The drawing is kept from clang-format, which
 * would reflow it into one paragraph.)
 */
/* clang-format off */
/*
 *   0xFFFFFFFF +------------------------------+
 *              | temporary mappings (kmap)    |  KMAP_SLOTS pages
 *   0xFFC00000 +------------------------------+  KMAP_BASE = PHYSMAP_LIMIT
 *              | physical ranges mapped for   |  GRUB's modules, symbol table
 *              | the kernel (vmm_map_phys)    |
 *   0xF0000000 +------------------------------+  PHYSMAP_BASE = SLAB_AREA_LIMIT
 *              | slab caches' pages (kslab)   |
 *   0xEC000000 +------------------------------+  SLAB_AREA_BASE = KHEAP_LIMIT
 *              | kernel heap (grows up)       |
 *              +------------------------------+  kheap_start() (mm/kheap.c)
 *              | guard page (unmapped)        |
 *              +------------------------------+  _kernel_end, to a page
 *              | kernel image .text .rodata   |  read-only
 *              |              .data .bss      |  read-write
 *   0xC0100000 +------------------------------+  KERNEL_VMA + KERNEL_PHYS
 *              | low 1 MiB of physical memory |  (VGA text buffer at 0xB8000)
 *   0xC0000000 +==============================+  KERNEL_VMA = USER_END
 *              | unmapped page                |
 *   0xBFFFF000 +------------------------------+  USER_STACK_TOP
 *              | user stack (grows down)      |  a page is mapped when first
 *              |                              |  touched, up to USER_STACK_MAX
 *   0xBFEFF000 +------------------------------+  USER_STACK_LIMIT
 *              | guard gap (never mapped)     |  USER_STACK_GUARD bytes: a
 *              |                              |  stack overflow faults here
 *   0xBFDFF000 +------------------------------+  USER_HEAP_LIMIT: the break
 *              | free                         |  and the image stay below
 *              +------------------------------+  the break: sbrk(0), vm.brk
 *              | heap (malloc's blocks)       |  grows and shrinks with sbrk
 *              +------------------------------+  vm.heap_start: _end rounded
 *              | program .data .bss           |  up to a page; read-write
 *              +------------------------------+  a page boundary (user/user.ld)
 *              | program .text .rodata        |  read-only
 *   0x08048000 +------------------------------+  USER_LOAD_ADDR (user/user.mk)
 *              | unmapped                     |
 *   0x00001000 +------------------------------+  USER_BASE: the loader takes
 *              | page 0: never mapped (NULL)  |  segments from here up
 *   0x00000000 +------------------------------+
 */
/* clang-format on */
/*
 * Above KERNEL_VMA (the ==== line) is the kernel, the same in every address
 * space; below it, each process has its own.
 *
 * The boot code maps physical [0, end of the kernel image) at KERNEL_VMA:
 * low memory (where GRUB leaves its information), the kernel and its .bss.
 * Anything else physical is reached through a mapping made on purpose.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#ifndef KERNEL_VMA
#error "KERNEL_VMA must come from the Makefile"
#endif

#define PAGE_SIZE 4096u

/* User space: what a program may map (the loader checks every segment). */
#define USER_BASE 0x00001000u
#define USER_END KERNEL_VMA /* exclusive */

/* The user stack: mapped a page at a time as it grows (up to the max), with
 * an unmapped gap below so an overflow faults instead of hitting the heap. */
#define USER_STACK_TOP 0xBFFFF000u
#define USER_STACK_MAX (1024u * 1024u)
#define USER_STACK_LIMIT (USER_STACK_TOP - USER_STACK_MAX)
#define USER_STACK_GUARD (1024u * 1024u)

/* The user heap (sbrk) and the program image end below the guard gap. */
#define USER_HEAP_LIMIT (USER_STACK_LIMIT - USER_STACK_GUARD)

/* Each process's kernel stack (system calls and interrupts run on it). */
#define KERNEL_STACK_SIZE (16u * 1024u)

/* The last page-directory entry (4 MiB) holds the temporary mappings. */
#define KMAP_BASE 0xFFC00000u
#define KMAP_SLOTS 16u

/* The kernel heap may grow up to here (exclusive). */
#define KHEAP_LIMIT SLAB_AREA_BASE

/* The slab caches' pages (mm/kslab.c): 64 MiB of address space. */
#define SLAB_AREA_BASE 0xEC000000u
#define SLAB_AREA_LIMIT 0xF0000000u

/* Physical ranges the kernel needs to read (modules, symbols) go here. */
#define PHYSMAP_BASE SLAB_AREA_LIMIT
#define PHYSMAP_LIMIT KMAP_BASE

#endif
