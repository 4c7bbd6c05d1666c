/*
 * Runs the in-kernel tests one after another. A failed KT_ASSERT jumps
 * back here (ktest_fail), so one failure ends only its own test. The few
 * marked early run at boot instead (selftest_run_early), before the kernel
 * depends on what they check.
 */
#include "tests/kernel/ktest.h"

#include <stdarg.h>
#include <stddef.h>

#include "drivers/exit_device.h"
#include "kernel/cmdline.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"
#include "kernel/selftest.h"
#include "lib/errno_name.h"
#include "lib/format.h"
#include "mm/kslab.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "tests/kernel/ktest_user.h"
#include "tests/kernel/tests.h"

static const struct ktest {
	const char *name;
	void (*run)(void);
} tests[] = {
        {"kprintf: integers, width and zero padding", test_format_integers},
        {"kprintf: strings and characters", test_format_strings_and_chars},
        {"kprintf: pointers and the l modifier", test_format_pointers_and_long},
        {"kprintf: returns the characters written",
         test_kprintf_returns_length},
        {"pmm: only usable RAM is managed (not the first MiB, the kernel, "
         "a module)",
         test_pmm_manages_only_usable_ram},
        {"pmm: the first frames handed out are free RAM, each once",
         test_pmm_first_frames_are_free_ram},
        {"pmm: frame count matches the memory map",
         test_pmm_count_matches_memory_map},
        {"pmm: a freed frame is reused", test_pmm_reuses_freed_frame},
        {"pmm: every usable frame is handed out exactly once",
         test_pmm_hands_out_every_frame_once},
        {"pmm: double free is caught", test_pmm_double_free_panics},
        {"pmm: free of a non-RAM address is caught",
         test_pmm_free_of_non_ram_panics},
        {"pmm: runs of contiguous frames are counted and given back",
         test_pmm_runs_are_contiguous_and_counted},
        {"pmm: 2000 random runs, pmm_check throughout, all merged back",
         test_pmm_random_runs_keep_the_invariants},
        {"pmm: a run freed twice is caught", test_pmm_run_double_free_panics},
        {"vmm: map, translate, unmap", test_vmm_map_translate_unmap},
        {"vmm: user page tables on demand, freed with the space",
         test_vmm_user_tables_on_demand},
        {"vmm: later kernel mappings appear in every space",
         test_vmm_kernel_mappings_shared},
        {"vmm: a write to kernel text faults",
         test_vmm_kernel_text_is_read_only},
        {"vmm: page 0 is unmapped (NULL faults)", test_vmm_null_page_faults},
        {"vmm: the boot identity mapping is gone",
         test_vmm_identity_mapping_gone},
        {"vmm: vmm_map_phys refuses a range past 4 GiB",
         test_vmm_map_phys_refuses_a_range_past_4gib},
        {"vmm: the walker visits the present entries only, table by table",
         test_vmm_walker_visits_present_entries_only},
        {"cmdline: the line is read no further than its room",
         test_cmdline_reads_no_further_than_its_room},
        {"cmdline: an option picks its choice by its whole name",
         test_cmdline_choice_picks_by_whole_name},
        {"pit: the timer ticks", test_pit_ticks},
        {"clock: virtual time counts instructions at the tests' rate",
         test_clock_counts_instructions},
        {"clock: uptime runs on while interrupts are off",
         test_clock_runs_with_interrupts_off},
        {"traps: divide error, breakpoint, invalid opcode, #GP arrive",
         test_traps_exceptions_arrive},
        {"vga: text scrolls and the cursor follows",
         test_vga_scrolls_and_moves_cursor},
        {"kheap: 3000 random kmalloc/kfree/krealloc, heap_check after each",
         test_kheap_random_operations},
        {"kheap: big blocks span many mapped pages",
         test_kheap_big_blocks_span_pages},
        {"kheap: aligned blocks up to a page", test_kheap_aligned_blocks},
        {"kheap: growth then shrink returns every frame",
         test_kheap_shrink_returns_frames},
        {"kheap: kfree of everything (memhog's pattern) returns the frames",
         test_kheap_freeing_everything_returns_frames},
        {"kheap: out of memory gives NULL and the kernel goes on",
         test_kheap_out_of_memory},
        {"kheap: a write just below the heap hits the guard page",
         test_kheap_guard_page_below_heap},
        {"kheap: double free, wild free, trampled header panic",
         test_kheap_misuse_panics},
        {"kheap: two kernel tasks allocate while the timer preempts them",
         test_kheap_two_tasks_preempting},
        {"slab: empty slabs go back; all of them when frames run out",
         test_slab_reclaim_under_memory_pressure},
        {"slab: double free, wrong cache, wild pointer panic",
         test_slab_misuse_panics},
        {"slab: a stray pointer freed into a multi-page cache panics, "
         "not faults",
         test_slab_wild_pointer_multi_page_cache_panics},
        {"slab: debug red zones and poison catch an overrun and a write "
         "after free",
         test_slab_debug_catches_overrun_and_use_after_free},
        {"slab: 200 processes spawned and reaped leave no object in use",
         test_slab_no_leak_after_200_processes},
        {"sbrk: the heap ends where the stack's guard gap begins",
         test_sbrk_stops_at_guard_gap},
        {"sbrk: out of frames is ENOMEM, nothing mapped, no frame lost",
         test_sbrk_out_of_frames_changes_nothing},
        {"sbrk: a page given back comes back zero-filled",
         test_sbrk_pages_come_zero_filled},
        {"sbrk: eager growth counts its pages as zero-filled",
         test_sbrk_eager_pages_count_as_zero_filled},
        {"regions: kept in address order, overlaps refused",
         test_region_list_keeps_order_and_refuses_overlap},
        {"vm: a fault fills the page from its region, with its rights",
         test_vm_fault_fills_pages_from_their_region},
        {"vm: a page comes zero-filled, even in a frame used before",
         test_vm_fault_zero_fills_a_used_frame},
        {"vm: a fault with no free frame maps nothing, loses nothing",
         test_vm_fault_out_of_frames},
        {"vm: eager mode gives every page its frame at once",
         test_vm_eager_populate_maps_every_page},
        {"vm: the kernel's user copies give untouched pages frames",
         test_vm_user_copies_give_untouched_pages_frames},
        {"vm: a shared frame counts its mappings; the last frees it",
         test_vm_shared_frames_count_their_mappings},
        {"vm: a lazy fork out of frames leaves the parent as it was",
         test_vm_fork_out_of_frames_leaves_parent_as_it_was},
        {"vm: a lazy fork shares the present pages; PTE_COW stays on fork",
         test_vm_fork_shares_present_pages_and_keeps_cow},
        {"user tests: a program that hangs is killed at its time limit",
         test_user_hang_killed_at_limit},
        {"user tests: a test that leaves processes running fails, naming "
         "them; the next passes",
         test_user_leftover_processes_fail_the_test},
        {"console: Ctrl-C ends the foreground group (SIGINT), nothing "
         "else",
         test_console_ctrl_c_ends_the_foreground_group},
        {"read: a line into a 1 MiB buffer readies one page, not 256",
         test_read_makes_ready_only_what_it_fills},
        {"execv: the pid and parent stay; the name is the new program's",
         test_execv_keeps_pid_and_parent_takes_name},
        {"ata: sectors spread over the whole disk, first and last, read "
         "back",
         test_ata_reads_back_across_the_disk},
        {"ata: a 300-sector write reads back in other pieces",
         test_ata_long_runs_split_into_commands},
        {"ata: a page goes from a frame to the disk's last sectors and "
         "back",
         test_ata_pages_between_frames_and_disk},
        {"ata: a request past the disk's end is -EINVAL and writes nothing",
         test_ata_past_the_end_is_refused},
        {"ata: a caller sleeps on the disk while another process runs",
         test_ata_caller_sleeps_while_others_run},
        {"ata: two processes' requests take turns, none lost",
         test_ata_two_callers_take_turns},
        {"mem=: the number is read whole, anything else ignored",
         test_mem_limit_reads_a_whole_number},
        {"mem=: the frame allocator keeps only the frames it is told",
         test_mem_limit_keeps_only_what_it_is_told},
        {"swap: a swap entry is not present and gives its slot back",
         test_swap_entry_round_trips},
        {"evict: clock gives a frame used since the hand passed a second "
         "chance",
         test_clock_gives_used_frames_a_second_chance},
        {"evict: clock never picks a pinned or busy frame",
         test_clock_never_picks_a_frame_it_may_not_evict},
};

#define TEST_COUNT (sizeof(tests) / sizeof(tests[0]))

/*
 * Tests that need a machine set up for them: they run only when the
 * command line names them with tests=PREFIX (and the runner that boots
 * them sets the machine up), never in the plain "test" run.
 */
static const struct ktest setup_tests[] = {
        {"ata-error: a sector the device cannot read is -EIO, the disk "
         "works on (tests/run-disk.sh: QEMU's blkdebug fails it)",
         test_ata_device_error_is_reported},
};

#define SETUP_TEST_COUNT (sizeof(setup_tests) / sizeof(setup_tests[0]))

/* The tests selftest_run_early runs at boot, right after pmm_init. */
static void (*const early_tests[])(void) = {
        test_pmm_manages_only_usable_ram,
        test_pmm_first_frames_are_free_ram,
};

static bool is_early(const struct ktest *test)
{
	for (size_t i = 0; i < sizeof(early_tests) / sizeof(early_tests[0]);
	     i++) {
		if (early_tests[i] == test->run)
			return true;
	}
	return false;
}

static struct kjmp_buf test_exit;
static char failure[320];
/* selftest_run_early ran the early tests, and all passed. */
static bool early_passed;

/* What the running test asked to undo when it ends (ktest_defer). */
enum { MAX_DEFERRED = 8 };
static struct {
	void (*fn)(void *arg);
	void *arg;
} deferred[MAX_DEFERRED];
static int deferred_count;

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = format_snprintf(failure, sizeof(failure), "%s:%d: ", file,
	                        line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(failure))
		format_vsnprintf(failure + n, sizeof(failure) - n, fmt, ap);
	va_end(ap);
	klongjmp(&test_exit, 1);
}

/* "0", "-EEXIST", or the number for a value that is no errno. */
static const char *errno_string(int err, char *buf, size_t room)
{
	if (err < 0 && errno_name(err)[0])
		format_snprintf(buf, room, "-%s", errno_name(err));
	else
		format_snprintf(buf, room, "%d", err);
	return buf;
}

void ktest_fail_errno(const char *file, int line, const char *expression,
                      int actual, int expected)
{
	char a[16], e[16];

	ktest_fail(file, line, "%s is %s, expected %s", expression,
	           errno_string(actual, a, sizeof(a)),
	           errno_string(expected, e, sizeof(e)));
}

void ktest_defer(void (*fn)(void *arg), void *arg)
{
	if (deferred_count == MAX_DEFERRED)
		KT_FAIL("more than %d ktest_defer calls in one test",
		        MAX_DEFERRED);
	deferred[deferred_count].fn = fn;
	deferred[deferred_count].arg = arg;
	deferred_count++;
}

bool ktest_expect_fault(void (*fn)(void *arg), void *arg,
                        struct fault_info *info)
{
	struct kjmp_buf recovery;

	if (ksetjmp(&recovery) == 0) {
		trap_set_recovery(&recovery, info);
		fn(arg);
		trap_set_recovery(NULL, NULL);
		return false;
	}
	return true; /* trap_recover() came back here */
}

/* Runs one test; true if it passed, else its reason is in `failure`. */
static bool run_quietly(const struct ktest *test)
{
	failure[0] = '\0';
	deferred_count = 0;
	/* The empty slabs earlier tests left in the caches go back: a test
	 * that counts free frames counts its own. */
	kslab_reclaim();
	if (ksetjmp(&test_exit) == 0)
		test->run();
	trap_set_recovery(NULL, NULL);
	/* Taken off the list before it runs: a cleanup that fails comes
	 * back to the ksetjmp above, and the rest still run. */
	while (deferred_count > 0) {
		deferred_count--;
		deferred[deferred_count].fn(deferred[deferred_count].arg);
	}
	return failure[0] == '\0';
}

/* Runs one test (an early one already has) and prints its TAP line; true
 * if it passed. */
static bool run_one(unsigned number, const struct ktest *test)
{
	if (!(early_passed && is_early(test)) && !run_quietly(test)) {
		kprintf("not ok %u - %s # %s\n", number, test->name, failure);
		return false;
	}
	kprintf("ok %u - %s\n", number, test->name);
	return true;
}

void selftest_run_early(void)
{
	for (unsigned i = 0; i < TEST_COUNT; i++) {
		if (is_early(&tests[i]) && !run_quietly(&tests[i]))
			PANIC("test %u, \"%s\", failed at boot, before the "
			      "kernel uses what it checks: %s",
			      i + 1, tests[i].name, failure);
	}
	early_passed = true;
}

static bool name_starts_with(const char *name, const char *prefix)
{
	while (*prefix)
		if (*name++ != *prefix++)
			return false;
	return true;
}

/*
 * tests=PREFIX: only the kernel tests whose name starts with PREFIX, from
 * both tables, and no user test; then powers off as selftest_run_all.
 */
static void run_named_tests(const char *prefix)
{
	unsigned failed = 0, total = 0, number = 0;

	for (unsigned i = 0; i < TEST_COUNT; i++)
		total += name_starts_with(tests[i].name, prefix);
	for (unsigned i = 0; i < SETUP_TEST_COUNT; i++)
		total += name_starts_with(setup_tests[i].name, prefix);
	kprintf("TAP version 13\n1..%u\n", total);
	for (unsigned i = 0; i < TEST_COUNT; i++)
		if (name_starts_with(tests[i].name, prefix))
			failed += !run_one(++number, &tests[i]);
	for (unsigned i = 0; i < SETUP_TEST_COUNT; i++)
		if (name_starts_with(setup_tests[i].name, prefix))
			failed += !run_one(++number, &setup_tests[i]);
	kprintf("# kernel tests named \"%s...\": %u passed, %u failed\n",
	        prefix, total - failed, failed);
	exit_device_power_off(failed || total == 0 ? EXIT_FAILURE_STATUS
	                                           : EXIT_SUCCESS_STATUS);
}

void selftest_run_all(void)
{
	unsigned failed = 0;
	const char *only = cmdline_value("tests");
	static char prefix[64];

	if (only) {
		format_snprintf(prefix, sizeof(prefix), "%s", only);
		run_named_tests(prefix);
	}
	unsigned user_count = ktest_user_count();
	unsigned total = (unsigned)TEST_COUNT + user_count;

	kprintf("TAP version 13\n1..%u\n", total);
	for (unsigned i = 0; i < TEST_COUNT; i++)
		failed += !run_one(i + 1, &tests[i]);
	failed += ktest_run_user_tests((unsigned)TEST_COUNT + 1);
	kprintf("# kernel and user tests: %u passed, %u failed\n",
	        total - failed, failed);
	exit_device_power_off(failed ? EXIT_FAILURE_STATUS
	                             : EXIT_SUCCESS_STATUS);
}

void ktest_chain_push(struct ktest_chain *chain, paddr_t frame)
{
	uint32_t *p = kmap(frame);

	*p = chain->first;
	kunmap(p);
	chain->first = frame;
	chain->length++;
}

void ktest_chain_free(void *arg)
{
	struct ktest_chain *chain = arg;

	while (chain->first) {
		uint32_t *p = kmap(chain->first);
		paddr_t next = *p;

		kunmap(p);
		pmm_free_frame(chain->first);
		chain->first = next;
	}
	chain->length = 0;
}
