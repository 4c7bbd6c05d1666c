/*
 * The swap disk: an ATA (IDE) hard disk on the primary channel's SLAVE
 * position, read and written in PIO mode (the CPU moves every word through
 * the data port). LBA28 addressing: sectors 0 to 2^28 - 1 (128 GiB).
 * docs/disk.md explains the device and this driver.
 */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/paging.h"

#define ATA_SECTOR_SIZE 512
/* One page is this many sectors (ata_read_page, ata_write_page). */
#define ATA_SECTORS_PER_PAGE (PAGE_SIZE / ATA_SECTOR_SIZE)

/*
 * What the driver needs of the layers above it to wait for the disk:
 * drivers sit under the scheduler (tools/include-graph.py), so kmain
 * hands these over, as it hands pit_init the scheduler's tick.
 */
struct ata_waiting {
	/* True once a process that sleeps will be woken (sched_started);
	 * before that, the driver polls. */
	bool (*can_sleep)(void);
	/* Sleeps on channel until wakeup(channel) or ms have passed, with
	 * interrupts off (sched_sleep_on_timeout). */
	void (*sleep)(const void *channel, uint32_t ms);
	void (*wakeup)(const void *channel); /* sched_wakeup */
	/* Gives the CPU to another process (sched_yield): the interrupt
	 * handler lets the woken request run at once. */
	void (*yield)(void);
	/* Milliseconds since boot, counting with interrupts off too
	 * (clock_uptime_ms): the driver's time limits. */
	uint32_t (*now_ms)(void);
};

/*
 * Probes the primary channel's slave disk with IDENTIFY and reads its
 * size: 0, or -ENODEV when there is none (or it is no ATA disk: a CD-ROM)
 * and the boot goes on without swap. Prints one line either way. kmain
 * calls it once, at boot, after the clock runs (it polls, with
 * interrupts off); `how` stays in use.
 */
int ata_init(const struct ata_waiting *how);

/* The disk's size in sectors; 0 if there is none. */
uint32_t ata_sectors(void);

/*
 * One page (8 sectors) between a physical frame and the disk, starting at
 * sector lba. 0; -EINVAL if it would go past the disk's end (nothing is
 * done); -ENODEV with no disk; -EIO if the device reported an error or
 * did not answer (the kernel log says which).
 *
 * Once the scheduler runs (it has taken a timer tick), the caller SLEEPS
 * while the disk works and other processes run: the disk's interrupt (IRQ
 * 14) wakes it, sector by sector. Before that (boot), the driver polls.
 * One request at a time: a caller that finds the disk busy sleeps until
 * it is free. The frame is reached through kmap with interrupts off, one
 * sector at a time: no kmap is held across a sleep. Never call it from an
 * interrupt handler.
 */
int ata_read_page(uint32_t lba, paddr_t frame);
int ata_write_page(uint32_t lba, paddr_t frame);

/* count sectors to or from a kernel buffer (count * 512 bytes); same
 * errors and sleeping as above. A count of 0 does nothing and gives 0. */
int ata_read(uint32_t lba, void *buf, uint32_t count);
int ata_write(uint32_t lba, const void *buf, uint32_t count);

#endif
