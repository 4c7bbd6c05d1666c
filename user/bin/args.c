/*
 * args: prints its arguments, one per line, and exits with status argc,
 * so a test can see how many arrived.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	return argc;
}
