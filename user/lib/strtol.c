/*
 * Text to integers: strtoull does the work (sign, base prefix, digits,
 * overflow); the signed and shorter versions clamp its result to their
 * range and set ERANGE like C's.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * Parses [space][+|-][0x|0]digits. Returns the magnitude (saturated at
 * ULLONG_MAX, *overflow set), *negative for a '-'. *end points past the
 * last digit, or at s when there was no number.
 */
static unsigned long long parse(const char *s, char **end, int base,
                                bool *negative, bool *overflow)
{
	const char *p = s;
	unsigned long long value = 0;
	bool any = false;

	*negative = false;
	*overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		*negative = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (; digit_value(*p) < base; p++) {
		unsigned d = (unsigned)digit_value(*p);
		any = true;
		if (value > (ULLONG_MAX - d) / (unsigned)base)
			*overflow = true;
		else
			value = value * (unsigned)base + d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	return *overflow ? ULLONG_MAX : value;
}

/* A signed result in [min, max]. */
static long long to_signed(const char *s, char **end, int base, long long min,
                           long long max)
{
	bool negative, overflow;
	unsigned long long m = parse(s, end, base, &negative, &overflow);
	unsigned long long limit = negative ? 0ULL - (unsigned long long)min
	                                    : (unsigned long long)max;

	if (overflow || m > limit) {
		errno = ERANGE;
		return negative ? min : max;
	}
	return negative ? (long long)(0ULL - m) : (long long)m;
}

/* An unsigned result up to max; a '-' negates it, as C says. */
static unsigned long long to_unsigned(const char *s, char **end, int base,
                                      unsigned long long max)
{
	bool negative, overflow;
	unsigned long long m = parse(s, end, base, &negative, &overflow);

	if (overflow || m > max) {
		errno = ERANGE;
		return max;
	}
	return negative ? (0ULL - m) & max : m;
}

long strtol(const char *s, char **end, int base)
{
	return (long)to_signed(s, end, base, LONG_MIN, LONG_MAX);
}

long long strtoll(const char *s, char **end, int base)
{
	return to_signed(s, end, base, LLONG_MIN, LLONG_MAX);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return (unsigned long)to_unsigned(s, end, base, ULONG_MAX);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	return to_unsigned(s, end, base, ULLONG_MAX);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
	return strtoll(s, NULL, 10);
}
