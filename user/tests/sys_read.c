/*
 * read(): the calls that must fail at once. (A good read waits for someone
 * to type a line: user/bin/readline shows one.) The kernel must check the
 * buffer before it waits for input, or this test hangs until its limit.
 *
 * "sys_read line" is run by tests/kernel/test_console_read.c, which types
 * the line "memos" first: it reads it into 1 MiB of heap with no frames
 * yet. A read fills at most 256 bytes, so only those may be checked and
 * given frames: one page, not the buffer's 256.
 */
#include "check.h"
#include "lib/string.h"

#define BIG (1024u * 1024)

static int read_line_into_big_buffer(void)
{
	int old_break = sys_sbrk(BIG + PAGE_SIZE);
	CHECK(old_break != -1);
	char *heap = (char *)(uintptr_t)old_break;
	/* Page-aligned: 256 bytes from here lie in one page. */
	char *buf = (char *)(((uintptr_t)heap + PAGE_SIZE - 1) &
	                     ~(uintptr_t)(PAGE_SIZE - 1));
	struct meminfo before, after;

	CHECK_ERR(sys_meminfo(&before), 0);
	CHECK_ERR(sys_read(STDIN_FILENO, buf, BIG), 6);
	CHECK_ERR(sys_meminfo(&after), 0);
	CHECK(memcmp(buf, "memos\n", 6) == 0);
	CHECK_EQ(after.pages_zero_filled - before.pages_zero_filled, 1);
	return 0;
}

int main(int argc, char **argv)
{
	char buf[16];

	if (argc == 2 && strcmp(argv[1], "line") == 0)
		return read_line_into_big_buffer();

	/* Only fd 0 is open for reading. */
	CHECK_ERR(sys_read(3, buf, sizeof(buf)), -EBADF);
	CHECK_ERR(sys_read(-1, buf, sizeof(buf)), -EBADF);

	/* Buffers the program may not write. */
	CHECK_ERR(sys_read(STDIN_FILENO, NULL, sizeof(buf)), -EFAULT);
	CHECK_ERR(sys_read(STDIN_FILENO, (void *)KERNEL_TEXT_ADDR, 16),
	          -EFAULT);
	CHECK_ERR(sys_read(STDIN_FILENO, (void *)UNMAPPED_ADDR, 16), -EFAULT);
	/* The program's own text is mapped, but read-only. */
	CHECK_ERR(sys_read(STDIN_FILENO, (void *)(uintptr_t)main, 16), -EFAULT);
	/* Partly mapped: runs past the end of the image. */
	CHECK_ERR(sys_read(STDIN_FILENO, (void *)(IMAGE_END_PAGE - 8), 16),
	          -EFAULT);
	/* A length past what one read fills (256 bytes) counts as 256: the
	 * 256 bytes from here still run past the image. (Since only those
	 * are checked, a buffer cannot wrap around 4 GiB: its first 256
	 * bytes would be in the kernel.) */
	CHECK_ERR(sys_read(STDIN_FILENO, (void *)(IMAGE_END_PAGE - 8),
	                   0xFFFFFFFFu),
	          -EFAULT);
	return 0;
}
