/*
 * A reader for ustar archives (what `tar --format=ustar` writes): the
 * regular files an archive holds, its headers checked. Pure: it only
 * reads the bytes it is given (the initrd, kernel/initrd.c; the host
 * tests, tests/host/test_ustar.c).
 */
#ifndef KERNEL_USTAR_H
#define KERNEL_USTAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USTAR_NAME_MAX 100 /* a header's name field */

/* One regular file. Its name is NUL-terminated here (a 100-byte name in
 * a header is not), without tar's "./" in front. */
struct ustar_file {
	char name[USTAR_NAME_MAX + 1];
	const void *data; /* inside the archive */
	size_t size;
	uint32_t mode; /* the header's permission bits (07777) */
};

/* ustar_scan's *bad_offset when every header was good. */
#define USTAR_NO_BAD_HEADER ((size_t)-1)

/*
 * Reads the headers of the archive's `size` bytes in order, checking each
 * (magic, checksum, octal size, data inside the archive), and fills
 * files[0..max) with its regular files in archive order (files may be
 * NULL, max 0: only count). Returns how many regular files come before
 * the end-of-archive blocks, the end of the bytes, or the first bad
 * header, whose offset goes to *bad_offset (else USTAR_NO_BAD_HEADER):
 * the files after a bad header cannot be found.
 */
size_t ustar_scan(const void *archive, size_t size, struct ustar_file *files,
                  size_t max, size_t *bad_offset);

#endif
