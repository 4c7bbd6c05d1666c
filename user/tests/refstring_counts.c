/*
 * The kernel's page faults under a resident limit equal the simulator's:
 * refstring runs the textbook's string and Belady's under FIFO, clock and
 * random with 3 and 4 frames (its exit status is its fault count, -s),
 * and each count must be what tools/swap-sim, running the same
 * mm/evict.c, says (refstring_expected.h is made from it at build time).
 * Belady's anomaly shows in the kernel: FIFO faults 9 times with 3 frames
 * and 10 with 4. Each run also checks every page's data after eviction.
 * The kernel's aging LRU samples on the timer tick, which no simulator
 * replays: its run is checked for its data and for a count between the
 * string's distinct pages and its length. Booted with no swap disk
 * (SWAP_MB=0) the limit cannot be kept: every run then faults once per
 * distinct page, as documented.
 */
// test-timeout: 240
#include <memos.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

struct run {
	const char *policy, *frames, *refs;
	int faults; /* the simulator's; -1: not comparable */
};

static const struct run runs[] = {
#include "refstring_expected.h"
};

/* refstring -s -p POLICY -f FRAMES PAGE...: its exit status. */
static int refstring(const struct run *r, int *count, int *distinct)
{
	static char words[128];
	char *argv[48] = {"refstring",       "-s", "-p",
	                  (char *)r->policy, "-f", (char *)r->frames};
	int argc = 6;
	bool seen[256] = {false};

	CHECK(strlen(r->refs) < sizeof(words));
	strcpy(words, r->refs);
	*count = *distinct = 0;
	for (char *w = strtok(words, " "); w; w = strtok(NULL, " ")) {
		CHECK(argc < 47);
		argv[argc++] = w;
		int page = atoi(w);
		*distinct += !seen[page];
		seen[page] = true;
		(*count)++;
	}
	argv[argc] = NULL;
	int pid = sys_spawn("refstring", argv);
	CHECK(pid > 0);
	int status;
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status);
}

int main(void)
{
	struct meminfo info;

	CHECK_EQ(meminfo(&info), 0);
	for (unsigned i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		const struct run *r = &runs[i];
		int count, distinct;
		int faults = refstring(r, &count, &distinct);
		if (info.swap_slots_total == 0) {
			printf("refstring_counts: no swap disk: %s, %s frames: "
			       "%d faults, one per page\n",
			       r->policy, r->frames, faults);
			CHECK_EQ(faults, distinct);
			continue;
		}
		if (r->faults < 0) {
			printf("refstring_counts: %s, %s frames: %d faults "
			       "(between %d and %d)\n",
			       r->policy, r->frames, faults, distinct, count);
			CHECK(faults >= distinct && faults <= count);
			continue;
		}
		printf("refstring_counts: %s, %s frames, %s: %d faults, the "
		       "simulator's %d\n",
		       r->policy, r->frames, r->refs, faults, r->faults);
		if (faults != r->faults)
			check_fail(
			        __FILE__, __LINE__,
			        "%s with %s frames on %s: the kernel faulted "
			        "%d times, the simulator %d (refstring's "
			        "status 1: data lost, 2: bad usage)",
			        r->policy, r->frames, r->refs, faults,
			        r->faults);
	}
	return 0;
}
