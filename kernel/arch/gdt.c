/*
 * Builds the GDT and the TSS and loads them (gdt_flush.asm reloads the
 * segment registers, which C cannot do).
 *
 * A segment descriptor, 8 bytes, with its fields scattered for history's
 * sake:
 *   | base 31..24 | flags | limit 19..16 | access | base 23..0 | limit 15..0 |
 */
#include "kernel/arch/gdt.h"

#include <stddef.h>

#include "lib/string.h"

struct gdt_entry {
	uint16_t limit_low;
	uint16_t base_low;
	uint8_t base_mid;
	uint8_t access;
	uint8_t limit_high_and_flags;
	uint8_t base_high;
} __attribute__((packed));

struct gdt_pointer {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

/* The 32-bit TSS. We only use ss0:esp0 (no hardware task switching). */
struct tss {
	uint32_t prev_task;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct gdt_entry) == 8, "a descriptor is 8 bytes");
_Static_assert(sizeof(struct tss) == 104, "the i386 TSS is 104 bytes");

/* Access byte bits. */
#define ACCESS_PRESENT 0x80
#define ACCESS_RING3 0x60
#define ACCESS_CODE_OR_DATA 0x10
#define ACCESS_EXECUTABLE 0x08
#define ACCESS_RW 0x02     /* readable code / writable data */
#define ACCESS_TSS_32 0x09 /* available 32-bit TSS */
/* Flags nibble: 4 KiB granularity, 32-bit segment. */
#define FLAGS_4K_32BIT 0xC

enum { GDT_ENTRIES = 6 };

static struct gdt_entry gdt[GDT_ENTRIES];
static struct tss tss;

void gdt_flush(const struct gdt_pointer *ptr, uint16_t code, uint16_t data,
               uint16_t tss_selector); /* gdt_flush.asm */

static void set_entry(int index, uint32_t base, uint32_t limit, uint8_t access,
                      uint8_t flags)
{
	struct gdt_entry *e = &gdt[index];

	e->limit_low = limit & 0xFFFF;
	e->base_low = base & 0xFFFF;
	e->base_mid = (base >> 16) & 0xFF;
	e->access = access;
	e->limit_high_and_flags = ((limit >> 16) & 0x0F) | (flags << 4);
	e->base_high = (base >> 24) & 0xFF;
}

void gdt_init(void)
{
	const uint8_t code = ACCESS_PRESENT | ACCESS_CODE_OR_DATA |
	                     ACCESS_EXECUTABLE | ACCESS_RW;
	const uint8_t data = ACCESS_PRESENT | ACCESS_CODE_OR_DATA | ACCESS_RW;

	set_entry(0, 0, 0, 0, 0); /* the CPU requires a null descriptor */
	set_entry(GDT_KERNEL_CODE / 8, 0, 0xFFFFF, code, FLAGS_4K_32BIT);
	set_entry(GDT_KERNEL_DATA / 8, 0, 0xFFFFF, data, FLAGS_4K_32BIT);
	set_entry(GDT_USER_CODE / 8, 0, 0xFFFFF, code | ACCESS_RING3,
	          FLAGS_4K_32BIT);
	set_entry(GDT_USER_DATA / 8, 0, 0xFFFFF, data | ACCESS_RING3,
	          FLAGS_4K_32BIT);

	memset(&tss, 0, sizeof(tss));
	tss.ss0 = GDT_KERNEL_DATA;
	/* An I/O map base past the TSS's end: no port is allowed in ring 3. */
	tss.iomap_base = sizeof(tss);
	set_entry(GDT_TSS / 8, (uint32_t)&tss, sizeof(tss) - 1,
	          ACCESS_PRESENT | ACCESS_TSS_32, 0);

	struct gdt_pointer ptr = {sizeof(gdt) - 1, (uint32_t)gdt};
	gdt_flush(&ptr, GDT_KERNEL_CODE, GDT_KERNEL_DATA, GDT_TSS);
}

void gdt_set_kernel_stack(uint32_t esp0)
{
	tss.esp0 = esp0;
}
