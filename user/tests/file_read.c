/*
 * read() of a file: the bytes are the file's, in order, from the shared
 * offset; 0 at the end; a bad buffer gives EFAULT and leaves the offset
 * where it was; only readable descriptors read, and no file is written.
 * numbers.txt (user/files/) is 1000 lines "line NNNN\n": byte 10 * i
 * starts line i, so any piece of it can be checked.
 */
#include "check.h"
#include "lib/string.h"

#define NUMBERS "numbers.txt"
#define NUMBERS_SIZE 10000
#define HELLO_FIRST_LINE "Hello from the initrd!\n"

int main(void);

static char big[3 * PAGE_SIZE]; /* bss: its pages get frames as read */

/* Byte `at` of numbers.txt. */
static char numbers_byte(uint32_t at)
{
	uint32_t line = at / 10, col = at % 10;
	const char *digits = "0123456789";

	if (col < 5)
		return "line "[col];
	if (col == 9)
		return '\n';
	uint32_t div = 1;
	for (uint32_t i = col; i < 8; i++)
		div *= 10;
	return digits[(line / div) % 10];
}

static void check_numbers(const char *buf, uint32_t at, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (buf[i] != numbers_byte(at + i))
			check_fail(__FILE__, __LINE__,
			           "byte %u of " NUMBERS " read as 0x%02x, "
			           "expected '%c'",
			           (unsigned)(at + i), (unsigned char)buf[i],
			           numbers_byte(at + i));
}

static void whole_file(void)
{
	int fd = sys_open(NUMBERS, O_RDONLY);

	CHECK_ERR(fd, 3);
	/* A page, from the start, then the rest into a buffer three pages
	 * long: more than is left, so only what is left. */
	CHECK_ERR(sys_read(fd, big, PAGE_SIZE), PAGE_SIZE);
	check_numbers(big, 0, PAGE_SIZE);
	CHECK_ERR(sys_read(fd, big + 1, sizeof(big) - 1),
	          NUMBERS_SIZE - PAGE_SIZE);
	check_numbers(big + 1, PAGE_SIZE, NUMBERS_SIZE - PAGE_SIZE);
	/* The end: 0, however often. */
	CHECK_ERR(sys_read(fd, big, sizeof(big)), 0);
	CHECK_ERR(sys_read(fd, big, 1), 0);
	CHECK_ERR(sys_close(fd), 0);
}

static void small_pieces(void)
{
	char buf[7];
	uint32_t at = 0;
	int fd = sys_open("/" NUMBERS, O_RDONLY);
	int n;

	CHECK(fd >= 0);
	/* Pieces of odd sizes, each picking up where the last stopped. */
	while ((n = sys_read(fd, buf, (at / 7) % 7 + 1)) > 0) {
		check_numbers(buf, at, (uint32_t)n);
		at += (uint32_t)n;
	}
	CHECK_ERR(n, 0);
	CHECK_EQ(at, NUMBERS_SIZE);
	CHECK_ERR(sys_read(fd, buf, 0), 0);
	CHECK_ERR(sys_close(fd), 0);
}

/* Two opens are two descriptions: two offsets. */
static void two_opens(void)
{
	char a[10], b[10];
	int fd1 = sys_open(NUMBERS, O_RDONLY);
	int fd2 = sys_open(NUMBERS, O_RDONLY);

	CHECK_ERR(sys_read(fd1, a, 10), 10);
	CHECK_ERR(sys_read(fd1, a, 10), 10);
	CHECK_ERR(sys_read(fd2, b, 10), 10);
	check_numbers(a, 10, 10);
	check_numbers(b, 0, 10);
	CHECK_ERR(sys_close(fd1), 0);
	CHECK_ERR(sys_close(fd2), 0);
}

static void bad_buffers(void)
{
	char buf[sizeof(HELLO_FIRST_LINE)];
	size_t len = strlen(HELLO_FIRST_LINE);
	int fd = sys_open("hello.txt", O_RDONLY);

	CHECK(fd >= 0);
	CHECK_ERR(sys_read(fd, NULL, 16), -EFAULT);
	CHECK_ERR(sys_read(fd, (void *)KERNEL_TEXT_ADDR, 16), -EFAULT);
	CHECK_ERR(sys_read(fd, (void *)UNMAPPED_ADDR, 16), -EFAULT);
	/* The program's own text: mapped, but not writable. */
	CHECK_ERR(sys_read(fd, (void *)(uintptr_t)main, 16), -EFAULT);
	/* Runs past the image's end. */
	CHECK_ERR(sys_read(fd, (void *)(IMAGE_END_PAGE - 8), 16), -EFAULT);
	/* A length far past the file's: only the bytes the file can fill
	 * are looked at, and from here they run into the kernel. */
	CHECK_ERR(sys_read(fd, (void *)(0xC0000000u - 8), 0xFFFFFFFFu),
	          -EFAULT);
	/* None of that moved the offset: the file is read from its start. */
	CHECK_ERR(sys_read(fd, buf, len), len);
	CHECK(memcmp(buf, HELLO_FIRST_LINE, len) == 0);
	CHECK_ERR(sys_close(fd), 0);
}

static void bad_fds(void)
{
	char buf[4];
	int fd = sys_open("hello.txt", O_RDONLY);

	CHECK_ERR(sys_read(fd + 1, buf, 4), -EBADF); /* not open */
	CHECK_ERR(sys_read(-1, buf, 4), -EBADF);
	CHECK_ERR(sys_read(OPEN_MAX, buf, 4), -EBADF);
	/* The console's output is not open for reading. */
	CHECK_ERR(sys_read(STDOUT_FILENO, buf, 4), -EBADF);
	/* A file is not open for writing. */
	CHECK_ERR(sys_write(fd, "x", 1), -EBADF);
	/* The directory is read with getdents. */
	int dir = sys_open("/", O_RDONLY);
	CHECK_ERR(sys_read(dir, buf, 4), -EISDIR);
	CHECK_ERR(sys_close(dir), 0);
	CHECK_ERR(sys_close(fd), 0);
	CHECK_ERR(sys_read(fd, buf, 4), -EBADF); /* closed */
}

int main(void)
{
	whole_file();
	small_pieces();
	two_opens();
	bad_buffers();
	bad_fds();
	return 0;
}
