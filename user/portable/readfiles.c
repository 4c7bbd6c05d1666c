/*
 * readfiles: reads data files with the POSIX calls open, read, lseek,
 * fstat and close, and prints what it found. Built unchanged for the host
 * and for memos (tests/run-portable.sh runs the host build in
 * user/files/, where the files are; memos finds them in its initrd), and
 * both must print the same: the same sizes, bytes, offsets and errors.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Lines, words and bytes, as wc counts them, reading 100 bytes at a time. */
static int count(const char *name)
{
	char buf[100];
	long lines = 0, words = 0, bytes = 0;
	int in_word = 0;
	ssize_t n;
	int fd = open(name, O_RDONLY);

	if (fd < 0) {
		printf("%s: cannot open: errno %s\n", name,
		       errno == ENOENT ? "ENOENT" : "other");
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			int space = buf[i] == ' ' || buf[i] == '\n';
			lines += buf[i] == '\n';
			words += !space && !in_word;
			in_word = !space;
		}
		bytes += n;
	}
	printf("%s: %ld lines, %ld words, %ld bytes%s\n", name, lines, words,
	       bytes, n < 0 ? " (read failed)" : "");
	close(fd);
	return 0;
}

/* The size fstat gives, and whether it is a regular file. */
static void show_stat(int fd, const char *name)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		printf("%s: fstat failed\n", name);
		return;
	}
	printf("%s: fstat: %ld bytes, %s, %s\n", name, (long)st.st_size,
	       S_ISREG(st.st_mode) ? "a regular file" : "not a regular file",
	       st.st_mode & S_IRUSR ? "readable" : "not readable");
}

/* Prints the line of numbers.txt at `offset` (lines are 10 bytes). */
static void line_at(int fd, off_t offset, int whence, const char *how)
{
	char buf[11];
	off_t at = lseek(fd, offset, whence);
	ssize_t n = read(fd, buf, 10);

	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	printf("lseek(%ld, %s) -> %ld: \"%s\"\n", (long)offset, how, (long)at,
	       buf);
}

static void seeks(void)
{
	int fd = open("numbers.txt", O_RDONLY);
	char c;

	if (fd < 0) {
		printf("numbers.txt: cannot open\n");
		return;
	}
	show_stat(fd, "numbers.txt");
	line_at(fd, 4200, SEEK_SET, "SEEK_SET");
	line_at(fd, 90, SEEK_CUR, "SEEK_CUR");
	line_at(fd, -20, SEEK_CUR, "SEEK_CUR");
	line_at(fd, -10, SEEK_END, "SEEK_END");
	line_at(fd, 0, SEEK_SET, "SEEK_SET");
	/* Past the end: allowed; a read there finds nothing. */
	off_t past = lseek(fd, 20000, SEEK_SET);
	ssize_t got = read(fd, &c, 1);
	printf("lseek past the end -> %ld, read -> %ld\n", (long)past,
	       (long)got);
	errno = 0;
	off_t bad = lseek(fd, -1, SEEK_SET);
	printf("lseek before the start -> %ld, errno %s\n", (long)bad,
	       errno == EINVAL ? "EINVAL" : "other");
	printf("lseek after the error -> %ld (unchanged)\n",
	       (long)lseek(fd, 0, SEEK_CUR));
	close(fd);
	errno = 0;
	got = read(fd, &c, 1);
	printf("read of a closed fd -> %ld, errno %s\n", (long)got,
	       errno == EBADF ? "EBADF" : "other");
}

/* Two opens of one file: two offsets. */
static void two_opens(void)
{
	char a[6] = "", b[6] = "";
	int fd1 = open("hello.txt", O_RDONLY);
	int fd2 = open("hello.txt", O_RDONLY);

	if (fd1 < 0 || fd2 < 0 || read(fd1, a, 5) != 5 ||
	    read(fd1, a, 5) != 5 || read(fd2, b, 5) != 5) {
		printf("two opens: failed\n");
		return;
	}
	printf("two opens of hello.txt: the first reads \"%s\" second, the "
	       "other \"%s\" first\n",
	       a, b);
	show_stat(fd2, "hello.txt");
	close(fd1);
	close(fd2);
}

int main(void)
{
	count("hello.txt");
	count("numbers.txt");
	count("no-such-file.txt");
	seeks();
	two_opens();
	return 0;
}
