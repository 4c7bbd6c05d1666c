/*
 * A reader for ustar archives (what `tar --format=ustar` writes). The
 * archive is a list of 512-byte blocks: a header block, then the file's
 * data rounded up to whole blocks, then the next header; two zero blocks
 * end it. Numbers in headers are octal text.
 *
 * The headers are checked once, at boot, and each regular file goes into
 * an index sorted by name; a lookup is a binary search in it. (Walking the
 * archive and summing every header's checksum on each lookup made
 * initrd_find 85% of a spawn's instructions.)
 *
 *   offset  field
 *        0  name[100]      NUL-terminated unless exactly 100 long
 *      124  size[12]       octal
 *      148  checksum[8]    octal: sum of the header's bytes, this field
 *                          counted as spaces
 *      156  typeflag       '0' or '\0' for a regular file
 *      257  magic[6]       "ustar"
 */
#include "kernel/initrd.h"

#include <stdint.h>

#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/vmm.h"

#define BLOCK 512

struct ustar_header {
	char name[100];
	char mode[8], uid[8], gid[8];
	char size[12];
	char mtime[12];
	char checksum[8];
	char typeflag;
	char linkname[100];
	char magic[6];
	char version[2];
	char uname[32], gname[32];
	char devmajor[8], devminor[8];
	char prefix[155];
	char pad[12];
};

_Static_assert(sizeof(struct ustar_header) == BLOCK, "a header is a block");

/* One regular file of the archive. Its name is NUL-terminated here (a
 * 100-byte name in a header is not), without tar's "./" in front. */
struct initrd_file {
	char name[INITRD_NAME_MAX + 1];
	const void *data; /* in the archive, mapped read-only */
	size_t size;
};

static struct initrd_file *files; /* sorted by name, from kmalloc */
static size_t file_count;

/* Parses an octal field; returns false on anything but digits/spaces. */
static bool parse_octal(const char *field, size_t len, uint32_t *value)
{
	uint32_t v = 0;
	size_t i = 0;

	while (i < len && field[i] == ' ')
		i++;
	for (; i < len && field[i] >= '0' && field[i] <= '7'; i++) {
		if (v > (UINT32_MAX >> 3))
			return false;
		v = v * 8 + (uint32_t)(field[i] - '0');
	}
	for (; i < len; i++) {
		if (field[i] != ' ' && field[i] != '\0')
			return false;
	}
	*value = v;
	return true;
}

static bool checksum_ok(const struct ustar_header *h)
{
	const uint8_t *bytes = (const uint8_t *)h;
	uint32_t expected, sum = 0;

	if (!parse_octal(h->checksum, sizeof(h->checksum), &expected))
		return false;
	for (size_t i = 0; i < BLOCK; i++) {
		bool in_checksum = i >= 148 && i < 156;
		sum += in_checksum ? ' ' : bytes[i];
	}
	return sum == expected;
}

/*
 * Checks the header at `offset` and reads its file's size; false if it is
 * not a good ustar header whose data fits in the archive. The archive's
 * checksum, magic and size fields are checked here and nowhere else.
 */
static bool header_ok(const uint8_t *archive, size_t archive_size,
                      size_t offset, uint32_t *size)
{
	const struct ustar_header *h = (const void *)(archive + offset);

	return memcmp(h->magic, "ustar", 5) == 0 && checksum_ok(h) &&
	       parse_octal(h->size, sizeof(h->size), size) &&
	       *size <= archive_size - offset - BLOCK;
}

/*
 * Walks the archive's headers: fills files[0..max) with its regular files
 * in archive order (files may be NULL: only count), and returns how many
 * there are. Stops at the end-of-archive blocks, or at a bad header, which
 * it reports once (print) and which hides every file after it.
 */
static size_t scan(const uint8_t *archive, size_t archive_size,
                   struct initrd_file *out, size_t max, bool print)
{
	size_t offset = 0, n = 0;
	uint32_t size;

	while (offset + BLOCK <= archive_size) {
		const struct ustar_header *h = (const void *)(archive + offset);

		if (h->name[0] == '\0')
			break; /* the end-of-archive blocks */
		if (!header_ok(archive, archive_size, offset, &size)) {
			if (print)
				kprintf("initrd: bad header at offset %u: "
				        "stopping\n",
				        (unsigned)offset);
			break;
		}
		if ((h->typeflag == '0' || h->typeflag == '\0') && n < max) {
			const char *name = h->name;
			/* tar -C dir . names files "./name" */
			if (name[0] == '.' && name[1] == '/')
				name += 2;
			/* A 100-byte name has no NUL: stop at the field. */
			size_t room =
			        sizeof(h->name) - (size_t)(name - h->name);
			size_t len = 0;
			while (len < room && name[len])
				len++;
			memcpy(out[n].name, name, len);
			out[n].name[len] = '\0';
			out[n].data = archive + offset + BLOCK;
			out[n].size = size;
		}
		if (h->typeflag == '0' || h->typeflag == '\0')
			n++;
		offset += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
	}
	return n;
}

/* Insertion sort by name: tar was given the names sorted, so this is one
 * pass in practice. Stable: of two files with one name, the first in the
 * archive stays first, and initrd_find finds it, as a walk would. */
static void sort_by_name(struct initrd_file *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct initrd_file f = a[i];
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
	size_t archive_size = mod->end - mod->start;
	const uint8_t *archive = vmm_map_phys(mod->start, archive_size);
	if (!archive) {
		kprintf("initrd: no room to map %u bytes\n",
		        (unsigned)archive_size);
		return;
	}
	size_t n = scan(archive, archive_size, NULL, 0, true);
	files = kmalloc(n * sizeof(*files));
	if (n > 0 && !files)
		PANIC("initrd: no kernel heap for the index of %u files",
		      (unsigned)n);
	file_count = scan(archive, archive_size, files, n, false);
	sort_by_name(files, file_count);
}

void initrd_for_each(initrd_file_fn fn, void *ctx)
{
	for (size_t i = 0; i < file_count; i++)
		fn(files[i].name, files[i].data, files[i].size, ctx);
}

bool initrd_find(const char *name, const void **data, size_t *size)
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
		return false;
	*data = files[lo].data;
	*size = files[lo].size;
	return true;
}
