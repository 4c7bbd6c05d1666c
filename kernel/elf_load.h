/*
 * Loading a static i386 ELF executable into a user address space. Every
 * field read from the file is checked first: a malformed program gets
 * -ENOEXEC back, never a kernel fault.
 */
#ifndef KERNEL_ELF_LOAD_H
#define KERNEL_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "mm/region.h"

/* What a loaded program looks like. */
struct elf_image {
	uintptr_t entry;     /* where the program starts */
	uintptr_t image_end; /* first byte after the highest segment */
};

/*
 * Checks that file is an executable we can run: the magic, 32-bit,
 * little-endian, i386, ET_EXEC, program headers inside the file, at least
 * one loadable segment, every segment inside user space below the stack
 * area and inside the file, no two segments sharing a page, the entry
 * point inside an executable segment. Returns 0 or -ENOEXEC, and a reason
 * in *why.
 */
int elf_check(const void *file, size_t size, const char **why);

/*
 * Checks, then describes every segment as regions of the list: text
 * (read, execute), data (read, write; from the file) and bss (read,
 * write; zero-filled). Maps nothing: each page comes from the file on its
 * first touch. The file must stay where it is while the regions use it
 * (the initrd does). Returns 0, -ENOEXEC or -ENOMEM; on error the list
 * may hold some regions: the caller frees it.
 */
int elf_load(struct region_list *regions, const void *file, size_t size,
             struct elf_image *image, const char **why);

#endif
