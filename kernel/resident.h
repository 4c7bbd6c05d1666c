/*
 * A process's resident-set limit (setrlimit(RLIMIT_RSS)) and its own
 * replacement policy (evict_policy). The limit counts the pages of the
 * process's HEAP that have a frame: a fault on a heap page past the limit
 * first evicts one of those pages, chosen by the process's policy
 * (mm/evict.c), so that a program touching heap pages in a reference
 * string sees the textbook's faults. Code, data, stack are not counted:
 * they would disturb the count. docs/swap-policies.md.
 */
#ifndef KERNEL_RESIDENT_H
#define KERNEL_RESIDENT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vm_space.h"
#include "lib/abi.h"
#include "mm/evict.h"

/* The boot's choice (evict=fifo|clock|lru|random, clock by default):
 * every process starts with it, and the swap's victim search uses it. */
void resident_init(enum evict_policy boot_policy);
enum evict_policy resident_boot_policy(void);

/* getrlimit(RLIMIT_RSS): RLIM_INFINITY twice if none was set. */
void resident_get_limit(const struct vm_space *vm, struct rlimit *limit);

/*
 * setrlimit(RLIMIT_RSS): 0, -EINVAL (under a page, over
 * RLIMIT_RSS_MAX_PAGES pages, cur > max), -EPERM (max raised), -ENOMEM.
 * The heap pages resident now join the set in address order, their
 * accessed bits cleared (the oldest, unused: the first to go); past the
 * limit, the first are evicted at once.
 */
int resident_set_limit(struct vm_space *vm, const struct rlimit *limit);

/* evict_policy(): the old policy; policy -1 only reads; -EINVAL. */
int resident_set_policy(struct vm_space *vm, int policy);

/*
 * Copies from's limit and policy into to (empty). fork (with_pages: the
 * child maps the same heap pages, fork keeps addresses, so it gets the
 * same set in the same order) and execv (without: a new image's heap is
 * empty). 0 or -ENOMEM.
 */
int resident_copy(struct vm_space *to, const struct vm_space *from,
                  bool with_pages);

/* Frees vm's set (vm_space_destroy). */
void resident_free(struct vm_space *vm);

/*
 * The fault path, before the heap page at page gets a frame: if vm is at
 * its limit and page is not in its set, evicts the policy's victim (may
 * sleep on the disk). 0 (also when nothing could go: no swap, a pinned
 * victim), -ENOMEM (swap full) or -EIO: the page must not come in.
 */
int resident_make_room(struct vm_space *vm, uintptr_t page);
/* ... and after: page is resident now (a new page of the set). */
void resident_loaded(struct vm_space *vm, uintptr_t page);

/* The heap pages [from, to) are gone (sbrk shrank the heap). */
void resident_forget(struct vm_space *vm, uintptr_t from, uintptr_t to);

/* The timer tick, for the process on the CPU: the aging step of the lru
 * policy (evict_set_age); nothing for the others. */
void resident_tick(struct vm_space *vm);

#endif
