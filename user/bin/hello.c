/* hello: the first user program: greets from its pid with its arguments. */
#include "user/lib/syscall.h"
#include "user/lib/uprintf.h"

int main(int argc, char **argv)
{
	uprintf("hello from %s, pid %d, in ring 3\n", argv[0], getpid());
	for (int i = 1; i < argc; i++)
		uprintf("  argv[%d] = \"%s\"\n", i, argv[i]);
	return 0;
}
