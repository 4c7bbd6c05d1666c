/*
 * The page-fault POLICY: what a fault on a user address means and what
 * the kernel does about it (give the page a frame, copy a shared page,
 * or refuse), and the "eager" mode that does the same work up front. The
 * page-table MECHANISM it uses is mm/vmm.c; the address space it works
 * on is kernel/vm_space.h.
 */
#ifndef KERNEL_PAGE_FAULT_H
#define KERNEL_PAGE_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/vm_space.h"
#include "mm/region.h"

struct process;

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
	VM_FAULT_IO_ERROR,  /* its bytes were in swap, and the disk failed */
};

/*
 * The page-fault path. Looks addr up in vm's regions and, if the access
 * is allowed there and the page has no frame yet, gives it one:
 * zero-filled, with the program file's bytes for text and data pages, or
 * its bytes from swap if it was evicted (kernel/swap.c). May sleep (the
 * swap disk).
 * Counts what it did (vm_counters). A write to a page fork shares
 * (PTE_COW) gets the page a copy of its own, or its frame back writable
 * if no other space maps it any more.
 */
enum vm_fault_result vm_fault(struct vm_space *vm, uintptr_t addr, bool write);

/* True if the page at addr is mapped for this access from ring 3:
 * PTE_USER, and PTE_WRITABLE for a write. */
bool vm_page_allows(const struct vm_space *vm, uintptr_t addr, bool write);

/* A one-line reason for a fault that was not served. */
const char *vm_fault_reason(enum vm_fault_result result);

/*
 * Gives every page of r in [from, to) (page aligned) its frame now, as
 * eager mode does, through the same page making as a fault (and counted
 * the same way). Pages that have one are left alone. Returns 0 or
 * -ENOMEM (the pages mapped so far stay: they belong to r and go with the
 * space, or the caller unmaps them).
 */
int vm_populate(struct vm_space *vm, const struct region *r, uintptr_t from,
                uintptr_t to);

/*
 * The kernel is about to touch the user page at page (a system call's
 * buffer) for reading, or writing if write: makes sure it has a frame and
 * may be accessed so. Returns 0, -EFAULT, or -ENOMEM (no frame: p is
 * marked to be killed when the call returns, as a program touching the
 * page itself would be).
 */
int vm_user_page_ready(struct process *p, uintptr_t page, bool write);

/* Ends the current process if a page it needed found no frame. Called as
 * each system call returns. */
void vm_kill_if_out_of_memory(void);

/* Since boot (lib/abi.h's struct meminfo shows them). Kernel tasks fault
 * user pages too (the tests) with interrupts on: the counters change with
 * interrupts off (irq_save), our only lock. */
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
void vm_count_page_copied(void); /* eager fork's copies */

#endif
