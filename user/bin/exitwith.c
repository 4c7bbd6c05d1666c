/*
 * exitwith N [exit]: ends with status N, by returning N from main (through
 * crt0), or with "exit" by calling exit(N) directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/lib/parse.h"

int main(int argc, char **argv)
{
	int n;

	if (argc < 2 || argc > 3 || parse_int(argv[1], &n) != 0 ||
	    (argc == 3 && strcmp(argv[2], "exit") != 0)) {
		fprintf(stderr, "usage: exitwith NUMBER [exit]\n");
		return 100;
	}
	if (argc == 3)
		exit(n);
	return n;
}
