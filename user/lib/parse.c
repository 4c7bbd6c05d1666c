/* parse_int: decimal text to int, refusing anything that is not a number. */
#include "user/lib/parse.h"

#include <limits.h>
#include <stdbool.h>

#include "lib/abi.h"

int parse_int(const char *s, int *value)
{
	bool negative = *s == '-';
	unsigned int magnitude = 0;
	/* INT_MIN's magnitude is one more than INT_MAX's. */
	unsigned int limit = negative ? (unsigned int)INT_MAX + 1 : INT_MAX;

	if (negative)
		s++;
	if (*s == '\0')
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		unsigned int digit = (unsigned int)(*s - '0');
		if (magnitude > (limit - digit) / 10)
			return -EINVAL;
		magnitude = magnitude * 10 + digit;
	}
	*value = negative ? (int)(0u - magnitude) : (int)magnitude;
	return 0;
}
