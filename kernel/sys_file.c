/* System calls for files: open, close, lseek, fstat, getdents. (read and
 * write, which the console shares, are in kernel/sys_console.c.) The work
 * is kernel/file.c's; here the user's arguments are checked and copied. */
#include "kernel/file.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "lib/abi.h"

int32_t sys_open(uint32_t user_path, uint32_t flags)
{
	char path[PATH_MAX];
	int len = copy_string_from_user(path, user_path, sizeof(path));

	if (len == -E2BIG)
		return -ENAMETOOLONG; /* no NUL within PATH_MAX bytes */
	if (len < 0)
		return len;
	return file_open(path, (int)flags);
}

int32_t sys_close(uint32_t fd)
{
	return file_close(fd);
}

int32_t sys_lseek(uint32_t fd, uint32_t offset, uint32_t whence)
{
	struct file *f = file_of_fd(fd);

	if (!f)
		return -EBADF;
	return file_lseek(f, (int32_t)offset, whence);
}

int32_t sys_fstat(uint32_t fd, uint32_t user_stat)
{
	struct file *f = file_of_fd(fd);
	struct stat st;

	if (!f)
		return -EBADF;
	file_stat(f, &st);
	return copy_to_user(user_stat, &st, sizeof(st));
}

int32_t sys_getdents(uint32_t fd, uint32_t user_buf, uint32_t len)
{
	struct file *f = file_of_fd(fd);

	if (!f)
		return -EBADF;
	return file_getdents(f, user_buf, len);
}
