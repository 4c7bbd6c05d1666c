/* What assert() calls when its condition is false. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

_Noreturn void __assert_fail(const char *cond, const char *file, int line,
                             const char *func)
{
	fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", file, line, func,
	        cond);
	abort();
}
