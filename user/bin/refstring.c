/*
 * refstring: runs a reference string on heap pages under a resident limit
 * and prints the page faults, to compare with the textbook and with the
 * simulator (tools/swap-sim; docs/swap-policies.md).
 *
 *   refstring [-p fifo|clock|lru|random] [-f FRAMES] [-s] PAGE...
 *
 * Each PAGE (0-255) is one page of a fresh heap; the program may keep
 * FRAMES of them resident (setrlimit(RLIMIT_RSS), default 3), the rest
 * are evicted by its policy (evict_policy, default the boot's). Each
 * reference checks the value the page's last reference wrote and writes
 * a new one: data lost in eviction is reported. The faults are
 * getrusage's, around the references only. -s: exit with the number of
 * faults as the status (for tests; at most 255 references).
 */
#include <errno.h>
#include <memos.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define PAGE 4096u
#define MAX_REFS 1024
#define MAX_PAGE 255

static const char *const policies[] = {"fifo", "clock", "lru", "random"};

/* The string, and what each page's first word must hold: in the bss,
 * not the heap, whose pages are what the limit counts. */
static unsigned char refs[MAX_REFS];
static uint32_t expected[MAX_PAGE + 1];
/* Pages for the dry run: the same code, outside the heap. */
static uint8_t dry_pages[4 * PAGE] __attribute__((aligned(4096)));

/* The policy named name; exits with a message if there is none. */
static int policy_by_name(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, policies[i]) == 0)
			return i;
	fprintf(stderr,
	        "refstring: unknown policy '%s' (fifo, clock, lru, "
	        "random)\n",
	        name);
	exit(2);
}

static void usage(void)
{
	fprintf(stderr, "usage: refstring [-p fifo|clock|lru|random] "
	                "[-f FRAMES] [-s] PAGE... (pages 0-255)\n");
	exit(2);
}

/* What the reference number i writes into its page. */
static uint32_t stamp(uint32_t page, uint32_t i)
{
	return 0x5a000000u | page << 16 | i;
}

/*
 * Runs the string over the pages at base (mask: which page numbers exist
 * there). Each reference reads the page's first and last words (the
 * value its last reference wrote) and writes new ones. Returns -1, or
 * the first reference whose page came back with other bytes.
 */
static int run(uint8_t *base, uint32_t mask, int count)
{
	for (int i = 0; i < count; i++) {
		uint32_t page = refs[i] & mask;
		volatile uint32_t *first = (uint32_t *)(base + page * PAGE);
		volatile uint32_t *last = first + PAGE / 4 - 1;
		if (*first != expected[page] || *last != expected[page])
			return i;
		expected[page] = stamp(page, (uint32_t)i);
		*first = expected[page];
		*last = expected[page];
	}
	return -1;
}

int main(int argc, char **argv)
{
	int policy = -1;
	unsigned long frames = 3;
	bool status_is_faults = false;
	int count = 0;
	uint32_t highest = 0;

	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];
		if (strcmp(opt, "-s") == 0) {
			status_is_faults = true;
			continue;
		}
		if ((strcmp(opt, "-p") != 0 && strcmp(opt, "-f") != 0) ||
		    i + 1 == argc)
			usage();
		const char *value = argv[++i];
		if (opt[1] == 'p') {
			policy = policy_by_name(value);
		} else {
			char *end;
			frames = strtoul(value, &end, 10);
			if (*end || frames < 1 ||
			    frames > RLIMIT_RSS_MAX_PAGES) {
				fprintf(stderr,
				        "refstring: bad frame count '%s' "
				        "(1-%d)\n",
				        value, RLIMIT_RSS_MAX_PAGES);
				return 2;
			}
		}
	}
	for (; i < argc; i++) {
		char *end;
		unsigned long page = strtoul(argv[i], &end, 10);
		if (*end || end == argv[i] || page > MAX_PAGE) {
			fprintf(stderr,
			        "refstring: not a page number (0-%d): "
			        "'%s'\n",
			        MAX_PAGE, argv[i]);
			return 2;
		}
		if (count == MAX_REFS) {
			fprintf(stderr, "refstring: more than %d references\n",
			        MAX_REFS);
			return 2;
		}
		refs[count++] = (unsigned char)page;
		if (page > highest)
			highest = (uint32_t)page;
	}
	if (count == 0)
		usage();

	/* The pages: a page-aligned piece of a heap nothing else uses. */
	uintptr_t brk = (uintptr_t)sbrk(0);
	if (sbrk((intptr_t)((PAGE - brk % PAGE) % PAGE)) == (void *)-1)
		goto out_sbrk;
	uint8_t *base = sbrk((intptr_t)((highest + 1) * PAGE));
	if (base == (void *)-1)
		goto out_sbrk;

	struct rlimit limit = {(uint32_t)frames * PAGE, RLIM_INFINITY};
	if (setrlimit(RLIMIT_RSS, &limit) != 0) {
		perror("refstring: setrlimit");
		return 1;
	}
	if (policy >= 0 && evict_policy(policy) < 0) {
		perror("refstring: evict_policy");
		return 1;
	}
	policy = evict_policy(-1);

	/* The dry run executes the code and touches the stack of the real
	 * one, so that the counts below are the heap's faults only. */
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	run(dry_pages, 3, count);
	for (int p = 0; p <= MAX_PAGE; p++)
		expected[p] = 0;

	getrusage(RUSAGE_SELF, &before);
	int bad = run(base, MAX_PAGE, count);
	getrusage(RUSAGE_SELF, &after);
	if (bad >= 0) {
		fprintf(stderr,
		        "refstring: page %d lost its data: reference "
		        "%d found other bytes than reference %d wrote\n",
		        refs[bad], bad + 1,
		        (int)(expected[refs[bad]] & 0xffff) + 1);
		return 1;
	}
	long minor = after.ru_minflt - before.ru_minflt;
	long major = after.ru_majflt - before.ru_majflt;
	printf("refstring: %s, %lu frames, %d references: %ld faults (%ld "
	       "without I/O, %ld from swap); data verified\n",
	       policies[policy], frames, count, minor + major, minor, major);
	if (status_is_faults)
		return (int)(minor + major) & 0xff;
	return 0;

out_sbrk:
	perror("refstring: sbrk");
	return 1;
}
