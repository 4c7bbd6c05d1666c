/*
 * swap-sim: runs a reference string with N frames under each replacement
 * policy and prints the faults (docs/swap-policies.md).
 *
 *   swap-sim [-p fifo,clock,...] [-f 3,4 | -f 1-8] [-t SAMPLE] [-s SEED]
 *            [-w] [-d] [-c] [-i FILE | -W WORKLOAD | PAGE...]
 *
 * The pages come from the command line or a file (-i; "-" is stdin); a
 * page followed by 'w' is written, by 'r' read (-w: every page is
 * written, as refstring does). -W runs one of the bench's workloads
 * (tools/swap-sim/workloads.c; -W list names them) and takes its page
 * trace, a run of references to one page counting once; -T PROCS:PAGES
 * the thrashing demo's (record_thrash). -d adds disk
 * reads and writes, -c prints comma-separated lines for scripts.
 */
#define _POSIX_C_SOURCE 200809L /* getopt */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mm/evict.h"
#include "tools/swap-sim/sim.h"
#include "tools/swap-sim/workloads.h"

#define MAX_FRAME_COUNTS 256

static void usage(void)
{
	fprintf(stderr, "usage: swap-sim [-p POLICY,...] [-f N,N... | -f A-B] "
	                "[-t SAMPLE] [-s SEED] [-w] [-d] [-c] "
	                "[-i FILE | -W WORKLOAD | -T PROCS:PAGES | PAGE...]\n"
	                "policies: fifo clock lru random lru-exact opt\n");
	exit(2);
}

/* "3,4" or "1-8" into counts; how many, or exits with a message. */
static int parse_frames(const char *arg, uint32_t *counts)
{
	char *end;
	int n = 0;
	unsigned long a = strtoul(arg, &end, 10);

	if (*end == '-') {
		unsigned long b = strtoul(end + 1, &end, 10);
		if (*end || a == 0 || b < a || b - a >= MAX_FRAME_COUNTS)
			goto out_bad;
		for (unsigned long f = a; f <= b; f++)
			counts[n++] = (uint32_t)f;
		return n;
	}
	for (;;) {
		if (a == 0 || a > 1u << 20 || n == MAX_FRAME_COUNTS)
			goto out_bad;
		counts[n++] = (uint32_t)a;
		if (!*end)
			return n;
		if (*end != ',')
			goto out_bad;
		a = strtoul(end + 1, &end, 10);
	}
out_bad:
	fprintf(stderr, "swap-sim: bad frame counts '%s' (e.g. 3,4 or 1-8)\n",
	        arg);
	exit(2);
}

/* "fifo,opt" into chosen[]; how many, or exits with a message. */
static int parse_policies(char *arg, int *chosen)
{
	int n = 0;

	for (char *word = strtok(arg, ","); word; word = strtok(NULL, ",")) {
		int p = sim_policy_by_name(word);
		if (p < 0 || n == SIM_POLICIES) {
			fprintf(stderr,
			        "swap-sim: unknown policy '%s' (fifo clock lru "
			        "random lru-exact opt)\n",
			        word);
			exit(2);
		}
		chosen[n++] = p;
	}
	return n;
}

/* The workload's observer: one reference per run of accesses to a page,
 * a write if any of them wrote. */
static void note_access(void *ctx, uint32_t word, bool write)
{
	struct sim_trace *trace = ctx;
	uint32_t page = word / WORKLOAD_PAGE_WORDS;

	if (trace->count && trace->refs[trace->count - 1].page == page) {
		trace->refs[trace->count - 1].write |= write;
		return;
	}
	if (sim_trace_add(trace, page, write)) {
		fprintf(stderr, "swap-sim: out of memory\n");
		exit(1);
	}
}

/*
 * -T PROCS:PAGES: the trace of PROCS processes each looping over a working
 * set of its own PAGES pages, run round-robin 50 references a turn, 20000
 * references each: with global replacement, the thrashing demo's string.
 */
static void record_thrash(const char *arg, struct sim_trace *trace)
{
	char *end;
	unsigned long procs = strtoul(arg, &end, 10);
	unsigned long pages = *end == ':' ? strtoul(end + 1, &end, 10) : 0;

	if (*end || procs == 0 || procs > 64 || pages == 0 || pages > 4096) {
		fprintf(stderr, "swap-sim: bad -T '%s' (PROCS:PAGES)\n", arg);
		exit(2);
	}
	uint32_t at[64] = {0};
	for (uint32_t turn = 0; turn < 20000 / 50; turn++)
		for (uint32_t p = 0; p < procs; p++)
			for (uint32_t n = 0; n < 50; n++) {
				uint32_t page = p * pages + at[p]++ % pages;
				if (sim_trace_add(trace, page, true)) {
					fprintf(stderr, "swap-sim: out of "
					                "memory\n");
					exit(1);
				}
			}
}

/* Runs workload name, recording its trace; prints its checksum. */
static void record_workload(const char *name, struct sim_trace *trace)
{
	for (unsigned w = 0; w < workload_count; w++) {
		if (strcmp(name, "list") == 0) {
			printf("%-8s %3u pages: %s\n", workloads[w].name,
			       workloads[w].pages, workloads[w].what);
			continue;
		}
		if (strcmp(name, workloads[w].name) != 0)
			continue;
		uint32_t size = workloads[w].pages * WORKLOAD_PAGE_WORDS;
		struct workload_mem mem = {calloc(size, sizeof(uint32_t)), size,
		                           note_access, trace};
		if (!mem.words) {
			fprintf(stderr, "swap-sim: out of memory\n");
			exit(1);
		}
		uint32_t sum = workloads[w].run(&mem);
		free(mem.words);
		fprintf(stderr, "swap-sim: %s: checksum %08x\n", name, sum);
		return;
	}
	if (strcmp(name, "list") == 0)
		exit(0);
	fprintf(stderr, "swap-sim: no workload '%s' (-W list)\n", name);
	exit(2);
}

static char *read_all(FILE *f)
{
	size_t len = 0, room = 4096;
	char *text = malloc(room);

	while (text) {
		len += fread(text + len, 1, room - len - 1, f);
		if (len < room - 1)
			break;
		room *= 2;
		char *more = realloc(text, room);
		if (!more)
			free(text);
		text = more;
	}
	if (text)
		text[len] = '\0';
	return text;
}

int main(int argc, char **argv)
{
	int policies[SIM_POLICIES] = {SIM_FIFO,   SIM_CLOCK,     SIM_LRU,
	                              SIM_RANDOM, SIM_LRU_EXACT, SIM_OPT};
	int npolicies = SIM_POLICIES;
	uint32_t frames[MAX_FRAME_COUNTS] = {3};
	int nframes = 1;
	uint32_t sample = 1, seed = EVICT_SEED;
	bool all_write = false, disk = false, csv = false;
	const char *input = NULL, *workload = NULL, *thrash = NULL;
	struct sim_trace trace = {0};
	const char *bad = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "p:f:t:s:wdci:W:T:h")) != -1) {
		switch (opt) {
		case 'p':
			npolicies = parse_policies(optarg, policies);
			break;
		case 'f':
			nframes = parse_frames(optarg, frames);
			break;
		case 't':
			sample = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			all_write = true;
			break;
		case 'd':
			disk = true;
			break;
		case 'c':
			csv = true;
			break;
		case 'i':
			input = optarg;
			break;
		case 'W':
			workload = optarg;
			break;
		case 'T':
			thrash = optarg;
			break;
		default:
			usage();
		}
	}
	if (workload)
		record_workload(workload, &trace);
	if (thrash)
		record_thrash(thrash, &trace);
	if (input) {
		FILE *f = strcmp(input, "-") == 0 ? stdin : fopen(input, "r");
		if (!f) {
			fprintf(stderr, "swap-sim: cannot open %s: %s\n", input,
			        strerror(errno));
			return 1;
		}
		char *text = read_all(f);
		if (f != stdin)
			fclose(f);
		if (!text || sim_trace_parse(&trace, text, all_write, &bad)) {
			fprintf(stderr,
			        "swap-sim: %s: not a page number: "
			        "'%.20s'\n",
			        input, bad ? bad : "(out of memory)");
			free(text);
			return 1;
		}
		free(text);
	}
	for (int i = optind; i < argc; i++) {
		if (sim_trace_parse(&trace, argv[i], all_write, &bad)) {
			fprintf(stderr, "swap-sim: not a page number: '%s'\n",
			        argv[i]);
			return 2;
		}
	}
	if (trace.count == 0)
		usage();

	if (csv) {
		printf("frames,policy,faults,disk_reads,disk_writes\n");
	} else {
		printf("%zu references; faults%s\n", trace.count,
		       disk ? " (disk reads/writes)" : "");
		printf("%-7s", "frames");
		for (int p = 0; p < npolicies; p++)
			printf(disk ? " %20s" : " %10s",
			       sim_policy_names[policies[p]]);
		printf("\n");
	}
	for (int f = 0; f < nframes; f++) {
		if (!csv)
			printf("%-7u", frames[f]);
		for (int p = 0; p < npolicies; p++) {
			struct sim_result r;
			if (sim_run(&trace, policies[p], frames[f], sample,
			            seed, &r)) {
				fprintf(stderr, "swap-sim: out of memory\n");
				return 1;
			}
			if (csv) {
				printf("%u,%s,%llu,%llu,%llu\n", frames[f],
				       sim_policy_names[policies[p]],
				       (unsigned long long)r.faults,
				       (unsigned long long)r.major,
				       (unsigned long long)r.writes);
			} else if (disk) {
				char cell[64];
				snprintf(cell, sizeof(cell), "%llu (%llu/%llu)",
				         (unsigned long long)r.faults,
				         (unsigned long long)r.major,
				         (unsigned long long)r.writes);
				printf(" %20s", cell);
			} else {
				printf(" %10llu", (unsigned long long)r.faults);
			}
		}
		if (!csv)
			printf("\n");
	}
	sim_trace_free(&trace);
	return 0;
}
