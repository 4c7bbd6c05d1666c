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

/* Formats with both and compares. No format attribute on purpose. */
static void same_as_libc(const char *fmt, ...)
{
	char ours[128], theirs[128];
	va_list a, b;

	va_start(a, fmt);
	va_copy(b, a);
	int n_ours = format_vsnprintf(ours, sizeof(ours), fmt, a);
	int n_theirs = vsnprintf(theirs, sizeof(theirs), fmt, b);
	va_end(b);
	va_end(a);
	assert_string_equal(ours, theirs);
	assert_int_equal(n_ours, n_theirs);
}

static void integers_match_libc(void **state)
{
	(void)state;
	same_as_libc("%d %i %u", 42, -17, 3000000000u);
	same_as_libc("%d %d", INT_MIN, INT_MAX);
	same_as_libc("%x %X %08x %-8x|", 0xbeef, 0xbeef, 0x1f, 0x1f);
	same_as_libc("[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	same_as_libc("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0xabcdefUL);
	same_as_libc("%0d %1d", 0, 0);
	same_as_libc("%lld %llu %llx", LLONG_MIN, ULLONG_MAX,
	             0x123456789abcULL);
	same_as_libc("%zu %zd %jd", (size_t)12345, (ssize_t)-7, (intmax_t)-9);
	same_as_libc("%hd %hhu %hx", 12, 200, 0xbeef);
}

static void precision_and_flags_match_libc(void **state)
{
	(void)state;
	same_as_libc("[%.5d] [%8.3d] [%-8.3d] [%.0d] [%.0x]", 42, 7, 7, 0, 0);
	same_as_libc("[%+d] [%+d] [% d] [% d] [%+05d]", 5, -5, 5, -5, 5);
	same_as_libc("[%#x] [%#X] [%#o] [%#o] [%#x] [%o]", 255, 255, 8, 0, 0,
	             64);
	same_as_libc("[%#010x] [%08.3d] [%-+6d]", 0xab, 12, 3);
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

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(format_snprintf(buf, sizeof(buf), "%s", "abcdefgh"),
	                 8);
	assert_string_equal(buf, "abcd");
	assert_int_equal(format_snprintf(NULL, 0, "%d", 12345), 5);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(integers_match_libc),
	        cmocka_unit_test(strings_and_chars_match_libc),
	        cmocka_unit_test(precision_and_flags_match_libc),
	        cmocka_unit_test(pointers_show_every_digit),
	        cmocka_unit_test(truncation_keeps_nul_and_length),
	        cmocka_unit_test(unknown_conversion_is_printed),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
