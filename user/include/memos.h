/* <memos.h>: the memos system calls no standard header has. Each returns
 * -1 and sets errno on failure. */
#ifndef _MEMOS_MEMOS_H
#define _MEMOS_MEMOS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/abi.h" /* struct meminfo, pageinfo, region_info, slabinfo */

/* Fills *info with the kernel's memory counters (free frames, ...). */
int meminfo(struct meminfo *info);

/* Fills *info with what the caller's page holding addr is: its region and
 * rights, and its frame if it has one now (PAGEINFO_* flags). Only looks:
 * the page does not get a frame. -1 with EINVAL for a kernel address,
 * EFAULT for a bad info. */
int pageinfo(const void *addr, struct pageinfo *info);

/* Fills buf with up to max of process pid's regions (pid 0: the caller),
 * in address order, and returns how many it has (more than max: call
 * again with a bigger buf). -1 with ESRCH if pid is no live program. */
int regions(int pid, struct region_info *buf, int max);

/* Fills buf with up to max of the kernel's slab caches (docs/slab.md) and
 * returns how many there are (more than max: call again with a bigger
 * buf). */
int slabinfo(struct slabinfo *buf, int max);

/* Writes the initrd's program names into buf, one per line, NUL-terminated
 * if there is room. The size the whole list needs (call with NULL, 0 to
 * ask), or -1. */
int list_programs(char *buf, size_t len);

/*
 * Sets the replacement policy that picks which of the caller's own heap
 * pages goes when it is at its resident limit (setrlimit(RLIMIT_RSS)):
 * EVICT_POLICY_FIFO, _CLOCK, _LRU or _RANDOM (lib/abi.h). Returns the
 * policy it had (-1 only asks), or -1 with EINVAL for another number. A
 * process starts with the boot's (evict=, clock by default); fork and
 * execv keep it.
 */
int evict_policy(int policy);

/* Milliseconds since boot. */
uint32_t uptime_ms(void);

/* The CPU's time-stamp counter, read in ring 3: it counts at a fixed rate
 * whatever runs (in QEMU with -icount, virtual nanoseconds: instructions
 * x 2^shift; in Bochs, instructions). For timing code finer than a
 * millisecond. */
static inline uint64_t read_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Blocks for at least ms milliseconds. */
int sleep_ms(uint32_t ms);

/* Lets another process run. */
int yield(void);

/* Stops in the Bochs debugger here, in ring 3 as in the kernel: `xchg bx,
 * bx` is Bochs' magic breakpoint (magic_break: enabled=1 in
 * tools/bochsrc.txt). Everywhere else (QEMU, a real PC) it swaps bx with
 * itself: it does nothing. docs/bochs.md shows a session. */
#define BOCHS_BREAK() __asm__ volatile("xchg %%bx, %%bx" ::: "memory")

#endif
