/* readline: reads one line from the console and writes it back. */
#include "user/lib/errno_name.h"
#include "user/lib/syscall.h"
#include "user/lib/uprintf.h"

int main(void)
{
	char line[128];

	uprintf("type a line: ");
	int n = read(STDIN_FILENO, line, sizeof(line));
	if (n < 0) {
		udprintf(STDERR_FILENO, "readline: read failed: %d %s\n", n,
			 errno_name(n));
		return 1;
	}
	uprintf("read %d bytes: ", n);
	write(STDOUT_FILENO, line, (size_t)n);
	return 0;
}
