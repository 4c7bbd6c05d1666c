/* Host tests of the printf core (lib/format.c) against the C library's
 * own snprintf, which implements the same conversions. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "lib/format.h"

/* Formats with both and compares; a difference fails the test at the
 * caller's line, with the format and both results. No format attribute on
 * purpose. */
static void same_as_libc_at(int line, const char *fmt, ...)
{
	char ours[128], theirs[128];
	va_list a, b;

	va_start(a, fmt);
	va_copy(b, a);
	int n_ours = format_vsnprintf(ours, sizeof(ours), fmt, a);
	int n_theirs = vsnprintf(theirs, sizeof(theirs), fmt, b);
	va_end(b);
	va_end(a);
	if (strcmp(ours, theirs) != 0) {
		print_error("ERROR: format \"%s\" gives \"%s\", the C library "
		            "\"%s\"\n",
		            fmt, ours, theirs);
		_fail(__FILE__, line);
	}
	if (n_ours != n_theirs) {
		print_error("ERROR: format \"%s\" wrote %d characters (\"%s\") "
		            "but returned %d: the count is of every character "
		            "written\n",
		            fmt, n_theirs, ours, n_ours);
		_fail(__FILE__, line);
	}
}

#define same_as_libc(...) same_as_libc_at(__LINE__, __VA_ARGS__)

static void integers_match_libc(void **state)
{
	(void)state;
	same_as_libc("%d %i %u", 42, -17, 3000000000u);
	same_as_libc("%d", INT_MAX);
	same_as_libc("%x %X", 0xbeef, 0xbeef);
	same_as_libc("%08x %-8x|", 0x1f, 0x1f);
	same_as_libc("[%5d] [%-5d]", 42, 42);
	same_as_libc("[%05d] [%05d]", 42, -42);
	same_as_libc("%lu %lx", ULONG_MAX, 0xabcdefUL);
	same_as_libc("%0d %1d", 0, 0);
	same_as_libc("%llu %llx", ULLONG_MAX, 0x123456789abcULL);
	same_as_libc("%zu %zd %jd", (size_t)12345, (ssize_t)-7, (intmax_t)-9);
	same_as_libc("%hd %hhu %hx", 12, 200, 0xbeef);
}

static void precision_and_flags_match_libc(void **state)
{
	(void)state;
	same_as_libc("[%.5d] [%8.3d] [%-8.3d]", 42, 7, 7);
	same_as_libc("[%.0d] [%.0x]", 0, 0);
	same_as_libc("[%+d] [%+d] [% d] [% d] [%+05d]", 5, -5, 5, -5, 5);
	same_as_libc("[%#x] [%#X] [%#o] [%#o] [%#x] [%o]", 255, 255, 8, 0, 0,
	             64);
	same_as_libc("[%#010x] [%08.3d] [%-+6d]", 0xab, 12, 3);
	/* C ignores '0' with '-': the padding goes after, as spaces. */
	same_as_libc("[%-05d] [%-08x]", 42, 0x1f);
	/* A width smaller than the field cuts nothing. */
	same_as_libc("[%2d] [%03x] [%#02o]", 12345, 0xabcdef, 8);
	same_as_libc("[%.3s] [%10.2s] [%-6.1s] [%.0s]", "abcdef", "xyz", "q",
	             "gone");
	same_as_libc("[%*d] [%-*d] [%*d] [%.*d] [%.*s]", 6, 1, 6, 2, -6, 3, 4,
	             5, 2, "abc");
	same_as_libc("[%5c] [%-3c]", 'a', 'b');
}

static void strings_and_chars_match_libc(void **state)
{
	(void)state;
	same_as_libc("%s|%8s|%-8s|", "abc", "abc", "abc");
	same_as_libc("%c%c %3c", 'o', 'k', 'x');
	same_as_libc("100%% sure");
	same_as_libc("");
}

static void pointers_show_every_digit(void **state)
{
	(void)state;
	char buf[64], expected[64];

	format_snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	snprintf(expected, sizeof(expected), "0x%0*zx",
	         (int)(2 * sizeof(void *)), (size_t)0x1234);
	assert_string_equal(buf, expected);
}

static void truncation_keeps_nul_and_length(void **state)
{
	(void)state;
	char buf[5];
	int n;

	memset(buf, 'X', sizeof(buf));
	n = format_snprintf(buf, sizeof(buf), "%s", "abcdefgh");
	if (!memchr(buf, '\0', sizeof(buf)))
		fail_msg("format_snprintf(buf, 5, \"%%s\", \"abcdefgh\") left "
		         "no '\\0' in the 5 bytes of buf: a result cut short "
		         "still ends with one, in buf[4]");
	if (strcmp(buf, "abcd") != 0)
		fail_msg("format_snprintf(buf, 5, \"%%s\", \"abcdefgh\") wrote "
		         "\"%s\", expected \"abcd\" (4 characters and the "
		         "'\\0')",
		         buf);
	if (n != 8)
		fail_msg("format_snprintf(buf, 5, \"%%s\", \"abcdefgh\") "
		         "returned %d, expected 8: the length of the whole "
		         "result, as if buf were big enough, not of what fit",
		         n);
	n = format_snprintf(NULL, 0, "%d", 12345);
	if (n != 5)
		fail_msg(
		        "format_snprintf(NULL, 0, \"%%d\", 12345) returned %d, "
		        "expected 5: the length of the whole result",
		        n);
	memset(buf, 'X', sizeof(buf));
	n = format_snprintf(buf, 1, "%d", 7);
	if (buf[0] != '\0' || buf[1] != 'X' || n != 1)
		fail_msg("format_snprintf(buf, 1, \"%%d\", 7) returned %d and "
		         "wrote buf[0] = 0x%02x, buf[1] = 0x%02x, expected 1, "
		         "'\\0' and nothing",
		         n, (unsigned char)buf[0], (unsigned char)buf[1]);
}

static void unknown_conversion_is_printed(void **state)
{
	(void)state;
	char buf[16];
	/* Through a pointer, so the compiler does not check these on purpose
	 * malformed formats. */
	int (*unchecked)(char *, size_t, const char *, ...) = format_snprintf;

	unchecked(buf, sizeof(buf), "a%qb", 1);
	assert_string_equal(buf, "a%qb");
	unchecked(buf, sizeof(buf), "end%");
	assert_string_equal(buf, "end%");
}

/*
 * The most negative numbers, whose magnitude does not fit their own type:
 * negating one in signed arithmetic overflows. The host build stops the
 * program at undefined behaviour (-fno-sanitize-recover), so this test
 * runs last: the others have reported by then.
 */
static void most_negative_numbers_match_libc(void **state)
{
	(void)state;
	same_as_libc("%d %i", INT_MIN, INT_MIN);
	same_as_libc("[%012d] [%-13d] [%+d]", INT_MIN, INT_MIN, INT_MIN);
	same_as_libc("%ld", LONG_MIN);
	same_as_libc("%lld", LLONG_MIN);
	same_as_libc("[%025lld]", LLONG_MIN);
	same_as_libc("%jd", INTMAX_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(integers_match_libc),
	        cmocka_unit_test(strings_and_chars_match_libc),
	        cmocka_unit_test(precision_and_flags_match_libc),
	        cmocka_unit_test(pointers_show_every_digit),
	        cmocka_unit_test(truncation_keeps_nul_and_length),
	        cmocka_unit_test(unknown_conversion_is_printed),
	        cmocka_unit_test(most_negative_numbers_match_libc), /* last */
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
