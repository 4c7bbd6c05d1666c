/*
 * Symbol lookup and stack walking for fault reports and panics.
 *
 * GRUB loads the kernel's .symtab and .strtab sections into physical
 * memory and lists the section headers in the multiboot information; we
 * map the two sections and search them. Every function compiled with
 * -fno-omit-frame-pointer starts with `push ebp; mov ebp, esp`, so the
 * frames form a list:
 *
 *   ebp -> [ saved ebp of the caller ] -> [ saved ebp ... ] -> 0
 *          [ return address          ]
 */
#include "kernel/backtrace.h"

#include <stddef.h>

#include "kernel/elf.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "mm/vmm.h"

static const struct elf32_sym *symbols;
static uint32_t symbol_count;
static const char *names;
static uint32_t names_size;

void backtrace_init(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MB_INFO_ELF_SECTIONS) ||
	    mbi->elf_size != sizeof(struct elf32_shdr))
		return;
	const struct elf32_shdr *sh =
	        multiboot_phys_ptr(mbi->elf_addr, mbi->elf_num * mbi->elf_size);
	if (!sh)
		return;
	for (uint32_t i = 0; i < mbi->elf_num; i++) {
		if (sh[i].sh_type != SHT_SYMTAB ||
		    sh[i].sh_link >= mbi->elf_num)
			continue;
		const struct elf32_shdr *strtab = &sh[sh[i].sh_link];

		symbols = vmm_map_phys(sh[i].sh_addr, sh[i].sh_size);
		names = vmm_map_phys(strtab->sh_addr, strtab->sh_size);
		if (!symbols || !names) {
			symbols = NULL;
			return;
		}
		symbol_count = sh[i].sh_size / sizeof(struct elf32_sym);
		names_size = strtab->sh_size;
		return;
	}
}

const char *backtrace_symbol(uint32_t addr, uint32_t *offset)
{
	const struct elf32_sym *best = NULL;

	for (uint32_t i = 0; symbols && i < symbol_count; i++) {
		const struct elf32_sym *s = &symbols[i];

		if (ELF32_ST_TYPE(s->st_info) != STT_FUNC ||
		    s->st_name >= names_size || s->st_value > addr)
			continue;
		if (!best || s->st_value > best->st_value)
			best = s;
	}
	if (!best || (best->st_size && addr >= best->st_value + best->st_size))
		return NULL;
	*offset = addr - best->st_value;
	return names + best->st_name;
}

void backtrace_print_symbol(uint32_t addr)
{
	uint32_t offset;
	const char *name = backtrace_symbol(addr, &offset);

	if (name)
		kprintf("<%s+0x%x>", name, offset);
}

/* A frame pointer we may follow: in the kernel's part, aligned, and
 * mapped (a broken chain must not fault inside the fault report). */
static bool plausible_frame(uint32_t ebp)
{
	return ebp >= KERNEL_VMA && ebp <= 0xFFFFFFF8u && (ebp & 3) == 0 &&
	       vmm_translate(vmm_kernel_space(), ebp, NULL, NULL) &&
	       vmm_translate(vmm_kernel_space(), ebp + 4, NULL, NULL);
}

void backtrace_print_from(uint32_t ebp)
{
	enum { MAX_FRAMES = 16 };

	kprintf("  backtrace:\n");
	for (int depth = 0; depth < MAX_FRAMES && plausible_frame(ebp);
	     depth++) {
		const uint32_t *frame = (const uint32_t *)ebp;
		uint32_t return_address = frame[1];

		if (!return_address)
			break;
		kprintf("    %p ", (void *)return_address);
		backtrace_print_symbol(return_address);
		kprintf("\n");
		ebp = frame[0];
	}
}
