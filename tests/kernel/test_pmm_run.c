/*
 * Runs of contiguous frames (pmm_alloc_run), under whichever policy the
 * kernel booted with: `make test` boots these tests with pmm=bitmap and
 * again with pmm=buddy. pmm_check runs the policy's invariants.
 */
#include "kernel/cmdline.h"
#include "lib/string.h"
#include "mm/buddy.h"
#include "mm/pmm.h"
#include "tests/kernel/ktest.h"
#include "tests/kernel/tests.h"

static void assert_pmm_ok(int line, const char *after)
{
	char msg[160];

	if (pmm_check(msg, sizeof(msg)) != 0)
		ktest_fail(__FILE__, line, "pmm_check after %s (pmm=%s): %s",
		           after, pmm_policy_name(), msg);
}

static bool buddy_policy(void)
{
	return strcmp(pmm_policy_name(), "buddy") == 0;
}

/* The frames a run of n takes: n, or with the buddy n rounded up. */
static uint32_t frames_taken(uint32_t n)
{
	return buddy_policy() ? 1u << buddy_order_for(n) : n;
}

/* The runs a test holds, given back when it ends, passed or failed. */
enum { RUNS_MAX = 200 };
static struct {
	paddr_t first;
	uint32_t n;
} runs[RUNS_MAX];
static unsigned run_count;

static void free_runs(void *arg)
{
	(void)arg;
	while (run_count > 0) {
		run_count--;
		pmm_free_run(runs[run_count].first, runs[run_count].n);
	}
}

/* pmm_alloc_run(n), held in runs[] until the test ends; a 0 fails the
 * test (at line, `when`: what the test was doing). */
static paddr_t take_run(int line, uint32_t n, const char *when)
{
	paddr_t first = pmm_alloc_run(n);

	if (first == 0)
		ktest_fail(__FILE__, line,
		           "pmm_alloc_run(%u) returned 0 (%s) with %u frames "
		           "free (pmm=%s)",
		           n, when, pmm_free_frames(), pmm_policy_name());
	runs[run_count].first = first;
	runs[run_count++].n = n;
	return first;
}

void test_pmm_runs_are_contiguous_and_counted(void)
{
	static const uint32_t sizes[] = {1, 3, 4, 16};
	const char *asked = cmdline_value("pmm");

	/* The command line chose the policy (or the default, the bitmap). */
	if (strcmp(pmm_policy_name(), asked ? asked : "bitmap") != 0)
		KT_FAIL("the command line says pmm=%s, but the policy is %s",
		        asked ? asked : "(nothing)", pmm_policy_name());
	run_count = 0;
	ktest_defer(free_runs, NULL);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t n = sizes[i], free_before = pmm_free_frames();
		paddr_t first = take_run(__LINE__, n, "the first runs");

		KT_ASSERT_EQ(first % PAGE_SIZE, 0);
		if (buddy_policy() &&
		    first % (frames_taken(n) * PAGE_SIZE) != 0)
			KT_FAIL("pmm_alloc_run(%u) = 0x%x: a buddy block of %u "
			        "frames must be aligned to its size",
			        n, first, frames_taken(n));
		for (uint32_t f = 0; f < frames_taken(n); f++)
			if (pmm_frame_refs(first + f * PAGE_SIZE) != 1)
				KT_FAIL("frame %u of the run at 0x%x (of %u) "
				        "is "
				        "not in use: pmm_frame_refs is %u",
				        f, first, n,
				        pmm_frame_refs(first + f * PAGE_SIZE));
		if (pmm_free_frames() != free_before - frames_taken(n))
			KT_FAIL("pmm_free_frames() is %u after "
			        "pmm_alloc_run(%u), "
			        "expected %u (pmm=%s)",
			        pmm_free_frames(), n,
			        free_before - frames_taken(n),
			        pmm_policy_name());
		assert_pmm_ok(__LINE__, "pmm_alloc_run");
	}
	uint32_t held = 0;

	for (unsigned i = 0; i < run_count; i++)
		held += frames_taken(runs[i].n);
	uint32_t free_before = pmm_free_frames();

	free_runs(NULL);
	KT_ASSERT_EQ(pmm_free_frames(), free_before + held);
	assert_pmm_ok(__LINE__, "pmm_free_run of every run");
}

/* A small deterministic random generator (C's example LCG). */
static uint32_t lcg_state = 1;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 16;
}

void test_pmm_random_runs_keep_the_invariants(void)
{
	uint32_t free_before = pmm_free_frames();
	uint32_t largest_before = pmm_largest_run();

	run_count = 0;
	ktest_defer(free_runs, NULL);
	for (unsigned step = 0; step < 2000; step++) {
		if (run_count < RUNS_MAX && (run_count == 0 || lcg() % 3)) {
			take_run(__LINE__, 1 + lcg() % 16, "a random step");
		} else {
			unsigned i = lcg() % run_count;

			pmm_free_run(runs[i].first, runs[i].n);
			runs[i] = runs[--run_count];
		}
		if (step % 100 == 0)
			assert_pmm_ok(__LINE__, "a random step");
	}
	free_runs(NULL);
	assert_pmm_ok(__LINE__, "freeing every run");
	KT_ASSERT_EQ(pmm_free_frames(), free_before);
	if (pmm_largest_run() != largest_before)
		KT_FAIL("the largest free run is %u frames after every run "
		        "came "
		        "back, %u before (pmm=%s): freed frames must merge "
		        "back",
		        pmm_largest_run(), largest_before, pmm_policy_name());
}

static void free_run_twice(void *arg)
{
	paddr_t first = *(paddr_t *)arg;

	pmm_free_run(first, 4);
	pmm_free_run(first, 4);
}

void test_pmm_run_double_free_panics(void)
{
	paddr_t first = pmm_alloc_run(4);
	struct fault_info info;

	KT_ASSERT(first != 0);
	if (!ktest_expect_fault(free_run_twice, &first, &info))
		KT_FAIL("pmm_free_run(0x%x, 4) a second time did not PANIC",
		        first);
	KT_ASSERT_EQ(info.vector, FAULT_PANIC);
	if (strncmp(info.message, "pmm: double free of frame", 25) != 0)
		KT_FAIL("the second pmm_free_run(0x%x, 4) panicked with "
		        "\"%s\", "
		        "expected \"pmm: double free of frame ...\"",
		        first, info.message);
	assert_pmm_ok(__LINE__, "a refused double free");
}
