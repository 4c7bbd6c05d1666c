/*
 * A page that fork shares is evicted from every sharer at once: each PTE
 * that maps its frame becomes the swap entry, or the frame could not be
 * freed and the sharers would no longer share one copy. The parent, with
 * a resident limit of 2 pages (FIFO), writes page 0 and forks; the child
 * (same limit, same ring) touches pages 1 and 2, which evicts page 0.
 * Then neither process may still map page 0 (pageinfo), and both read
 * it back intact.
 */
#include <memos.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "swap_pages.h"

#define SEED 0x3C3C0000u

static void check_evicted(const char *who, const uint32_t *page)
{
	struct pageinfo info;

	CHECK_EQ(sys_pageinfo(page, &info), 0);
	if (info.flags & PAGEINFO_PRESENT)
		check_fail(__FILE__, __LINE__,
		           "%s still maps page 0 after the child evicted it "
		           "(frame 0x%x, %u mappings): a shared page must be "
		           "unmapped in every sharer",
		           who, (unsigned)info.frame,
		           (unsigned)info.frame_maps);
}

int main(void)
{
	uintptr_t brk = (uintptr_t)sbrk(0);
	CHECK(sbrk((intptr_t)((PAGE_SIZE - brk % PAGE_SIZE) % PAGE_SIZE)) !=
	      (void *)-1);
	uint32_t *buf = swap_buffer(3);
	struct rlimit limit = {2 * PAGE_SIZE, RLIM_INFINITY};

	CHECK_EQ(setrlimit(RLIMIT_RSS, &limit), 0);
	CHECK(evict_policy(EVICT_POLICY_FIFO) >= 0);
	fill_page(buf, 0, SEED);
	int pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct pageinfo info;
		CHECK_EQ(sys_pageinfo(buf, &info), 0);
		CHECK(info.flags & PAGEINFO_PRESENT);
		CHECK_EQ(info.frame_maps, 2);
		fill_page(buf, 1, SEED);
		fill_page(buf, 2, SEED); /* evicts page 0 */
		check_evicted("the child", buf);
		check_page("swap_shared (child)", buf, 0, SEED);
		return 0;
	}
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	check_evicted("the parent", buf);
	check_page("swap_shared (parent)", buf, 0, SEED);
	return 0;
}
