/*
 * Mapped pages are swappable like the heap's: on a machine of 256 user
 * frames, 512 pages of a private anonymous mapping and 512 of a shared
 * one that a parent and its child both write go to swap and come back
 * with every word right. A shared page comes back in both processes at
 * once (kernel/swap.c), so a write by one is read by the other even after
 * the page has been to the disk. A written page of a private file
 * mapping goes to swap too (its copy is not the file's any more).
 */
// test-timeout: 300
// test-swap: 256
#include <fcntl.h>

#include "mmap_check.h"
#include "swap_pages.h"

#define PAGES 512u

static uint32_t *map_pages(int flags)
{
	uint32_t *p = mmap(NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
	                   flags | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	return p;
}

static void private_pages(void)
{
	uint32_t *buf = map_pages(MAP_PRIVATE);

	for (uint32_t p = 0; p < PAGES; p++)
		fill_page(buf, p, 0x1111);
	for (uint32_t p = 0; p < PAGES; p++)
		check_page("mmap_swap (private)", buf, p, 0x1111);
	CHECK_ERR(munmap(buf, PAGES * PAGE_SIZE), 0);
}

/* turn: whose go it is (in the shared mapping's last page). */
static void wait_turn(volatile uint32_t *turn, uint32_t want)
{
	while (*turn != want)
		sys_yield();
}

static void shared_pages(void)
{
	uint32_t *buf = map_pages(MAP_SHARED);
	volatile uint32_t *turn = buf + (PAGES - 1) * WORDS_PER_PAGE;
	int status;

	*turn = 0;
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		wait_turn(turn, 1);
		for (uint32_t p = 0; p < PAGES - 1; p++)
			check_page("mmap_swap (child)", buf, p, 0x2222);
		for (uint32_t p = 0; p < PAGES - 1; p++)
			fill_page(buf, p, 0x3333);
		*turn = 2;
		exit(0);
	}
	for (uint32_t p = 0; p < PAGES - 1; p++)
		fill_page(buf, p, 0x2222);
	*turn = 1;
	while (*turn != 2 && sys_waitpid(pid, &status, WNOHANG) == 0)
		sys_yield();
	if (*turn == 2)
		CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	for (uint32_t p = 0; p < PAGES - 1; p++)
		check_page("mmap_swap (parent)", buf, p, 0x3333);
	CHECK_ERR(munmap(buf, PAGES * PAGE_SIZE), 0);
}

static void file_copy(void)
{
	int fd = open("numbers.txt", O_RDONLY);
	char *f = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
	               0);

	CHECK(fd >= 0 && f != MAP_FAILED);
	f[0] = 'L';
	private_pages(); /* pushes f's page out */
	CHECK_EQ(f[0], 'L');
	CHECK_EQ(f[1], 'i');
	CHECK_EQ(f[10], 'l');
	CHECK_ERR(munmap(f, PAGE_SIZE), 0);
	CHECK_ERR(close(fd), 0);
}

int main(void)
{
	struct meminfo before, after;

	CHECK_EQ(meminfo(&before), 0);
	CHECK(before.swap_slots_total >= 2 * PAGES);
	shared_pages();
	file_copy();
	CHECK_EQ(meminfo(&after), 0);
	printf("mmap_swap: %u pages written to swap, %u read back\n",
	       (unsigned)(after.swap_pages_written - before.swap_pages_written),
	       (unsigned)(after.swap_pages_read - before.swap_pages_read));
	CHECK(after.swap_pages_read - before.swap_pages_read >= PAGES);
	return 0;
}
