/* hello: the first user program: greets from its pid with its arguments. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello from %s, pid %d, in ring 3\n", argv[0], getpid());
	for (int i = 1; i < argc; i++)
		printf("  argv[%d] = \"%s\"\n", i, argv[i]);
	return 0;
}
