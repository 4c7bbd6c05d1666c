/* meminfo(): sensible counters that follow a child's life, and -EFAULT for
 * a struct the program may not write. */
#include <unistd.h>

#include "check.h"
#include "lib/string.h"

int main(void)
{
	struct meminfo before, during, after;

	memset(&before, 0xff, sizeof(before));
	CHECK_ERR(sys_meminfo(&before), 0);
	CHECK(before.total_frames > 0);
	CHECK(before.free_frames > 0);
	CHECK(before.free_frames < before.total_frames);
	CHECK(before.kheap_used_bytes > 0);
	CHECK(before.process_count >= 1);

	/* A live child is one more process and takes frames. */
	int pid = sys_spawn("sleep", (char *[]){"sleep", "300", NULL});
	CHECK(pid > 0);
	CHECK_ERR(sys_meminfo(&during), 0);
	CHECK_EQ(during.process_count, before.process_count + 1);
	CHECK(during.free_frames < before.free_frames);
	int status;
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	CHECK_ERR(sys_meminfo(&after), 0);
	CHECK_EQ(after.process_count, before.process_count);

	CHECK_ERR(sys_meminfo(NULL), -EFAULT);
	CHECK_ERR(sys_meminfo((struct meminfo *)KERNEL_TEXT_ADDR), -EFAULT);
	CHECK_ERR(sys_meminfo((struct meminfo *)UNMAPPED_ADDR), -EFAULT);
	/* Mapped but read-only: the program's text. */
	CHECK_ERR(sys_meminfo((struct meminfo *)(uintptr_t)main), -EFAULT);
	/* Partly mapped: the last bytes of the image and the page after. */
	CHECK_ERR(sys_meminfo((struct meminfo *)(IMAGE_END_PAGE - 8)), -EFAULT);

	/* Ends exactly where its page ends, and the next page is unmapped:
	 * the range touches that one page only. Such a page: the heap's
	 * last, with the break moved to a page boundary. */
	uintptr_t old_break = (uintptr_t)sbrk(0);
	uintptr_t end = (old_break + sizeof(struct meminfo) + PAGE_SIZE - 1) &
	                ~(uintptr_t)(PAGE_SIZE - 1);
	CHECK(sbrk((intptr_t)(end - old_break)) != (void *)-1);
	long got =
	        sys_meminfo((struct meminfo *)(end - sizeof(struct meminfo)));
	char name[16];
	if (got != 0)
		check_fail(__FILE__, __LINE__,
		           "sys_meminfo(a struct that ends where its page "
		           "ends) is %ld%s, expected 0: the range's last byte "
		           "is start + len - 1; the next page is not touched",
		           got, errno_suffix(got, name, sizeof(name)));
	return 0;
}
