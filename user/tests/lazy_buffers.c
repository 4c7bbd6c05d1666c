/*
 * The kernel touching user memory for a system call works on pages that
 * have no frame yet (vm=lazy): each call below gets a buffer in a page the
 * program never touched (pageinfo says it has none), works as it does on
 * any buffer, and the page has its frame afterwards. Bad pointers are
 * still -EFAULT, and so is a write into a read-only page.
 */
// test-vm: lazy
#include <memos.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

/* Pages of their own: a data page (its bytes come from the program
 * file), bss pages (zero-filled), touched only through system calls. */
#define MESSAGE "lazy_buffers: written from a data page never touched\n"
static char data_page[PAGE_SIZE] __attribute__((aligned(4096))) = MESSAGE;
static char spawn_name[PAGE_SIZE] __attribute__((aligned(4096))) =
        "lazy_buffers";
static int bss_status[PAGE_SIZE / sizeof(int)] __attribute__((aligned(4096)));

/* Fails the test unless the page holding p is in a region and has no
 * frame yet (present false) or has one (present true). */
static void expect_frame(const void *p, bool present, int line)
{
	struct pageinfo info;

	if (pageinfo(p, &info) != 0)
		check_fail(__FILE__, line, "pageinfo(%p) failed", p);
	if (!(info.flags & PAGEINFO_REGION))
		check_fail(__FILE__, line, "no region holds %p", p);
	if (!!(info.flags & PAGEINFO_PRESENT) != present)
		check_fail(__FILE__, line, "the page of %p %s a frame", p,
		           present ? "has no" : "already has");
}
#define UNTOUCHED(p) expect_frame((p), false, __LINE__)
#define TOUCHED(p) expect_frame((p), true, __LINE__)

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "child") == 0)
		return 7;

	/* write() from a data page: its bytes are read from the file. */
	UNTOUCHED(data_page);
	int written = sys_write(STDOUT_FILENO, data_page, strlen(MESSAGE));
	if (written != (int)strlen(MESSAGE))
		check_fail(__FILE__, __LINE__,
		           "write() from a data page never touched gave %d, "
		           "expected %d: the kernel must give such a page its "
		           "frame, as the program's own touch would",
		           written, (int)strlen(MESSAGE));
	TOUCHED(data_page);

	/* spawn() reads its name from a data page never touched; waitpid()
	 * writes the status into a bss page never touched. */
	UNTOUCHED(spawn_name);
	UNTOUCHED(bss_status);
	int pid = sys_spawn(spawn_name, (char *[]){"lazy_buffers", "child", 0});
	CHECK(pid > 0);
	CHECK_EQ(sys_waitpid(pid, bss_status, 0), pid);
	TOUCHED(bss_status);
	CHECK_EXITED(bss_status[0], 7);

	/* Fresh heap pages: sbrk gave no frames. */
	char *fresh = sbrk(4 * PAGE_SIZE);
	CHECK(fresh != (void *)-1);
	for (int i = 0; i < 4; i++)
		UNTOUCHED(fresh + i * PAGE_SIZE);

	/* meminfo() writes into one. */
	struct meminfo *m = (struct meminfo *)fresh;
	CHECK_ERR(sys_meminfo(m), 0);
	TOUCHED(m);
	CHECK(m->total_frames > 0 && m->free_frames <= m->total_frames);

	/* list_programs() into the next, across into the one after. */
	char *list = fresh + 2 * PAGE_SIZE - 16;
	int needed = sys_list_programs(list, PAGE_SIZE);
	CHECK(needed > 16);
	TOUCHED(list);
	TOUCHED(list + 16);
	CHECK(strstr(list, "lazy_buffers") != NULL);

	/* pageinfo() itself writes into an untouched page, after it looked:
	 * asked about that same page, it saw no frame yet. */
	struct pageinfo *info = (struct pageinfo *)(fresh + 3 * PAGE_SIZE);
	UNTOUCHED(info);
	CHECK_ERR(sys_pageinfo(fresh + 4 * PAGE_SIZE - 1, info), 0);
	TOUCHED(info);
	CHECK_EQ(info->flags & (PAGEINFO_REGION | PAGEINFO_PRESENT),
	         PAGEINFO_REGION);

	/* Above the break and in the guard gap: still -EFAULT, no frame. */
	char *above = fresh + 4 * PAGE_SIZE;
	CHECK_ERR(sys_write(STDOUT_FILENO, above, 8), -EFAULT);
	CHECK_ERR(sys_meminfo((struct meminfo *)above), -EFAULT);
	CHECK_ERR(sys_pageinfo(above, info), 0);
	CHECK_EQ(info->flags, 0u);
	/* A kernel address is not the program's to ask about. */
	CHECK_ERR(sys_pageinfo((void *)KERNEL_TEXT_ADDR, info), -EINVAL);
	CHECK_ERR(sys_pageinfo(fresh, (struct pageinfo *)above), -EFAULT);

	/* A page that has its frame keeps its rights for the kernel too: no
	 * status written into the program's text (main's first bytes, run
	 * already), and the child is still there to be waited for. */
	pid = sys_spawn(spawn_name, (char *[]){"lazy_buffers", "child", 0});
	CHECK(pid > 0);
	int got = sys_waitpid(pid, (int *)(uintptr_t)main, 0);
	if (got != -EFAULT)
		check_fail(__FILE__, __LINE__,
		           "waitpid() with its status in the program's text "
		           "gave %d, expected -14 (-EFAULT): the kernel must "
		           "not write a read-only page for a system call",
		           got);
	CHECK_EQ(sys_waitpid(pid, bss_status, 0), pid);
	return 0;
}
