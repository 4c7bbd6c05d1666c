/* sleep MS: sleeps MS milliseconds, then exits 0. */
#include "user/lib/parse.h"
#include "user/lib/syscall.h"
#include "user/lib/uprintf.h"

int main(int argc, char **argv)
{
	int ms;

	if (argc != 2 || parse_int(argv[1], &ms) != 0 || ms < 0) {
		udprintf(STDERR_FILENO, "usage: sleep MILLISECONDS\n");
		return 2;
	}
	return sleep_ms((uint32_t)ms) == 0 ? 0 : 1;
}
