/*
 * mapfiles: memory mappings with the POSIX calls mmap, munmap and
 * mprotect only (and fork, to share): a file's bytes through a private
 * mapping, the same as read() gives; a write that stays private; zeros
 * after the file's end; a counter two processes increment in a shared
 * anonymous mapping; and the errors. Built unchanged for the host and for
 * memos, which must print the same (tests/run-portable.sh).
 */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096

static const char *err_name(int e)
{
	switch (e) {
	case EINVAL:
		return "EINVAL";
	case EBADF:
		return "EBADF";
	case EACCES:
		return "EACCES";
	case ENOMEM:
		return "ENOMEM";
	case ENODEV:
		return "ENODEV";
	default:
		return "other";
	}
}

static void file_bytes(int fd, long size)
{
	char buf[PAGE];
	unsigned int sum = 0;
	long tail = 0;
	long pages = (size + PAGE - 1) / PAGE;
	char *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	long i, same = 0;

	if (p == MAP_FAILED) {
		printf("mmap: %s\n", err_name(errno));
		return;
	}
	for (i = 0; i < size; i++)
		sum = sum * 31 + (unsigned char)p[i];
	for (i = size; i < pages * PAGE; i++)
		tail += p[i] != 0;
	lseek(fd, PAGE, SEEK_SET);
	if (read(fd, buf, PAGE) == PAGE)
		same = memcmp(buf, p + PAGE, PAGE) == 0;
	printf("numbers.txt: %ld bytes in %ld pages, checksum %u\n", size,
	       pages, sum);
	printf("its second page is what read() gives: %s\n",
	       same ? "yes" : "no");
	printf("non-zero bytes after the end of the file: %ld\n", tail);
	printf("line 42: %.9s\n", p + 420);
	munmap(p, (size_t)size);
}

static void private_write(int fd)
{
	char *a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *b;

	memcpy(a, "LINE", 4);
	b = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	printf("after a private write: %.9s, another mapping: %.9s\n", a, b);
	mprotect(a, PAGE, PROT_READ);
	printf("made read-only, still: %.9s\n", a);
	munmap(a, PAGE);
	munmap(b, PAGE);
}

static void shared_counter(void)
{
	volatile int *counter = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
	                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int i, status;
	pid_t pid;

	*counter = 0;
	pid = fork();
	for (i = 0; i < 10000; i++)
		__atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
	if (pid == 0)
		_exit(0);
	waitpid(pid, &status, 0);
	printf("parent and child counted to %d in a shared mapping\n",
	       *counter);
	munmap((void *)counter, PAGE);
}

static void errors(int fd)
{
	char *p;

	p = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("mmap of 0 bytes: %s\n",
	       p == MAP_FAILED ? err_name(errno) : "ok");
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("writable shared mapping of a read-only file: %s\n",
	       p == MAP_FAILED ? err_name(errno) : "ok");
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 99, 0);
	printf("mmap of a closed fd: %s\n",
	       p == MAP_FAILED ? err_name(errno) : "ok");
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100);
	printf("an offset not on a page: %s\n",
	       p == MAP_FAILED ? err_name(errno) : "ok");
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, 2 * PAGE);
	printf("munmap of nothing: %d\n", munmap(p, 2 * PAGE));
	printf("mprotect of nothing: %s\n",
	       mprotect(p, PAGE, PROT_READ) ? err_name(errno) : "ok");
}

int main(void)
{
	struct stat st;
	int fd = open("numbers.txt", O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		printf("numbers.txt: cannot open\n");
		return 1;
	}
	file_bytes(fd, (long)st.st_size);
	private_write(fd);
	shared_counter();
	errors(fd);
	close(fd);
	return 0;
}
