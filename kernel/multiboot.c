/*
 * Reads the multiboot information GRUB leaves in low memory. Every pointer
 * in it is physical; we only follow it after checking it lies in memory
 * the boot code mapped.
 */
#include "kernel/multiboot.h"

#include <stddef.h>

#include "kernel/elf.h"
#include "kernel/panic.h"

static const struct multiboot_info *info;
static paddr_t info_phys;

extern char _kernel_end[]; /* link.ld */

const void *multiboot_phys_ptr(paddr_t pa, uint32_t size)
{
	paddr_t mapped_end = virt_to_phys(_kernel_end);

	if (pa >= mapped_end || size > mapped_end - pa)
		return NULL;
	return phys_to_virt(pa);
}

const char *multiboot_cmdline(size_t *room)
{
	paddr_t mapped_end = virt_to_phys(_kernel_end);

	if (!(info->flags & MB_INFO_CMDLINE) || info->cmdline >= mapped_end)
		return NULL;
	*room = mapped_end - info->cmdline;
	return phys_to_virt(info->cmdline);
}

void multiboot_init(uint32_t magic, paddr_t phys)
{
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		PANIC("not started by a multiboot loader (eax=0x%x): boot "
		      "the kernel with GRUB",
		      magic);
	info = multiboot_phys_ptr(phys, sizeof(*info));
	if (!info)
		PANIC("multiboot information at 0x%x lies above the kernel",
		      phys);
	info_phys = phys;
	if (!(info->flags & MB_INFO_MEMORY_MAP))
		PANIC("GRUB gave no memory map");
}

const struct multiboot_info *multiboot_info(void)
{
	return info;
}

void multiboot_for_each_usable(phys_range_fn fn, void *ctx)
{
	const uint8_t *p =
	        multiboot_phys_ptr(info->mmap_addr, info->mmap_length);
	if (!p)
		PANIC("memory map at 0x%x is not reachable", info->mmap_addr);

	const uint8_t *end = p + info->mmap_length;
	while (p < end) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		if (e->type == MB_MEMORY_AVAILABLE)
			fn((struct phys_range){e->base, e->base + e->length},
			   ctx);
		p += e->size + sizeof(e->size);
	}
}

static void report(phys_range_fn fn, void *ctx, uint64_t start, uint64_t length)
{
	if (length)
		fn((struct phys_range){start, start + length}, ctx);
}

void multiboot_for_each_reserved(phys_range_fn fn, void *ctx)
{
	report(fn, ctx, info_phys, sizeof(*info));
	report(fn, ctx, info->mmap_addr, info->mmap_length);
	if (info->flags & MB_INFO_CMDLINE)
		report(fn, ctx, info->cmdline, 4096); /* a page is plenty */
	if (info->flags & MB_INFO_MODULES) {
		const struct multiboot_module *mods = multiboot_phys_ptr(
		        info->mods_addr, info->mods_count * sizeof(*mods));

		report(fn, ctx, info->mods_addr,
		       info->mods_count * sizeof(*mods));
		for (uint32_t i = 0; mods && i < info->mods_count; i++) {
			report(fn, ctx, mods[i].start,
			       mods[i].end - mods[i].start);
			report(fn, ctx, mods[i].string, 256);
		}
	}
	if (info->flags & MB_INFO_ELF_SECTIONS) {
		const struct elf32_shdr *sh = multiboot_phys_ptr(
		        info->elf_addr, info->elf_num * info->elf_size);

		report(fn, ctx, info->elf_addr, info->elf_num * info->elf_size);
		for (uint32_t i = 0; sh && i < info->elf_num; i++) {
			/* Sections inside the image are the kernel itself;
			 * the others (symbols, strings) GRUB put elsewhere. */
			if (sh[i].sh_addr && sh[i].sh_addr < KERNEL_VMA)
				report(fn, ctx, sh[i].sh_addr, sh[i].sh_size);
		}
	}
}

/* Room for GRUB's memory map (a PC's has a few to a few dozen entries) and
 * what it reserves (a few, plus a module or ELF section each). */
#define MEMORY_RANGES_MAX 128

struct range_list {
	struct pmm_range *ranges;
	size_t n;
	bool usable; /* what the ranges being added are */
};

static void add_range(struct phys_range r, void *ctx)
{
	struct range_list *list = ctx;

	if (list->n == MEMORY_RANGES_MAX)
		PANIC("multiboot: more than %u memory ranges (raise "
		      "MEMORY_RANGES_MAX in kernel/multiboot.c)",
		      MEMORY_RANGES_MAX);
	list->ranges[list->n++] =
	        (struct pmm_range){r.start, r.end, list->usable};
}

const struct pmm_range *multiboot_memory_ranges(size_t *n)
{
	static struct pmm_range ranges[MEMORY_RANGES_MAX];
	struct range_list list = {ranges, 0, true};

	multiboot_for_each_usable(add_range, &list);
	list.usable = false;
	multiboot_for_each_reserved(add_range, &list);
	*n = list.n;
	return ranges;
}
