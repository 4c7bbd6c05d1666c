/* kprintf's formatting, through the same core (lib/format.c). */
#include <stdarg.h>

#include "kernel/kprintf.h"
#include "lib/format.h"
#include "lib/string.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

/* No format attribute here on purpose: the tests pass what the compiler
 * would warn about (NULL strings, unknown conversions). */
static void expect_format(int line, const char *expected, const char *fmt, ...)
{
	char buf[64];
	va_list ap;

	va_start(ap, fmt);
	format_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, expected) != 0)
		ktest_fail(__FILE__, line,
		           "format \"%s\" gives \"%s\", expected \"%s\"", fmt,
		           buf, expected);
}

#define EXPECT_FORMAT(expected, ...)                                           \
	expect_format(__LINE__, expected, __VA_ARGS__)

static bool has_nul(const char *buf, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		if (buf[i] == '\0')
			return true;
	}
	return false;
}

void test_format_integers(void)
{
	EXPECT_FORMAT("42 -17 0", "%d %i %d", 42, -17, 0);
	EXPECT_FORMAT("-2147483648", "%d", (int)0x80000000);
	EXPECT_FORMAT("4294967295", "%u", 0xFFFFFFFFu);
	EXPECT_FORMAT("ff FF", "%x %X", 255, 255);
	EXPECT_FORMAT("[   42]", "[%5d]", 42);
	EXPECT_FORMAT("[00042]", "[%05d]", 42);
	EXPECT_FORMAT("[-0042]", "[%05d]", -42);
	EXPECT_FORMAT("[42   ]", "[%-5d]", 42);
	EXPECT_FORMAT("[42   ]", "[%-05d]", 42); /* '-' wins over '0' */
	EXPECT_FORMAT("000000ab", "%08x", 0xab);
	EXPECT_FORMAT("0x000000ff", "%#010x", 255);
}

void test_format_strings_and_chars(void)
{
	EXPECT_FORMAT("hi there", "%s %s", "hi", "there");
	EXPECT_FORMAT("[  ab]", "[%4s]", "ab");
	EXPECT_FORMAT("[ab  ]", "[%-4s]", "ab");
	EXPECT_FORMAT("(null)", "%s", (char *)NULL);
	EXPECT_FORMAT("x=A", "x=%c", 'A');
	EXPECT_FORMAT("100%", "100%%");
	EXPECT_FORMAT("%q", "%q");
}

void test_format_pointers_and_long(void)
{
	EXPECT_FORMAT("0xc0100000", "%p", (void *)0xC0100000);
	EXPECT_FORMAT("0x00000010", "%p", (void *)0x10);
	EXPECT_FORMAT("-5 4000000000", "%ld %lu", -5L, 4000000000UL);
	EXPECT_FORMAT("deadbeef", "%lx", 0xDEADBEEFUL);
	/* Truncation keeps the NUL and reports the full length. */
	char small[4] = "###";
	int n = format_snprintf(small, sizeof(small), "%d", 123456);
	if (!has_nul(small, sizeof(small)))
		KT_FAIL("format_snprintf(small, 4, \"%%d\", 123456) left no "
		        "'\\0' in the 4 bytes of small: a result cut short "
		        "still "
		        "ends with one, in small[3]");
	if (strcmp(small, "123") != 0)
		KT_FAIL("format_snprintf(small, 4, \"%%d\", 123456) wrote "
		        "\"%s\", expected \"123\"",
		        small);
	if (n != 6)
		KT_FAIL("format_snprintf(small, 4, \"%%d\", 123456) returned "
		        "%d, "
		        "expected 6: the length of the whole result, not of "
		        "what fit",
		        n);
}

/* The count kprintf returns against what it writes: the same format into a
 * buffer, through the same core, shows how many characters that is. */
void test_kprintf_returns_length(void)
{
	char line[64];

	/* Every character counts: the padding too, and '\n' as one (the
	 * serial port's extra '\r' is the console's, not printf's). */
	format_snprintf(line, sizeof(line), "# kprintf writes %-9s|%4d\n",
	                "this line", 42);
	int n = kprintf("# kprintf writes %-9s|%4d\n", "this line", 42);

	if (n != (int)strlen(line))
		KT_FAIL("kprintf(\"# kprintf writes %%-9s|%%4d...\", \"this "
		        "line\", 42) returned %d, but it wrote %u characters "
		        "(the line above, padding and newline included)",
		        n, (unsigned)strlen(line));
}
