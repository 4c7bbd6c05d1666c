/* sleep MS: sleeps MS milliseconds, then exits 0. */
#include <memos.h>
#include <stdio.h>

#include "user/lib/parse.h"

int main(int argc, char **argv)
{
	int ms;

	if (argc != 2 || parse_int(argv[1], &ms) != 0 || ms < 0) {
		fprintf(stderr, "usage: sleep MILLISECONDS\n");
		return 2;
	}
	return sleep_ms((uint32_t)ms) == 0 ? 0 : 1;
}
