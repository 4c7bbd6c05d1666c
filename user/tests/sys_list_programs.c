/*
 * list_programs(): the initrd's names separated by '\n', the size the
 * whole list needs, nothing written past the buffer, -EFAULT for a buffer
 * the program may not write.
 */
#include <stdbool.h>

#include "check.h"
#include "lib/string.h"

static char list[8192];

/* Whether name is one of the lines of list. */
static bool listed(const char *name)
{
	size_t len = strlen(name);

	for (const char *line = list; *line;) {
		const char *end = strchr(line, '\n');
		size_t line_len = end ? (size_t)(end - line) : strlen(line);
		if (line_len == len && strncmp(line, name, len) == 0)
			return true;
		if (!end)
			break;
		line = end + 1;
	}
	return false;
}

int main(void)
{
	int needed = sys_list_programs(list, sizeof(list));
	CHECK(needed > 0);
	CHECK((size_t)needed < sizeof(list));
	/* The NUL fits, so it is there; "needed" may count it or not. */
	size_t len = strlen(list);
	CHECK(len == (size_t)needed || len + 1 == (size_t)needed);
	CHECK(listed("true"));
	CHECK(listed("hello"));
	CHECK(listed("faulter"));
	CHECK(listed("sys_list_programs"));
	CHECK(!listed("no-such-program"));

	/* Asking with no buffer gives the size. */
	CHECK_ERR(sys_list_programs(NULL, 0), needed);

	/* A short buffer: the same size needed, nothing written past it. */
	char small[16];
	memset(small, '#', sizeof(small));
	CHECK_ERR(sys_list_programs(small, 4), needed);
	for (size_t i = 4; i < sizeof(small); i++)
		CHECK(small[i] == '#');

	CHECK_ERR(sys_list_programs(NULL, 16), -EFAULT);
	CHECK_ERR(sys_list_programs((char *)KERNEL_TEXT_ADDR, 16), -EFAULT);
	CHECK_ERR(sys_list_programs((char *)UNMAPPED_ADDR, 16), -EFAULT);
	/* Mapped but read-only: the program's text. */
	CHECK_ERR(sys_list_programs((char *)(uintptr_t)main, 16), -EFAULT);
	/* list + len wraps around 4 GiB. */
	CHECK_EFAULT_WRAPS(sys_list_programs(list, 0xFFFFFFFFu));
	return 0;
}
