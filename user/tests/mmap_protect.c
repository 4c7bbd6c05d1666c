/*
 * mprotect and munmap of part of a region: the region splits, the rights
 * reach the pages already resident at once (a write after a read-only
 * mprotect is SIGSEGV, PROT_NONE forbids reads), the halves merge again
 * when their rights are the same, and a fault after munmap is SIGSEGV.
 */
#include "lib/string.h"
#include "mmap_check.h"

#define PROT_RW (PROT_READ | PROT_WRITE)

static char *map(size_t pages)
{
	char *p = mmap(NULL, pages * PAGE_SIZE, PROT_RW,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	return p;
}

static void protect_middle(void)
{
	char *p = map(4);

	memset(p, 'r', 4 * PAGE_SIZE); /* every page resident, writable */
	CHECK_ERR(mprotect(p + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);
	CHECK_EQ(mapping_count(), 3);
	CHECK_REGION(p + PAGE_SIZE, p + PAGE_SIZE, p + 3 * PAGE_SIZE,
	             REGION_KIND_ANON);
	struct pageinfo info;
	CHECK_ERR(sys_pageinfo(p + PAGE_SIZE, &info), 0);
	CHECK(!(info.flags & PAGEINFO_WRITABLE));
	CHECK_EQ(p[2 * PAGE_SIZE], 'r');
	CHECK_WRITE_KILLS(p + PAGE_SIZE, SIGSEGV);
	CHECK_WRITE_KILLS(p + 3 * PAGE_SIZE - 1, SIGSEGV);
	p[0] = 'w'; /* the neighbours keep their rights */
	p[3 * PAGE_SIZE] = 'w';
	/* Back to read-write: one region again, writable pages. */
	CHECK_ERR(mprotect(p + PAGE_SIZE, 2 * PAGE_SIZE, PROT_RW), 0);
	CHECK_EQ(mapping_count(), 1);
	CHECK_REGION(p, p, p + 4 * PAGE_SIZE, REGION_KIND_ANON);
	p[PAGE_SIZE] = 'w';
	CHECK_EQ(p[PAGE_SIZE], 'w');
	CHECK_EQ(p[PAGE_SIZE + 1], 'r');
	CHECK_ERR(munmap(p, 4 * PAGE_SIZE), 0);
}

/* A read-only page shared by fork made writable again in the child is
 * the child's copy: the parent's byte stays. */
static void protect_after_fork(void)
{
	char *p = map(1);
	int status;

	p[0] = 'a';
	CHECK_ERR(mprotect(p, PAGE_SIZE, PROT_READ), 0);
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		CHECK_ERR(mprotect(p, PAGE_SIZE, PROT_RW), 0);
		p[0] = 'b';
		exit(p[0] == 'b' ? 0 : 1);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	CHECK_EQ(p[0], 'a');
	CHECK_WRITE_KILLS(p, SIGSEGV);
	CHECK_ERR(munmap(p, PAGE_SIZE), 0);
}

/* The writer itself, after mprotect: its TLB held the page writable
 * (it just wrote it), so the kernel must flush it. In a child, so that
 * the parent sees the kill. */
static void write_after_protect(void)
{
	char *p = map(1);
	int status, pid = sys_fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		p[0] = 1; /* its own copy, writable, in the TLB */
		CHECK_ERR(mprotect(p, PAGE_SIZE, PROT_READ), 0);
		((volatile char *)p)[0] = 2;
		exit(0);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV)
		check_fail(__FILE__, __LINE__,
		           "a write right after mprotect(PROT_READ) went "
		           "through: the CPU still used the page's old "
		           "writable translation (flush the TLB after "
		           "changing resident pages' rights)");
	CHECK_ERR(munmap(p, PAGE_SIZE), 0);
}

static void prot_none(void)
{
	char *p = map(2);

	p[0] = 'n';
	CHECK_ERR(mprotect(p, 2 * PAGE_SIZE, PROT_NONE), 0);
	CHECK_READ_KILLS(p, SIGSEGV);             /* resident */
	CHECK_READ_KILLS(p + PAGE_SIZE, SIGSEGV); /* never touched */
	/* The kernel will not touch it for the program either. */
	CHECK_ERR(sys_write(STDOUT_FILENO, p, 1), -EFAULT);
	CHECK_ERR(mprotect(p, 2 * PAGE_SIZE, PROT_READ), 0);
	CHECK_EQ(p[0], 'n');
	CHECK_ERR(munmap(p, 2 * PAGE_SIZE), 0);
}

static void unmap_middle(void)
{
	char *p = map(5);

	memset(p, 'm', 5 * PAGE_SIZE);
	CHECK_ERR(munmap(p + PAGE_SIZE, 3 * PAGE_SIZE), 0);
	if (mapping_count() != 2)
		check_fail(__FILE__, __LINE__,
		           "munmap of pages 1-3 of a 5-page mapping left %d "
		           "regions, expected 2: munmap must split a region "
		           "it covers only in part",
		           mapping_count());
	CHECK_REGION(p, p, p + PAGE_SIZE, REGION_KIND_ANON);
	CHECK_REGION(p + 4 * PAGE_SIZE, p + 4 * PAGE_SIZE, p + 5 * PAGE_SIZE,
	             REGION_KIND_ANON);
	CHECK_READ_KILLS(p + PAGE_SIZE, SIGSEGV);
	CHECK_WRITE_KILLS(p + 4 * PAGE_SIZE - 1, SIGSEGV);
	CHECK_EQ(p[0], 'm');
	CHECK_EQ(p[5 * PAGE_SIZE - 1], 'm');
	/* munmap of what is not mapped (again): not an error. */
	CHECK_ERR(munmap(p + PAGE_SIZE, 3 * PAGE_SIZE), 0);
	/* A range over both ends and the hole: all of it goes. */
	CHECK_ERR(munmap(p, 5 * PAGE_SIZE), 0);
	CHECK_EQ(mapping_count(), 0);
	/* mprotect of a hole: ENOMEM. */
	CHECK_ERR(mprotect(p, PAGE_SIZE, PROT_READ), -1);
	CHECK_EQ(errno, ENOMEM);
}

/* Two mappings made side by side merge into one region. */
static void neighbours_merge(void)
{
	char *a = map(2);
	char *b = mmap(a - 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_RW,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	CHECK(b == a - 2 * PAGE_SIZE);
	CHECK_EQ(mapping_count(), 1);
	CHECK_REGION(a, b, a + 2 * PAGE_SIZE, REGION_KIND_ANON);
	CHECK_ERR(munmap(b, 4 * PAGE_SIZE), 0);
}

int main(void)
{
	protect_middle();
	protect_after_fork();
	write_after_protect();
	prot_none();
	unmap_middle();
	neighbours_merge();
	return 0;
}
