/* <memos.h>: the memos system calls no standard header has. Each returns
 * -1 and sets errno on failure. */
#ifndef _MEMOS_MEMOS_H
#define _MEMOS_MEMOS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/abi.h" /* struct meminfo */

/* Fills *info with the kernel's memory counters (free frames, ...). */
int meminfo(struct meminfo *info);

/* Writes the initrd's program names into buf, one per line, NUL-terminated
 * if there is room. The size the whole list needs (call with NULL, 0 to
 * ask), or -1. */
int list_programs(char *buf, size_t len);

/* Milliseconds since boot. */
uint32_t uptime_ms(void);

/* Blocks for at least ms milliseconds. */
int sleep_ms(uint32_t ms);

/* Lets another process run. */
int yield(void);

#endif
