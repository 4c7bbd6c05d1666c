/*
 * Thousands of mmap/munmap cycles, touched, split, protected and forked,
 * leave nothing behind: the same free frames, kernel-heap bytes and
 * regions (the "region" slab cache's objects) as before.
 */
// test-timeout: 120
#include <fcntl.h>

#include "lib/string.h"
#include "mmap_check.h"

#define CYCLES 1500

static uint32_t regions_in_use(void)
{
	static struct slabinfo caches[32];
	int n = slabinfo(caches, 32);

	CHECK(n > 0 && n <= 32);
	for (int i = 0; i < n; i++)
		if (strcmp(caches[i].name, "region") == 0)
			return caches[i].objects_in_use;
	check_fail(__FILE__, __LINE__, "no slab cache named region");
}

static void cycle(int i, int fd)
{
	int shared = i % 3 == 0 ? MAP_SHARED : MAP_PRIVATE;
	char *p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
	               shared | MAP_ANONYMOUS, -1, 0);
	char *f = mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
	               fd, 0);

	CHECK(p != MAP_FAILED && f != MAP_FAILED);
	p[0] = p[2 * PAGE_SIZE] = (char)i;
	f[PAGE_SIZE] = 'x'; /* a private copy */
	CHECK_ERR(mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	CHECK_ERR(munmap(p + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	if (i % 100 == 0) { /* a child shares both, then exits */
		int status, pid = sys_fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			p[0]++;
			exit(f[0] == 'l' ? 0 : 1);
		}
		CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
		CHECK_EXITED(status, 0);
	}
	CHECK_ERR(munmap(p, 4 * PAGE_SIZE), 0);
	CHECK_ERR(munmap(f, 3 * PAGE_SIZE), 0);
}

/* CYCLES cycles from cycle `first` on; what meminfo says after. */
static struct meminfo cycles(int first, int fd)
{
	struct meminfo m;

	for (int i = first; i < first + CYCLES; i++)
		cycle(i, fd);
	CHECK_EQ(meminfo(&m), 0);
	return m;
}

/*
 * Two rounds of the same cycles must end at the same numbers: a leak of
 * one frame or object in a hundred cycles would show 30 times over. (The
 * first round may end a frame or two away from the start: the last
 * child's kernel memory is freed when the next one is made.)
 */
int main(void)
{
	int fd = open("numbers.txt", O_RDONLY);

	CHECK(fd >= 0);
	uint32_t regions_before = regions_in_use();
	struct meminfo first = cycles(0, fd);
	uint32_t regions_first = regions_in_use();
	struct meminfo second = cycles(CYCLES, fd);
	CHECK_EQ(regions_first, regions_before);
	CHECK_EQ(regions_in_use(), regions_before);
	CHECK_EQ(second.free_frames, first.free_frames);
	CHECK_EQ(second.kheap_used_bytes, first.kheap_used_bytes);
	CHECK_EQ(second.user_frames, first.user_frames);
	CHECK_EQ(mapping_count(), 0);
	return 0;
}
