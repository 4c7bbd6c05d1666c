/*
 * A reader for ustar archives. The archive is a list of 512-byte blocks:
 * a header block, then the file's data rounded up to whole blocks, then
 * the next header; two zero blocks end it. Numbers in headers are octal
 * text.
 *
 *   offset  field
 *        0  name[100]      NUL-terminated unless exactly 100 long
 *      124  size[12]       octal
 *      148  checksum[8]    octal: sum of the header's bytes, this field
 *                          counted as spaces
 *      156  typeflag       '0' or '\0' for a regular file
 *      257  magic[6]       "ustar"
 */
#include "kernel/ustar.h"

#include <stdint.h>

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
 * checksum, magic, size and mode fields are checked here and nowhere
 * else.
 */
static bool header_ok(const uint8_t *archive, size_t archive_size,
                      size_t offset, uint32_t *size, uint32_t *mode)
{
	const struct ustar_header *h = (const void *)(archive + offset);
	static const char magic[5] = "ustar"; /* no NUL: 5 bytes compared */

	for (size_t i = 0; i < sizeof(magic); i++)
		if (h->magic[i] != magic[i])
			return false;
	return checksum_ok(h) && parse_octal(h->size, sizeof(h->size), size) &&
	       parse_octal(h->mode, sizeof(h->mode), mode) &&
	       *size <= archive_size - offset - BLOCK;
}

static bool is_regular(const struct ustar_header *h)
{
	return h->typeflag == '0' || h->typeflag == '\0';
}

/* Copies h's name into f, without "./" (tar -C dir . writes that). */
static void copy_name(struct ustar_file *f, const struct ustar_header *h)
{
	const char *name = h->name;
	size_t room = sizeof(h->name), len = 0;

	if (name[0] == '.' && name[1] == '/') {
		name += 2;
		room -= 2;
	}
	/* A 100-byte name has no NUL: stop at the field's end. */
	while (len < room && name[len]) {
		f->name[len] = name[len];
		len++;
	}
	f->name[len] = '\0';
}

size_t ustar_scan(const void *archive, size_t size, struct ustar_file *files,
                  size_t max, size_t *bad_offset)
{
	const uint8_t *bytes = archive;
	size_t offset = 0, n = 0;
	uint32_t file_size, mode;

	*bad_offset = USTAR_NO_BAD_HEADER;
	while (offset + BLOCK <= size) {
		const struct ustar_header *h = (const void *)(bytes + offset);

		if (h->name[0] == '\0')
			break; /* the end-of-archive blocks */
		if (!header_ok(bytes, size, offset, &file_size, &mode)) {
			*bad_offset = offset;
			break;
		}
		if (is_regular(h)) {
			if (n < max) {
				copy_name(&files[n], h);
				files[n].data = bytes + offset + BLOCK;
				files[n].size = file_size;
				files[n].mode = mode & 07777;
			}
			n++;
		}
		offset += BLOCK + (file_size + BLOCK - 1) / BLOCK * BLOCK;
	}
	return n;
}
