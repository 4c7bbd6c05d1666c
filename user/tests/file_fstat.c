/*
 * fstat(): a file's size, type (S_IFREG) and permission bits (as tar
 * stored them: a program rwxr-xr-x, a data file readable by all); the
 * directory (S_IFDIR); the console (S_IFCHR); EBADF and EFAULT.
 */
#include "check.h"
#include "lib/string.h"

int main(void);

static struct stat stat_of(const char *path)
{
	struct stat st;
	int fd = sys_open(path, O_RDONLY);

	if (fd < 0)
		check_fail(__FILE__, __LINE__, "open(\"%s\") is %d", path, fd);
	memset(&st, 0xAA, sizeof(st));
	CHECK_ERR(sys_fstat(fd, &st), 0);
	CHECK_ERR(sys_close(fd), 0);
	return st;
}

int main(void)
{
	struct stat st, again;

	st = stat_of("numbers.txt");
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 10000);
	CHECK_EQ(st.st_blocks, 20); /* 512-byte blocks, rounded up */
	CHECK_EQ(st.st_nlink, 1);
	CHECK((st.st_mode & 0444) == 0444); /* everyone may read it */
	CHECK((st.st_mode & S_IXUSR) == 0); /* not a program */
	st = stat_of("/hello.txt");
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 359);

	/* A program: executable. Its inode number names it: another file
	 * has another, the same file the same. */
	st = stat_of("file_fstat");
	CHECK(S_ISREG(st.st_mode));
	CHECK((st.st_mode & (S_IRUSR | S_IXUSR)) == (S_IRUSR | S_IXUSR));
	CHECK(st.st_size > 0);
	again = stat_of("/file_fstat");
	CHECK_EQ(again.st_ino, st.st_ino);
	CHECK_EQ(again.st_dev, st.st_dev);
	CHECK(stat_of("numbers.txt").st_ino != st.st_ino);
	/* The empty fixture: a file of 0 bytes. */
	CHECK_EQ(stat_of("bad_empty").st_size, 0);

	/* The directory, read-only. */
	st = stat_of("/");
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(st.st_mode & 0777, 0555);
	CHECK(st.st_size > 2); /* its entries: this test and more */

	/* The console: a character device. */
	for (int fd = 0; fd <= 2; fd++) {
		CHECK_ERR(sys_fstat(fd, &st), 0);
		CHECK(S_ISCHR(st.st_mode));
		CHECK_EQ(st.st_size, 0);
	}

	/* Bad descriptors, bad buffers. */
	int fd = sys_open("hello.txt", O_RDONLY);
	CHECK_ERR(sys_fstat(fd + 1, &st), -EBADF);
	CHECK_ERR(sys_fstat(-1, &st), -EBADF);
	CHECK_ERR(sys_fstat(OPEN_MAX, &st), -EBADF);
	CHECK_ERR(sys_fstat(fd, NULL), -EFAULT);
	CHECK_ERR(sys_fstat(fd, (struct stat *)KERNEL_TEXT_ADDR), -EFAULT);
	CHECK_ERR(sys_fstat(fd, (struct stat *)UNMAPPED_ADDR), -EFAULT);
	CHECK_ERR(sys_fstat(fd, (struct stat *)(uintptr_t)main), -EFAULT);
	CHECK_ERR(sys_fstat(fd, (struct stat *)(IMAGE_END_PAGE - 8)), -EFAULT);
	CHECK_ERR(sys_close(fd), 0);
	CHECK_ERR(sys_fstat(fd, &st), -EBADF);
	return 0;
}
