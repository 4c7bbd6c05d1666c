/*
 * open() and close(): the paths that name a file ("NAME", "/NAME"), the
 * directory ("/"), the flags a read-only file system refuses (EROFS) and
 * the POSIX errors for everything else: a missing file, a bad path
 * pointer, a name or path too long, too many open files, a bad fd. The
 * lowest free descriptor is always the one given, the console's too.
 */
#include "check.h"
#include "lib/string.h"

#define FILE_NAME "hello.txt"

/* A path of n 'a's on the heap, NUL-terminated. */
static char *long_name(char *buf, size_t n)
{
	memset(buf, 'a', n);
	buf[n] = '\0';
	return buf;
}

static void paths(void)
{
	static char name[PATH_MAX + 8];

	/* The lowest free fd: 0, 1 and 2 are the console's. */
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), 3);
	CHECK_ERR(sys_open("/" FILE_NAME, O_RDONLY), 4);
	CHECK_ERR(sys_open("./" FILE_NAME, O_RDONLY), 5);
	CHECK_ERR(sys_open("/", O_RDONLY), 6); /* the directory */
	CHECK_ERR(sys_open(".", O_RDONLY | O_DIRECTORY), 7);
	CHECK_ERR(sys_close(7), 0);
	CHECK_ERR(sys_open("/./", O_RDONLY | O_DIRECTORY), 7);
	CHECK_ERR(sys_close(5), 0);
	CHECK_ERR(sys_open("//./" FILE_NAME, O_RDONLY), 5);
	/* A program is a file too. */
	CHECK_ERR(sys_open("file_open", O_RDONLY), 8);
	for (int fd = 3; fd <= 8; fd++)
		CHECK_ERR(sys_close(fd), 0);

	CHECK_ERR(sys_open("no-such-file", O_RDONLY), -ENOENT);
	CHECK_ERR(sys_open("", O_RDONLY), -ENOENT);
	CHECK_ERR(sys_open("/no/such/dir", O_RDONLY), -ENOENT);
	CHECK_ERR(sys_open(FILE_NAME "/", O_RDONLY), -ENOENT);
	CHECK_ERR(sys_open("../" FILE_NAME, O_RDONLY), -ENOENT);
	CHECK_ERR(sys_open(".", O_RDONLY), 3); /* the directory */
	CHECK_ERR(sys_close(3), 0);
	/* Case matters. */
	CHECK_ERR(sys_open("HELLO.TXT", O_RDONLY), -ENOENT);

	/* NAME_MAX (100) bytes is a name that may exist; one more is not. */
	CHECK_ERR(sys_open(long_name(name, NAME_MAX), O_RDONLY), -ENOENT);
	CHECK_ERR(sys_open(long_name(name, NAME_MAX + 1), O_RDONLY),
	          -ENAMETOOLONG);
	/* A path with no NUL within PATH_MAX bytes. */
	CHECK_ERR(sys_open(long_name(name, PATH_MAX), O_RDONLY), -ENAMETOOLONG);
}

static void bad_pointers(void)
{
	CHECK_ERR(sys_open(NULL, O_RDONLY), -EFAULT);
	CHECK_ERR(sys_open((char *)KERNEL_TEXT_ADDR, O_RDONLY), -EFAULT);
	CHECK_ERR(sys_open((char *)UNMAPPED_ADDR, O_RDONLY), -EFAULT);
	/* A name whose NUL would be past the end of the heap: one page of
	 * 'a's, the page after it unmapped. */
	int old_break = sys_sbrk(PAGE_SIZE);
	CHECK(!syscall_failed(old_break));
	char *page = (char *)(uintptr_t)old_break;
	CHECK_EQ((uintptr_t)page % PAGE_SIZE, 0);
	memset(page, 'a', PAGE_SIZE);
	CHECK_ERR(sys_open(page + PAGE_SIZE - 8, O_RDONLY), -EFAULT);
	CHECK_ERR(sys_sbrk(-(int32_t)PAGE_SIZE), old_break + (int)PAGE_SIZE);
}

static void read_only(void)
{
	CHECK_ERR(sys_open(FILE_NAME, O_WRONLY), -EROFS);
	CHECK_ERR(sys_open(FILE_NAME, O_RDWR), -EROFS);
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY | O_TRUNC), -EROFS);
	CHECK_ERR(sys_open(FILE_NAME, O_WRONLY | O_APPEND), -EROFS);
	/* O_CREAT of a file that exists opens it (nothing is made)... */
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY | O_CREAT), 3);
	CHECK_ERR(sys_close(3), 0);
	/* ... unless O_EXCL asked that it be new. */
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	/* Of a missing one, it would have to write: refused. */
	CHECK_ERR(sys_open("new-file", O_RDONLY | O_CREAT), -EROFS);
	CHECK_ERR(sys_open("new-file", O_WRONLY | O_CREAT), -EROFS);
	/* Without O_CREAT, a missing file is missing whatever the mode. */
	CHECK_ERR(sys_open("new-file", O_WRONLY), -ENOENT);
	/* The directory to write, a file as a directory, no access mode. */
	CHECK_ERR(sys_open("/", O_WRONLY), -EISDIR);
	CHECK_ERR(sys_open("/", O_RDWR), -EISDIR);
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY | O_DIRECTORY), -ENOTDIR);
	CHECK_ERR(sys_open(FILE_NAME, O_ACCMODE), -EINVAL);
	/* Nothing above left a descriptor behind: 3 is free. */
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), 3);
	CHECK_ERR(sys_close(3), 0);
}

static void too_many(void)
{
	/* 3 to OPEN_MAX - 1 open, then no more. */
	for (int fd = 3; fd < OPEN_MAX; fd++)
		CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), fd);
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), -EMFILE);
	CHECK_ERR(sys_open("/", O_RDONLY), -EMFILE);
	/* A hole is filled first. */
	CHECK_ERR(sys_close(7), 0);
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), 7);
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), -EMFILE);
	for (int fd = 3; fd < OPEN_MAX; fd++)
		CHECK_ERR(sys_close(fd), 0);
}

static void bad_fds(void)
{
	CHECK_ERR(sys_close(3), -EBADF); /* never opened */
	CHECK_ERR(sys_close(-1), -EBADF);
	CHECK_ERR(sys_close(OPEN_MAX), -EBADF);
	CHECK_ERR(sys_close(0x7fffffff), -EBADF);
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), 3);
	CHECK_ERR(sys_close(3), 0);
	CHECK_ERR(sys_close(3), -EBADF); /* twice */
}

/* The console's descriptors are descriptors like the others: closing
 * fd 0 frees it for the next open, and reads then read the file. */
static void console_fds(void)
{
	char c;

	CHECK_ERR(sys_close(STDIN_FILENO), 0);
	CHECK_ERR(sys_read(STDIN_FILENO, &c, 1), -EBADF);
	CHECK_ERR(sys_open(FILE_NAME, O_RDONLY), STDIN_FILENO);
	CHECK_ERR(sys_read(STDIN_FILENO, &c, 1), 1);
	CHECK_EQ(c, 'H');
	CHECK_ERR(sys_close(STDIN_FILENO), 0);
}

int main(void)
{
	paths();
	bad_pointers();
	read_only();
	too_many();
	bad_fds();
	console_fds();
	return 0;
}
