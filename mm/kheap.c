/*
 * kmalloc: the allocator core of mm/heap.c with a memory hook that maps
 * fresh frames at the heap's end (and unmaps them when the heap shrinks).
 *
 *   _kernel_end   guard page     heap start                 break   limit
 *        |  (never mapped) |            |                      |       |
 *   ... -+-----------------+------------+----------------------+- ... -+
 *        |     nothing     | heap pages, mapped on demand      |
 *
 * A write that runs off the end of the kernel image, or below the heap,
 * lands on the guard page and faults instead of corrupting memory.
 *
 * Every entry point turns interrupts off around the heap: the timer (and
 * later, preemption) must not enter the heap while it is half updated.
 */
#include "mm/kheap.h"

#include "kernel/arch/cpu.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "mm/layout.h"
#include "mm/vmm.h"

extern char _kernel_end[]; /* link.ld */

static struct heap kernel_heap;
static uintptr_t heap_start;
static uintptr_t heap_break; /* first byte past the heap */

/* The last mapped page ends at PAGE_ALIGN_UP(heap_break). */
static uintptr_t mapped_end(void)
{
	return PAGE_ALIGN_UP(heap_break);
}

/* The heap's memory hook: sbrk for the kernel heap (see heap.h). */
static void *kheap_more(void *ctx, intptr_t delta)
{
	(void)ctx;
	uintptr_t old_break = heap_break;

	if (delta > 0) {
		if ((uintptr_t)delta > KHEAP_LIMIT - heap_break)
			return NULL; /* out of address space */
		uintptr_t new_break = heap_break + (uintptr_t)delta;
		if (vmm_map_new_range(vmm_kernel_space(), mapped_end(),
		                      PAGE_ALIGN_UP(new_break), PTE_WRITABLE))
			return NULL; /* out of frames */
		heap_break = new_break;
	} else if (delta < 0) {
		uintptr_t shrink = (uintptr_t)-delta;
		ASSERT(shrink <= heap_break - heap_start);
		uintptr_t old_mapped_end = mapped_end();
		heap_break -= shrink;
		vmm_unmap_and_free(vmm_kernel_space(), mapped_end(),
		                   old_mapped_end);
	}
	return (void *)old_break;
}

void kheap_init(void)
{
	heap_start = PAGE_ALIGN_UP((uintptr_t)_kernel_end) + PAGE_SIZE;
	heap_break = heap_start;

	struct heap_config config = {
	        .more = kheap_more,
	        .policy = HEAP_POLICY_SEGREGATED,
	};
	int err = heap_init(&kernel_heap, &config);
	if (err)
		PANIC("kheap: cannot set up the kernel heap (error %d)", err);
}

/* The kernel's way to report heap misuse: a panic with every detail. */
void heap_report_misuse(struct heap *heap, enum heap_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	(void)heap;
	PANIC("heap: %s: %p given to %s (%s)", heap_misuse_name(kind), ptr, op,
	      detail);
}

void *kmalloc(size_t size)
{
	bool irq = irq_save();
	void *p = heap_alloc(&kernel_heap, size);
	irq_restore(irq);
	return p;
}

void kfree(void *ptr)
{
	bool irq = irq_save();
	heap_free(&kernel_heap, ptr);
	irq_restore(irq);
}

void *krealloc(void *ptr, size_t size)
{
	bool irq = irq_save();
	void *p = heap_realloc(&kernel_heap, ptr, size);
	irq_restore(irq);
	return p;
}

void *kcalloc(size_t count, size_t size)
{
	bool irq = irq_save();
	void *p = heap_calloc(&kernel_heap, count, size);
	irq_restore(irq);
	return p;
}

void *kmalloc_aligned(size_t align, size_t size)
{
	bool irq = irq_save();
	void *p = heap_alloc_aligned(&kernel_heap, align, size);
	irq_restore(irq);
	return p;
}

uintptr_t kheap_start(void)
{
	return heap_start;
}

void kheap_get_stats(struct heap_stats *stats)
{
	bool irq = irq_save();
	heap_get_stats(&kernel_heap, stats);
	irq_restore(irq);
}

int kheap_check(char *msg, size_t msg_size)
{
	bool irq = irq_save();
	int err = heap_check(&kernel_heap, msg, msg_size);
	irq_restore(irq);
	return err;
}

static int print_block(void *arg, const struct heap_block_info *b)
{
	(void)arg;
	kprintf("  %p %8u %s\n", b->block, (unsigned)b->size,
	        b->used ? "used" : "free");
	return 0;
}

void kheap_dump(void)
{
	bool irq = irq_save();
	kprintf("kernel heap blocks (header address, size, state):\n");
	heap_walk(&kernel_heap, print_block, NULL);
	irq_restore(irq);
}
