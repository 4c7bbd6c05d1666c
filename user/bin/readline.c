/* readline: reads one line from the console and writes it back. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[128];

	printf("type a line: ");
	if (!fgets(line, sizeof(line), stdin)) {
		perror("readline: read failed");
		return 1;
	}
	printf("read %u bytes: %s", (unsigned)strlen(line), line);
	return 0;
}
