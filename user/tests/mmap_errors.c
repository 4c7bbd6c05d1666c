/*
 * mmap, munmap and mprotect with bad arguments of every kind: the errno
 * POSIX gives (the kernel's exact answer, through the raw calls), and
 * nothing mapped after a failure. numbers.txt is a read-only file; fd 0
 * is the console, "/" the directory.
 */
#include <fcntl.h>

#include "mmap_check.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static void mmap_errors(int file, int dir)
{
	void *at = (void *)0x50000000;

	CHECK_ERR(sys_mmap(NULL, 0, RW, ANON, -1, 0), -EINVAL);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, RW, MAP_ANONYMOUS, -1, 0),
	          -EINVAL); /* neither private nor shared */
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, RW,
	                   MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	          -EINVAL); /* both */
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, 0x10, ANON, -1, 0), -EINVAL);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, RW, ANON | 0x1000, -1, 0),
	          -EINVAL); /* a flag memos does not know */
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, file, 100),
	          -EINVAL); /* offset not page aligned */
	CHECK_ERR(sys_mmap((char *)at + 1, PAGE_SIZE, RW, ANON | MAP_FIXED, -1,
	                   0),
	          -EINVAL); /* MAP_FIXED address not page aligned */
	CHECK_ERR(sys_mmap((void *)0xBFFFF000u, 2 * PAGE_SIZE, RW,
	                   ANON | MAP_FIXED, -1, 0),
	          -EINVAL); /* reaches the kernel */
	CHECK_ERR(sys_mmap((void *)0xC0000000u, PAGE_SIZE, RW, ANON | MAP_FIXED,
	                   -1, 0),
	          -EINVAL); /* in the kernel */
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 15, 0),
	          -EBADF); /* not open */
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, -1, 0),
	          -EBADF);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 0, 0),
	          -ENODEV); /* the console */
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, dir, 0),
	          -ENODEV);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, RW, MAP_SHARED, file, 0), -EACCES);
	CHECK_ERR(sys_mmap(NULL, 0xFFFFF001u, RW, ANON, -1, 0), -ENOMEM);
	CHECK_ERR(sys_mmap(NULL, 0xBFF00000u, RW, ANON, -1, 0),
	          -ENOMEM); /* more than the mmap area */
	CHECK_ERR(sys_mmap((void *)0x08048000u, PAGE_SIZE, RW, ANON | MAP_FIXED,
	                   -1, 0),
	          -ENOMEM); /* over the program */
	CHECK_ERR(sys_mmap((void *)0xBFF00000u, PAGE_SIZE, RW, ANON | MAP_FIXED,
	                   -1, 0),
	          -ENOMEM); /* over the stack */
	CHECK_EQ(mapping_count(), 0);
	/* The libc's wrapper: MAP_FAILED and errno. */
	CHECK(mmap(NULL, 0, RW, ANON, -1, 0) == MAP_FAILED);
	CHECK_EQ(errno, EINVAL);
}

static void other_errors(void)
{
	char *p = mmap(NULL, 2 * PAGE_SIZE, RW, ANON, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK_ERR(sys_munmap(p + 1, PAGE_SIZE), -EINVAL);
	CHECK_ERR(sys_munmap(p, 0), -EINVAL);
	CHECK_ERR(sys_munmap((void *)0xBFFFF000u, 2 * PAGE_SIZE), -EINVAL);
	CHECK_ERR(sys_munmap((void *)0xFFFFF000u, PAGE_SIZE), -EINVAL);
	CHECK_ERR(sys_munmap((void *)0x08048000u, PAGE_SIZE),
	          -EINVAL); /* the program's text: not a mapping */
	CHECK_ERR(sys_munmap((void *)0x70000000u, PAGE_SIZE), 0); /* nothing */
	CHECK_ERR(sys_mprotect(p + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	CHECK_ERR(sys_mprotect(p, PAGE_SIZE, 0x10), -EINVAL);
	CHECK_ERR(sys_mprotect(p, 3 * PAGE_SIZE, PROT_READ), -ENOMEM);
	CHECK_ERR(sys_mprotect((void *)0x70000000u, PAGE_SIZE, PROT_READ),
	          -ENOMEM);
	CHECK_ERR(sys_mprotect(p, 0, PROT_READ), 0);
	CHECK_ERR(sys_mprotect((void *)0xC0000000u, PAGE_SIZE, PROT_READ),
	          -EINVAL);
	/* Nothing changed: both pages still writable, one region. */
	p[0] = p[2 * PAGE_SIZE - 1] = 1;
	CHECK_EQ(mapping_count(), 1);
	CHECK_ERR(sys_munmap(p, 2 * PAGE_SIZE), 0);
}

/* The per-process limit: MMAP_MAX mappings, then ENOMEM, also for a
 * munmap that would cut one in two. */
static void map_limit(void)
{
	static char *maps[MMAP_MAX];

	for (int i = 0; i < MMAP_MAX; i++) {
		/* PROT_READ and PROT_WRITE alternate: no two merge. */
		maps[i] = mmap(NULL, 3 * PAGE_SIZE, i % 2 ? PROT_READ : RW,
		               ANON, -1, 0);
		CHECK(maps[i] != MAP_FAILED);
	}
	CHECK_EQ(mapping_count(), MMAP_MAX);
	CHECK_ERR(sys_mmap(NULL, PAGE_SIZE, RW, ANON, -1, 0), -ENOMEM);
	CHECK_ERR(sys_munmap(maps[0] + PAGE_SIZE, PAGE_SIZE), -ENOMEM);
	CHECK_ERR(sys_mprotect(maps[0] + PAGE_SIZE, PAGE_SIZE, PROT_READ),
	          -ENOMEM);
	CHECK_ERR(sys_munmap(maps[0], PAGE_SIZE), 0); /* an end: no cut */
	for (int i = 0; i < MMAP_MAX; i++)
		CHECK_ERR(sys_munmap(maps[i], 3 * PAGE_SIZE), 0);
	CHECK_EQ(mapping_count(), 0);
}

int main(void)
{
	int file = open("numbers.txt", O_RDONLY), dir = open("/", O_RDONLY);

	CHECK(file >= 0 && dir >= 0);
	mmap_errors(file, dir);
	other_errors();
	map_limit();
	return 0;
}
