/*
 * The frame table (the invariant and what it offers: frame_table.h). One
 * entry per managed frame, indexed by frame number, and a doubly linked
 * list through the resident ones in the order they got their pages:
 *
 *   head (oldest)                                        tail (newest)
 *     [f 0x1a3] <-> [f 0x0c7] <-> [f 0x2f0] <-> ... <-> [f 0x151]
 *
 * Frames of user pages join at allocation (kernel/swap.c's
 * swap_alloc_frame) and leave when freed; everything is done with
 * interrupts off: page faults of several processes, kernel tasks and the
 * swap code's sleeps all touch the table.
 */
#include "kernel/frame_table.h"

#include "kernel/arch/cpu.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "mm/evict.h"
#include "mm/kheap.h"
#include "mm/pmm.h"

static struct frame_entry *table;
static uint32_t table_frames; /* entries: the highest managed frame + 1 */
static uint32_t head = FRAME_NONE, tail = FRAME_NONE;
static uint32_t resident;

void frame_table_init(void)
{
	table_frames = pmm_frame_limit();
	table = kcalloc(table_frames, sizeof(*table));
	if (!table)
		PANIC("frame table: no memory for %u frames' entries",
		      table_frames);
}

struct frame_entry *frame_table_entry(uint32_t f)
{
	return table && f < table_frames ? &table[f] : NULL;
}

/* Links f in at the tail. */
static void link_tail(uint32_t f)
{
	table[f].prev = tail;
	table[f].next = FRAME_NONE;
	if (tail != FRAME_NONE)
		table[tail].next = f;
	else
		head = f;
	tail = f;
}

static void unlink(uint32_t f)
{
	struct frame_entry *e = &table[f];

	if (e->prev != FRAME_NONE)
		table[e->prev].next = e->next;
	else
		head = e->next;
	if (e->next != FRAME_NONE)
		table[e->next].prev = e->prev;
	else
		tail = e->prev;
}

void frame_table_add(paddr_t frame, vmm_space_t owner, uintptr_t va)
{
	uint32_t f = frame / PAGE_SIZE;

	if (!table)
		return; /* before frame_table_init: no user page yet */
	ASSERT(f < table_frames);
	bool irq = irq_save();
	struct frame_entry *e = &table[f];

	ASSERT(!(e->flags & FRAME_RESIDENT));
	*e = (struct frame_entry){.va = va,
	                          .owner = owner,
	                          .slot = SWAP_NO_SLOT,
	                          .flags = FRAME_RESIDENT,
	                          .age = EVICT_AGE_NEW};
	link_tail(f);
	resident++;
	irq_restore(irq);
}

void frame_table_remove(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;
	bool irq = irq_save();

	if (table && f < table_frames && (table[f].flags & FRAME_RESIDENT)) {
		unlink(f);
		table[f].flags = 0;
		resident--;
	}
	irq_restore(irq);
}

bool frame_table_has(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;

	return table && f < table_frames && (table[f].flags & FRAME_RESIDENT);
}

uint32_t frame_table_first(void)
{
	return head;
}

uint32_t frame_table_next(uint32_t f)
{
	return table[f].next;
}

uint32_t frame_table_count(void)
{
	return resident;
}

void frame_table_move_to_tail(uint32_t f)
{
	bool irq = irq_save();

	if (table[f].flags & FRAME_RESIDENT) {
		unlink(f);
		link_tail(f);
	}
	irq_restore(irq);
}

uint8_t *frame_table_age(uint32_t f)
{
	return &table[f].age;
}

bool frame_table_evictable(uint32_t f)
{
	const struct frame_entry *e = frame_table_entry(f);

	return e && (e->flags & FRAME_RESIDENT) && !(e->flags & FRAME_BUSY) &&
	       e->pins == 0;
}

/* ---- Every mapping of a frame ---------------------------------------------
 * The sharers of a frame are at its va in every process's space (the
 * invariant in frame_table.h). A change to a PTE is flushed from the TLB
 * with invlpg if the space is the current one; any other space's
 * translations cannot be in the TLB: on one CPU the TLB holds only the
 * current space's user entries, since every CR3 load (each switch to
 * another space) drops them all (memos maps no user page global).
 */
struct mapping_walk {
	paddr_t frame;
	vmm_space_t space;
	frame_mapping_fn fn;
	void *arg;
	uint32_t found;
};

static int visit_mapping(uintptr_t va, pte_t *pte, pte_t *other, void *arg)
{
	struct mapping_walk *w = arg;
	pte_t before = *pte;

	(void)other;
	if ((before & PTE_FRAME_MASK) != w->frame)
		return 0; /* another frame: this space has its own copy */
	w->found++;
	if (w->fn)
		w->fn(w->space, va, pte, w->arg);
	if (*pte != before && w->space == vmm_current_space())
		invlpg((void *)va);
	return 0;
}

/* How many PTEs map frame f: its references, but the swap cache's (a
 * frame with a slot is in the cache, kernel/swap.c). */
static uint32_t expected_mappings(uint32_t f)
{
	uint32_t refs = pmm_frame_refs(f * PAGE_SIZE);

	return table[f].slot != SWAP_NO_SLOT && refs ? refs - 1 : refs;
}

/* Looks at va in p's space. */
static void visit_space(struct process *p, uintptr_t va, struct mapping_walk *w)
{
	if (p->is_kernel_task || !p->vm.pgdir || p->state == PROC_ZOMBIE)
		return;
	w->space = p->vm.pgdir;
	vmm_for_each_present(p->vm.pgdir, va, va + PAGE_SIZE, visit_mapping, w);
}

/*
 * The owner's space first: most frames are mapped once, by their owner,
 * and a page-table walk per process for every frame a policy looks at
 * would cost more than the rest of an eviction. The others are looked at
 * only while some mapping is still to be found.
 */
uint32_t frame_table_for_each_mapping(uint32_t f, frame_mapping_fn fn,
                                      void *arg)
{
	struct mapping_walk w = {.frame = f * PAGE_SIZE, .fn = fn, .arg = arg};
	uintptr_t va = table[f].va;
	vmm_space_t owner = table[f].owner;
	uint32_t expected = expected_mappings(f);
	struct process *p;

	ASSERT(!(read_eflags() & EFLAGS_IF));
	for (p = process_list(); p && owner; p = p->next) {
		if (p->vm.pgdir == owner) {
			visit_space(p, va, &w);
			break;
		}
	}
	for (p = process_list(); p && w.found < expected; p = p->next) {
		if (!owner || p->vm.pgdir != owner)
			visit_space(p, va, &w);
	}
	return w.found;
}

static void take_accessed(vmm_space_t space, uintptr_t va, pte_t *pte,
                          void *arg)
{
	(void)space;
	(void)va;
	*(bool *)arg |= (*pte & PTE_ACCESSED) != 0;
	*pte &= ~PTE_ACCESSED;
}

bool frame_table_test_and_clear_accessed(uint32_t f)
{
	bool accessed = false;
	bool irq = irq_save();

	frame_table_for_each_mapping(f, take_accessed, &accessed);
	irq_restore(irq);
	return accessed;
}

void frame_table_pin(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;
	bool irq = irq_save();

	if (frame_table_has(frame)) {
		ASSERT(table[f].pins < UINT16_MAX);
		table[f].pins++;
	}
	irq_restore(irq);
}

void frame_table_unpin(paddr_t frame)
{
	uint32_t f = frame / PAGE_SIZE;
	bool irq = irq_save();

	if (frame_table_has(frame)) {
		ASSERT(table[f].pins > 0);
		table[f].pins--;
	}
	irq_restore(irq);
}
