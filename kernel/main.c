/*
 * kmain: the order in which the kernel brings itself up, and nothing else.
 * boot/boot.asm calls it with paging on, in the higher half, on the boot
 * stack, interrupts off.
 */
#include <stdint.h>

#include "drivers/ata.h"
#include "drivers/exit_device.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/arch/cpu.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/backtrace.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/fault_demo.h"
#include "kernel/frame_table.h"
#include "kernel/initrd.h"
#include "kernel/kprintf.h"
#include "kernel/multiboot.h"
#include "kernel/page_fault.h"
#include "kernel/process.h"
#include "kernel/resident.h"
#include "kernel/sched.h"
#include "kernel/selftest.h"
#include "kernel/swap.h"
#include "kernel/syscall.h"
#include "lib/abi.h"
#include "mm/kheap.h"
#include "mm/kslab.h"
#include "mm/pmm.h"
#include "mm/region.h"
#include "mm/vmm.h"

extern char _kernel_end[]; /* link.ld */

void kmain(uint32_t multiboot_magic, paddr_t multiboot_info_phys);

/* How the swap disk's driver waits: it sleeps through the scheduler and
 * times out by the clock (drivers/ata.h). */
static const struct ata_waiting ata_waiting = {
        .can_sleep = sched_started,
        .sleep = sched_sleep_on_timeout,
        .wakeup = sched_wakeup,
        .yield = sched_yield,
        .now_ms = clock_uptime_ms,
};

/* slab=off (the default) or slab=debug: see kslab_init. */
static const char *const slab_modes[] = {"off", "debug", NULL};

static void print_banner(void)
{
	kprintf("memos: a teaching kernel for memory management\n");
	kprintf("kernel at %p-%p, command line \"%s\"\n",
	        (void *)(KERNEL_VMA + KERNEL_PHYS), (void *)_kernel_end,
	        cmdline_get());
	kprintf("memory: %u frames of 4 KiB usable (%u KiB), %u free "
	        "(pmm=%s)\n",
	        pmm_total_frames(), pmm_total_frames() * 4, pmm_free_frames(),
	        pmm_policy_name());
}

/*
 * mem=N: once the kernel has booted, N MiB of free frames stay for the
 * processes (their pages, and the page tables and kernel stacks made for
 * them) and the rest of RAM goes unused: a small machine, for swapping.
 */
static void limit_memory(void)
{
	const uint32_t frames_per_mib = 1024 * 1024 / PAGE_SIZE;
	uint32_t mib, retired;

	if (!cmdline_number("mem", &mib))
		return;
	if (mib > pmm_free_frames() / frames_per_mib) {
		kprintf("mem: mem=%u, but only %u MiB are free: no limit\n",
		        mib, pmm_free_frames() / frames_per_mib);
		return;
	}
	retired = pmm_keep_free(mib * frames_per_mib);
	kprintf("mem: mem=%u: %u frames (%u MiB) left free for processes, "
	        "%u frames of RAM unused\n",
	        mib, pmm_free_frames(), mib, retired);
}

/* Runs the first user program, waits for it to end, and powers off
 * with a status that says whether it exited with 0. */
static void run_init(const char *name)
{
	const char *argv[] = {name};
	int status = 0;
	int pid = process_spawn(name, 1, argv);

	if (pid < 0) {
		kprintf("init: cannot start %s (error %d)\n", name, pid);
		exit_device_power_off(EXIT_FAILURE_STATUS);
	}
	process_wait(pid, &status, 0);
	if (WIFSIGNALED(status))
		kprintf("init: %s was killed by signal %d\n", name,
		        WTERMSIG(status));
	else
		kprintf("init: %s exited with status %d\n", name,
		        WEXITSTATUS(status));
	kprintf("Powering off.\n");
	exit_device_power_off(status == 0 ? EXIT_SUCCESS_STATUS
	                                  : EXIT_FAILURE_STATUS);
}

void kmain(uint32_t multiboot_magic, paddr_t multiboot_info_phys)
{
	serial_init();
	vga_init();
	multiboot_init(multiboot_magic, multiboot_info_phys);

	const struct multiboot_info *mbi = multiboot_info();
	size_t cmdline_room = 0;
	const char *line = multiboot_cmdline(&cmdline_room);
	cmdline_init(line, cmdline_room);

	gdt_init();
	idt_init();
	pic_init(IRQ_BASE);
	size_t range_count = 0;
	const struct pmm_range *ranges = multiboot_memory_ranges(&range_count);
	pmm_init(ranges, range_count,
	         cmdline_choice("pmm", pmm_policy_names, PMM_BITMAP));
	if (cmdline_test_mode())
		selftest_run_early(); /* before anything allocates */
	vmm_init();
	kheap_init();
	pmm_shares_init(kcalloc);
	frame_table_init();
	kslab_init(cmdline_choice("slab", slab_modes, 0) == 1);
	region_init();
	process_init();
	vm_init();
	/* evict=fifo|clock|lru|random: the replacement policy
	 * (docs/swap-policies.md). */
	resident_init(cmdline_choice("evict", evict_policy_names, EVICT_CLOCK));
	backtrace_init(mbi);
	sched_init();
	initrd_init();
	syscall_init();
	console_init();
	pit_init(sched_tick);
	clock_init(); /* 60 ms: measures the TSC against the PIT */
	cpu_enable_interrupts();

	print_banner();
	ata_init(&ata_waiting); /* the swap disk, if there is one */
	swap_init();            /* swap on it (or none) */
	limit_memory();         /* mem=N: the boot's frames are taken by now */
	if (cmdline_has_word("fault-demo"))
		fault_demo(); /* does not come back */
	if (cmdline_test_mode())
		selftest_run_all(); /* powers off */

	const char *init = cmdline_value("init");
	if (init)
		run_init(init); /* powers off */
	kprintf("\nWhat next: no init program was given (init=NAME on the "
	        "command line).\nRun `make test` to see every test pass, "
	        "`make bochs` to step through the kernel\nin the Bochs "
	        "debugger, and read README.md.\n");
	for (;;)
		hlt();
}
