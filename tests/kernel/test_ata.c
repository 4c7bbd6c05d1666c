/*
 * The swap disk's driver (drivers/ata.c) against the disk the test
 * runners attach (build/swap.img's copy: tests/boot-qemu.sh, Bochs'
 * tools/bochsrc.txt): what is written anywhere on it reads back, a request
 * past its end is refused without touching it, and a caller sleeps while
 * the disk works.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/ata.h"
#include "kernel/arch/cpu.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/kprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/kheap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

/* Sectors written (one each) spread evenly over the disk, with its first
 * and its last. */
#define SPREAD_SAMPLES 64
/* A run longer than one command's 256 sectors: the driver splits it. */
#define LONG_RUN 300

/* A value that differs from run to run, so a test cannot pass on what an
 * earlier boot left on the disk. */
static uint32_t run_seed(void)
{
	return (uint32_t)rdtsc() | 1;
}

/* Sector lba's contents for this seed: every word names the sector. */
static void fill_sector(uint8_t *sector, uint32_t lba, uint32_t seed)
{
	uint32_t *w = (uint32_t *)sector;

	for (uint32_t i = 0; i < ATA_SECTOR_SIZE / 4; i++)
		w[i] = (lba * 2654435761u) ^ seed ^ (i << 20);
}

/* The index of the first word of sector that is not fill_sector's, or -1. */
static int sector_mismatch(const uint8_t *sector, uint32_t lba, uint32_t seed)
{
	uint8_t expected[ATA_SECTOR_SIZE];

	fill_sector(expected, lba, seed);
	for (int i = 0; i < ATA_SECTOR_SIZE / 4; i++)
		if (((const uint32_t *)sector)[i] != ((uint32_t *)expected)[i])
			return i;
	return -1;
}

static void require_disk(void)
{
	if (ata_sectors() == 0)
		KT_FAIL("no swap disk: the runners attach one (tests/"
		        "boot-qemu.sh -drive ...,index=1; tools/bochsrc.txt "
		        "ata0-slave)");
}

/* Sample i of n spread over the disk: 0 first, n - 1 the last sector. */
static uint32_t spread_lba(uint32_t i, uint32_t n)
{
	return (uint32_t)((uint64_t)(ata_sectors() - 1) * i / (n - 1));
}

void test_ata_reads_back_across_the_disk(void)
{
	uint8_t sector[ATA_SECTOR_SIZE];
	uint32_t seed = run_seed();

	require_disk();
	KT_ASSERT(ata_sectors() > 2 * LONG_RUN);
	/* Everything written first, then read: a write that landed on the
	 * wrong sector overwrites another sample and shows. */
	for (uint32_t i = 0; i < SPREAD_SAMPLES; i++) {
		uint32_t lba = spread_lba(i, SPREAD_SAMPLES);

		fill_sector(sector, lba, seed);
		KT_ASSERT_ERR(ata_write(lba, sector, 1), 0);
	}
	for (uint32_t i = 0; i < SPREAD_SAMPLES; i++) {
		uint32_t lba = spread_lba(i, SPREAD_SAMPLES);

		memset(sector, 0xAA, sizeof(sector));
		KT_ASSERT_ERR(ata_read(lba, sector, 1), 0);
		int bad = sector_mismatch(sector, lba, seed);
		if (bad >= 0)
			KT_FAIL("sector %u of %u reads back wrong at word %d",
			        lba, ata_sectors(), bad);
	}
}

static void free_buffer(void *buf)
{
	kfree(buf);
}

void test_ata_long_runs_split_into_commands(void)
{
	uint32_t seed = run_seed();
	uint32_t first = ata_sectors() / 2 + 3; /* mid-disk, odd */
	uint8_t *buf;

	require_disk();
	buf = kmalloc(LONG_RUN * ATA_SECTOR_SIZE);
	KT_ASSERT(buf != NULL);
	ktest_defer(free_buffer, buf);
	for (uint32_t i = 0; i < LONG_RUN; i++)
		fill_sector(buf + i * ATA_SECTOR_SIZE, first + i, seed);
	KT_ASSERT_ERR(ata_write(first, buf, LONG_RUN), 0);
	memset(buf, 0, LONG_RUN * ATA_SECTOR_SIZE);
	/* Read back in other pieces than written: 1, 255, 44 sectors. */
	KT_ASSERT_ERR(ata_read(first, buf, 1), 0);
	KT_ASSERT_ERR(ata_read(first + 1, buf + ATA_SECTOR_SIZE, 255), 0);
	KT_ASSERT_ERR(ata_read(first + 256, buf + 256 * ATA_SECTOR_SIZE, 44),
	              0);
	for (uint32_t i = 0; i < LONG_RUN; i++) {
		int bad = sector_mismatch(buf + i * ATA_SECTOR_SIZE, first + i,
		                          seed);
		if (bad >= 0)
			KT_FAIL("sector %u (%u of a %u-sector write) reads "
			        "back wrong at word %d",
			        first + i, i, LONG_RUN, bad);
	}
	KT_ASSERT_ERR(ata_read(first, buf, 0), 0);
}

static void free_frame(void *frame)
{
	pmm_free_frame((paddr_t)(uintptr_t)frame);
}

void test_ata_pages_between_frames_and_disk(void)
{
	uint32_t seed = run_seed();
	uint32_t last_page = ata_sectors() - ATA_SECTORS_PER_PAGE;
	paddr_t out, in;

	require_disk();
	out = pmm_alloc_frame();
	in = pmm_alloc_frame();
	KT_ASSERT(out && in);
	ktest_defer(free_frame, (void *)(uintptr_t)out);
	ktest_defer(free_frame, (void *)(uintptr_t)in);
	uint8_t *p = kmap(out);
	for (uint32_t i = 0; i < ATA_SECTORS_PER_PAGE; i++)
		fill_sector(p + i * ATA_SECTOR_SIZE, last_page + i, seed);
	kunmap(p);

	/* The disk's last page: its last sector is the disk's. */
	KT_ASSERT_ERR(ata_write_page(last_page, out), 0);
	KT_ASSERT_ERR(ata_read_page(last_page, in), 0);
	KT_ASSERT_EQ(kmap_slots_in_use(), 0);
	p = kmap(in);
	for (uint32_t i = 0; i < ATA_SECTORS_PER_PAGE; i++) {
		int bad = sector_mismatch(p + i * ATA_SECTOR_SIZE,
		                          last_page + i, seed);
		if (bad >= 0) {
			kunmap(p);
			KT_FAIL("the page read from sector %u differs in its "
			        "sector %u, word %d",
			        last_page, i, bad);
		}
	}
	kunmap(p);
}

void test_ata_past_the_end_is_refused(void)
{
	uint8_t sector[ATA_SECTOR_SIZE], back[ATA_SECTOR_SIZE];
	uint32_t n = ata_sectors();
	uint32_t seed = run_seed();
	paddr_t frame;

	require_disk();
	fill_sector(sector, n - 1, seed);
	KT_ASSERT_ERR(ata_write(n - 1, sector, 1), 0);

	KT_ASSERT_ERR(ata_read(n, back, 1), -EINVAL);
	KT_ASSERT_ERR(ata_read(n - 1, back, 2), -EINVAL);
	KT_ASSERT_ERR(ata_read(0xFFFFFFFFu, back, 2), -EINVAL); /* wraps */
	frame = pmm_alloc_frame();
	KT_ASSERT(frame != 0);
	ktest_defer(free_frame, (void *)(uintptr_t)frame);
	KT_ASSERT_ERR(ata_read_page(n - ATA_SECTORS_PER_PAGE + 1, frame),
	              -EINVAL);
	KT_ASSERT_ERR(ata_write_page(n - 1, frame), -EINVAL);
	/* A refused write wrote nothing, not even its first sector. */
	memset(back, 0x55, sizeof(back));
	KT_ASSERT_ERR(ata_write(n - 1, back, 2), -EINVAL);
	KT_ASSERT_ERR(ata_read(n - 1, back, 1), 0);
	KT_ASSERT(sector_mismatch(back, n - 1, seed) < 0);
}

/* The other process: counts, never yielding (the CPU-bound neighbour a
 * sleeping disk request must not wait behind for a whole time slice). */
static volatile uint32_t other_runs;
static volatile bool other_stop;

static void counting_task(void)
{
	while (!other_stop)
		other_runs++;
}

static void stop_counting_task(void *pid)
{
	int status;

	other_stop = true;
	process_wait((int)(uintptr_t)pid, &status, 0);
}

void test_ata_caller_sleeps_while_others_run(void)
{
	enum { PAGES = 16 };
	struct process *task;
	uint8_t *buf;
	uint32_t ran = 0;

	require_disk();
	KT_ASSERT(sched_started());
	buf = kmalloc(ATA_SECTORS_PER_PAGE * ATA_SECTOR_SIZE);
	KT_ASSERT(buf != NULL);
	ktest_defer(free_buffer, buf);
	other_runs = 0;
	other_stop = false;
	task = process_create_kernel_task("ata-counter", counting_task);
	KT_ASSERT(task != NULL);
	task->parent = sched_current();
	sched_add(task);
	ktest_defer(stop_counting_task, (void *)(uintptr_t)task->pid);

	/* Interrupts off around each call: the timer cannot switch away
	 * here, so the other task runs during a call only if the caller
	 * slept on the disk. */
	uint32_t start = clock_uptime_ms();
	for (uint32_t i = 0; i < PAGES; i++) {
		bool irq = irq_save();
		uint32_t before = other_runs;
		int err = ata_read(i * ATA_SECTORS_PER_PAGE, buf,
		                   ATA_SECTORS_PER_PAGE);

		ran += other_runs - before;
		irq_restore(irq);
		KT_ASSERT_ERR(err, 0);
	}
	/* Not a time limit: what docs/disk.md quotes. */
	kprintf("# ata: %u pages read in %u ms while another process "
	        "spins\n",
	        PAGES, clock_uptime_ms() - start);
	if (ran == 0)
		KT_FAIL("the other task never ran while %u pages were read: "
		        "the caller polled instead of sleeping",
		        PAGES);
}

/* Two tasks that write and check their own half of a region at once: the
 * requests take turns, each whole. */
static volatile int task_errors[2];

/* Each round writes RUN sectors (two blocks of READ/WRITE MULTIPLE: the
 * task sleeps in the middle of its request) and reads them back. */
static void disk_task(int which)
{
	enum { RUN = 16, ROUNDS = 20 };
	uint32_t base = ata_sectors() / 4 + (uint32_t)which * ROUNDS * RUN;
	uint32_t seed = (uint32_t)which * 0x1000193u + 7;
	uint8_t *buf = kmalloc(RUN * ATA_SECTOR_SIZE);

	if (!buf) {
		task_errors[which]++;
		return;
	}
	for (uint32_t round = 0; round < ROUNDS; round++) {
		uint32_t lba = base + round * RUN;

		for (uint32_t i = 0; i < RUN; i++)
			fill_sector(buf + i * ATA_SECTOR_SIZE, lba + i, seed);
		if (ata_write(lba, buf, RUN) != 0) {
			task_errors[which]++;
			continue;
		}
		memset(buf, 0, RUN * ATA_SECTOR_SIZE);
		if (ata_read(lba, buf, RUN) != 0) {
			task_errors[which]++;
			continue;
		}
		for (uint32_t i = 0; i < RUN; i++)
			if (sector_mismatch(buf + i * ATA_SECTOR_SIZE, lba + i,
			                    seed) >= 0)
				task_errors[which]++;
	}
	kfree(buf);
}

static void disk_task_0(void)
{
	disk_task(0);
}

static void disk_task_1(void)
{
	disk_task(1);
}

void test_ata_two_callers_take_turns(void)
{
	void (*entries[2])(void) = {disk_task_0, disk_task_1};
	int pids[2];
	int status;

	require_disk();
	for (int i = 0; i < 2; i++) {
		struct process *task =
		        process_create_kernel_task("ata-user", entries[i]);

		KT_ASSERT(task != NULL);
		task_errors[i] = 0;
		task->parent = sched_current();
		pids[i] = task->pid;
		sched_add(task);
	}
	for (int i = 0; i < 2; i++) {
		KT_ASSERT_EQ(process_wait(pids[i], &status, 0), pids[i]);
		KT_ASSERT_EQ(status, 0);
	}
	KT_ASSERT_EQ(task_errors[0], 0);
	KT_ASSERT_EQ(task_errors[1], 0);
}

/*
 * Run only by tests/run-disk.sh, which boots with "tests=ata-error
 * ata_bad_sector=N" and attaches the disk through QEMU's blkdebug, set to
 * fail every read of sector N with EIO: QEMU's IDE then aborts the command
 * (ERR, ABRT). The driver must give -EIO (and log it: the runner checks
 * the line), also when the bad sector is in the middle of a page, and the
 * disk must work on afterwards.
 */
void test_ata_device_error_is_reported(void)
{
	uint8_t sector[ATA_SECTOR_SIZE];
	uint32_t bad, seed = run_seed();
	paddr_t frame;

	require_disk();
	if (!cmdline_number("ata_bad_sector", &bad))
		KT_FAIL("no ata_bad_sector=N on the command line: "
		        "tests/run-disk.sh boots this test");
	KT_ASSERT(bad > ATA_SECTORS_PER_PAGE && bad + 1 < ata_sectors());
	fill_sector(sector, bad + 1, seed);
	KT_ASSERT_ERR(ata_write(bad + 1, sector, 1), 0);

	KT_ASSERT_ERR(ata_read(bad, sector, 1), -EIO);
	frame = pmm_alloc_frame();
	KT_ASSERT(frame != 0);
	ktest_defer(free_frame, (void *)(uintptr_t)frame);
	KT_ASSERT_ERR(ata_read_page(bad - 3, frame), -EIO);
	KT_ASSERT_EQ(kmap_slots_in_use(), 0);

	/* The next request finds the disk as it should be. */
	memset(sector, 0, sizeof(sector));
	KT_ASSERT_ERR(ata_read(bad + 1, sector, 1), 0);
	KT_ASSERT(sector_mismatch(sector, bad + 1, seed) < 0);
}
