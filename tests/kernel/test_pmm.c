/*
 * The frame allocator against GRUB's memory map. The first two tests run
 * at boot (selftest_run_early), before anything else allocates a frame.
 */
#include "kernel/multiboot.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

extern char _kernel_start[], _kernel_end[]; /* link.ld */

#define ALL_FRAMES 0x100000u /* of 4 GiB */
#define LOW_MEMORY_END 0x100000u

/* One bit per frame of 4 GiB, for the tests' own bookkeeping. */
static uint32_t seen[ALL_FRAMES / 32];

static bool seen_get(paddr_t frame)
{
	return seen[frame / PAGE_SIZE / 32] & (1u << (frame / PAGE_SIZE % 32));
}

static void seen_set(paddr_t frame)
{
	seen[frame / PAGE_SIZE / 32] |= 1u << (frame / PAGE_SIZE % 32);
}

static void seen_clear(paddr_t frame)
{
	seen[frame / PAGE_SIZE / 32] &= ~(1u << (frame / PAGE_SIZE % 32));
}

/* Marks every whole frame of a usable range in `seen`. */
static void mark_usable(struct phys_range r, void *ctx)
{
	(void)ctx;
	for (uint64_t f = (r.start + PAGE_SIZE - 1) / PAGE_SIZE;
	     f < r.end / PAGE_SIZE && f < ALL_FRAMES; f++)
		seen_set((paddr_t)(f * PAGE_SIZE));
}

/* Unmarks every frame a reserved range touches. */
static void unmark_reserved(struct phys_range r, void *ctx)
{
	(void)ctx;
	for (uint64_t f = r.start / PAGE_SIZE;
	     f < (r.end + PAGE_SIZE - 1) / PAGE_SIZE && f < ALL_FRAMES; f++)
		seen_clear((paddr_t)(f * PAGE_SIZE));
}

static struct phys_range kernel_image(void)
{
	return (struct phys_range){virt_to_phys(_kernel_start),
	                           virt_to_phys(_kernel_end)};
}

/* Fills `seen` with the frames the allocator should manage, computed
 * here from the memory map independently of pmm.c; returns how many. */
static uint32_t expected_frames(void)
{
	uint32_t count = 0;

	memset(seen, 0, sizeof(seen));
	multiboot_for_each_usable(mark_usable, NULL);
	unmark_reserved((struct phys_range){0, LOW_MEMORY_END}, NULL);
	unmark_reserved(kernel_image(), NULL);
	multiboot_for_each_reserved(unmark_reserved, NULL);
	for (uint32_t w = 0; w < ALL_FRAMES / 32; w++) {
		for (uint32_t bits = seen[w]; bits; bits &= bits - 1)
			count++;
	}
	return count;
}

/* Where a frame lies in the memory map: the range of one kind that the
 * frame touches, or failing that the usable range it comes right after. */
struct placement {
	paddr_t frame;
	bool touched, whole, after;
	struct phys_range range;
};

static void find_touching(struct phys_range r, void *ctx)
{
	struct placement *p = ctx;
	uint64_t start = p->frame, end = start + PAGE_SIZE;

	if (!p->touched && start < r.end && r.start < end) {
		p->touched = true;
		p->whole = r.start <= start && end <= r.end;
		p->range = r;
	}
}

static void find_just_before(struct phys_range r, void *ctx)
{
	struct placement *p = ctx;

	if (r.end <= p->frame && p->frame < r.end + PAGE_SIZE) {
		p->after = true;
		p->range = r;
	}
}

/*
 * Why the allocator must never hand out this frame ("in the kernel image
 * [0x100000, 0x1cb000)"), in buf; NULL if it may.
 */
static const char *never_ours(paddr_t frame, char *buf, size_t room)
{
	struct phys_range k = kernel_image();
	struct placement p = {.frame = frame};

	if (frame < LOW_MEMORY_END)
		return "in the first megabyte (BIOS data, VGA memory, ROMs)";
	if (frame + PAGE_SIZE > k.start && frame < k.end) {
		format_snprintf(buf, room,
		                "in the kernel image [0x%llx, 0x%llx)", k.start,
		                k.end);
		return buf;
	}
	multiboot_for_each_reserved(find_touching, &p);
	if (p.touched) {
		format_snprintf(buf, room,
		                "in [0x%llx, 0x%llx), which is reserved (the "
		                "multiboot information or a module)",
		                p.range.start, p.range.end);
		return buf;
	}
	multiboot_for_each_usable(find_touching, &p);
	if (p.touched && p.whole)
		return NULL;
	if (p.touched) {
		format_snprintf(
		        buf, room,
		        "only partly in the usable range [0x%llx, 0x%llx)",
		        p.range.start, p.range.end);
		return buf;
	}
	multiboot_for_each_usable(find_just_before, &p);
	if (p.after) {
		format_snprintf(
		        buf, room,
		        "the frame just past the end of the usable range "
		        "[0x%llx, 0x%llx)",
		        p.range.start, p.range.end);
		return buf;
	}
	return "outside every usable range of the memory map";
}

/* Where a frame the allocator should manage lies in its usable range
 * ("the last whole frame of the usable range [...)"), in buf. */
static const char *place_in_range(paddr_t frame, char *buf, size_t room)
{
	struct placement p = {.frame = frame};

	multiboot_for_each_usable(find_touching, &p);
	uint64_t first = (p.range.start + PAGE_SIZE - 1) & ~(uint64_t)0xFFF;
	uint64_t last = (p.range.end & ~(uint64_t)0xFFF) - PAGE_SIZE;
	const char *which = frame == first  ? "the first whole frame"
	                    : frame == last ? "the last whole frame"
	                                    : "a frame";

	format_snprintf(buf, room, "%s of the usable range [0x%llx, 0x%llx)",
	                which, p.range.start, p.range.end);
	return buf;
}

/* Early: the managed bitmap as pmm_init left it, against the memory map. */
void test_pmm_manages_only_usable_ram(void)
{
	char why[120];

	expected_frames();
	for (uint32_t f = 0; f < ALL_FRAMES; f++) {
		paddr_t frame = f * PAGE_SIZE;

		if (pmm_is_managed(frame) && !seen_get(frame))
			KT_FAIL("frame 0x%x is managed (pmm_is_managed), but "
			        "it is %s: it must never be handed out",
			        frame, never_ours(frame, why, sizeof(why)));
	}
}

/* The frames a test holds, given back when it ends, passed or failed. */
enum { HELD_MAX = 8 };
static paddr_t held[HELD_MAX];
static unsigned held_count;

static void free_held(void *arg)
{
	(void)arg;
	while (held_count > 0)
		pmm_free_frame(held[--held_count]);
}

/* Fails the test unless frame is one pmm_alloc_frame may hand out now:
 * page aligned, and a managed frame no one holds (in `seen`). */
static void check_handed_out(int line, paddr_t frame, unsigned call)
{
	char why[120];
	const char *bad;

	if (frame % PAGE_SIZE)
		ktest_fail(__FILE__, line,
		           "pmm_alloc_frame() returned 0x%x, which is not page "
		           "aligned: a frame's address is its number times "
		           "PAGE_SIZE (4096)",
		           frame);
	if (seen_get(frame))
		return;
	bad = never_ours(frame, why, sizeof(why));
	if (bad)
		ktest_fail(__FILE__, line,
		           "pmm_alloc_frame() handed out frame 0x%x, but it is "
		           "%s",
		           frame, bad);
	ktest_fail(__FILE__, line,
	           "pmm_alloc_frame() handed out frame 0x%x twice (the second "
	           "time at call %u of this test), with no free between: it "
	           "must set the frame's own bit in used",
	           frame, call);
}

/* Early: before anyone else has a frame, all of them are free. A failure
 * here stops the kernel, so the frames are given back only on success (a
 * broken allocator could panic in the giving back, hiding the reason). */
void test_pmm_first_frames_are_free_ram(void)
{
	held_count = 0;
	expected_frames(); /* seen: the frames that may be handed out */
	for (unsigned call = 1; call <= HELD_MAX; call++) {
		paddr_t frame = pmm_alloc_frame();

		if (frame == 0)
			KT_FAIL("pmm_alloc_frame() returned 0 (no frame free) "
			        "at call %u, but pmm_free_frames() is %u",
			        call, pmm_free_frames());
		check_handed_out(__LINE__, frame, call);
		held[held_count++] = frame;
		seen_clear(frame);
	}
	free_held(NULL);
}

void test_pmm_count_matches_memory_map(void)
{
	uint32_t expected = expected_frames();
	char why[120];

	for (uint32_t f = 0; f < ALL_FRAMES; f++) {
		paddr_t frame = f * PAGE_SIZE;
		bool managed = pmm_is_managed(frame);

		if (seen_get(frame) && !managed)
			KT_FAIL("frame 0x%x, %s, is not managed: it is never "
			        "handed out",
			        frame, place_in_range(frame, why, sizeof(why)));
		if (!seen_get(frame) && managed)
			KT_FAIL("frame 0x%x is managed (pmm_is_managed), but "
			        "it is %s: it must never be handed out",
			        frame, never_ours(frame, why, sizeof(why)));
	}
	KT_ASSERT(expected > 1000); /* QEMU and Bochs get 128 MiB */
	if (pmm_total_frames() != expected)
		KT_FAIL("pmm_total_frames() is %u, but %u frames are usable",
		        pmm_total_frames(), expected);
	if (pmm_free_frames() > pmm_total_frames())
		KT_FAIL("pmm_free_frames() is %u, more than the %u frames "
		        "there are",
		        pmm_free_frames(), pmm_total_frames());
}

void test_pmm_reuses_freed_frame(void)
{
	uint32_t free_before = pmm_free_frames();

	held_count = 0;
	ktest_defer(free_held, NULL);
	paddr_t a = pmm_alloc_frame();
	if (a == 0)
		KT_FAIL("pmm_alloc_frame() returned 0 (no frame free), but "
		        "pmm_free_frames() is %u",
		        free_before);
	held[held_count++] = a;
	if (pmm_free_frames() != free_before - 1)
		KT_FAIL("pmm_free_frames() is %u after pmm_alloc_frame() "
		        "handed out 0x%x, expected %u: pmm_alloc_frame must "
		        "count the frame it hands out",
		        pmm_free_frames(), a, free_before - 1);
	held_count--;
	pmm_free_frame(a);
	if (pmm_free_frames() != free_before)
		KT_FAIL("pmm_free_frames() is %u after pmm_free_frame(0x%x), "
		        "expected %u: pmm_free_frame must count the frame it "
		        "takes back",
		        pmm_free_frames(), a, free_before);
	/* Next fit starts where the last search ended: the same frame. */
	paddr_t b = pmm_alloc_frame();
	if (b)
		held[held_count++] = b;
	if (b != a)
		KT_FAIL("pmm_alloc_frame() handed out 0x%x, not 0x%x, which "
		        "was just freed: the search starts in the word where "
		        "the last one found a frame, so a freed frame there is "
		        "found first, if pmm_free_frame cleared its bit",
		        b, a);
}

/* The frames the every-frame test holds, in a chain through the frames
 * themselves: each one's first word (reached through kmap) holds the
 * address of the one taken before it. */
static struct ktest_chain chain;

/* Takes every frame pmm_alloc_frame hands out, checking each. */
static void take_every_frame(uint32_t free_before)
{
	paddr_t frame;

	expected_frames(); /* seen: the frames that may be handed out */
	while ((frame = pmm_alloc_frame()) != 0) {
		check_handed_out(__LINE__, frame, chain.length + 1);
		seen_clear(frame);
		ktest_chain_push(&chain, frame);
		if (pmm_free_frames() != free_before - chain.length)
			KT_FAIL("pmm_free_frames() is %u after %u calls of "
			        "pmm_alloc_frame(), expected %u: it must count "
			        "each frame it hands out",
			        pmm_free_frames(), chain.length,
			        free_before - chain.length);
	}
}

void test_pmm_hands_out_every_frame_once(void)
{
	uint32_t free_before = pmm_free_frames();

	chain = (struct ktest_chain){0};
	ktest_defer(ktest_chain_free, &chain);
	take_every_frame(free_before);
	if (chain.length != free_before)
		KT_FAIL("pmm_alloc_frame() returned 0 (no frame left) after "
		        "handing out %u frames, but pmm_free_frames() said %u "
		        "were free: the search must wrap around past the last "
		        "word to word 0, and pmm_free_frame must clear the bit "
		        "of each frame it takes back",
		        chain.length, free_before);
	ktest_chain_free(&chain);
	if (pmm_free_frames() != free_before)
		KT_FAIL("pmm_free_frames() is %u after all %u frames came "
		        "back, "
		        "expected %u",
		        pmm_free_frames(), free_before, free_before);
	/* Again: the last search ended near the top of memory, so this one
	 * finds the frames below only if it wraps around. */
	take_every_frame(free_before);
	if (chain.length != free_before)
		KT_FAIL("every frame was given back, then pmm_alloc_frame() "
		        "returned 0 (no frame left) after handing out only %u "
		        "of the %u free frames: the search must wrap around "
		        "past the last word to word 0",
		        chain.length, free_before);
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

	if (frame == 0)
		KT_FAIL("pmm_alloc_frame() returned 0 (no frame free), but "
		        "pmm_free_frames() is %u",
		        pmm_free_frames());
	if (!ktest_expect_fault(free_twice, &frame, &info))
		KT_FAIL("pmm_free_frame(0x%x) a second time did not PANIC: it "
		        "must check that the frame is in use (a double free)",
		        frame);
	KT_ASSERT_EQ(info.vector, FAULT_PANIC);
	if (strncmp(info.message, "pmm: double free of frame", 25) != 0)
		KT_FAIL("the second pmm_free_frame(0x%x) panicked with \"%s\", "
		        "expected \"pmm: double free of frame ...\"",
		        frame, info.message);
	if (pmm_free_frames() != free_before + 1) /* freed once */
		KT_FAIL("pmm_free_frames() is %u after freeing 0x%x once (and "
		        "a refused second time), expected %u",
		        pmm_free_frames(), frame, free_before + 1);
}

static void free_address(void *arg)
{
	pmm_free_frame(*(paddr_t *)arg);
}

void test_pmm_free_of_non_ram_panics(void)
{
	static const struct {
		paddr_t address;
		const char *what;
	} not_ours[] = {
	        {0xB8000, "VGA memory"},
	        {0x100000, "the kernel image"},
	        {0xFFFFF000, "above the RAM QEMU gives us"},
	        {0x200800, "not page aligned"},
	};
	struct fault_info info;
	uint32_t free_before = pmm_free_frames();

	for (unsigned i = 0; i < sizeof(not_ours) / sizeof(not_ours[0]); i++) {
		paddr_t a = not_ours[i].address;

		if (!ktest_expect_fault(free_address, &a, &info))
			KT_FAIL("pmm_free_frame(0x%x) (%s) did not PANIC: it "
			        "must refuse what is not a managed frame",
			        a, not_ours[i].what);
		KT_ASSERT_EQ(info.vector, FAULT_PANIC);
		if (strncmp(info.message, "pmm: free of", 12) != 0)
			KT_FAIL("pmm_free_frame(0x%x) (%s) panicked with "
			        "\"%s\", expected \"pmm: free of ...\"",
			        a, not_ours[i].what, info.message);
	}
	if (pmm_free_frames() != free_before)
		KT_FAIL("pmm_free_frames() is %u after refused frees, expected "
		        "%u",
		        pmm_free_frames(), free_before);
}
