/* write(): the console's fds, other fds, and every kind of bad buffer. */
#include "check.h"
#include "lib/string.h"

int main(void)
{
	static const char msg[] = "sys_write: a line on stdout\n";
	char on_stack[] = "sys_write: a line on stderr\n";
	size_t len = strlen(msg);

	CHECK_ERR(sys_write(STDOUT_FILENO, msg, len), len);
	CHECK_ERR(sys_write(STDERR_FILENO, on_stack, strlen(on_stack)),
	          strlen(on_stack));
	CHECK_ERR(sys_write(STDOUT_FILENO, msg, 0), 0);

	/* Only 1 and 2 are open for writing. */
	CHECK_ERR(sys_write(STDIN_FILENO, msg, len), -EBADF);
	CHECK_ERR(sys_write(3, msg, len), -EBADF);
	CHECK_ERR(sys_write(-1, msg, len), -EBADF);

	/* Buffers the program may not read. */
	CHECK_ERR(sys_write(STDOUT_FILENO, NULL, 16), -EFAULT);
	CHECK_ERR(sys_write(STDOUT_FILENO, (void *)KERNEL_TEXT_ADDR, 16),
	          -EFAULT);
	CHECK_ERR(sys_write(STDOUT_FILENO, (void *)UNMAPPED_ADDR, 16), -EFAULT);

	/* Starts on the stack, runs on up into the kernel. */
	CHECK_ERR(sys_write(STDOUT_FILENO, on_stack,
	                    0xC0000000u - (uintptr_t)on_stack + 16),
	          -EFAULT);

	/* on_stack + len wraps around 4 GiB and ends below it. (From msg,
	 * low in memory, every such length is over the limit below.) */
	CHECK_EFAULT_WRAPS(sys_write(STDOUT_FILENO, on_stack,
	                             0u - (uintptr_t)on_stack + 8));

	/* Longer than a result can say (INT32_MAX): -EINVAL, before the
	 * buffer is looked at, however bad it is. */
	CHECK_ERR(sys_write(STDOUT_FILENO, msg, 0x80000000u), -EINVAL);
	CHECK_ERR(sys_write(STDOUT_FILENO, NULL, 0xFFFFFFFFu), -EINVAL);

	/* Partly mapped: starts below the text, or runs past the image. */
	CHECK_ERR(sys_write(STDOUT_FILENO, (void *)(IMAGE_START - 8), 16),
	          -EFAULT);
	CHECK_ERR(sys_write(STDOUT_FILENO, (void *)(IMAGE_END_PAGE - 8), 16),
	          -EFAULT);

	/* After all that, writing still works. */
	CHECK_ERR(sys_write(STDOUT_FILENO, msg, len), len);
	return 0;
}
