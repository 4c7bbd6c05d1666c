/*
 * The ATA (IDE) PIO driver for the swap disk, the primary channel's slave:
 * IDENTIFY at boot, then READ/WRITE SECTORS with 28-bit LBA addresses.
 * A request polls the status register at boot and sleeps on IRQ 14 once
 * the scheduler runs. docs/disk.md walks through it.
 */
#include "drivers/ata.h"

#include <stdbool.h>
#include <stddef.h>

#include "drivers/pic.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/io.h"
#include "kernel/irq.h"
#include "kernel/kprintf.h"
#include "lib/abi.h"
#include "lib/format.h"
#include "mm/vmm.h"

/*
 * The primary channel's registers. The command block (0x1F0-0x1F7) talks
 * to the selected device; the control block's one port (0x3F6) reads the
 * status without side effects, or writes the channel's control bits.
 */
#define ATA_DATA 0x1F0         /* 16 bits: sector data, 256 words each */
#define ATA_ERROR 0x1F1        /* read: why the last command failed */
#define ATA_SECTOR_COUNT 0x1F2 /* sectors to transfer; 0 means 256 */
#define ATA_LBA_LOW 0x1F3      /* LBA bits 0-7 */
#define ATA_LBA_MID 0x1F4      /* LBA bits 8-15 */
#define ATA_LBA_HIGH 0x1F5     /* LBA bits 16-23 */
#define ATA_DRIVE 0x1F6        /* device select, LBA mode, LBA bits 24-27 */
#define ATA_STATUS 0x1F7       /* read: status, and acknowledges the IRQ */
#define ATA_COMMAND 0x1F7      /* write: the command to run */
#define ATA_ALT_STATUS 0x3F6   /* read: status, IRQ left alone */
#define ATA_CONTROL 0x3F6      /* write: nIEN, SRST */

#define ATA_IRQ 14 /* the primary channel's interrupt line */

/* Status register bits. */
#define ATA_SR_BSY 0x80  /* busy: no other bit is valid, no register */
#define ATA_SR_DRDY 0x40 /* device ready for a command */
#define ATA_SR_DF 0x20   /* device fault */
#define ATA_SR_DRQ 0x08  /* data request: a sector waits at ATA_DATA */
#define ATA_SR_ERR 0x01  /* the command failed: see ATA_ERROR */

/* Device control register bits. */
#define ATA_CTL_NIEN 0x02 /* no interrupts from the channel (polling) */
#define ATA_CTL_SRST 0x04 /* software reset of both devices */

/* Drive register: bits 7 and 5 are set by tradition, 6 selects LBA
 * addressing, 4 the slave; bits 0-3 carry LBA bits 24-27. */
#define ATA_DRIVE_LBA_SLAVE 0xF0

#define ATA_CMD_READ_SECTORS 0x20
#define ATA_CMD_WRITE_SECTORS 0x30
#define ATA_CMD_READ_MULTIPLE 0xC4
#define ATA_CMD_WRITE_MULTIPLE 0xC5
#define ATA_CMD_SET_MULTIPLE_MODE 0xC6
#define ATA_CMD_IDENTIFY 0xEC

/* The longest one step of a command may take before the disk counts as
 * broken: far longer than any emulator needs, shorter than a user waits. */
#define ATA_TIMEOUT_MS 5000

#define ATA_LBA28_LIMIT (1u << 28)
#define ATA_MAX_SECTORS_PER_COMMAND 256

/* IDENTIFY's answer, in 16-bit words: what the driver reads of it. */
#define ID_MODEL 27          /* 40 characters, two per word, swapped */
#define ID_MAX_MULTIPLE 47   /* bits 0-7: most sectors per DRQ block */
#define ID_CAPABILITIES 49   /* bit 9: LBA supported */
#define ID_LBA28_SECTORS 60  /* words 60-61: sectors LBA28 reaches */
#define ID_COMMAND_SETS 83   /* bit 10: LBA48 supported */
#define ID_LBA48_SECTORS 100 /* words 100-103 */
#define ID_CAPABILITY_LBA 0x0200
#define ID_COMMAND_SET_LBA48 0x0400

/* How to sleep and tell the time: the scheduler's and the clock's, which
 * kmain hands over (ata_init). */
static const struct ata_waiting *waiting;

/* The disk's size in sectors (0: no disk), set once by ata_init. */
static uint32_t disk_sectors;
static char disk_model[41];
/*
 * Sectors per interrupt: with READ/WRITE MULTIPLE the disk moves a block
 * of this many sectors per DRQ (one interrupt, one wakeup per page), else
 * 1 (READ/WRITE SECTORS: an interrupt per sector). Set by ata_init.
 */
static uint32_t block_sectors = 1;

/*
 * One request at a time: disk_busy is true while one runs, and callers
 * that find it so sleep on it. Changed with interrupts off only.
 */
static bool disk_busy;

/*
 * What the interrupt handler leaves for the sleeping request: the status
 * it read (reading ATA_STATUS is what acknowledges the device's
 * interrupt) and that it came. The request clears irq_arrived, with
 * interrupts off, before it starts the device.
 */
static volatile bool irq_arrived;
static volatile uint8_t irq_status;
static const char irq_channel; /* what the request sleeps on */

/* What a request moves: a kernel buffer, or (buf NULL) a frame. */
struct ata_request {
	uint32_t lba;
	uint32_t count;
	bool write;
	bool sleeping; /* wait for IRQ 14 (else poll the status) */
	uint8_t *buf;
	paddr_t frame;
};

static void ata_irq(struct trap_frame *frame)
{
	(void)frame;
	irq_status = inb(ATA_STATUS);
	irq_arrived = true;
	waiting->wakeup(&irq_channel);
	waiting->yield();
}

/* About 400 ns: four reads of the alternate status, the time a device
 * takes to put its status on the bus after a select or a command. */
static void ata_delay_400ns(void)
{
	for (int i = 0; i < 4; i++)
		inb(ATA_ALT_STATUS);
}

/* The status bits' names, for messages: "BSY DRDY ERR". */
static const char *status_names(uint8_t status, char *out, size_t room)
{
	static const struct {
		uint8_t bit;
		const char *name;
	} bits[] = {{ATA_SR_BSY, "BSY"}, {ATA_SR_DRDY, "DRDY"},
	            {ATA_SR_DF, "DF"},   {0x10, "DSC"},
	            {ATA_SR_DRQ, "DRQ"}, {0x04, "CORR"},
	            {0x02, "IDX"},       {ATA_SR_ERR, "ERR"}};
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(status & bits[i].bit))
			continue;
		n += format_snprintf(out + n, room - n, "%s%s", n ? " " : "",
		                     bits[i].name);
		if (n >= room)
			break;
	}
	return out;
}

/* What the error register's set bit means (the first one, from the top:
 * devices set one). */
static const char *error_meaning(uint8_t error)
{
	if (error & 0x80)
		return "BBK: bad block";
	if (error & 0x40)
		return "UNC: uncorrectable data error";
	if (error & 0x20)
		return "MC: media changed";
	if (error & 0x10)
		return "IDNF: sector not found (address past the end?)";
	if (error & 0x08)
		return "MCR: media change requested";
	if (error & 0x04)
		return "ABRT: command aborted (unsupported or bad parameter)";
	if (error & 0x02)
		return "TK0NF: track 0 not found";
	if (error & 0x01)
		return "AMNF: address mark not found";
	return "no error bit set";
}

static const char *request_name(const struct ata_request *rq)
{
	return rq->write ? "write" : "read";
}

/* Prints what went wrong with rq and returns -EIO. */
static int report_error(const struct ata_request *rq, uint8_t status,
                        const char *what)
{
	char names[48];

	status_names(status, names, sizeof(names));
	if (status & ATA_SR_ERR) {
		uint8_t error = inb(ATA_ERROR);

		kprintf("ata: %s of sectors %u-%u failed: status 0x%x (%s), "
		        "error 0x%x (%s)\n",
		        request_name(rq), rq->lba, rq->lba + rq->count - 1,
		        status, names, error, error_meaning(error));
	} else if (status & ATA_SR_DF) {
		kprintf("ata: %s of sectors %u-%u failed: status 0x%x (%s): "
		        "device fault\n",
		        request_name(rq), rq->lba, rq->lba + rq->count - 1,
		        status, names);
	} else {
		kprintf("ata: %s of sectors %u-%u failed: status 0x%x (%s): "
		        "%s\n",
		        request_name(rq), rq->lba, rq->lba + rq->count - 1,
		        status, names, what);
	}
	return -EIO;
}

/*
 * Polls the alternate status until BSY clears: the status then, or -1
 * after ATA_TIMEOUT_MS (the device is gone or hung). Works with
 * interrupts off (the clock counts on).
 */
static int poll_not_busy(void)
{
	uint32_t start = waiting->now_ms();
	uint8_t status;

	ata_delay_400ns();
	while ((status = inb(ATA_ALT_STATUS)) & ATA_SR_BSY) {
		if (waiting->now_ms() - start > ATA_TIMEOUT_MS)
			return -1;
	}
	return status;
}

/*
 * Resets both devices of the channel (SRST), after a device that did not
 * answer: the next request starts from a known state.
 */
static void ata_reset(bool interrupts)
{
	outb(ATA_CONTROL, ATA_CTL_SRST | ATA_CTL_NIEN);
	for (int i = 0; i < 4; i++)
		io_wait(); /* SRST must stay set 5 microseconds */
	outb(ATA_CONTROL, interrupts ? 0 : ATA_CTL_NIEN);
	if (poll_not_busy() < 0)
		kprintf("ata: the disk is still busy after a reset\n");
}

static int report_timeout(const struct ata_request *rq)
{
	char names[48];
	uint8_t status = inb(ATA_ALT_STATUS);

	kprintf("ata: %s of sectors %u-%u: no answer from the disk in %u ms "
	        "(status 0x%x: %s); resetting the channel\n",
	        request_name(rq), rq->lba, rq->lba + rq->count - 1,
	        ATA_TIMEOUT_MS, status,
	        status_names(status, names, sizeof(names)));
	ata_reset(rq->sleeping);
	return -EIO;
}

/*
 * Waits for the device to finish one step of rq (a sector ready to read,
 * a sector written): sleeps until IRQ 14 if rq->sleeping, else polls.
 * Interrupts are off. The status then, or -EIO (reported).
 */
static int wait_for_device(const struct ata_request *rq)
{
	int status;

	if (rq->sleeping) {
		uint32_t start = waiting->now_ms();
		uint32_t waited;

		/* Checked and slept on with interrupts off: the handler
		 * cannot set it between the test and the sleep. */
		while (!irq_arrived) {
			waited = waiting->now_ms() - start;
			if (waited >= ATA_TIMEOUT_MS)
				return report_timeout(rq);
			waiting->sleep(&irq_channel, ATA_TIMEOUT_MS - waited);
		}
		irq_arrived = false;
		status = irq_status;
		if (!(status & ATA_SR_BSY))
			return status;
		/* An interrupt that came before the device dropped BSY
		 * (the master's, on a shared channel): poll the rest. */
	}
	status = poll_not_busy();
	if (status < 0)
		return report_timeout(rq);
	/* The status register itself: also clears a pending interrupt. */
	return inb(ATA_STATUS);
}

/* Checks the status after a step: an error, or no data where some must
 * come (want_drq), ends the request. */
static int check_status(const struct ata_request *rq, int status, bool want_drq)
{
	if (status < 0)
		return status;
	if (status & (ATA_SR_ERR | ATA_SR_DF))
		return report_error(rq, (uint8_t)status, "");
	if (want_drq && !(status & ATA_SR_DRQ))
		return report_error(rq, (uint8_t)status,
		                    "the disk has no data ready (DRQ clear)");
	return 0;
}

/*
 * Moves sector i of rq through the data port. Interrupts are off: a
 * frame is kmapped for this one sector only and unmapped at once (kmap's
 * slots are shared, and a sleep in between would let another process
 * take them all).
 */
static void move_sector(const struct ata_request *rq, uint32_t i)
{
	uint8_t *page = NULL;
	uint8_t *sector;

	if (rq->buf) {
		sector = rq->buf + i * ATA_SECTOR_SIZE;
	} else {
		page = kmap(rq->frame);
		sector = page + i * ATA_SECTOR_SIZE;
	}
	if (rq->write)
		outsw(ATA_DATA, sector, ATA_SECTOR_SIZE / 2);
	else
		insw(ATA_DATA, sector, ATA_SECTOR_SIZE / 2);
	if (page)
		kunmap(page);
}

/*
 * One command for up to 256 sectors of rq, from sector first (an index
 * into rq). Interrupts are off (but while it sleeps). The protocol, from
 * the ATA standard's PIO data-in and data-out classes, per DRQ block (one
 * sector with READ/WRITE SECTORS, block_sectors with READ/WRITE MULTIPLE;
 * the last block may be shorter):
 *   read:  command; per block: IRQ (or BSY clear), DRQ set, read its
 *          sectors' 256 words each;
 *   write: command; wait DRQ (no IRQ for the first block); per block:
 *          write its sectors, IRQ (or BSY clear); DRQ set again while
 *          blocks remain.
 */
static int run_command(const struct ata_request *rq, uint32_t first, uint32_t n)
{
	uint32_t lba = rq->lba + first;
	bool multiple = block_sectors > 1;
	int err;

	if (poll_not_busy() < 0)
		return report_timeout(rq);
	outb(ATA_CONTROL, rq->sleeping ? 0 : ATA_CTL_NIEN);
	outb(ATA_DRIVE, ATA_DRIVE_LBA_SLAVE | ((lba >> 24) & 0x0F));
	if (poll_not_busy() < 0)
		return report_timeout(rq);
	outb(ATA_SECTOR_COUNT, (uint8_t)n); /* 256 is written as 0 */
	outb(ATA_LBA_LOW, (uint8_t)lba);
	outb(ATA_LBA_MID, (uint8_t)(lba >> 8));
	outb(ATA_LBA_HIGH, (uint8_t)(lba >> 16));
	irq_arrived = false;
	if (rq->write)
		outb(ATA_COMMAND,
		     multiple ? ATA_CMD_WRITE_MULTIPLE : ATA_CMD_WRITE_SECTORS);
	else
		outb(ATA_COMMAND,
		     multiple ? ATA_CMD_READ_MULTIPLE : ATA_CMD_READ_SECTORS);

	if (rq->write) {
		int status = poll_not_busy();

		if (status < 0)
			return report_timeout(rq);
		err = check_status(rq, inb(ATA_STATUS), true);
		if (err)
			return err;
	}
	for (uint32_t i = 0; i < n;) {
		uint32_t block = n - i < block_sectors ? n - i : block_sectors;

		if (rq->write) {
			for (uint32_t j = 0; j < block; j++)
				move_sector(rq, first + i + j);
			err = check_status(rq, wait_for_device(rq),
			                   i + block < n);
		} else {
			err = check_status(rq, wait_for_device(rq), true);
			for (uint32_t j = 0; !err && j < block; j++)
				move_sector(rq, first + i + j);
		}
		if (err)
			return err;
		i += block;
	}
	return 0;
}

/* Runs rq whole, as commands of at most 256 sectors. */
static int ata_transfer(struct ata_request *rq)
{
	int err = 0;
	bool irq;

	if (rq->count == 0)
		return 0;
	if (disk_sectors == 0)
		return -ENODEV;
	if (rq->lba >= disk_sectors || rq->count > disk_sectors - rq->lba)
		return -EINVAL;

	irq = irq_save();
	rq->sleeping = waiting->can_sleep();
	while (disk_busy) {
		/* Only a request that sleeps can find the disk busy: one
		 * that polls never lets another in. */
		waiting->sleep(&disk_busy, ATA_TIMEOUT_MS);
	}
	disk_busy = true;
	for (uint32_t done = 0; done < rq->count && !err;) {
		uint32_t n = rq->count - done;

		if (n > ATA_MAX_SECTORS_PER_COMMAND)
			n = ATA_MAX_SECTORS_PER_COMMAND;
		err = run_command(rq, done, n);
		done += n;
	}
	disk_busy = false;
	waiting->wakeup(&disk_busy);
	irq_restore(irq);
	return err;
}

int ata_read(uint32_t lba, void *buf, uint32_t count)
{
	struct ata_request rq = {
	        .lba = lba, .count = count, .write = false, .buf = buf};

	return ata_transfer(&rq);
}

int ata_write(uint32_t lba, const void *buf, uint32_t count)
{
	/* The buffer is only read: move_sector writes it to the port. */
	struct ata_request rq = {.lba = lba,
	                         .count = count,
	                         .write = true,
	                         .buf = (uint8_t *)buf};

	return ata_transfer(&rq);
}

int ata_read_page(uint32_t lba, paddr_t frame)
{
	struct ata_request rq = {.lba = lba,
	                         .count = ATA_SECTORS_PER_PAGE,
	                         .write = false,
	                         .frame = frame};

	return ata_transfer(&rq);
}

int ata_write_page(uint32_t lba, paddr_t frame)
{
	struct ata_request rq = {.lba = lba,
	                         .count = ATA_SECTORS_PER_PAGE,
	                         .write = true,
	                         .frame = frame};

	return ata_transfer(&rq);
}

uint32_t ata_sectors(void)
{
	return disk_sectors;
}

/* IDENTIFY's model string: 40 characters, the two of each word swapped,
 * padded with spaces (dropped here). */
static void read_model(const uint16_t *id)
{
	int end = 0;

	for (int i = 0; i < 20; i++) {
		disk_model[2 * i] = (char)(id[ID_MODEL + i] >> 8);
		disk_model[2 * i + 1] = (char)(id[ID_MODEL + i] & 0xFF);
	}
	for (int i = 0; i < 40; i++)
		if (disk_model[i] != ' ' && disk_model[i] != '\0')
			end = i + 1;
	disk_model[end] = '\0';
}

/* Sends IDENTIFY DEVICE to the slave and reads its 256 words into id:
 * 0, or -ENODEV with the reason printed. Polls; interrupts are off. */
static int identify(uint16_t *id)
{
	int status;

	outb(ATA_CONTROL, ATA_CTL_NIEN);
	if (inb(ATA_STATUS) == 0xFF) {
		/* Nothing drives the bus: no controller at all. */
		kprintf("ata: no IDE controller on the primary channel\n");
		return -ENODEV;
	}
	outb(ATA_DRIVE, ATA_DRIVE_LBA_SLAVE);
	ata_delay_400ns();
	outb(ATA_SECTOR_COUNT, 0);
	outb(ATA_LBA_LOW, 0);
	outb(ATA_LBA_MID, 0);
	outb(ATA_LBA_HIGH, 0);
	outb(ATA_COMMAND, ATA_CMD_IDENTIFY);
	ata_delay_400ns();
	status = inb(ATA_STATUS);
	if (status == 0 || status == 0xFF) {
		/* No device answers at the slave position. */
		return -ENODEV;
	}
	status = poll_not_busy();
	if (status < 0) {
		kprintf("ata: the primary slave stays busy after IDENTIFY: "
		        "ignored\n");
		return -ENODEV;
	}
	/* A packet device (a CD-ROM: 0x14 0xEB) or a SATA one puts its
	 * signature here and aborts IDENTIFY: not a disk to swap to. */
	if (inb(ATA_LBA_MID) != 0 || inb(ATA_LBA_HIGH) != 0) {
		kprintf("ata: the primary slave is no ATA disk (signature "
		        "0x%x 0x%x: a CD-ROM?)\n",
		        inb(ATA_LBA_MID), inb(ATA_LBA_HIGH));
		return -ENODEV;
	}
	status = inb(ATA_STATUS);
	if (status & (ATA_SR_ERR | ATA_SR_DF) || !(status & ATA_SR_DRQ)) {
		kprintf("ata: the primary slave refused IDENTIFY (status "
		        "0x%x, error 0x%x: %s)\n",
		        status, inb(ATA_ERROR), error_meaning(inb(ATA_ERROR)));
		return -ENODEV;
	}
	insw(ATA_DATA, id, 256);
	return 0;
}

/*
 * READ/WRITE MULTIPLE move a block of sectors per interrupt: a page
 * (8 sectors) in one block means one interrupt, and one wakeup of the
 * sleeping process, per page instead of eight. SET MULTIPLE MODE picks
 * the block size; a disk that cannot do 8 keeps 1 (READ/WRITE SECTORS).
 * Polls; interrupts are off.
 */
static void set_multiple_mode(const uint16_t *id)
{
	int status;

	if ((id[ID_MAX_MULTIPLE] & 0xFF) < ATA_SECTORS_PER_PAGE)
		return;
	outb(ATA_CONTROL, ATA_CTL_NIEN);
	outb(ATA_DRIVE, ATA_DRIVE_LBA_SLAVE);
	if (poll_not_busy() < 0)
		return;
	outb(ATA_SECTOR_COUNT, ATA_SECTORS_PER_PAGE);
	outb(ATA_COMMAND, ATA_CMD_SET_MULTIPLE_MODE);
	status = poll_not_busy();
	if (status < 0 || (inb(ATA_STATUS) & (ATA_SR_ERR | ATA_SR_DF))) {
		kprintf("ata: SET MULTIPLE MODE %u refused: one sector per "
		        "interrupt\n",
		        ATA_SECTORS_PER_PAGE);
		return;
	}
	block_sectors = ATA_SECTORS_PER_PAGE;
}

int ata_init(const struct ata_waiting *how)
{
	uint16_t id[256];
	bool irq;
	int err;

	waiting = how;
	irq = irq_save();
	err = identify(id);

	irq_restore(irq);
	if (err) {
		kprintf("ata: no swap disk (primary slave): going on without "
		        "swap\n");
		return err;
	}
	read_model(id);
	if (!(id[ID_CAPABILITIES] & ID_CAPABILITY_LBA)) {
		kprintf("ata: the disk \"%s\" has no LBA addressing: not "
		        "used\n",
		        disk_model);
		return -ENODEV;
	}
	uint32_t sectors =
	        id[ID_LBA28_SECTORS] | (uint32_t)id[ID_LBA28_SECTORS + 1] << 16;
	bool bigger = (id[ID_COMMAND_SETS] & ID_COMMAND_SET_LBA48) &&
	              (id[ID_LBA48_SECTORS + 1] > 0x0FFF ||
	               id[ID_LBA48_SECTORS + 2] || id[ID_LBA48_SECTORS + 3]);
	if (sectors > ATA_LBA28_LIMIT - 1)
		sectors = ATA_LBA28_LIMIT - 1;
	if (sectors == 0) {
		kprintf("ata: the disk \"%s\" says it has no sectors: not "
		        "used\n",
		        disk_model);
		return -ENODEV;
	}
	disk_sectors = sectors;
	set_multiple_mode(id);
	irq_set_handler(ATA_IRQ, ata_irq);
	pic_unmask(ATA_IRQ);
	kprintf("ata: swap disk (primary slave) \"%s\": %u sectors of %u "
	        "bytes (%u MiB), LBA28, %u sector%s per interrupt%s\n",
	        disk_model, disk_sectors, ATA_SECTOR_SIZE,
	        disk_sectors / (1024 * 1024 / ATA_SECTOR_SIZE), block_sectors,
	        block_sectors == 1 ? "" : "s",
	        bigger ? ": only its first 128 GiB are used" : "");
	return 0;
}
