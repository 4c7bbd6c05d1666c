/* <stdlib.h>: ending the program, atexit, and the small arithmetic. */
#include <stdio.h>
#include <stdlib.h>

#include "user/lib/syscall.h"

#define ATEXIT_MAX 32

static void (*atexit_funcs[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*func)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_funcs[atexit_count++] = func;
	return 0;
}

/* crt0 calls this with main's result. */
_Noreturn void exit(int status)
{
	while (atexit_count > 0)
		atexit_funcs[--atexit_count]();
	fflush(NULL);
	sys_exit(status);
}

_Noreturn void _Exit(int status)
{
	sys_exit(status);
}

/* Flushes stdout first so the program's last words are not lost, then
 * ends it as killed by SIGABRT (its parent's waitpid says so). */
_Noreturn void abort(void)
{
	fflush(NULL);
	sys_abort();
}

char *getenv(const char *name)
{
	(void)name;
	return NULL;
}

int abs(int n)
{
	return n < 0 ? -n : n;
}

long labs(long n)
{
	return n < 0 ? -n : n;
}

long long llabs(long long n)
{
	return n < 0 ? -n : n;
}

div_t div(int num, int den)
{
	return (div_t){num / den, num % den};
}

ldiv_t ldiv(long num, long den)
{
	return (ldiv_t){num / den, num % den};
}
