/*
 * The initial RAM disk: the ustar archive GRUB loads as a module. Its
 * headers are checked once, at boot (kernel/ustar.c), and each regular
 * file goes into an index sorted by name; a lookup is a binary search in
 * it. (Walking the archive and summing every header's checksum on each
 * lookup made initrd_find 85% of a spawn's instructions.)
 */
#include "kernel/initrd.h"

#include <stdint.h>

#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "kernel/ustar.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/vmm.h"

_Static_assert(INITRD_NAME_MAX == USTAR_NAME_MAX, "a name is a header's");

static struct ustar_file *files; /* sorted by name, from kmalloc */
static size_t file_count;
/* Where the archive is mapped: only the index is read after boot, but a
 * debugger and `make view` (tools/view/decode.py) find its frames here. */
static const uint8_t *archive;
static size_t archive_size;

/* Insertion sort by name: tar was given the names sorted, so this is one
 * pass in practice. Stable: of two files with one name, the first in the
 * archive stays first, and initrd_find finds it, as a walk would. */
static void sort_by_name(struct ustar_file *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct ustar_file f = a[i];
		size_t j = i;
		while (j > 0 && strcmp(a[j - 1].name, f.name) > 0) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = f;
	}
}

void initrd_init(void)
{
	const struct multiboot_info *mbi = multiboot_info();

	if (!(mbi->flags & MB_INFO_MODULES) || mbi->mods_count == 0) {
		kprintf("initrd: GRUB loaded no module: no programs\n");
		return;
	}
	const struct multiboot_module *mod =
	        multiboot_phys_ptr(mbi->mods_addr, sizeof(*mod));
	if (!mod || mod->end <= mod->start) {
		kprintf("initrd: the module list is unreadable\n");
		return;
	}
	archive_size = mod->end - mod->start;
	archive = vmm_map_phys(mod->start, archive_size);
	if (!archive) {
		kprintf("initrd: no room to map %u bytes\n",
		        (unsigned)archive_size);
		return;
	}
	size_t bad;
	size_t n = ustar_scan(archive, archive_size, NULL, 0, &bad);
	if (bad != USTAR_NO_BAD_HEADER)
		kprintf("initrd: bad header at offset %u: stopping\n",
		        (unsigned)bad);
	files = kmalloc(n * sizeof(*files));
	if (n > 0 && !files)
		PANIC("initrd: no kernel heap for the index of %u files",
		      (unsigned)n);
	file_count = ustar_scan(archive, archive_size, files, n, &bad);
	sort_by_name(files, file_count);
}

void initrd_for_each(initrd_file_fn fn, void *ctx)
{
	for (size_t i = 0; i < file_count; i++)
		fn(files[i].name, files[i].data, files[i].size, ctx);
}

const struct ustar_file *initrd_lookup(const char *name)
{
	size_t lo = 0, hi = file_count; /* the answer is in [lo, hi) */

	/* The first file whose name is >= name. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(files[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == file_count || strcmp(files[lo].name, name) != 0)
		return NULL;
	return &files[lo];
}

bool initrd_find(const char *name, const void **data, size_t *size)
{
	const struct ustar_file *f = initrd_lookup(name);

	if (!f)
		return false;
	*data = f->data;
	*size = f->size;
	return true;
}

size_t initrd_file_count(void)
{
	return file_count;
}

const struct ustar_file *initrd_file_at(size_t index)
{
	ASSERT(index < file_count);
	return &files[index];
}

uint32_t initrd_file_number(const struct ustar_file *f)
{
	ASSERT(f >= files && f < files + file_count);
	return (uint32_t)(f - files) + 1;
}
