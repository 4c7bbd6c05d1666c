/*
 * What the mmap tests share: a child that must die of a given signal
 * when it touches an address, and the caller's regions as the kernel
 * reports them (SYS_REGIONS).
 */
#ifndef USER_TESTS_MMAP_CHECK_H
#define USER_TESTS_MMAP_CHECK_H

#include <errno.h>
#include <memos.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"

/* A fork's child touches addr (a read, or a write of 1) and the parent
 * checks that it was killed by sig. */
static inline void check_touch_kills(const char *file, int line,
                                     volatile char *addr, bool write, int sig)
{
	int status;
	int pid = sys_fork();

	if (pid < 0)
		check_fail(file, line, "fork failed: %d", pid);
	if (pid == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		exit(0); /* it should not get here */
	}
	sys_waitpid(pid, &status, 0);
	check_status(file, line, status, 0, sig);
}
#define CHECK_READ_KILLS(addr, sig)                                            \
	check_touch_kills(__FILE__, __LINE__, (volatile char *)(addr), false,  \
	                  (sig))
#define CHECK_WRITE_KILLS(addr, sig)                                           \
	check_touch_kills(__FILE__, __LINE__, (volatile char *)(addr), true,   \
	                  (sig))

/* The caller's region holding addr (a copy), false if none. */
static inline bool region_at(uintptr_t addr, struct region_info *out)
{
	static struct region_info all[8 + MMAP_MAX];
	int n = regions(0, all, 8 + MMAP_MAX);

	CHECK(n >= 0 && n <= 8 + MMAP_MAX);
	for (int i = 0; i < n; i++) {
		if (all[i].start <= addr && addr < all[i].end) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

/* How many of the caller's regions mmap made. */
static inline int mapping_count(void)
{
	static struct region_info all[8 + MMAP_MAX];
	int n = regions(0, all, 8 + MMAP_MAX), maps = 0;

	CHECK(n >= 0 && n <= 8 + MMAP_MAX);
	for (int i = 0; i < n; i++)
		maps += all[i].kind >= REGION_KIND_ANON;
	return maps;
}

/* Checks that [start, end) is one region of that kind. */
#define CHECK_REGION(addr, want_start, want_end, want_kind)                    \
	do {                                                                   \
		struct region_info r_;                                         \
		CHECK(region_at((uintptr_t)(addr), &r_));                      \
		CHECK_ADDR(r_.start, (uintptr_t)(want_start));                 \
		CHECK_ADDR(r_.end, (uintptr_t)(want_end));                     \
		CHECK_EQ(r_.kind, (uint32_t)(want_kind));                      \
	} while (0)

/* Whether the page holding addr has a frame now. */
static inline bool resident(const void *addr)
{
	struct pageinfo info;

	CHECK_ERR(sys_pageinfo(addr, &info), 0);
	return (info.flags & PAGEINFO_PRESENT) != 0;
}

#endif
