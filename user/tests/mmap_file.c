/*
 * mmap of a file (numbers.txt: 10000 bytes, "line %04d\n" at 10 * i):
 * its bytes on the first touch, the same as read() gives, at the offset
 * asked; a write makes a private copy that no other mapping, no read()
 * and no child sees; the rest of the last page reads as zeros, a page
 * wholly past the end is SIGBUS; MAP_SHARED of the read-only file may not
 * be writable (EACCES).
 */
#include <fcntl.h>

#include "lib/string.h"
#include "mmap_check.h"

#define SIZE 10000

static char file[SIZE];

static void read_whole(void)
{
	int fd = open("numbers.txt", O_RDONLY);

	CHECK(fd >= 0);
	CHECK_EQ(read(fd, file, SIZE), SIZE);
	CHECK_ERR(close(fd), 0);
}

static void same_as_read(int fd)
{
	char *a = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	char *b = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);

	CHECK(a != MAP_FAILED && b != MAP_FAILED && a != b);
	CHECK(!resident(a));
	CHECK_EQ(memcmp(a, file, SIZE), 0);
	CHECK_EQ(memcmp(b, file, SIZE), 0);
	/* The rest of the last page: zeros. */
	for (uint32_t i = SIZE; i < 3 * PAGE_SIZE; i++)
		CHECK_EQ(a[i], 0);
	struct region_info r;
	CHECK(region_at((uintptr_t)a, &r));
	CHECK_EQ(r.kind, (uint32_t)REGION_KIND_FILE);
	CHECK_EQ(strcmp(r.file, "numbers.txt"), 0);
	CHECK_ERR(munmap(a, SIZE), 0);
	CHECK_ERR(munmap(b, SIZE), 0);
}

/* From an offset: the first page is the file's page 1. */
static void at_offset(int fd)
{
	char *p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, PAGE_SIZE);

	CHECK(p != MAP_FAILED);
	CHECK_EQ(memcmp(p, file + PAGE_SIZE, PAGE_SIZE), 0);
	struct region_info r;
	CHECK(region_at((uintptr_t)p, &r));
	CHECK_EQ(r.offset, PAGE_SIZE);
	CHECK_ERR(munmap(p, PAGE_SIZE), 0);
}

/* After a split, each half still finds its bytes at its own offset. */
static void split_keeps_offsets(int fd)
{
	char *p = mmap(NULL, 3 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);

	CHECK(p != MAP_FAILED);
	CHECK_ERR(munmap(p + PAGE_SIZE, PAGE_SIZE), 0);
	if (memcmp(p + 2 * PAGE_SIZE, file + 2 * PAGE_SIZE,
	           SIZE - 2 * PAGE_SIZE) != 0)
		check_fail(__FILE__, __LINE__,
		           "after munmap of its middle page, a mapping's last "
		           "page does not hold the file's bytes at offset "
		           "0x2000: a page's file offset is offset + (va - "
		           "vaddr), counted from where the mapping began, not "
		           "from its region's start");
	struct region_info r;
	CHECK(region_at((uintptr_t)p + 2 * PAGE_SIZE, &r));
	CHECK_EQ(r.offset, 2 * PAGE_SIZE);
	CHECK_EQ(memcmp(p, file, PAGE_SIZE), 0);
	CHECK_ERR(munmap(p, 3 * PAGE_SIZE), 0);
}

/* A write copies: the other mapping, read(), and a new mapping still see
 * the file; a child forked afterwards sees the writer's copy, and its
 * own write is its own. */
static void private_copy(int fd)
{
	char *a = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *b = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	char line[10];

	CHECK(a != MAP_FAILED && b != MAP_FAILED);
	CHECK_EQ(b[20], 'l'); /* b's page is in memory before the write */
	memcpy(a + 20, "LINE", 4);
	CHECK_EQ(memcmp(a + 20, "LINE 0002\n", 10), 0);
	CHECK_EQ(memcmp(b + 20, "line 0002\n", 10), 0);
	int fd2 = open("numbers.txt", O_RDONLY);
	CHECK_ERR(lseek(fd2, 20, SEEK_SET), 20);
	CHECK_EQ(read(fd2, line, 10), 10);
	CHECK_EQ(memcmp(line, "line 0002\n", 10), 0);
	CHECK_ERR(close(fd2), 0);
	int status, pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		CHECK_EQ(memcmp(a + 20, "LINE", 4), 0);
		a[20] = 'X';
		exit(0);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	if (a[20] != 'L')
		check_fail(
		        __FILE__, __LINE__,
		        "the child's write to a private file mapping reached "
		        "the parent's page ('%c'): fork must share a private "
		        "mapping's pages copy-on-write, never writable",
		        a[20]);
	CHECK_ERR(munmap(a, SIZE), 0);
	CHECK_ERR(munmap(b, SIZE), 0);
}

/* 4 pages of a 2.44-page file: page 3 is past the end. */
static void past_the_end(int fd)
{
	char *p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
	               fd, 0);

	CHECK(p != MAP_FAILED);
	CHECK_EQ(p[3 * PAGE_SIZE - 1], 0);
	p[SIZE] = 'z'; /* the last page's tail is the mapping's */
	CHECK_READ_KILLS(p + 3 * PAGE_SIZE, SIGBUS);
	CHECK_WRITE_KILLS(p + 4 * PAGE_SIZE - 1, SIGBUS);
	/* An offset past the end: every page is. */
	char *q = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd,
	               4 * PAGE_SIZE);
	CHECK(q != MAP_FAILED);
	CHECK_READ_KILLS(q, SIGBUS);
	CHECK_ERR(munmap(p, 4 * PAGE_SIZE), 0);
	CHECK_ERR(munmap(q, PAGE_SIZE), 0);
}

static void shared_read_only(int fd)
{
	CHECK(mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
	           0) == MAP_FAILED);
	CHECK_EQ(errno, EACCES);
	char *p = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(memcmp(p, file, PAGE_SIZE), 0);
	CHECK_ERR(mprotect(p, PAGE_SIZE, PROT_READ | PROT_WRITE), -1);
	CHECK_EQ(errno, EACCES);
	CHECK_WRITE_KILLS(p, SIGSEGV);
	CHECK_ERR(munmap(p, PAGE_SIZE), 0);
}

/* The mapping outlives the descriptor. */
static void after_close(void)
{
	int fd = open("numbers.txt", O_RDONLY);
	char *p = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);

	CHECK(p != MAP_FAILED);
	CHECK_ERR(close(fd), 0);
	CHECK_EQ(memcmp(p, file, SIZE), 0);
	CHECK_ERR(munmap(p, SIZE), 0);
}

int main(void)
{
	read_whole();
	int fd = open("numbers.txt", O_RDONLY);
	CHECK(fd >= 0);
	same_as_read(fd);
	at_offset(fd);
	split_keeps_offsets(fd);
	private_copy(fd);
	past_the_end(fd);
	shared_read_only(fd);
	CHECK_ERR(close(fd), 0);
	after_close();
	CHECK_EQ(mapping_count(), 0);
	return 0;
}
