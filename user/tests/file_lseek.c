/*
 * lseek(): SEEK_SET, SEEK_CUR and SEEK_END move the offset the next read
 * starts at; past the end is allowed (a read there gives 0); before the
 * start, or an unknown whence, is EINVAL and moves nothing; the console
 * cannot seek (ESPIPE); a bad fd is EBADF. numbers.txt: line i at 10 * i.
 */
#include "check.h"
#include "lib/string.h"

#define NUMBERS_SIZE 10000

/* Reads the line at the offset and checks it is line `want`. */
static void check_line_at(int line, int fd, int want)
{
	char buf[11], expected[11];

	format_snprintf(expected, sizeof(expected), "line %04d\n", want);
	int n = sys_read(fd, buf, 10);
	buf[n > 0 ? n : 0] = '\0';
	if (n != 10 || memcmp(buf, expected, 10) != 0)
		check_fail(__FILE__, line, "read %d bytes \"%s\", expected %s",
		           n, buf, expected);
}

int main(void)
{
	char c;
	int fd = sys_open("numbers.txt", O_RDONLY);

	CHECK(fd >= 0);
	CHECK_ERR(sys_lseek(fd, 0, SEEK_CUR), 0); /* a new file: at 0 */
	CHECK_ERR(sys_lseek(fd, 500, SEEK_SET), 500);
	check_line_at(__LINE__, fd, 50);
	CHECK_ERR(sys_lseek(fd, 0, SEEK_CUR), 510); /* read moved it */
	CHECK_ERR(sys_lseek(fd, 100, SEEK_CUR), 610);
	check_line_at(__LINE__, fd, 61);
	CHECK_ERR(sys_lseek(fd, -30, SEEK_CUR), 590);
	check_line_at(__LINE__, fd, 59);
	CHECK_ERR(sys_lseek(fd, -10, SEEK_END), NUMBERS_SIZE - 10);
	check_line_at(__LINE__, fd, 999);
	CHECK_ERR(sys_lseek(fd, 0, SEEK_END), NUMBERS_SIZE);
	CHECK_ERR(sys_read(fd, &c, 1), 0);

	/* Past the end: allowed, and reads find nothing there. */
	CHECK_ERR(sys_lseek(fd, 5000, SEEK_END), NUMBERS_SIZE + 5000);
	CHECK_ERR(sys_read(fd, &c, 1), 0);
	CHECK_ERR(sys_lseek(fd, 0x7fffffff, SEEK_SET), 0x7fffffff);
	CHECK_ERR(sys_read(fd, &c, 1), 0);
	/* One more than a result can say. */
	CHECK_ERR(sys_lseek(fd, 1, SEEK_CUR), -EOVERFLOW);
	CHECK_ERR(sys_lseek(fd, 0, SEEK_CUR), 0x7fffffff);

	/* Before the start: EINVAL, and the offset stays. */
	CHECK_ERR(sys_lseek(fd, 20, SEEK_SET), 20);
	CHECK_ERR(sys_lseek(fd, -1, SEEK_SET), -EINVAL);
	CHECK_ERR(sys_lseek(fd, -21, SEEK_CUR), -EINVAL);
	CHECK_ERR(sys_lseek(fd, -NUMBERS_SIZE - 1, SEEK_END), -EINVAL);
	CHECK_ERR(sys_lseek(fd, (int32_t)0x80000000u, SEEK_CUR), -EINVAL);
	CHECK_ERR(sys_lseek(fd, -20, SEEK_CUR), 0); /* exactly the start */
	CHECK_ERR(sys_lseek(fd, 20, SEEK_SET), 20);
	/* No such whence. */
	CHECK_ERR(sys_lseek(fd, 0, 3), -EINVAL);
	CHECK_ERR(sys_lseek(fd, 0, -1), -EINVAL);
	check_line_at(__LINE__, fd, 2);

	/* The console is a stream: ESPIPE, whatever the arguments. */
	CHECK_ERR(sys_lseek(STDIN_FILENO, 0, SEEK_SET), -ESPIPE);
	CHECK_ERR(sys_lseek(STDOUT_FILENO, 0, SEEK_CUR), -ESPIPE);
	CHECK_ERR(sys_lseek(STDERR_FILENO, 10, SEEK_END), -ESPIPE);

	/* Descriptors that are not open. */
	CHECK_ERR(sys_lseek(fd + 1, 0, SEEK_SET), -EBADF);
	CHECK_ERR(sys_lseek(-1, 0, SEEK_SET), -EBADF);
	CHECK_ERR(sys_lseek(OPEN_MAX, 0, SEEK_SET), -EBADF);
	CHECK_ERR(sys_close(fd), 0);
	CHECK_ERR(sys_lseek(fd, 0, SEEK_SET), -EBADF);

	/* The directory's offset counts entries: back to 0 reads it again
	 * (file_getdents checks that). */
	int dir = sys_open("/", O_RDONLY);
	CHECK_ERR(sys_lseek(dir, 0, SEEK_SET), 0);
	CHECK_ERR(sys_close(dir), 0);
	return 0;
}
