/*
 * Port I/O and the few privileged instructions the kernel needs, each in a
 * small inline helper so no other file needs inline assembly.
 */
#ifndef KERNEL_ARCH_IO_H
#define KERNEL_ARCH_IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t value)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t value;
	__asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

/* count 16-bit words from one port into memory, and back (a disk's
 * data port hands over a sector this way). */
static inline void insw(uint16_t port, void *buf, uint32_t count)
{
	__asm__ volatile("cld; rep insw"
	                 : "+D"(buf), "+c"(count)
	                 : "d"(port)
	                 : "memory");
}

static inline void outsw(uint16_t port, const void *buf, uint32_t count)
{
	__asm__ volatile("cld; rep outsw"
	                 : "+S"(buf), "+c"(count)
	                 : "d"(port)
	                 : "memory");
}

/* A write to an unused port: takes about a microsecond, for slow devices. */
static inline void io_wait(void)
{
	outb(0x80, 0);
}

#endif
