/*
 * The physical memory manager: hands out 4 KiB frames of usable RAM, one
 * at a time or in contiguous runs, and keeps one bit per frame (in use or
 * not). Which frames it picks is its policy: the bitmap's search, or with
 * pmm=buddy the buddy allocator (mm/buddy.c). Frames never handed out:
 * anything GRUB's memory map does not call usable, the first megabyte, the
 * kernel image, and the multiboot information and modules.
 */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/paging.h"

/*
 * A range of physical memory [start, end), as the boot loader's memory map
 * describes it (64-bit: it may describe memory above 4 GiB, which the
 * allocator leaves alone). usable: RAM the allocator may hand out; else a
 * range it must never hand out (the boot loader's own data, modules).
 */
struct pmm_range {
	uint64_t start, end;
	bool usable;
};

/* Which free frames a request gets: the bitmap's next fit (lab 2), or
 * the buddy allocator (mm/buddy.c). */
enum pmm_policy { PMM_BITMAP, PMM_BUDDY };
/* Their names, by enum pmm_policy, NULL-terminated (pmm=NAME). */
extern const char *const pmm_policy_names[];

/*
 * Starts the allocator over the n ranges: every whole frame of a usable
 * range is managed, except the frames a reserved range touches, the first
 * megabyte and the kernel image, whatever the ranges say (reserved wins,
 * in any order). kmain reads the ranges from the boot loader and the
 * policy from the command line (pmm=bitmap|buddy).
 */
void pmm_init(const struct pmm_range *ranges, size_t n, enum pmm_policy policy);

/* A free frame's physical address, or 0 when none is left (0 is never a
 * frame we hand out: the first megabyte stays reserved). */
paddr_t pmm_alloc_frame(void);

/* Gives a frame back. Freeing a frame twice, or an address that is not a
 * frame this allocator handed out, is a kernel bug and panics. */
void pmm_free_frame(paddr_t frame);

/*
 * What pmm_alloc_frame does when no frame is free, before it fails: it
 * calls reclaim once (the kernel's slab caches give their empty slabs
 * back: kslab_reclaim) and tries again if that freed anything. reclaim
 * returns how many frames it freed; it must not allocate.
 */
void pmm_set_reclaim(size_t (*reclaim)(void));
/* Calls the reclaim hook (not from inside itself); true if it freed a
 * frame. */
bool pmm_reclaim(void);

/*
 * A run of n physically contiguous frames: the first one's address, or 0.
 * Free it with pmm_free_run and the same n. With pmm=buddy the run is a
 * block of n rounded up to a power of 2, aligned to its size, and all of
 * its frames count as in use; with pmm=bitmap it is the lowest run of n
 * free frames (a linear search). pmm_free_run of anything else panics.
 */
paddr_t pmm_alloc_run(uint32_t n);
void pmm_free_run(paddr_t first, uint32_t n);

/*
 * Keeps keep frames free and retires every other free frame: they stop
 * being managed, as if the machine had that much less RAM (the total
 * drops too), for good. kmain calls it once the kernel has booted, for
 * the command line's mem=N (N MiB of frames left for processes). Returns
 * how many frames it retired (0 if no more than keep are free).
 */
uint32_t pmm_keep_free(uint32_t keep);

/* The policy pmm_init was given: "bitmap" or "buddy". */
const char *pmm_policy_name(void);

/* Checks the invariants: the bitmap's free count against its bits, and
 * with pmm=buddy buddy_check and the two counts alike. 0, or a negative
 * number with what is wrong in msg. */
int pmm_check(char *msg, size_t msg_size);

/* The frames of the largest run pmm_alloc_run could hand out now (with
 * pmm=buddy: the largest free block). */
uint32_t pmm_largest_run(void);

/* Frames the allocator manages (usable RAM after reservations). */
uint32_t pmm_total_frames(void);
uint32_t pmm_free_frames(void);

/* The highest managed frame's number + 1: how big a table indexed by
 * frame number must be (after pmm_shares_init). */
uint32_t pmm_frame_limit(void);

/* True if the frame is one the allocator may hand out (free or not). */
bool pmm_is_managed(paddr_t frame);

/*
 * Frames mapped in several address spaces (fork shares them) count their
 * mappings. A frame handed out has one; pmm_share_frame adds one;
 * pmm_release_frame drops one and frees the frame with the last (true
 * then). pmm_free_frame of a frame that still has more than one panics.
 * pmm_shares_init gets the counts' memory from zalloc (kcalloc: the frame
 * allocator sits under the kernel heap, so kmain hands it over once the
 * heap runs). Before that no frame is shared: pmm_release_frame frees,
 * and pmm_share_frame panics saying pmm_shares_init has not run.
 */
void pmm_shares_init(void *(*zalloc)(size_t n, size_t size));
void pmm_share_frame(paddr_t frame);
bool pmm_release_frame(paddr_t frame);
/* Mappings of a frame in use (1 unless shared); 0 for a free frame. */
uint32_t pmm_frame_refs(paddr_t frame);

#endif
