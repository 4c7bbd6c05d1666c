/* The frame allocator against GRUB's memory map. */
#include "kernel/multiboot.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

extern char _kernel_start[], _kernel_end[]; /* link.ld */

/* One bit per frame of 4 GiB, for the tests' own bookkeeping. */
static uint32_t seen[0x100000 / 32];

static bool seen_get(paddr_t frame)
{
	return seen[frame / PAGE_SIZE / 32] & (1u << (frame / PAGE_SIZE % 32));
}

static void seen_set(paddr_t frame)
{
	seen[frame / PAGE_SIZE / 32] |= 1u << (frame / PAGE_SIZE % 32);
}

/* Marks every whole frame of a usable range in `seen`. */
static void mark_usable(struct phys_range r, void *ctx)
{
	(void)ctx;
	for (uint64_t f = (r.start + PAGE_SIZE - 1) / PAGE_SIZE;
	     f < r.end / PAGE_SIZE && f < 0x100000; f++)
		seen_set((paddr_t)(f * PAGE_SIZE));
}

/* Unmarks every frame a reserved range touches. */
static void unmark_reserved(struct phys_range r, void *ctx)
{
	(void)ctx;
	for (uint64_t f = r.start / PAGE_SIZE;
	     f < (r.end + PAGE_SIZE - 1) / PAGE_SIZE && f < 0x100000; f++)
		seen[f / 32] &= ~(1u << (f % 32));
}

/* Fills `seen` with the frames the allocator should manage, computed
 * here from the memory map independently of pmm.c. */
static uint32_t expected_frames(void)
{
	uint32_t count = 0;

	memset(seen, 0, sizeof(seen));
	multiboot_for_each_usable(mark_usable, NULL);
	unmark_reserved((struct phys_range){0, 0x100000}, NULL);
	unmark_reserved((struct phys_range){virt_to_phys(_kernel_start),
	                                    virt_to_phys(_kernel_end)},
	                NULL);
	multiboot_for_each_reserved(unmark_reserved, NULL);
	for (uint32_t f = 0; f < 0x100000; f++)
		count += seen_get(f * PAGE_SIZE);
	return count;
}

void test_pmm_count_matches_memory_map(void)
{
	KT_ASSERT(pmm_total_frames() > 1000); /* QEMU and Bochs get 128 MiB */
	KT_ASSERT_EQ(pmm_total_frames(), expected_frames());
	KT_ASSERT(pmm_free_frames() <= pmm_total_frames());
}

/* The frames handed out, kept in a page-sized chain: frame k's first word
 * (reached through kmap) holds the previous frame's address. */
void test_pmm_hands_out_every_frame_once(void)
{
	uint32_t free_before = pmm_free_frames();
	uint32_t count = 0;
	paddr_t frame, chain = 0;

	expected_frames(); /* seen = frames that may be handed out */
	while ((frame = pmm_alloc_frame()) != 0) {
		KT_ASSERT(frame % PAGE_SIZE == 0);
		if (!seen_get(frame))
			ktest_fail(__FILE__, __LINE__,
			           "frame 0x%x handed out twice or is not "
			           "usable RAM",
			           frame);
		seen[frame / PAGE_SIZE / 32] &=
		        ~(1u << (frame / PAGE_SIZE % 32));
		count++;
		uint32_t *p = kmap(frame);
		*p = chain;
		kunmap(p);
		chain = frame;
	}
	KT_ASSERT_EQ(count, free_before);
	KT_ASSERT_EQ(pmm_free_frames(), 0);

	while (chain) {
		uint32_t *p = kmap(chain);
		paddr_t next = *p;
		kunmap(p);
		pmm_free_frame(chain);
		chain = next;
	}
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}

void test_pmm_reuses_freed_frame(void)
{
	uint32_t free_before = pmm_free_frames();
	paddr_t a = pmm_alloc_frame();

	KT_ASSERT(a != 0);
	KT_ASSERT_EQ(pmm_free_frames(), free_before - 1);
	pmm_free_frame(a);
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
	/* Next fit starts where the last search ended: the same frame. */
	paddr_t b = pmm_alloc_frame();
	KT_ASSERT_EQ(b, a);
	pmm_free_frame(b);
}

static void free_twice(void *arg)
{
	paddr_t frame = *(paddr_t *)arg;

	pmm_free_frame(frame);
	pmm_free_frame(frame);
}

void test_pmm_double_free_panics(void)
{
	paddr_t frame = pmm_alloc_frame();
	uint32_t free_before = pmm_free_frames();
	struct fault_info info;

	KT_ASSERT(frame != 0);
	KT_ASSERT(ktest_expect_fault(free_twice, &frame, &info));
	KT_ASSERT_EQ(info.vector, FAULT_PANIC);
	KT_ASSERT(strncmp(info.message, "pmm: double free of frame", 25) == 0);
	KT_ASSERT_EQ(pmm_free_frames(), free_before + 1); /* freed once */
}

static void free_address(void *arg)
{
	pmm_free_frame(*(paddr_t *)arg);
}

void test_pmm_free_of_non_ram_panics(void)
{
	static const paddr_t not_ours[] = {
	        0xB8000,    /* VGA memory */
	        0x100000,   /* the kernel image */
	        0xFFFFF000, /* above the RAM QEMU gives us */
	};
	struct fault_info info;
	uint32_t free_before = pmm_free_frames();

	for (unsigned i = 0; i < sizeof(not_ours) / sizeof(not_ours[0]); i++) {
		paddr_t a = not_ours[i];

		KT_ASSERT(ktest_expect_fault(free_address, &a, &info));
		KT_ASSERT_EQ(info.vector, FAULT_PANIC);
		KT_ASSERT(strncmp(info.message, "pmm: free of", 12) == 0);
	}
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
}
