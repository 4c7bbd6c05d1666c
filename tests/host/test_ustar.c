/* Host tests of the ustar reader (kernel/ustar.c), the initrd's: archives
 * built here block by block, good ones and each kind of bad header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/ustar.h"

#define BLOCK 512
#define ARCHIVE_BLOCKS 16

static uint8_t archive[ARCHIVE_BLOCKS * BLOCK];
static size_t used; /* bytes of archive written so far */

/* Makes h's checksum right again after a change. */
static void resum(uint8_t *h)
{
	unsigned sum = 0;

	memset(h + 148, ' ', 8);
	for (int i = 0; i < BLOCK; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* Appends a header for `name` (at most 100 bytes, copied without a NUL
 * when it fills the field), type `type`, and `size` bytes of data, each
 * the byte `fill`, padded to whole blocks. Returns the header's offset. */
static size_t add(const char *name, char type, size_t size, uint8_t fill)
{
	size_t at = used;
	uint8_t *h = archive + at;

	assert_true(at + BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK <=
	            sizeof(archive));
	memset(h, 0, BLOCK);
	memcpy(h, name, strnlen(name, 100));
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 124, 12, "%011zo", size);
	h[156] = (uint8_t)type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	resum(h);
	memset(h + BLOCK, fill, size);
	used += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
	return at;
}

static void end_archive(void)
{
	used += 2 * BLOCK; /* zero blocks: the archive is zeroed */
	assert_true(used <= sizeof(archive));
}

static int reset(void **state)
{
	(void)state;
	memset(archive, 0, sizeof(archive));
	used = 0;
	return 0;
}

static void test_regular_files_in_order(void **state)
{
	struct ustar_file files[4];
	size_t bad;

	(void)state;
	add("./b", '0', 700, 'b');
	add("./dir/", '5', 0, 0); /* a directory: not a file */
	add("a", '\0', 0, 0);     /* old tar's regular file, empty */
	end_archive();
	assert_int_equal(ustar_scan(archive, used, NULL, 0, &bad), 2);
	assert_int_equal(ustar_scan(archive, used, files, 4, &bad), 2);
	assert_int_equal(bad, USTAR_NO_BAD_HEADER);
	assert_string_equal(files[0].name, "b"); /* "./" dropped */
	assert_int_equal(files[0].size, 700);
	assert_ptr_equal(files[0].data, archive + BLOCK);
	assert_int_equal(((const uint8_t *)files[0].data)[699], 'b');
	assert_int_equal(files[0].mode, 0644); /* what fstat reports */
	assert_string_equal(files[1].name, "a");
	assert_int_equal(files[1].size, 0);
	/* max is respected: the count is still all of them. */
	assert_int_equal(ustar_scan(archive, used, files, 1, &bad), 2);
}

static void test_name_of_100_bytes(void **state)
{
	char name[101];
	struct ustar_file f;
	size_t bad;

	(void)state;
	memset(name, 'n', 100);
	name[100] = '\0';
	add(name, '0', 1, 1); /* the field holds no NUL */
	end_archive();
	assert_int_equal(ustar_scan(archive, used, &f, 1, &bad), 1);
	assert_string_equal(f.name, name);
}

/* Each kind of bad header stops the scan there, reports its offset, and
 * keeps the files before it. */
static void check_bad_second_header(void (*spoil)(uint8_t *header))
{
	struct ustar_file files[2];
	size_t bad;

	add("good", '0', 10, 'g');
	size_t second = add("spoilt", '0', 10, 's');
	add("after", '0', 10, 'a');
	end_archive();
	spoil(archive + second);
	assert_int_equal(ustar_scan(archive, used, files, 2, &bad), 1);
	assert_int_equal(bad, second);
	assert_string_equal(files[0].name, "good");
}

static void wrong_checksum(uint8_t *h)
{
	h[0] ^= 1; /* the name changes: the sum no longer matches */
}

/* The rest keep the checksum right: only their own check can fail. */
static void wrong_magic(uint8_t *h)
{
	memcpy(h + 257, "USTAR", 5);
	resum(h);
}

static void size_not_octal(uint8_t *h)
{
	h[124] = '9';
	resum(h);
}

static void size_past_the_end(uint8_t *h)
{
	snprintf((char *)h + 124, 12, "%011o", 1u << 30);
	resum(h);
}

static void mode_not_octal(uint8_t *h)
{
	memcpy(h + 100, "0x1ed  ", 8);
	resum(h);
}

static void test_bad_checksum(void **state)
{
	(void)state;
	check_bad_second_header(wrong_checksum);
}

static void test_bad_magic(void **state)
{
	(void)state;
	check_bad_second_header(wrong_magic);
}

static void test_bad_size(void **state)
{
	(void)state;
	check_bad_second_header(size_not_octal);
}

static void test_bad_mode(void **state)
{
	(void)state;
	check_bad_second_header(mode_not_octal);
}

/* A program's mode, as tar stores it for the linker's output. */
static void test_mode(void **state)
{
	struct ustar_file f;
	size_t bad;

	(void)state;
	size_t at = add("prog", '0', 4, 0x7f);
	snprintf((char *)archive + at + 100, 8, "%07o", 0100755);
	resum(archive + at);
	end_archive();
	assert_int_equal(ustar_scan(archive, used, &f, 1, &bad), 1);
	assert_int_equal(f.mode, 0755); /* the type bits are not kept */
}

static void test_size_past_the_end(void **state)
{
	(void)state;
	check_bad_second_header(size_past_the_end);
}

/* An archive cut short (no end blocks, a last block incomplete) ends
 * where its bytes do: no header is read past them. */
static void test_cut_short(void **state)
{
	size_t bad;

	(void)state;
	add("one", '0', 10, 1);
	assert_int_equal(ustar_scan(archive, used + 100, NULL, 0, &bad), 1);
	assert_int_equal(bad, USTAR_NO_BAD_HEADER);
	assert_int_equal(ustar_scan(archive, 0, NULL, 0, &bad), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_regular_files_in_order, reset),
	        cmocka_unit_test_setup(test_name_of_100_bytes, reset),
	        cmocka_unit_test_setup(test_bad_checksum, reset),
	        cmocka_unit_test_setup(test_bad_magic, reset),
	        cmocka_unit_test_setup(test_bad_size, reset),
	        cmocka_unit_test_setup(test_size_past_the_end, reset),
	        cmocka_unit_test_setup(test_bad_mode, reset),
	        cmocka_unit_test_setup(test_mode, reset),
	        cmocka_unit_test_setup(test_cut_short, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
