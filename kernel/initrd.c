/*
 * A reader for ustar archives (what `tar --format=ustar` writes). The
 * archive is a list of 512-byte blocks: a header block, then the file's
 * data rounded up to whole blocks, then the next header; two zero blocks
 * end it. Numbers in headers are octal text.
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
#include "lib/string.h"
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

static const uint8_t *archive;
static size_t archive_size;

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
	if (!archive)
		kprintf("initrd: no room to map %u bytes\n",
		        (unsigned)archive_size);
}

void initrd_for_each(initrd_file_fn fn, void *ctx)
{
	size_t offset = 0;

	while (archive && offset + BLOCK <= archive_size) {
		const struct ustar_header *h = (const void *)(archive + offset);
		uint32_t size;

		if (h->name[0] == '\0')
			return; /* the end-of-archive blocks */
		if (memcmp(h->magic, "ustar", 5) != 0 || !checksum_ok(h) ||
		    !parse_octal(h->size, sizeof(h->size), &size) ||
		    size > archive_size - offset - BLOCK) {
			kprintf("initrd: bad header at offset %u: stopping\n",
			        (unsigned)offset);
			return;
		}
		if (h->typeflag == '0' || h->typeflag == '\0') {
			char name[INITRD_NAME_MAX + 1];
			const char *n = h->name;

			/* tar -C dir . names files "./name" */
			if (n[0] == '.' && n[1] == '/')
				n += 2;
			/* A 100-byte name has no NUL: stop at the field. */
			size_t max = sizeof(h->name) - (size_t)(n - h->name);
			size_t len = 0;
			while (len < max && n[len])
				len++;
			memcpy(name, n, len);
			name[len] = '\0';
			fn(name, archive + offset + BLOCK, size, ctx);
		}
		offset += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
	}
}

struct find_request {
	const char *name;
	const void *data;
	size_t size;
	bool found;
};

static void match_name(const char *name, const void *data, size_t size,
                       void *ctx)
{
	struct find_request *req = ctx;

	if (!req->found && strcmp(name, req->name) == 0) {
		req->data = data;
		req->size = size;
		req->found = true;
	}
}

bool initrd_find(const char *name, const void **data, size_t *size)
{
	struct find_request req = {name, NULL, 0, false};

	initrd_for_each(match_name, &req);
	if (req.found) {
		*data = req.data;
		*size = req.size;
	}
	return req.found;
}
