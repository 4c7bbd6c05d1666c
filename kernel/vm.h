/*
 * A process's memory on demand: the page-fault path that gives a page its
 * frame when the program (or the kernel, for a system call) first touches
 * it, and the "eager" mode that does the same work up front.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/region.h"

struct process;

/*
 * When a page gets its frame. Lazy (the default): on the first touch,
 * through a page fault. Eager (kernel command line "vm=eager"): when it
 * is promised: at spawn for the program's pages, at sbrk for the heap's.
 * A process keeps the mode it was spawned with.
 */
enum vm_mode { VM_LAZY, VM_EAGER };

/* Reads "vm=lazy" or "vm=eager" from the command line (default lazy). */
void vm_init(void);
enum vm_mode vm_default_mode(void);
/* For the tests, which run processes both ways. */
void vm_set_default_mode(enum vm_mode mode);

/* What a fault on a user address turned out to be. */
enum vm_fault_result {
	VM_FAULT_SERVED,    /* the page has its frame now: retry */
	VM_FAULT_NO_REGION, /* nothing should be there */
	VM_FAULT_RIGHTS,    /* a region is there, but not for this access */
	VM_FAULT_NO_MEMORY, /* it should, but no frame is free */
};

/*
 * The page-fault path. Looks addr up in p's regions and, if the access is
 * allowed there and the page has no frame yet, gives it one: zero-filled,
 * with the program file's bytes for text and data pages. Counts what it
 * did (vm_counters). A write to a page fork shares (PTE_COW) gets the
 * page a copy of its own, or its frame back writable if no other space
 * maps it any more.
 */
enum vm_fault_result vm_fault(struct process *p, uintptr_t addr, bool write);

/* A one-line reason for a fault that was not served. */
const char *vm_fault_reason(enum vm_fault_result result);

/*
 * Gives every page of r in [from, to) (page aligned) its frame now, as
 * eager mode does. Returns 0 or -ENOMEM (the pages mapped so far stay:
 * they belong to r and go with the space).
 */
int vm_populate(struct process *p, const struct region *r, uintptr_t from,
                uintptr_t to);

/*
 * The kernel is about to touch the user page at page (a system call's
 * buffer) for reading, or writing if write: makes sure it has a frame and
 * may be accessed so. Returns 0, -EFAULT, or -ENOMEM (no frame: p is
 * marked to be killed when the call returns, as a program touching the
 * page itself would be).
 */
int vm_user_page_ready(struct process *p, uintptr_t page, bool write);

/*
 * fork's memory: gives child (a new space, with the parent's regions) the
 * parent's pages that have a frame. Lazy (copy-on-write): both map the
 * same frame, and a writable page becomes read-only and PTE_COW in both;
 * the first write copies it (vm_fault). Eager: every such page is copied
 * now. Pages with no frame yet stay so in both. Returns 0 or -ENOMEM; the
 * caller then destroys the child's space (which releases what it shares).
 */
int vm_fork_memory(struct process *parent, struct process *child);

/* Ends the current process if a page it needed found no frame. Called as
 * each system call returns. */
void vm_kill_if_out_of_memory(void);

/* Since boot (lib/abi.h's struct meminfo shows them). */
struct vm_counters {
	uint32_t faults_served;
	uint32_t pages_zero_filled;
	uint32_t pages_from_file;
	uint32_t out_of_memory_kills;
	uint32_t cow_faults;   /* writes to pages fork shared */
	uint32_t pages_copied; /* by those writes, and by eager fork */
};
struct vm_counters vm_counters(void);
void vm_count_out_of_memory_kill(void);

#endif
