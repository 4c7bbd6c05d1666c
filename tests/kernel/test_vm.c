/*
 * The region list and the page-fault path, on processes of the tests'
 * own: an address space and a region list, never run. (user/tests/
 * lazy_*.c and pageinfo.c check what a program sees.)
 */
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/kslab.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/region.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

#define BASE 0x10000000u /* where the tests put their regions */
#define RW (REGION_READ | REGION_WRITE)

static uint32_t kheap_used(void)
{
	struct heap_stats stats;

	kheap_get_stats(&stats);
	return (uint32_t)stats.used_bytes;
}

static void free_regions(void *list)
{
	region_list_free(list);
}

void test_region_list_keeps_order_and_refuses_overlap(void)
{
	static struct region_list list;
	uint32_t used_before = kheap_used();

	list.first = NULL;
	ktest_defer(free_regions, &list);
	KT_ASSERT_ERR(region_add(&list, BASE + 0x4000, BASE + 0x6000, RW,
	                         REGION_BSS, NULL),
	              0);
	KT_ASSERT_ERR(region_add(&list, BASE, BASE + 0x2000, REGION_READ,
	                         REGION_TEXT, NULL),
	              0);
	KT_ASSERT_ERR(region_add(&list, BASE + 0x2000, BASE + 0x4000, RW,
	                         REGION_DATA, NULL),
	              0);
	/* Overlaps, one page each way; misaligned; backwards. */
	KT_ASSERT_ERR(region_add(&list, BASE + 0x5000, BASE + 0x7000, RW,
	                         REGION_HEAP, NULL),
	              -EEXIST);
	KT_ASSERT_ERR(region_add(&list, BASE - 0x1000, BASE + 0x1000, RW,
	                         REGION_HEAP, NULL),
	              -EEXIST);
	KT_ASSERT_ERR(region_add(&list, BASE + 0x6001, BASE + 0x7000, RW,
	                         REGION_HEAP, NULL),
	              -EINVAL);
	KT_ASSERT_ERR(region_add(&list, BASE + 0x8000, BASE + 0x7000, RW,
	                         REGION_HEAP, NULL),
	              -EINVAL);
	/* An empty heap right after the bss. */
	KT_ASSERT_ERR(region_add(&list, BASE + 0x6000, BASE + 0x6000, RW,
	                         REGION_HEAP, NULL),
	              0);

	/* In address order, whatever order they came in. */
	enum region_kind order[] = {REGION_TEXT, REGION_DATA, REGION_BSS,
	                            REGION_HEAP};
	unsigned i = 0;
	for (struct region *r = list.first; r; r = r->next, i++) {
		KT_ASSERT(i < 4);
		KT_ASSERT_EQ(r->kind, order[i]);
	}
	KT_ASSERT_EQ(i, 4);

	KT_ASSERT_EQ(region_find(&list, BASE)->kind, REGION_TEXT);
	KT_ASSERT_EQ(region_find(&list, BASE + 0x1fff)->kind, REGION_TEXT);
	KT_ASSERT_EQ(region_find(&list, BASE + 0x2000)->kind, REGION_DATA);
	KT_ASSERT_EQ(region_find(&list, BASE + 0x5fff)->kind, REGION_BSS);
	KT_ASSERT(region_find(&list, BASE + 0x6000) == NULL); /* empty heap */
	KT_ASSERT(region_find(&list, BASE - 1) == NULL);

	/* The heap grows into free space, not into what lies above. */
	struct region *heap = region_of_kind(&list, REGION_HEAP);
	KT_ASSERT_ERR(region_set_end(heap, BASE + 0x9000), 0);
	KT_ASSERT_EQ(region_find(&list, BASE + 0x8fff)->kind, REGION_HEAP);
	KT_ASSERT_ERR(region_add(&list, BASE + 0xa000, BASE + 0xb000, RW,
	                         REGION_STACK, NULL),
	              0);
	KT_ASSERT_ERR(region_set_end(heap, BASE + 0xb000), -EEXIST);
	KT_ASSERT_ERR(region_set_end(heap, BASE + 0x5000), -EINVAL);
	KT_ASSERT_EQ(heap->end, BASE + 0x9000);

	region_list_free(&list);
	KT_ASSERT(list.first == NULL);
	KT_ASSERT_EQ(kheap_used(), used_before);
}

/* A process of the test's own: an address space and regions. */
static struct process test_process;

static void destroy_test_process(void *arg)
{
	struct process *p = arg;

	vm_space_destroy(&p->vm);
}

static struct process *new_test_process(void)
{
	struct process *p = &test_process;

	memset(p, 0, sizeof(*p));
	KT_ASSERT_ERR(vm_space_create(&p->vm, VM_LAZY), 0);
	ktest_defer(destroy_test_process, p);
	return p;
}

/* The byte at va in p's space (its page must have a frame). */
static uint8_t byte_at(struct process *p, uintptr_t va)
{
	paddr_t pa;

	KT_ASSERT(vmm_translate(p->vm.pgdir, va, &pa, NULL));
	const uint8_t *page = kmap(PAGE_ALIGN_DOWN(pa));
	uint8_t b = page[PAGE_OFFSET(va)];
	kunmap((void *)page);
	return b;
}

/* A program file's bytes: a segment of 0x1800 file bytes at BASE + 0x100
 * (so it straddles two pages), then bss up to BASE + 0x3000. */
static uint8_t file[0x2000];

void test_vm_fault_fills_pages_from_their_region(void)
{
	struct process *p = new_test_process();
	struct vm_counters before = vm_counters();
	struct region_source source = {
	        .file = file,
	        .offset = 0x200,
	        .size = 0x1800,
	        .vaddr = BASE + 0x100,
	};

	for (unsigned i = 0; i < sizeof(file); i++)
		file[i] = (uint8_t)(i * 7 + 1);
	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE, BASE + 0x2000,
	                         REGION_READ | REGION_EXEC, REGION_TEXT,
	                         &source),
	              0);
	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE + 0x2000, BASE + 0x3000,
	                         RW, REGION_BSS, NULL),
	              0);
	uint32_t free_before = pmm_free_frames();

	/* Nothing is mapped until touched. */
	KT_ASSERT(!vmm_translate(p->vm.pgdir, BASE, NULL, NULL));
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE + 0x1234, false), VM_FAULT_SERVED);
	/* The second page: file bytes up to 0x1900, zeros after. */
	KT_ASSERT_EQ(byte_at(p, BASE + 0x1000), file[0x200 + 0x1000 - 0x100]);
	KT_ASSERT_EQ(byte_at(p, BASE + 0x18ff), file[0x200 + 0x17ff]);
	KT_ASSERT_EQ(byte_at(p, BASE + 0x1900), 0);
	KT_ASSERT(!vmm_translate(p->vm.pgdir, BASE, NULL, NULL)); /* one page */

	/* Text is read-only: a write to its first page, which has no frame
	 * yet, is refused before a frame is given, and none is given. */
	uint32_t free_text = pmm_free_frames();
	enum vm_fault_result text_write = vm_fault(&p->vm, BASE + 4, true);
	if (text_write != VM_FAULT_RIGHTS)
		KT_FAIL("a write to a text page with no frame yet gave \"%s\", "
		        "expected \"%s\": the region's rights are checked "
		        "before a frame is given",
		        vm_fault_reason(text_write),
		        vm_fault_reason(VM_FAULT_RIGHTS));
	KT_ASSERT(!vmm_translate(p->vm.pgdir, BASE, NULL, NULL));
	KT_ASSERT_EQ(pmm_free_frames(), free_text);

	/* The first page: zeros before the segment's first byte. */
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE, false), VM_FAULT_SERVED);
	KT_ASSERT_EQ(byte_at(p, BASE + 0xff), 0);
	KT_ASSERT_EQ(byte_at(p, BASE + 0x100), file[0x200]);

	/* With its frame, text is mapped read-only, and a write is still
	 * refused. */
	uint32_t flags;
	KT_ASSERT(vmm_translate(p->vm.pgdir, BASE, NULL, &flags));
	KT_ASSERT_EQ(flags & (PTE_USER | PTE_WRITABLE), PTE_USER);
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE + 4, true), VM_FAULT_RIGHTS);

	/* bss: zero-filled and writable. A page with its frame does not
	 * fault again: that would be a protection fault. */
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE + 0x2ffc, true), VM_FAULT_SERVED);
	KT_ASSERT(vmm_translate(p->vm.pgdir, BASE + 0x2000, NULL, &flags));
	KT_ASSERT(flags & PTE_WRITABLE);
	KT_ASSERT_EQ(byte_at(p, BASE + 0x2ffc), 0);
	enum vm_fault_result again = vm_fault(&p->vm, BASE + 0x2000, true);
	if (again != VM_FAULT_RIGHTS)
		KT_FAIL("a write fault on a page that already has its frame "
		        "gave \"%s\", expected \"%s\": no region explains such "
		        "a protection fault",
		        vm_fault_reason(again),
		        vm_fault_reason(VM_FAULT_RIGHTS));

	/* No region: no frame. */
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE + 0x3000, false),
	             VM_FAULT_NO_REGION);
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE - 1, true), VM_FAULT_NO_REGION);

	/* Three frames (and a page table) went out, and were counted. */
	KT_ASSERT(pmm_free_frames() <= free_before - 3);
	struct vm_counters after = vm_counters();
	KT_ASSERT_EQ(after.faults_served - before.faults_served, 3);
	KT_ASSERT_EQ(after.pages_from_file - before.pages_from_file, 2);
	KT_ASSERT_EQ(after.pages_zero_filled - before.pages_zero_filled, 1);
}

void test_vm_fault_out_of_frames(void)
{
	struct process *p = new_test_process();

	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE, BASE + 0x4000, RW,
	                         REGION_HEAP, NULL),
	              0);
	/* Its page table first, while there are frames. */
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE, true), VM_FAULT_SERVED);
	uint32_t free_before = pmm_free_frames();

	/* Take every free frame, then fault. */
	static paddr_t taken_head;
	taken_head = 0;
	paddr_t frame;
	while ((frame = pmm_alloc_frame()) != 0) {
		uint32_t *link = kmap(frame);
		*link = (uint32_t)taken_head; /* a list through the frames */
		kunmap(link);
		taken_head = frame;
	}
	enum vm_fault_result result = vm_fault(&p->vm, BASE + 0x1000, true);
	bool mapped = vmm_translate(p->vm.pgdir, BASE + 0x1000, NULL, NULL);
	while (taken_head) {
		uint32_t *link = kmap(taken_head);
		paddr_t next = *link;
		kunmap(link);
		pmm_free_frame(taken_head);
		taken_head = next;
	}
	KT_ASSERT_EQ(result, VM_FAULT_NO_MEMORY);
	KT_ASSERT(!mapped);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
	/* With frames again, the same page is served. */
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE + 0x1000, true), VM_FAULT_SERVED);
}

void test_vm_eager_populate_maps_every_page(void)
{
	struct process *p = new_test_process();

	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE, BASE + 0x5000, RW,
	                         REGION_BSS, NULL),
	              0);
	uint32_t free_before = pmm_free_frames();
	KT_ASSERT_ERR(
	        vm_populate(&p->vm, p->vm.regions.first, BASE, BASE + 0x5000),
	        0);
	for (uintptr_t va = BASE; va < BASE + 0x5000; va += PAGE_SIZE)
		KT_ASSERT(vmm_translate(p->vm.pgdir, va, NULL, NULL));
	/* five pages and a page table */
	KT_ASSERT_EQ(free_before - pmm_free_frames(), 6);
	/* A second time maps nothing more. */
	KT_ASSERT_ERR(
	        vm_populate(&p->vm, p->vm.regions.first, BASE, BASE + 0x5000),
	        0);
	KT_ASSERT_EQ(free_before - pmm_free_frames(), 6);
}

/*
 * The kernel's user copies (kernel/uaccess.c) on pages with no frame yet,
 * as read() checks its buffer before it waits for input: the test's own
 * task borrows a test process's address space for the checks (the two
 * swap their struct vm_space, as execv swaps the old one for the new).
 */
static struct process *borrower;

static void swap_spaces(struct process *a, struct process *b)
{
	struct vm_space a_vm = a->vm;

	a->vm = b->vm;
	b->vm = a_vm;
}

static void give_back(void *arg)
{
	swap_spaces(borrower, arg);
	vmm_switch_space(borrower->vm.pgdir);
}

static bool has_frame(struct process *p, uintptr_t va)
{
	return vmm_translate(p->vm.pgdir, va, NULL, NULL);
}

void test_vm_user_copies_give_untouched_pages_frames(void)
{
	struct process *p = new_test_process();

	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE, BASE + 0x3000, RW,
	                         REGION_HEAP, NULL),
	              0);
	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE + 0x3000, BASE + 0x4000,
	                         REGION_READ | REGION_EXEC, REGION_TEXT, NULL),
	              0);
	borrower = sched_current();
	swap_spaces(borrower, p);
	vmm_switch_space(borrower->vm.pgdir);
	ktest_defer(give_back, p);

	/* A buffer across two untouched heap pages, to be written: both get
	 * their frames, as read() checks before it waits. */
	KT_ASSERT_ERR(check_user_buffer(BASE + 0xff0, 0x20, true), 0);
	KT_ASSERT(has_frame(borrower, BASE) &&
	          has_frame(borrower, BASE + 0x1000));
	KT_ASSERT(!has_frame(borrower, BASE + 0x2000));
	KT_ASSERT_ERR(copy_to_user(BASE + 0x2ffc, "abc", 4), 0);
	KT_ASSERT(has_frame(borrower, BASE + 0x2000));
	char back[4];
	KT_ASSERT_ERR(copy_from_user(back, BASE + 0x2ffc, 4), 0);
	KT_ASSERT(memcmp(back, "abc", 4) == 0);

	/* Text: read yes (and it gets its frame), write no (and no frame). */
	KT_ASSERT_ERR(check_user_buffer(BASE + 0x3000, 4, true), -EFAULT);
	KT_ASSERT(!has_frame(borrower, BASE + 0x3000));
	KT_ASSERT_ERR(copy_from_user(back, BASE + 0x3000, 4), 0);
	KT_ASSERT(has_frame(borrower, BASE + 0x3000));

	/* Past every region: -EFAULT, nothing mapped. */
	KT_ASSERT_ERR(copy_from_user(back, BASE + 0x4000, 4), -EFAULT);
	KT_ASSERT(!has_frame(borrower, BASE + 0x4000));
}

/* A frame that held other data (another process's, in real life) comes
 * zero-filled to the page that faults: the frame allocator hands the
 * frame just freed out again first. */
void test_vm_fault_zero_fills_a_used_frame(void)
{
	struct process *p = new_test_process();

	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE, BASE + 0x2000, RW,
	                         REGION_BSS, NULL),
	              0);
	/* The page table first (with the first page), so that the next
	 * frame out is the second page's. */
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE, true), VM_FAULT_SERVED);
	paddr_t dirty = pmm_alloc_frame();
	KT_ASSERT(dirty != 0);
	uint8_t *bytes = kmap(dirty);
	memset(bytes, 0xA5, PAGE_SIZE);
	kunmap(bytes);
	pmm_free_frame(dirty);

	KT_ASSERT_EQ(vm_fault(&p->vm, BASE + 0x1800, false), VM_FAULT_SERVED);
	paddr_t got;
	KT_ASSERT(vmm_translate(p->vm.pgdir, BASE + 0x1000, &got, NULL));
	KT_ASSERT_EQ(got, dirty);
	bytes = kmap(got);
	uint32_t at = PAGE_SIZE;
	for (uint32_t i = 0; i < PAGE_SIZE && at == PAGE_SIZE; i++)
		if (bytes[i] != 0)
			at = i;
	kunmap(bytes);
	if (at != PAGE_SIZE)
		KT_FAIL("the page that faulted at 0x%x holds 0xa5 at offset "
		        "%u, not 0: a fault must give a zero-filled page (the "
		        "frame held other data)",
		        BASE + 0x1800, at);
}

static void free_frame(void *arg)
{
	pmm_free_frame(*(paddr_t *)arg);
}

/* A frame fork shares counts its mappings: the last release frees it,
 * and freeing it while another mapping remains is a kernel bug. */
void test_vm_shared_frames_count_their_mappings(void)
{
	static paddr_t frame;
	uint32_t free_before = pmm_free_frames();
	struct fault_info info;

	/* A frame mapped once (nearly every frame): its one release frees
	 * it. */
	frame = pmm_alloc_frame();
	if (!frame)
		KT_FAIL("no free frame at all (of %u): frames are not "
		        "returned, by the tests before this one",
		        pmm_total_frames());
	if (!pmm_release_frame(frame) || pmm_free_frames() != free_before)
		KT_FAIL("pmm_release_frame of a frame mapped once did not free "
		        "it: frames are not returned, every exit leaks its "
		        "pages (extra_maps counts the mappings beyond the "
		        "first: 0 means one)");

	frame = pmm_alloc_frame();
	KT_ASSERT(frame != 0);
	KT_ASSERT_EQ(pmm_frame_refs(frame), 1);
	pmm_share_frame(frame);
	pmm_share_frame(frame);
	if (pmm_frame_refs(frame) != 3)
		KT_FAIL("a frame handed out and shared twice has %u mappings, "
		        "expected 3: pmm_share_frame must count each one",
		        pmm_frame_refs(frame));
	if (!ktest_expect_fault(free_frame, &frame, &info))
		KT_FAIL("pmm_free_frame of a frame mapped 3 times did not "
		        "PANIC");
	KT_ASSERT_EQ(info.vector, FAULT_PANIC);
	if (strncmp(info.message, "pmm: free of frame", 18) != 0)
		KT_FAIL("pmm_free_frame of a frame mapped 3 times panicked "
		        "with "
		        "\"%s\", expected \"pmm: free of frame ...\"",
		        info.message);
	for (int i = 0; i < 2; i++)
		if (pmm_release_frame(frame) ||
		    pmm_free_frames() != free_before - 1)
			KT_FAIL("pmm_release_frame freed a frame that %d more "
			        "mappings still use: a shared frame is freed "
			        "by the release of its last mapping only",
			        2 - i);
	KT_ASSERT_EQ(pmm_frame_refs(frame), 1);
	if (!pmm_release_frame(frame)) /* the last: freed */
		KT_FAIL("the release of a shared frame's last mapping did not "
		        "free it: frames are not returned");
	KT_ASSERT_EQ(pmm_frame_refs(frame), 0);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

/* The child of test_vm_fork_out_of_frames_leaves_parent_as_it_was. */
static struct process fork_child;

static void destroy_fork_child(void *arg)
{
	destroy_test_process(arg);
}

/*
 * A lazy fork that runs out of frames half way (here: for the child's
 * second page table) returns -ENOMEM and leaves the parent exactly as it
 * was: its writable pages still writable and not copy-on-write, each
 * frame mapped once, and every frame back once the child is gone.
 */
void test_vm_fork_out_of_frames_leaves_parent_as_it_was(void)
{
	static struct ktest_chain taken;
	struct process *p = new_test_process();
	const uintptr_t pages[] = {BASE, BASE + 0x1000, BASE + 0x400000};

	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE, BASE + 0x800000, RW,
	                         REGION_HEAP, NULL),
	              0);
	uint32_t free_before = pmm_free_frames();
	for (unsigned i = 0; i < 3; i++)
		KT_ASSERT_EQ(vm_fault(&p->vm, pages[i], true), VM_FAULT_SERVED);
	p->vm.mode = VM_LAZY;
	memset(&fork_child, 0, sizeof(fork_child));
	ktest_defer(destroy_fork_child, &fork_child);

	/* Leave two free frames: the child's page directory and its first
	 * page table (or a slab for its regions), not its second. */
	taken.first = 0;
	taken.length = 0;
	ktest_defer(ktest_chain_free, &taken);
	paddr_t frame;
	while ((frame = pmm_alloc_frame()) != 0)
		ktest_chain_push(&taken, frame);
	for (int i = 0; i < 2; i++) {
		uint32_t *link = kmap(taken.first);
		paddr_t next = *link;
		kunmap(link);
		pmm_free_frame(taken.first);
		taken.first = next;
		taken.length--;
	}

	int err = vm_space_fork(&fork_child.vm, &p->vm);
	destroy_test_process(&fork_child);
	ktest_chain_free(&taken);

	KT_ASSERT_ERR(err, -ENOMEM);
	for (unsigned i = 0; i < 3; i++) {
		uint32_t flags;
		paddr_t pa;
		KT_ASSERT(vmm_translate(p->vm.pgdir, pages[i], &pa, &flags));
		if (!(flags & PTE_WRITABLE) || (flags & PTE_COW))
			KT_FAIL("after a fork that failed, the parent's page "
			        "at 0x%x is %s%s: a failed fork must leave "
			        "nothing behind (docs/syscalls.md)",
			        pages[i],
			        flags & PTE_WRITABLE ? "writable" : "read-only",
			        flags & PTE_COW ? " and copy-on-write" : "");
		KT_ASSERT_EQ(pmm_frame_refs(PAGE_ALIGN_DOWN(pa)), 1);
	}
	/* The parent's three pages and two page tables are all it holds
	 * (once the caches give back the slabs the child's regions used). */
	kslab_reclaim();
	KT_ASSERT_EQ(free_before - pmm_free_frames(), 5);
}

/* Two children of the test below. */
static struct vm_space fork_children[2];

static void destroy_fork_children(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++)
		vm_space_destroy(&fork_children[i]);
}

/* The flags of va's entry in vm (0 if absent) and its frame. */
static uint32_t entry_flags(struct vm_space *vm, uintptr_t va, paddr_t *frame)
{
	uint32_t flags = 0;
	paddr_t pa = 0;

	if (!vmm_translate(vm->pgdir, va, &pa, &flags))
		return 0;
	*frame = PAGE_ALIGN_DOWN(pa);
	return flags | PTE_PRESENT;
}

/*
 * A lazy fork maps the parent's present pages, and only those, in the
 * child, read-only and PTE_COW in both; a page already PTE_COW keeps the
 * bit when forked again; each frame counts its mappings, and the
 * children's ends give every reference back.
 */
void test_vm_fork_shares_present_pages_and_keeps_cow(void)
{
	struct process *p = new_test_process();
	const uint32_t shared = PTE_PRESENT | PTE_USER | PTE_COW;
	paddr_t frame[2], got;

	KT_ASSERT_ERR(region_add(&p->vm.regions, BASE, BASE + 0x3000, RW,
	                         REGION_HEAP, NULL),
	              0);
	for (unsigned i = 0; i < 2; i++) {
		KT_ASSERT_EQ(vm_fault(&p->vm, BASE + i * PAGE_SIZE, true),
		             VM_FAULT_SERVED);
		KT_ASSERT(entry_flags(&p->vm, BASE + i * PAGE_SIZE, &frame[i]) &
		          PTE_WRITABLE);
	}
	uint32_t free_before = pmm_free_frames();
	memset(fork_children, 0, sizeof(fork_children));
	ktest_defer(destroy_fork_children, NULL);

	for (unsigned c = 0; c < 2; c++) {
		KT_ASSERT_ERR(vm_space_fork(&fork_children[c], &p->vm), 0);
		for (unsigned i = 0; i < 2; i++) {
			uintptr_t va = BASE + i * PAGE_SIZE;
			uint32_t mask =
			        PTE_PRESENT | PTE_USER | PTE_WRITABLE | PTE_COW;
			uint32_t child =
			        entry_flags(&fork_children[c], va, &got) & mask;
			if (child != shared || got != frame[i])
				KT_FAIL("fork %u: the child's page at 0x%x has "
				        "flags 0x%x, frame 0x%x; expected the "
				        "parent's frame 0x%x, read-only and "
				        "PTE_COW (0x%x)%s",
				        c + 1, va, child, got, frame[i], shared,
				        c ? ": a page already copy-on-write "
				            "keeps PTE_COW when forked again"
				          : "");
			KT_ASSERT_EQ(entry_flags(&p->vm, va, &got) & mask,
			             shared);
			KT_ASSERT_EQ(pmm_frame_refs(frame[i]), c + 2);
		}
		/* A page with no frame stays so in both. */
		KT_ASSERT_EQ(
		        entry_flags(&fork_children[c], BASE + 0x2000, &got), 0);
		KT_ASSERT_EQ(entry_flags(&p->vm, BASE + 0x2000, &got), 0);
	}

	destroy_fork_children(NULL);
	kslab_reclaim();
	for (unsigned i = 0; i < 2; i++)
		KT_ASSERT_EQ(pmm_frame_refs(frame[i]), 1);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
	/* The parent's next write: the last sharer takes the frame back. */
	KT_ASSERT_EQ(vm_fault(&p->vm, BASE, true), VM_FAULT_SERVED);
	KT_ASSERT(entry_flags(&p->vm, BASE, &got) & PTE_WRITABLE);
	KT_ASSERT_EQ(got, frame[0]);
}
