/*
 * mmap's anonymous private mappings and where mappings go: zeros on the
 * first touch, frames only for the pages touched, a hint taken when that
 * range is free, MAP_FIXED exactly there (replacing what was), the kernel's
 * choice at the very top of the mmap area, sbrk stopping at a mapping,
 * and execv leaving no mapping behind.
 */
#include "lib/string.h"
#include "mmap_check.h"

#define PROT_RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static char *map(void *hint, size_t len, int flags)
{
	char *p = mmap(hint, len, PROT_RW, flags, -1, 0);

	CHECK(p != MAP_FAILED);
	return p;
}

static void zeros_lazily(void)
{
	char *p = map(NULL, 8 * PAGE_SIZE, ANON);

	CHECK_EQ((uintptr_t)p % PAGE_SIZE, 0);
	CHECK_REGION(p, p, p + 8 * PAGE_SIZE, REGION_KIND_ANON);
	for (int i = 0; i < 8; i++)
		CHECK(!resident(p + i * PAGE_SIZE));
	CHECK_EQ(p[5 * PAGE_SIZE + 17], 0); /* a read: a zero page */
	p[3 * PAGE_SIZE] = 'x';
	CHECK(resident(p + 3 * PAGE_SIZE) && resident(p + 5 * PAGE_SIZE));
	CHECK(!resident(p) && !resident(p + 7 * PAGE_SIZE));
	for (int i = 0; i < 8 * (int)PAGE_SIZE; i++)
		CHECK_EQ(p[i], i == 3 * (int)PAGE_SIZE ? 'x' : 0);
	CHECK_ERR(munmap(p, 8 * PAGE_SIZE), 0);
	CHECK(!region_at((uintptr_t)p, &(struct region_info){0}));
	CHECK_READ_KILLS(p + 3 * PAGE_SIZE, SIGSEGV); /* gone */
}

/* No hint: the highest free range below the stack's guard gap; the page
 * above it is not the mmap area's (MAP_FIXED there: ENOMEM). */
static void top_of_area(void)
{
	char *top = map(NULL, PAGE_SIZE, ANON);
	char *next = map(NULL, 2 * PAGE_SIZE, ANON);

	CHECK_ADDR((uintptr_t)next, (uintptr_t)top - 2 * PAGE_SIZE);
	top[PAGE_SIZE - 1] = 7; /* the very last byte of the area */
	CHECK_EQ(top[PAGE_SIZE - 1], 7);
	CHECK(mmap(top + PAGE_SIZE, PAGE_SIZE, PROT_RW, ANON | MAP_FIXED, -1,
	           0) == MAP_FAILED);
	CHECK_EQ(errno, ENOMEM);
	/* ... where the stack's guard gap starts: 1 MiB below the stack. */
	if ((uintptr_t)top + PAGE_SIZE != 0xBFDFF000u)
		check_fail(__FILE__, __LINE__,
		           "the first mapping ends at %p, expected 0xbfdff000 "
		           "(USER_HEAP_LIMIT): mappings must stay below the "
		           "stack's guard gap, never in it or the stack",
		           top + PAGE_SIZE);
	CHECK_ERR(munmap(next, 3 * PAGE_SIZE), 0);
}

static void hint_and_fixed(void)
{
	char *hint = (char *)0x60000000;
	char *p = map(hint, 4 * PAGE_SIZE, ANON);

	CHECK_ADDR((uintptr_t)p, (uintptr_t)hint);
	/* A hint that is taken is not an order: elsewhere. */
	char *q = map(hint + PAGE_SIZE, PAGE_SIZE, ANON);
	CHECK(q != hint + PAGE_SIZE);
	CHECK_ERR(munmap(q, PAGE_SIZE), 0);
	/* MAP_FIXED replaces the second page: zeros again, the others keep
	 * their bytes, and the region is cut in three (read-only in the
	 * middle: with the same rights, the three would merge again). */
	memset(p, 'a', 4 * PAGE_SIZE);
	char *f = mmap(p + PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON | MAP_FIXED,
	               -1, 0);
	CHECK_ADDR((uintptr_t)f, (uintptr_t)(p + PAGE_SIZE));
	CHECK_EQ(f[0], 0);
	CHECK_EQ(p[0], 'a');
	CHECK_EQ(p[2 * PAGE_SIZE], 'a');
	CHECK_EQ(p[4 * PAGE_SIZE - 1], 'a');
	CHECK_REGION(p, p, p + PAGE_SIZE, REGION_KIND_ANON);
	CHECK_REGION(p + 2 * PAGE_SIZE, p + 2 * PAGE_SIZE, p + 4 * PAGE_SIZE,
	             REGION_KIND_ANON);
	CHECK_ERR(munmap(p, 4 * PAGE_SIZE), 0);
	CHECK_EQ(mapping_count(), 0);
}

/* The break never enters a mapping: sbrk fails there, as on Linux. */
static void sbrk_stops(void)
{
	uintptr_t brk = (uintptr_t)sys_sbrk(0);
	uintptr_t at =
	        ((brk + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) + 4 * PAGE_SIZE;
	char *p = map((void *)at, PAGE_SIZE, ANON | MAP_FIXED);

	CHECK_ERR(sys_sbrk((int32_t)(at - brk + 1)), -ENOMEM);
	CHECK_ADDR((uintptr_t)sys_sbrk(0), brk);
	CHECK_ADDR((uintptr_t)sys_sbrk((int32_t)(at - brk)), brk);
	/* And a mapping never covers the heap. */
	CHECK(mmap((void *)(at - PAGE_SIZE), PAGE_SIZE, PROT_RW,
	           ANON | MAP_FIXED, -1, 0) == MAP_FAILED);
	CHECK_EQ(errno, ENOMEM);
	CHECK_ADDR((uintptr_t)sys_sbrk(-(int32_t)(at - brk)), at);
	CHECK_ERR(munmap(p, PAGE_SIZE), 0);
}

/* "mmap_anon none": the new program has no mapping. */
static void execv_removes(void)
{
	int status, pid = sys_fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		map(NULL, 3 * PAGE_SIZE, ANON)[0] = 1;
		sys_execv("mmap_anon", (char *[]){"mmap_anon", "none", NULL});
		exit(3);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "none") == 0) {
		CHECK_EQ(mapping_count(), 0);
		return 0;
	}
	zeros_lazily();
	top_of_area();
	hint_and_fixed();
	sbrk_stops();
	execv_removes();
	return 0;
}
