/*
 * Bitmap frame allocator, over the ranges of RAM kmain hands pmm_init (it
 * reads neither the memory map nor the command line itself). Bit i of
 * `used` describes the frame at physical address i * 4096: 1 = in use or
 * not RAM, 0 = free. A second bitmap,
 * `managed`, remembers which frames are RAM we may hand out at all, so a
 * free of anything else is caught.
 *
 * Allocation scans from where the last one stopped (next fit), 32 frames
 * per word, so a full bitmap word is skipped in one comparison.
 *
 * That is the bitmap policy. With pmm=buddy (PMM_BUDDY) the buddy
 * allocator (mm/buddy.c) picks the frames instead, and `used` still
 * records which are in use (see "Runs of frames and the policy" below).
 */
#include "mm/pmm.h"

#include "kernel/arch/cpu.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/bitmap_run.h"
#include "mm/buddy.h"

#define MAX_FRAMES (0x100000000ull / PAGE_SIZE) /* all of 4 GiB */
#define WORDS (MAX_FRAMES / 32)
#define LOW_MEMORY_END 0x100000u /* BIOS data, VGA, ROMs: never ours */

static uint32_t used[WORDS];
static uint32_t managed[WORDS];
static uint32_t total_frames, free_frames;
static uint32_t next_word; /* where the next search starts */
/* Frames mapped more than once (fork shares them): extra_maps[f] is how
 * many mappings frame f has beyond its first (0 for nearly every frame).
 * NULL until pmm_shares_init. */
static uint16_t *extra_maps;
static uint32_t share_frames; /* entries in extra_maps: highest frame + 1 */

extern char _kernel_start[], _kernel_end[]; /* link.ld */

static bool buddy_policy; /* pmm=buddy: the buddy allocator picks frames */
static void choose_policy(enum pmm_policy policy);

const char *const pmm_policy_names[] = {
        [PMM_BITMAP] = "bitmap",
        [PMM_BUDDY] = "buddy",
        NULL,
};

static inline bool bit_get(const uint32_t *map, uint32_t frame)
{
	return map[frame / 32] & (1u << (frame % 32));
}

static inline void bit_set(uint32_t *map, uint32_t frame)
{
	map[frame / 32] |= 1u << (frame % 32);
}

static inline void bit_clear(uint32_t *map, uint32_t frame)
{
	map[frame / 32] &= ~(1u << (frame % 32));
}

/* A frame fork shares is freed by its last pmm_release_frame, never by
 * pmm_free_frame while another mapping remains: that is a kernel bug. */
static void refuse_if_shared(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;

	if (extra_maps && f < share_frames && extra_maps[f])
		PANIC("pmm: free of frame 0x%x, which %u more address spaces "
		      "still map (pmm_release_frame drops one mapping)",
		      frame, (unsigned)extra_maps[f]);
}

/* Usable RAM: whole frames inside the range become managed and free. */
static void add_usable(struct pmm_range r)
{
	uint64_t first = (r.start + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t end = r.end / PAGE_SIZE; /* exclusive */

	if (end > MAX_FRAMES)
		end = MAX_FRAMES;
	for (uint64_t f = first; f < end; f++) {
		bit_set(managed, (uint32_t)f);
		bit_clear(used, (uint32_t)f);
	}
}

/* Reserved: every frame the range touches stops being ours. */
static void remove_reserved(struct pmm_range r)
{
	uint64_t first = r.start / PAGE_SIZE;
	uint64_t end = (r.end + PAGE_SIZE - 1) / PAGE_SIZE;

	if (end > MAX_FRAMES)
		end = MAX_FRAMES;
	for (uint64_t f = first; f < end; f++) {
		bit_clear(managed, (uint32_t)f);
		bit_set(used, (uint32_t)f);
	}
}

void pmm_init(const struct pmm_range *ranges, size_t n, enum pmm_policy policy)
{
	memset(used, 0xFF, sizeof(used));
	memset(managed, 0, sizeof(managed));

	for (size_t i = 0; i < n; i++)
		if (ranges[i].usable)
			add_usable(ranges[i]);
	remove_reserved((struct pmm_range){0, LOW_MEMORY_END, false});
	remove_reserved((struct pmm_range){virt_to_phys(_kernel_start),
	                                   virt_to_phys(_kernel_end), false});
	for (size_t i = 0; i < n; i++)
		if (!ranges[i].usable)
			remove_reserved(ranges[i]);

	total_frames = 0;
	for (uint32_t w = 0; w < WORDS; w++) {
		for (uint32_t bits = managed[w]; bits; bits &= bits - 1)
			total_frames++; /* clears the lowest set bit */
	}
	free_frames = total_frames;
	next_word = 0;
	choose_policy(policy);
}

paddr_t pmm_alloc_frame(void)
{
	if (buddy_policy) /* pmm=buddy: see pmm_alloc_run */
		return pmm_alloc_run(1);
	bool irq = irq_save();

	for (uint32_t n = 0; n < WORDS; n++) {
		uint32_t w = (next_word + n) % WORDS;

		if (used[w] == 0xFFFFFFFFu)
			continue;
		uint32_t bit = (uint32_t)__builtin_ctz(~used[w]);
		uint32_t frame = w * 32 + bit;

		bit_set(used, frame);
		free_frames--;
		next_word = w;
		irq_restore(irq);
		return frame * PAGE_SIZE;
	}
	irq_restore(irq);
	return pmm_reclaim() ? pmm_alloc_frame() : 0;
}

void pmm_free_frame(paddr_t frame)
{
	if (buddy_policy) { /* pmm=buddy: see pmm_free_run */
		pmm_free_run(frame, 1);
		return;
	}
	refuse_if_shared(frame);
	uint32_t f = frame / PAGE_SIZE;

	if (frame % PAGE_SIZE || !bit_get(managed, f))
		PANIC("pmm: free of 0x%x, which is not a frame of usable RAM "
		      "that the frame allocator handed out",
		      frame);

	bool irq = irq_save();
	if (!bit_get(used, f)) {
		irq_restore(irq);
		PANIC("pmm: double free of frame 0x%x (it is already free)",
		      frame);
	}
	bit_clear(used, f);
	free_frames++;
	irq_restore(irq);
}

/* ---- Reclaim: frames others hold and can give back ------------------------
 */

static size_t (*reclaim_hook)(void);
/* The hook is running: no second call from it. Kernel tasks allocate
 * too: tested and set under irq_save (the locking rule, cpu.h). */
static bool reclaiming;

void pmm_set_reclaim(size_t (*reclaim)(void))
{
	reclaim_hook = reclaim;
}

bool pmm_reclaim(void)
{
	bool irq = irq_save();
	bool busy = !reclaim_hook || reclaiming;

	if (!busy)
		reclaiming = true;
	irq_restore(irq);
	if (busy)
		return false;
	size_t freed = reclaim_hook();
	reclaiming = false;
	return freed > 0;
}

uint32_t pmm_total_frames(void)
{
	return total_frames;
}

uint32_t pmm_free_frames(void)
{
	return free_frames;
}

uint32_t pmm_frame_limit(void)
{
	return share_frames;
}

bool pmm_is_managed(paddr_t frame)
{
	return frame % PAGE_SIZE == 0 && bit_get(managed, frame / PAGE_SIZE);
}

/* ---- Shared frames -------------------------------------------------------
 * A frame fork shares between address spaces has one reference per
 * mapping. The count lives beside the bitmap, for the managed frames only,
 * as "mappings beyond the first" so that a frame mapped once (nearly all)
 * needs no update when it is handed out or freed.
 */

void pmm_shares_init(void *(*zalloc)(size_t n, size_t size))
{
	uint32_t highest = 0;

	for (uint32_t f = 0; f < MAX_FRAMES; f++)
		if (bit_get(managed, f))
			highest = f;
	share_frames = highest + 1;
	extra_maps = zalloc(share_frames, sizeof(*extra_maps));
	if (!extra_maps)
		PANIC("pmm: no memory for the %u frames' share counts",
		      share_frames);
}

/* Whether frame number f is one the allocator handed out (managed, and
 * marked used: an unmanaged frame is marked used too). */
static inline bool frame_handed_out(uint32_t f)
{
	return used[f / 32] & managed[f / 32] & (1u << (f % 32));
}

/* Why pmm_share_frame or pmm_release_frame (op) refused frame: a panic.
 * Out of line and cold, so that the per-page path, which fork and exit
 * run for every page they share or drop, carries the checks but not the
 * panics' arguments. */
static void __attribute__((noreturn, noinline, cold))
refuse_frame(const char *op, paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;

	if (!extra_maps)
		PANIC("pmm: %s(0x%x) before pmm_shares_init (kmain gives the "
		      "share counts their memory after kheap_init)",
		      op, frame);
	if (frame % PAGE_SIZE || f >= share_frames || !frame_handed_out(f))
		PANIC("pmm: %s of 0x%x, which is not a frame in use", op,
		      frame);
	PANIC("pmm: frame 0x%x is mapped too many times", frame);
}

/*
 * Both functions below check, for every page, that the frame is one the
 * allocator handed out (a frame number below share_frames, which is 0
 * until pmm_shares_init, managed and used), in one test whose failure
 * refuse_frame explains.
 */
void pmm_share_frame(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;
	bool irq = irq_save();

	if (frame % PAGE_SIZE || f >= share_frames || !frame_handed_out(f) ||
	    extra_maps[f] == UINT16_MAX)
		refuse_frame("pmm_share_frame", frame);
	extra_maps[f]++;
	irq_restore(irq);
}

bool pmm_release_frame(paddr_t frame)
{
	if (!extra_maps) { /* before pmm_shares_init no frame is shared */
		pmm_free_frame(frame);
		return true;
	}
	uint32_t f = frame / PAGE_SIZE;
	bool irq = irq_save();

	if (frame % PAGE_SIZE || f >= share_frames || !frame_handed_out(f))
		refuse_frame("pmm_release_frame", frame);
	bool last = extra_maps[f] == 0;
	if (last)
		pmm_free_frame(frame);
	else
		extra_maps[f]--;
	irq_restore(irq);
	return last;
}

uint32_t pmm_frame_refs(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;

	if (frame % PAGE_SIZE || !bit_get(managed, f) || !bit_get(used, f))
		return 0;
	return f < share_frames && extra_maps ? 1u + extra_maps[f] : 1u;
}

/* ---- Runs of frames and the policy ---------------------------------------
 * `used` and `managed` stay the record of every frame under both policies
 * (so the checks above and the share counts work the same); what the
 * policy decides is which free frames a request gets. The buddy policy
 * keeps its blocks in buddy_frames, one entry per frame of the first
 * BUDDY_MAX_FRAMES (RAM above that is left unused: the emulators give
 * memos 128 MiB).
 */
#define BUDDY_MAX_FRAMES (256u * 1024 * 1024 / PAGE_SIZE)

static struct buddy buddy;
static struct buddy_frame buddy_frames[BUDDY_MAX_FRAMES];

/* Frames [first, first + n) become in use, or free again, in `used`. */
static void mark_run(uint32_t first, uint32_t n, bool in_use)
{
	for (uint32_t f = first; f < first + n; f++) {
		if (in_use)
			bit_set(used, f);
		else
			bit_clear(used, f);
	}
	if (in_use)
		free_frames -= n;
	else
		free_frames += n;
}

/* pmm=buddy: the managed frames go to the buddy allocator, a run at a
 * time; any above BUDDY_MAX_FRAMES stop being managed. */
static void choose_policy(enum pmm_policy policy)
{
	buddy_policy = policy == PMM_BUDDY;
	if (!buddy_policy)
		return;
	buddy_init(&buddy, buddy_frames, BUDDY_MAX_FRAMES);
	for (uint32_t f = 0; f < BUDDY_MAX_FRAMES;) {
		uint32_t n = 0;

		while (f + n < BUDDY_MAX_FRAMES && bit_get(managed, f + n))
			n++;
		if (n)
			buddy_add_range(&buddy, f, n);
		f += n + 1;
	}
	uint32_t left_out = 0;

	for (uint32_t f = BUDDY_MAX_FRAMES; f < MAX_FRAMES; f++) {
		if (bit_get(managed, f)) {
			bit_clear(managed, f);
			bit_set(used, f);
			left_out++;
		}
	}
	total_frames -= left_out;
	free_frames -= left_out;
	if (left_out)
		kprintf("pmm: pmm=buddy manages the first %u MiB; %u frames "
		        "above are not used\n",
		        BUDDY_MAX_FRAMES / 256, left_out);
}

uint32_t pmm_keep_free(uint32_t keep)
{
	uint32_t retired = 0;

	/* Taken the usual way (either policy's bookkeeping stays right: the
	 * buddy allocator just never gets them back), then unmanaged, as
	 * pmm_init leaves a reserved frame: used, not managed. */
	while (free_frames > keep) {
		paddr_t frame = pmm_alloc_frame();
		bool irq;

		if (!frame)
			break;
		irq = irq_save();
		bit_clear(managed, frame / PAGE_SIZE);
		total_frames--;
		irq_restore(irq);
		retired++;
	}
	return retired;
}

const char *pmm_policy_name(void)
{
	return pmm_policy_names[buddy_policy ? PMM_BUDDY : PMM_BITMAP];
}

paddr_t pmm_alloc_run(uint32_t n)
{
	uint32_t first, count = n;

	if (n == 0)
		return 0;
	if (n == 1 && !buddy_policy)
		return pmm_alloc_frame(); /* lab 2's next fit */
	bool irq = irq_save();
	if (buddy_policy) {
		unsigned order = buddy_order_for(n);

		first = buddy_alloc(&buddy, order);
		count = first == BUDDY_NONE ? 0 : 1u << order;
	} else {
		first = bitmap_find_run(used, MAX_FRAMES, n);
	}
	if (first != BUDDY_NONE && first != BITMAP_RUN_NONE)
		mark_run(first, count, true);
	irq_restore(irq);
	if (first == BUDDY_NONE || first == BITMAP_RUN_NONE)
		return pmm_reclaim() ? pmm_alloc_run(n) : 0;
	return first * PAGE_SIZE;
}

void pmm_free_run(paddr_t first, uint32_t n)
{
	if (!buddy_policy) {
		for (uint32_t i = 0; i < n; i++)
			pmm_free_frame(first + i * PAGE_SIZE);
		return;
	}
	unsigned order = buddy_order_for(n ? n : 1);
	uint32_t f = first / PAGE_SIZE;
	int err = -BUDDY_EINVAL;

	if (first % PAGE_SIZE == 0 && pmm_is_managed(first) && n) {
		for (uint32_t i = 0; i < n; i++)
			refuse_if_shared(first + i * PAGE_SIZE);
		bool irq = irq_save();
		err = buddy_free(&buddy, f, order);
		if (err == 0)
			mark_run(f, 1u << order, false);
		irq_restore(irq);
	}
	if (err == -BUDDY_EDOUBLE)
		PANIC("pmm: double free of frame 0x%x (it is already free)",
		      first);
	if (err)
		PANIC("pmm: free of 0x%x, which is not the start of a run of "
		      "%u "
		      "frames that the frame allocator handed out",
		      first, n);
}

/* The bitmap's invariant: free_frames counts the managed frames whose bit
 * is clear, and no unmanaged frame's bit is. */
static int check_bitmap(char *msg, size_t msg_size)
{
	uint32_t clear = 0;

	for (uint32_t f = 0; f < MAX_FRAMES; f++) {
		if (bit_get(used, f))
			continue;
		if (!bit_get(managed, f)) {
			format_snprintf(msg, msg_size,
			                "frame 0x%x is free but not managed",
			                f * PAGE_SIZE);
			return -1;
		}
		clear++;
	}
	if (clear != free_frames) {
		format_snprintf(msg, msg_size,
		                "free_frames is %u, but %u managed frames "
		                "are free in the bitmap",
		                free_frames, clear);
		return -1;
	}
	return 0;
}

int pmm_check(char *msg, size_t msg_size)
{
	bool irq = irq_save();
	int err = check_bitmap(msg, msg_size);

	if (!err && buddy_policy) {
		err = buddy_check(&buddy, msg, msg_size);
		if (!err && buddy.free_frames != free_frames) {
			format_snprintf(
			        msg, msg_size,
			        "the buddy allocator has %u frames free, "
			        "the bitmap %u",
			        buddy.free_frames, free_frames);
			err = -1;
		}
	}
	irq_restore(irq);
	return err;
}

uint32_t pmm_largest_run(void)
{
	bool irq = irq_save();
	uint32_t best = 0, run = 0;

	if (buddy_policy) {
		best = buddy_largest_free(&buddy);
	} else {
		for (uint32_t f = 0; f < MAX_FRAMES; f++) {
			run = bit_get(used, f) ? 0 : run + 1;
			if (run > best)
				best = run;
		}
	}
	irq_restore(irq);
	return best;
}
