/*
 * execv() keeps the open files: the new program finds the descriptors
 * the old one had, at the offsets they had, and moves the offset its
 * parent shares. numbers.txt: line i at offset 10 * i.
 */
#include <memos.h>
#include <unistd.h>

#include "check.h"
#include "lib/string.h"

/* The new image: fd 3 is numbers.txt at line 50, fd 4 hello.txt, and
 * fd 5 was closed before the execv. */
static int after_execv(void)
{
	char buf[11];
	struct stat st;

	CHECK_ERR(sys_read(3, buf, 10), 10);
	CHECK(memcmp(buf, "line 0050\n", 10) == 0);
	CHECK_ERR(sys_fstat(3, &st), 0);
	CHECK_EQ(st.st_size, 10000);
	CHECK_ERR(sys_read(4, buf, 5), 5);
	CHECK(memcmp(buf, "Hello", 5) == 0);
	CHECK_ERR(sys_fstat(5, &st), -EBADF);
	return 0;
}

int main(int argc, char **argv)
{
	int status;

	if (argc == 2 && strcmp(argv[1], "after") == 0)
		return after_execv();
	CHECK_ERR(sys_open("numbers.txt", O_RDONLY), 3);
	CHECK_ERR(sys_open("hello.txt", O_RDONLY), 4);
	CHECK_ERR(sys_open("hello.txt", O_RDONLY), 5);
	CHECK_ERR(sys_lseek(3, 500, SEEK_SET), 500);
	CHECK_ERR(sys_close(5), 0);
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		int ret = sys_execv("file_execv",
		                    (char *[]){"file_execv", "after", NULL});
		check_fail(__FILE__, __LINE__, "sys_execv returned %d", ret);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	/* The new program's read moved the offset the parent shares. */
	CHECK_ERR(sys_lseek(3, 0, SEEK_CUR), 510);
	CHECK_ERR(sys_lseek(4, 0, SEEK_CUR), 5);
	/* A failed execv changes nothing either. */
	CHECK_ERR(sys_execv("no-such-program", NULL), -ENOENT);
	CHECK_ERR(sys_lseek(3, 0, SEEK_CUR), 510);
	return 0;
}
