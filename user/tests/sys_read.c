/*
 * read(): the calls that must fail at once. (A good read waits for someone
 * to type a line: user/bin/readline shows one.) The kernel must check the
 * buffer before it waits for input, or this test hangs until its limit.
 */
#include "check.h"

int main(void)
{
	char buf[16];

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
	/* buf + len wraps around 4 GiB. A range check that adds start + len
	 * lets this buffer through, and the read then waits for input until
	 * the test's time limit, which says nothing of why. So first the same
	 * buffer with write, which goes through the same check and does not
	 * wait. */
	CHECK_EFAULT_WRAPS(sys_write(STDOUT_FILENO, buf, 0xFFFFFFFFu));
	CHECK_EFAULT_WRAPS(sys_read(STDIN_FILENO, buf, 0xFFFFFFFFu));
	/* Partly mapped: runs past the end of the image. */
	CHECK_ERR(sys_read(STDIN_FILENO, (void *)(IMAGE_END_PAGE - 8), 16),
	          -EFAULT);
	return 0;
}
