/*
 * The ELF loader. A file is checked in full before anything is mapped:
 *
 *   +-----------+  offset 0
 *   | ELF header|  magic, class, machine, type, entry, where the
 *   +-----------+  program headers are (e_phoff, e_phnum)
 *   | program   |  one per segment: PT_LOAD says "map memsz bytes at
 *   | headers   |  vaddr; the first filesz come from the file at offset;
 *   +-----------+  the rest are zero (.bss)"
 *   | segments  |
 *   +-----------+
 */
#include "kernel/elf_load.h"

#include "kernel/elf.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/layout.h"
#include "mm/paging.h"

/* Programs must end below the stack area and its guard gap. */
#define USER_IMAGE_END USER_HEAP_LIMIT
#define MAX_SEGMENTS 16

static const struct elf32_phdr *program_headers(const void *file)
{
	const struct elf32_ehdr *eh = file;

	return (const void *)((const uint8_t *)file + eh->e_phoff);
}

static int reject(const char **why, const char *reason)
{
	*why = reason;
	return -ENOEXEC;
}

static int check_header(const struct elf32_ehdr *eh, size_t size,
                        const char **why)
{
	static const uint8_t magic[4] = {0x7F, 'E', 'L', 'F'};

	if (size < sizeof(*eh))
		return reject(why, "shorter than an ELF header");
	if (memcmp(eh->e_ident, magic, sizeof(magic)) != 0)
		return reject(why, "no ELF magic number");
	if (eh->e_ident[EI_CLASS] != ELFCLASS32)
		return reject(why, "not a 32-bit ELF file");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return reject(why, "not little-endian");
	if (eh->e_machine != EM_386)
		return reject(why, "not an i386 program");
	if (eh->e_type != ET_EXEC)
		return reject(why, "not an executable (ET_EXEC)");
	if (eh->e_phentsize != sizeof(struct elf32_phdr))
		return reject(why, "unexpected program header size");
	if (eh->e_phnum == 0 || eh->e_phnum > MAX_SEGMENTS)
		return reject(why, "no or too many program headers");
	if (eh->e_phoff > size ||
	    (size_t)eh->e_phnum * sizeof(struct elf32_phdr) >
	            size - eh->e_phoff)
		return reject(why, "program headers lie outside the file");
	if (eh->e_phoff % 4)
		return reject(why, "misaligned program headers");
	return 0;
}

static int check_segment(const struct elf32_phdr *ph, size_t size,
                         const char **why)
{
	if (ph->p_filesz > ph->p_memsz)
		return reject(why, "segment's file size exceeds its size");
	if (ph->p_offset > size || ph->p_filesz > size - ph->p_offset)
		return reject(why, "segment's data lies outside the file");
	if (ph->p_memsz == 0)
		return reject(why, "empty loadable segment");
	if (ph->p_vaddr < USER_BASE || ph->p_vaddr >= USER_IMAGE_END ||
	    ph->p_memsz > USER_IMAGE_END - ph->p_vaddr)
		return reject(why, "segment outside user space");
	return 0;
}

/* Two segments overlap if they touch a common page. */
static bool pages_overlap(const struct elf32_phdr *a,
                          const struct elf32_phdr *b)
{
	uintptr_t a_start = PAGE_ALIGN_DOWN(a->p_vaddr);
	uintptr_t a_end = PAGE_ALIGN_UP(a->p_vaddr + a->p_memsz);
	uintptr_t b_start = PAGE_ALIGN_DOWN(b->p_vaddr);
	uintptr_t b_end = PAGE_ALIGN_UP(b->p_vaddr + b->p_memsz);

	return a_start < b_end && b_start < a_end;
}

int elf_check(const void *file, size_t size, const char **why)
{
	const struct elf32_ehdr *eh = file;
	int err = check_header(eh, size, why);

	if (err)
		return err;
	const struct elf32_phdr *ph = program_headers(file);
	bool entry_ok = false;
	unsigned loads = 0;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		loads++;
		err = check_segment(&ph[i], size, why);
		if (err)
			return err;
		for (unsigned j = 0; j < i; j++) {
			if (ph[j].p_type == PT_LOAD &&
			    pages_overlap(&ph[i], &ph[j]))
				return reject(why, "segments overlap");
		}
		if ((ph[i].p_flags & PF_X) && eh->e_entry >= ph[i].p_vaddr &&
		    eh->e_entry - ph[i].p_vaddr < ph[i].p_memsz)
			entry_ok = true;
	}
	if (loads == 0)
		return reject(why, "no loadable segment");
	if (!entry_ok)
		return reject(why, "entry point outside executable segments");
	return 0;
}

/*
 * Describes one segment as regions: text if executable; otherwise data
 * for the pages that hold file bytes and bss for the pages past them
 * (zero-filled). No page is mapped here: the page-fault path reads each
 * page from the file on its first touch (or vm_populate at once).
 */
static int add_segment(struct region_list *regions, const uint8_t *file,
                       const struct elf32_phdr *ph)
{
	uint32_t rights = REGION_READ |
	                  ((ph->p_flags & PF_W) ? REGION_WRITE : 0) |
	                  ((ph->p_flags & PF_X) ? REGION_EXEC : 0);
	struct region_source source = {
	        .file = file,
	        .offset = ph->p_offset,
	        .size = ph->p_filesz,
	        .vaddr = ph->p_vaddr,
	};
	uintptr_t start = PAGE_ALIGN_DOWN(ph->p_vaddr);
	uintptr_t end = PAGE_ALIGN_UP(ph->p_vaddr + ph->p_memsz);
	uintptr_t file_end = PAGE_ALIGN_UP(ph->p_vaddr + ph->p_filesz);

	if (ph->p_flags & PF_X)
		return region_add(regions, start, end, rights, REGION_TEXT,
		                  &source);
	if (ph->p_filesz > 0) {
		int err = region_add(regions, start, file_end, rights,
		                     REGION_DATA, &source);
		if (err)
			return err;
		start = file_end;
	}
	if (start == end)
		return 0;
	return region_add(regions, start, end, rights, REGION_BSS, NULL);
}

int elf_load(struct region_list *regions, const void *file, size_t size,
             struct elf_image *image, const char **why)
{
	int err = elf_check(file, size, why);

	if (err)
		return err;
	const struct elf32_ehdr *eh = file;
	const struct elf32_phdr *ph = program_headers(file);

	image->entry = eh->e_entry;
	image->image_end = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		err = add_segment(regions, file, &ph[i]);
		if (err) {
			*why = "out of memory";
			return err;
		}
		uintptr_t end = ph[i].p_vaddr + ph[i].p_memsz;
		if (end > image->image_end)
			image->image_end = end;
	}
	return 0;
}
