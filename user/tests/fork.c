/*
 * fork(): the child is a copy of the parent that returns 0. Each sees
 * only its own writes, to heap, stack, data and bss pages alike, also
 * writes the kernel makes for a system call; program text stays
 * read-only; the x87 registers are copied too. With copy-on-write
 * (vm=lazy) the two share every frame until one writes (pageinfo shows
 * it); eager fork copies every page at once.
 */
// test-vm: eager lazy
#include <memos.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define PAGE PAGE_SIZE
static char data_page[PAGE] __attribute__((aligned(4096))) = "data";
static char bss_page[PAGE] __attribute__((aligned(4096)));
static char shared_page[PAGE] __attribute__((aligned(4096))); /* read only */

static struct pageinfo info_of(const void *p)
{
	struct pageinfo info;

	CHECK_EQ(pageinfo(p, &info), 0);
	return info;
}

/* The x87 control word (rounding, precision) the program set. */
static uint16_t fpu_control(void)
{
	uint16_t cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

static void set_fpu_control(uint16_t cw)
{
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

int main(int argc, char **argv)
{
	bool eager = vm_eager(argc, argv);
	char stack_page[64];
	char *heap = sbrk(PAGE);
	pid_t me = getpid();

	CHECK(heap != (void *)-1);
	strcpy(heap, "heap");
	strcpy(stack_page, "stack");
	strcpy(bss_page, "bss");
	data_page[PAGE - 1] = 0; /* every page has its frame before fork */
	shared_page[0] = 's';
	set_fpu_control(0x0c7f); /* round toward zero: not the default */

	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		CHECK(getpid() != me); /* (getppid is lab 5's to write) */
		CHECK_EQ(fpu_control(), 0x0c7f);
		/* The same bytes, in frames shared with the parent (lazy). */
		CHECK(strcmp(heap, "heap") == 0 &&
		      strcmp(data_page, "data") == 0 &&
		      strcmp(bss_page, "bss") == 0 &&
		      strcmp(stack_page, "stack") == 0);
		struct pageinfo d = info_of(data_page);
		struct pageinfo sh =
		        info_of(shared_page); /* no one writes it */
		if (!eager) {
			CHECK_EQ(d.flags & (PAGEINFO_COW | PAGEINFO_WRITABLE),
			         PAGEINFO_COW);
			CHECK_EQ(sh.flags & (PAGEINFO_COW | PAGEINFO_WRITABLE),
			         PAGEINFO_COW);
			CHECK_EQ(sh.frame_maps, 2u); /* the parent's and ours */
		} else {
			CHECK_EQ(d.flags & PAGEINFO_COW, 0u);
			CHECK_EQ(sh.frame_maps, 1u); /* a copy of our own */
		}
		/* Text is shared read-only, never copy-on-write. */
		struct pageinfo t = info_of((void *)(uintptr_t)main);
		CHECK_EQ(t.flags & (PAGEINFO_COW | PAGEINFO_WRITABLE), 0u);
		/* The child's writes, its own. */
		strcpy(heap, "HEAP");
		strcpy(data_page, "DATA");
		strcpy(bss_page, "BSS");
		strcpy(stack_page, "STACK");
		d = info_of(data_page);
		CHECK_EQ(d.flags & (PAGEINFO_COW | PAGEINFO_WRITABLE),
		         PAGEINFO_WRITABLE);
		/* The kernel writes into a page the parent shared: meminfo. */
		CHECK_EQ(sys_meminfo((struct meminfo *)(heap + 64)), 0);
		sleep_ms(50); /* the parent writes meanwhile */
		CHECK(strcmp(heap, "HEAP") == 0 &&
		      strcmp(data_page, "DATA") == 0);
		/* Writing its own code still kills. */
		if (fork() == 0) {
			*(volatile char *)(uintptr_t)main = 0;
			return 99;
		}
		int status;
		CHECK(wait(&status) > 0);
		CHECK_KILLED(status, SIGSEGV);
		return 7;
	}

	/* The parent's own entry changed too (lazy): read-only and
	 * copy-on-write, its TLB flushed, so that its write below faults and
	 * gets a page of its own (or the frame back) instead of writing the
	 * frame the child still reads. Checked after the child is done. */
	struct pageinfo at_fork = info_of(data_page);
	strcpy(data_page + 100, "parent wrote");
	struct pageinfo written = info_of(data_page);
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	uint32_t at_fork_rights =
	        at_fork.flags & (PAGEINFO_COW | PAGEINFO_WRITABLE);
	if (!eager &&
	    (at_fork_rights != PAGEINFO_COW || (written.flags & PAGEINFO_COW)))
		check_fail(__FILE__, __LINE__,
		           "the parent can still write a page it shares: its "
		           "entry was not made read-only / its TLB not "
		           "flushed (the parent's data page: %s%s at fork, "
		           "%s after its write)",
		           at_fork.flags & PAGEINFO_WRITABLE ? "writable"
		                                             : "read-only",
		           at_fork.flags & PAGEINFO_COW ? " COW" : "",
		           written.flags & PAGEINFO_COW ? "still COW: no fault"
		                                        : "its own");
	CHECK_EXITED(status, 7);
	/* The child's writes, the kernel's included, did not reach us. */
	CHECK(strcmp(heap, "heap") == 0);
	CHECK_EQ(heap[64], 0);
	CHECK(strcmp(data_page, "data") == 0);
	CHECK(strcmp(bss_page, "bss") == 0);
	CHECK(strcmp(stack_page, "stack") == 0);
	CHECK(strcmp(data_page + 100, "parent wrote") == 0);
	/* The child is gone: the parent is the shared page's last user,
	 * and its write takes the frame back without a copy. */
	struct pageinfo before = info_of(shared_page);
	CHECK_EQ(before.frame_maps, 1u);
	shared_page[1] = 'p';
	struct pageinfo after = info_of(shared_page);
	if (after.frame != before.frame)
		check_fail(__FILE__, __LINE__,
		           "the last user of a shared frame got a copy (frame "
		           "0x%08x, was 0x%08x): it should get the frame back, "
		           "writable",
		           (unsigned)after.frame, (unsigned)before.frame);
	CHECK(after.flags & PAGEINFO_WRITABLE);
	CHECK_EQ(after.flags & PAGEINFO_COW, 0u);
	return 0;
}
