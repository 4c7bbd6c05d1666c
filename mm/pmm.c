/*
 * Bitmap frame allocator. Bit i of `used` describes the frame at physical
 * address i * 4096: 1 = in use or not RAM, 0 = free. A second bitmap,
 * `managed`, remembers which frames are RAM we may hand out at all, so a
 * free of anything else is caught.
 *
 * Allocation scans from where the last one stopped (next fit), 32 frames
 * per word, so a full bitmap word is skipped in one comparison.
 */
#include "mm/pmm.h"

#include "kernel/arch/cpu.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "lib/string.h"
#include "mm/kheap.h"

#define MAX_FRAMES (0x100000000ull / PAGE_SIZE) /* all of 4 GiB */
#define WORDS (MAX_FRAMES / 32)
#define LOW_MEMORY_END 0x100000u /* BIOS data, VGA, ROMs: never ours */

static uint32_t used[WORDS];
static uint32_t managed[WORDS];
static uint32_t total_frames, free_frames;
static uint32_t next_word; /* where the next search starts */
/* Frames mapped more than once (fork shares them): shares[f] is how many
 * mappings frame f has beyond its first. NULL until pmm_shares_init. */
static uint16_t *shares;
static uint32_t share_frames; /* entries in shares: highest frame + 1 */

extern char _kernel_start[], _kernel_end[]; /* link.ld */

static bool bit_get(const uint32_t *map, uint32_t frame)
{
	return map[frame / 32] & (1u << (frame % 32));
}

static void bit_set(uint32_t *map, uint32_t frame)
{
	map[frame / 32] |= 1u << (frame % 32);
}

static void bit_clear(uint32_t *map, uint32_t frame)
{
	map[frame / 32] &= ~(1u << (frame % 32));
}

/* A frame fork shares is freed by its last pmm_release_frame, never by
 * pmm_free_frame while another mapping remains: that is a kernel bug. */
static void refuse_if_shared(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;

	if (shares && f < share_frames && shares[f])
		PANIC("pmm: free of frame 0x%x, which %u more address spaces "
		      "still map (pmm_release_frame drops one mapping)",
		      frame, (unsigned)shares[f]);
}

/* Usable RAM: whole frames inside the range become managed and free. */
static void add_usable(struct phys_range r, void *ctx)
{
	(void)ctx;
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
static void remove_reserved(struct phys_range r, void *ctx)
{
	(void)ctx;
	uint64_t first = r.start / PAGE_SIZE;
	uint64_t end = (r.end + PAGE_SIZE - 1) / PAGE_SIZE;

	if (end > MAX_FRAMES)
		end = MAX_FRAMES;
	for (uint64_t f = first; f < end; f++) {
		bit_clear(managed, (uint32_t)f);
		bit_set(used, (uint32_t)f);
	}
}

void pmm_init(void)
{
	memset(used, 0xFF, sizeof(used));
	memset(managed, 0, sizeof(managed));

	multiboot_for_each_usable(add_usable, NULL);
	remove_reserved((struct phys_range){0, LOW_MEMORY_END}, NULL);
	remove_reserved((struct phys_range){virt_to_phys(_kernel_start),
	                                    virt_to_phys(_kernel_end)},
	                NULL);
	multiboot_for_each_reserved(remove_reserved, NULL);

	total_frames = 0;
	for (uint32_t w = 0; w < WORDS; w++) {
		for (uint32_t bits = managed[w]; bits; bits &= bits - 1)
			total_frames++; /* clears the lowest set bit */
	}
	free_frames = total_frames;
	next_word = 0;
}

paddr_t pmm_alloc_frame(void)
{
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
static bool reclaiming; /* the hook is running: no second call from it */

void pmm_set_reclaim(size_t (*reclaim)(void))
{
	reclaim_hook = reclaim;
}

bool pmm_reclaim(void)
{
	size_t freed;

	if (!reclaim_hook || reclaiming)
		return false;
	reclaiming = true;
	freed = reclaim_hook();
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

void pmm_shares_init(void)
{
	uint32_t highest = 0;

	for (uint32_t f = 0; f < MAX_FRAMES; f++)
		if (bit_get(managed, f))
			highest = f;
	share_frames = highest + 1;
	shares = kcalloc(share_frames, sizeof(*shares));
	if (!shares)
		PANIC("pmm: no memory for the %u frames' share counts",
		      share_frames);
}

/* The frame number of a frame in use, or a panic naming the caller. */
static uint32_t frame_in_use(paddr_t frame, const char *op)
{
	uint32_t f = frame / PAGE_SIZE;

	if (frame % PAGE_SIZE || !bit_get(managed, f) || !bit_get(used, f) ||
	    f >= share_frames)
		PANIC("pmm: %s of 0x%x, which is not a frame in use", op,
		      frame);
	return f;
}

void pmm_share_frame(paddr_t frame)
{
	bool irq = irq_save();
	uint32_t f = frame_in_use(frame, "pmm_share_frame");

	if (shares[f] == UINT16_MAX)
		PANIC("pmm: frame 0x%x is mapped too many times", frame);
	shares[f]++;
	irq_restore(irq);
}

bool pmm_release_frame(paddr_t frame)
{
	bool irq = irq_save();
	uint32_t f = frame_in_use(frame, "pmm_release_frame");
	bool last = shares[f] == 0;

	if (last)
		pmm_free_frame(frame);
	else
		shares[f]--;
	irq_restore(irq);
	return last;
}

uint32_t pmm_frame_refs(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;

	if (frame % PAGE_SIZE || !bit_get(managed, f) || !bit_get(used, f))
		return 0;
	return f < share_frames && shares ? 1u + shares[f] : 1u;
}
