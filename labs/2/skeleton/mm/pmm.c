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

#define MAX_FRAMES (0x100000000ull / PAGE_SIZE) /* all of 4 GiB */
#define WORDS (MAX_FRAMES / 32)
#define LOW_MEMORY_END 0x100000u /* BIOS data, VGA, ROMs: never ours */

static uint32_t used[WORDS];
static uint32_t managed[WORDS];
static uint32_t total_frames, free_frames;
static uint32_t next_word; /* where the next search starts */

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

/*
 * TODO(lab 2, exercise 1): hand out one free frame.
 * Find a 0 bit in `used` (a whole word of 1s, 0xFFFFFFFF, has none: skip
 * it in one comparison), set it, count the frame in free_frames, and
 * return the frame's physical address (frame number * PAGE_SIZE). Return
 * 0 when no frame is free. Start the search at next_word and remember
 * where you found the frame, so the next search does not rescan the full
 * words at the bottom. Interrupts must not interleave with the update:
 * wrap it in irq_save()/irq_restore() (kernel/arch/cpu.h).
 */
paddr_t pmm_alloc_frame(void)
{
	PANIC("lab 2: pmm_alloc_frame is not written yet (mm/pmm.c)");
}

/*
 * TODO(lab 2, exercise 2): take a frame back.
 * A frame that is not page aligned or not managed, or one that is already
 * free, is a kernel bug: PANIC with a message naming the address and what
 * is wrong with it (the tests check that both are caught). Otherwise clear
 * its bit and count it in free_frames, with interrupts off as above.
 */
void pmm_free_frame(paddr_t frame)
{
	PANIC("lab 2: pmm_free_frame(0x%x) is not written yet (mm/pmm.c)",
	      frame);
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
