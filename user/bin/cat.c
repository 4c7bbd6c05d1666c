/*
 * cat FILE...: prints each file of the initrd (open, read, close), one
 * after another. Says which file it could not read and goes on with the
 * next; exits 1 if one failed. (The console has no end of file to stop
 * at, so cat without a FILE only says how to use it.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 512

/* Copies fd to the console: 0, or -1 with errno set. */
static int copy_out(int fd)
{
	char buf[CHUNK];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(STDOUT_FILENO, buf, (size_t)n) != n)
			return -1;
	}
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: cat FILE... (`ls` lists them)\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0 || copy_out(fd) < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i],
			        strerror(errno));
			status = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	return status;
}
