/*
 * Regions: what each address of a process SHOULD hold. A process's page
 * tables say what a page holds now (a frame, or nothing yet); its region
 * list says what the page is for: program text, data, bss, heap or stack,
 * with which rights, and for program pages where in the program file
 * their bytes come from. The page-fault path (kernel/page_fault.c) reads
 * it to decide what a fault means. Linux calls a region a VMA; Pintos,
 * an entry of the supplemental page table.
 *
 *   0x08048000  text   r-x  from the file     paged in on first touch
 *   0x0804a000  data   rw-  from the file     paged in on first touch
 *   0x0804b000  bss    rw-  zero-filled       a frame on first touch
 *   0x0804c000  heap   rw-  zero-filled       its end moves with sbrk
 *   0xbfd..000  anon, shared, file: mmap's     between heap and stack
 *   0xbfeff000  stack  rw-  zero-filled       up to USER_STACK_TOP
 *
 * A region covers whole pages, [start, end), and regions never overlap.
 * The list is kept in address order.
 */
#ifndef MM_REGION_H
#define MM_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/abi.h"

/* What a region holds (the names vmmap prints); the numbers are the
 * ones pageinfo reports (lib/abi.h). */
enum region_kind {
	REGION_TEXT = REGION_KIND_TEXT,
	REGION_DATA = REGION_KIND_DATA,
	REGION_BSS = REGION_KIND_BSS,
	REGION_HEAP = REGION_KIND_HEAP,
	REGION_STACK = REGION_KIND_STACK,
	/* mmap's (docs/mmap.md): */
	REGION_ANON = REGION_KIND_ANON,     /* private, zero-filled */
	REGION_SHARED = REGION_KIND_SHARED, /* shared with forked children */
	REGION_FILE = REGION_KIND_FILE,     /* a file's bytes, private */
};

/* Rights: what the program may do there; the bits pageinfo reports. */
#define REGION_READ PAGEINFO_READ
#define REGION_WRITE PAGEINFO_WRITE
#define REGION_EXEC PAGEINFO_EXEC
#define REGION_RIGHTS (REGION_READ | REGION_WRITE | REGION_EXEC)
/* Not a right but a limit on them (BSD's max_protection): a MAP_SHARED
 * mapping of a read-only file may never be made writable (mprotect:
 * EACCES). Kept in rights, so that only mappings alike merge; never
 * reported (pageinfo and vmmap show rights & REGION_RIGHTS). */
#define REGION_NEVER_WRITE 0x100

/*
 * Where a region's bytes come from. A page gets the bytes of the file's
 * [offset, offset + size) that fall in it, placed as if that range sat at
 * vaddr, and zeros everywhere else. file NULL (or size 0): all zeros.
 */
struct region_source {
	const uint8_t *file; /* the program's bytes (in the initrd) */
	uint32_t offset;
	uint32_t size;
	uintptr_t vaddr;
};

struct region {
	uintptr_t start; /* page aligned */
	uintptr_t end;   /* page aligned, exclusive; start == end: empty */
	uint32_t rights; /* REGION_READ | REGION_WRITE | REGION_EXEC, and
	                    REGION_NEVER_WRITE */
	enum region_kind kind;
	struct region_source source;
	struct region *next; /* the next region up in memory */
};

struct region_list {
	struct region *first; /* lowest address first */
};

/* Makes the slab cache the regions come from (call after kslab_init). */
void region_init(void);

/*
 * Adds [start, end) to the list. Returns 0, -EINVAL (not page aligned,
 * or end below start), -EEXIST (it overlaps a region) or -ENOMEM.
 * An empty region (start == end) is allowed: an empty heap.
 */
int region_add(struct region_list *list, uintptr_t start, uintptr_t end,
               uint32_t rights, enum region_kind kind,
               const struct region_source *source);

/* The region holding addr, or NULL. */
struct region *region_find(const struct region_list *list, uintptr_t addr);

/* The first region of that kind, or NULL. */
struct region *region_of_kind(const struct region_list *list,
                              enum region_kind kind);

/*
 * Moves r's end (page aligned, not below its start). Returns 0, -EINVAL,
 * or -EEXIST if the new end would reach into the next region.
 */
int region_set_end(struct region *r, uintptr_t end);

/* Whether r was made by mmap (anon, shared or file). */
static inline bool region_is_mapping(const struct region *r)
{
	return r->kind == REGION_ANON || r->kind == REGION_SHARED ||
	       r->kind == REGION_FILE;
}

/*
 * Cuts r in two at at (page aligned, strictly inside r): r keeps
 * [start, at), a new region after it gets [at, end) with the same rights,
 * kind and source (the source names absolute addresses, so both halves
 * still find their bytes). Returns the new upper half, or NULL (no
 * memory: r unchanged).
 */
struct region *region_split(struct region *r, uintptr_t at);

/* Takes r out of the list and frees it (its pages are the caller's). */
void region_remove(struct region_list *list, struct region *r);

/*
 * Joins every two neighbouring mappings that touch and would behave the
 * same: same kind, rights, and the same source (a file region
 * only with the rest of the same mapping of the same file). Program
 * regions are never joined.
 */
void region_merge_mappings(struct region_list *list);

/* How many regions of the list mmap made. */
uint32_t region_count_mappings(const struct region_list *list);

/* Makes to (empty) a copy of from, for fork. Returns 0 or -ENOMEM (to is
 * empty then). */
int region_list_copy(struct region_list *to, const struct region_list *from);

/* Frees every region; the list is empty after. */
void region_list_free(struct region_list *list);

#endif
