/*
 * What GRUB tells the kernel (multiboot version 1): the memory map, the
 * command line, the modules and where the ELF sections went. Only the
 * fields this kernel reads are spelled out.
 */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/paging.h"
#include "mm/pmm.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

/* Bits of multiboot_info.flags: which fields GRUB filled in. */
#define MB_INFO_MEMORY (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MODULES (1u << 3)
#define MB_INFO_ELF_SECTIONS (1u << 5)
#define MB_INFO_MEMORY_MAP (1u << 6)

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper; /* KiB below 1 MiB / above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline; /* physical address of a C string */
	uint32_t mods_count, mods_addr;
	/* ELF section header table (flags bit 5) */
	uint32_t elf_num, elf_size, elf_addr, elf_shndx;
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

/* One memory map entry. `size` counts the bytes after itself. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t length;
	uint32_t type; /* MB_MEMORY_AVAILABLE is usable RAM */
} __attribute__((packed));

#define MB_MEMORY_AVAILABLE 1

struct multiboot_module {
	uint32_t start, end; /* physical, end exclusive */
	uint32_t string;
	uint32_t reserved;
} __attribute__((packed));

/* A physical range [start, end). */
struct phys_range {
	uint64_t start, end;
};

/* Checks the magic and keeps the information for the calls below. */
void multiboot_init(uint32_t magic, paddr_t info_phys);

const struct multiboot_info *multiboot_info(void);

/*
 * A pointer to physical memory GRUB filled, if it lies in the part the
 * boot code mapped (below the end of the kernel); NULL otherwise.
 */
const void *multiboot_phys_ptr(paddr_t pa, uint32_t size);

/*
 * The command line GRUB passed, or NULL. Its length is not known before it
 * is read: *room gets how many bytes from its start lie in the boot
 * mapping, the most that may be read looking for its end.
 */
const char *multiboot_cmdline(size_t *room);

typedef void (*phys_range_fn)(struct phys_range range, void *ctx);

/* Calls fn for each range of usable RAM in GRUB's memory map. */
void multiboot_for_each_usable(phys_range_fn fn, void *ctx);

/* Calls fn for each range that must not be handed out: the multiboot
 * information itself, the memory map, the command line, the modules and
 * the ELF sections GRUB loaded. */
void multiboot_for_each_reserved(phys_range_fn fn, void *ctx);

/*
 * Both of the above as the frame allocator takes them (pmm_init): the
 * usable ranges, then the reserved ones, in an array of this file's; *n
 * gets how many. More ranges than it holds panic (none is dropped).
 */
const struct pmm_range *multiboot_memory_ranges(size_t *n);

#endif
