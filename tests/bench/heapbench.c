/*
 * heapbench - replays malloc-lab traces against mm/heap.c (over the real
 * sbrk) and against the C library's malloc in the same run, and reports
 * utilization, speed and payload integrity for both.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mm/heap.h"

static const char usage[] =
        "usage: heapbench [OPTIONS] FILE.rep...\n"
        "  -a heap|libc|both  allocators to run (default both)\n"
        "  -p segregated|teaching  heap.c placement policy\n"
        "  -r N     timing repetitions, best one kept (default 3, 0: none)\n"
        "  -c N     heap_check every N operations (default 1000, 0: end only)\n"
        "  -g BYTES heap small_chunk (default: the heap's, 512)\n"
        "  -b N     heap fit_budget (blocks examined per class)\n"
        "  -t BYTES heap realloc_pad (realloc's spare room at the heap's end)\n"
        "  -x       replay once, no checks, no timing (for callgrind)\n"
        "  -m       heap.c grows a break of its own in a reserved mapping,\n"
        "           not the program's (valgrind stops that one at 8 MB)\n"
        "  -q       summary line only\n"
        "Under an emulator (MEMOS_EMULATOR=qemu-i386, set by tools/run-i386\n"
        "when it runs this program through qemu-i386) no times are measured:\n"
        "utilization and the integrity checks are the same, but the time\n"
        "an emulator takes says nothing of the allocator.\n";

/*
 * The benchmark's own memory (traces, bookkeeping) comes from mmap, so
 * that neither allocator under test sees it: the C library's arena stays
 * as the program left it at start-up, and the break belongs to heap.c.
 */
static void *map_zeroed(size_t size)
{
	void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void unmap(void *p, size_t size)
{
	if (p)
		munmap(p, size ? size : 1);
}

/* ---- Traces -------------------------------------------------------------- */

enum op_kind { OP_ALLOC, OP_FREE, OP_REALLOC };

struct op {
	enum op_kind kind;
	long id; /* -1: the null pointer */
	size_t size;
};

struct trace {
	const char *name;
	struct op *ops;
	size_t count;
	size_t cap;
	long ids; /* ids run 0 .. ids-1 */
};

/* Header lines hold a number; operation lines start with a, f or r. */
static int parse_line(char *line, struct trace *t, size_t cap)
{
	char kind;
	long id;
	unsigned long long size = 0;
	struct op *op;

	while (*line == ' ' || *line == '\t')
		line++;
	kind = *line;
	if (kind != 'a' && kind != 'f' && kind != 'r')
		return 0; /* header, blank or CR-only line */
	if (sscanf(line + 1, "%ld %llu", &id, &size) < 1 ||
	    (kind != 'f' && sscanf(line + 1, "%ld %llu", &id, &size) != 2))
		return -1;
	if (t->count == cap)
		return -1;
	op = &t->ops[t->count++];
	op->kind = kind == 'a' ? OP_ALLOC : kind == 'f' ? OP_FREE : OP_REALLOC;
	op->id = id < 0 ? -1 : id;
	op->size = (size_t)size;
	if (id >= t->ids)
		t->ids = id + 1;
	return 0;
}

static int load_trace(const char *path, struct trace *t)
{
	FILE *f = fopen(path, "rb");
	char line[256];
	const char *slash;
	struct stat st;
	size_t cap;

	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "heapbench: cannot open %s: %s\n", path,
		        strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	slash = strstr(path, "traces/");
	t->name = slash ? slash + 7 : path;
	cap = (size_t)st.st_size / 4 + 1; /* an operation is >= 4 bytes */
	t->ops = map_zeroed(cap * sizeof(*t->ops));
	t->cap = cap;
	t->count = 0;
	t->ids = 0;
	while (t->ops && fgets(line, sizeof(line), f)) {
		if (parse_line(line, t, cap) < 0) {
			fprintf(stderr, "heapbench: %s: bad line: %s", path,
			        line);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return t->ops ? 0 : -1;
}

/* ---- The two allocators behind one interface ----------------------------- */

struct sbrk_meter {
	uint8_t *start;
	uint8_t *end;
	size_t peak;
};

/*
 * With -m, heap.c's memory comes from this break of our own: a mapping
 * reserved once, of which the first `used` bytes are the heap. Valgrind
 * gives a program's real break at most 8 MB, and the largest traces need
 * twice that: tools/heap-callgrind.sh replays with -x -m.
 */
#define MAPPED_BREAK_BYTES ((size_t)(sizeof(void *) == 8 ? 4096 : 768) << 20)

static struct {
	uint8_t *start;
	size_t used;
} mapped_break;

static void *mapped_sbrk(intptr_t delta)
{
	uint8_t *old = mapped_break.start + mapped_break.used;

	if (delta > 0 && (size_t)delta > MAPPED_BREAK_BYTES - mapped_break.used)
		return (void *)-1;
	if (delta < 0 && (size_t)-delta > mapped_break.used)
		return (void *)-1;
	mapped_break.used += (size_t)delta;
	return old;
}

static bool use_mapped_break;

static void *sbrk_more(void *ctx, intptr_t delta)
{
	struct sbrk_meter *m = ctx;
	void *old = use_mapped_break ? mapped_sbrk(delta) : sbrk(delta);

	if (old == (void *)-1)
		return NULL;
	m->end = (uint8_t *)old + delta;
	if ((size_t)(m->end - m->start) > m->peak)
		m->peak = (size_t)(m->end - m->start);
	return old;
}

void heap_report_misuse(struct heap *heap, enum heap_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	(void)heap;
	fprintf(stderr, "heapbench: heap: %s in %s(%p): %s\n",
	        heap_misuse_name(kind), op, ptr, detail);
	abort();
}

static struct heap bench_heap;
static struct sbrk_meter meter;
static struct heap_config heap_settings;

static void *h_alloc(size_t n)
{
	return heap_alloc(&bench_heap, n);
}
static void h_free(void *p)
{
	heap_free(&bench_heap, p);
}
static void *h_realloc(void *p, size_t n)
{
	return heap_realloc(&bench_heap, p, n);
}

struct allocator {
	const char *name;
	void *(*alloc)(size_t);
	void (*free)(void *);
	void *(*realloc)(void *, size_t);
};

static const struct allocator project = {"heap", h_alloc, h_free, h_realloc};
static const struct allocator libc = {"libc", malloc, free, realloc};

static int heap_start(void)
{
	if (use_mapped_break && !mapped_break.start) {
		mapped_break.start = mmap(
		        NULL, MAPPED_BREAK_BYTES, PROT_READ | PROT_WRITE,
		        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (mapped_break.start == MAP_FAILED) {
			mapped_break.start = NULL;
			fprintf(stderr, "heapbench: cannot map %zu MiB\n",
			        MAPPED_BREAK_BYTES >> 20);
			return -1;
		}
	}
	meter.start = use_mapped_break ? mapped_sbrk(0) : sbrk(0);
	meter.end = meter.start;
	meter.peak = 0;
	heap_settings.more = sbrk_more;
	heap_settings.more_ctx = &meter;
	if (heap_init(&bench_heap, &heap_settings)) {
		fprintf(stderr, "heapbench: heap_init failed\n");
		return -1;
	}
	return 0;
}

/* ---- Replaying ----------------------------------------------------------- */

struct live {
	unsigned char **ptr;
	size_t *size;
	unsigned *gen;
};

struct result {
	double util; /* peak payload / peak footprint, 0..1 */
	double ns_per_op;
	unsigned long failures;
};

static unsigned char pattern_byte(long id, unsigned gen, size_t i)
{
	return (unsigned char)(id * 131 + gen * 17 + i * 7 + (i >> 8));
}

static void fill(unsigned char *p, long id, unsigned gen, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = pattern_byte(id, gen, i);
}

static bool intact(const unsigned char *p, long id, unsigned gen, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != pattern_byte(id, gen, i))
			return false;
	}
	return true;
}

static unsigned long check_ptr(const struct trace *t, size_t i, void *p,
                               size_t size)
{
	if (!p && size) {
		fprintf(stderr, "heapbench: %s op %zu: out of memory\n",
		        t->name, i);
		return 1;
	}
	if ((uintptr_t)p % HEAP_ALIGN) {
		fprintf(stderr, "heapbench: %s op %zu: %p misaligned\n",
		        t->name, i, p);
		return 1;
	}
	return 0;
}

static size_t libc_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static size_t libc_footprint(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.arena + mi.hblkhd;
}

/*
 * The integrity pass: every live block holds a pattern derived from its id
 * and generation, checked before it is freed or reallocated. Also measures
 * peak live payload and peak footprint.
 */
static struct result replay_checked(const struct allocator *a,
                                    const struct trace *t, struct live *l,
                                    unsigned check_every)
{
	struct result r = {0, 0, 0};
	size_t live_bytes = 0, peak_live = 0, peak_libc = 0, i;
	bool is_heap = a == &project;
	char msg[256];
	/* What the benchmark itself holds in the C library's heap. */
	size_t libc_own = is_heap ? 0 : libc_in_use();

	for (i = 0; i < t->count; i++) {
		const struct op *op = &t->ops[i];
		long id = op->id;
		unsigned char *p = id < 0 ? NULL : l->ptr[id];
		size_t old = id < 0 ? 0 : l->size[id];

		if (p && !intact(p, id, l->gen[id], old)) {
			fprintf(stderr,
			        "heapbench: %s op %zu: block %ld "
			        "corrupted\n",
			        t->name, i, id);
			r.failures++;
		}
		if (op->kind == OP_FREE) {
			a->free(p);
			live_bytes -= old;
			if (id >= 0) {
				l->ptr[id] = NULL;
				l->size[id] = 0;
			}
		} else {
			unsigned char *q = op->kind == OP_ALLOC && !p
			                           ? a->alloc(op->size)
			                           : a->realloc(p, op->size);
			size_t keep = old < op->size ? old : op->size;

			r.failures += check_ptr(t, i, q, op->size);
			if (q && p && !intact(q, id, l->gen[id], keep)) {
				fprintf(stderr,
				        "heapbench: %s op %zu: realloc"
				        " lost data of block %ld\n",
				        t->name, i, id);
				r.failures++;
			}
			if (!q && p && op->size == 0 && id >= 0) {
				/* C library realloc(p, 0) freed p */
				live_bytes -= old;
				l->ptr[id] = NULL;
				l->size[id] = 0;
			}
			if (q && id >= 0) {
				l->ptr[id] = q;
				l->size[id] = op->size;
				l->gen[id]++;
				fill(q, id, l->gen[id], op->size);
				live_bytes += op->size - (p ? old : 0);
			}
		}
		if (live_bytes > peak_live)
			peak_live = live_bytes;
		if (!is_heap && libc_footprint() > peak_libc)
			peak_libc = libc_footprint();
		if (is_heap && check_every && (i + 1) % check_every == 0 &&
		    heap_check(&bench_heap, msg, sizeof(msg))) {
			fprintf(stderr,
			        "heapbench: %s op %zu: heap_check: "
			        "%s\n",
			        t->name, i, msg);
			r.failures++;
		}
	}
	if (is_heap && heap_check(&bench_heap, msg, sizeof(msg))) {
		fprintf(stderr, "heapbench: %s end: heap_check: %s\n", t->name,
		        msg);
		r.failures++;
	}
	if (is_heap)
		r.util = meter.peak ? (double)peak_live / meter.peak : 1;
	else
		r.util = peak_libc > libc_own
		                 ? (double)peak_live / (peak_libc - libc_own)
		                 : 1;
	return r;
}

/* Replays t as fast as it goes; returns how many allocations failed. */
static unsigned long replay_fast(const struct allocator *a,
                                 const struct trace *t, struct live *l)
{
	unsigned long failed = 0;
	size_t i;

	for (i = 0; i < t->count; i++) {
		const struct op *op = &t->ops[i];
		long id = op->id;
		unsigned char *p = id < 0 ? NULL : l->ptr[id];

		if (op->kind == OP_FREE) {
			a->free(p);
			if (id >= 0)
				l->ptr[id] = NULL;
		} else if (op->kind == OP_ALLOC && !p) {
			p = a->alloc(op->size);
			failed += !p && op->size;
			if (id >= 0)
				l->ptr[id] = p;
		} else {
			p = a->realloc(p, op->size);
			failed += !p && op->size;
			if (id >= 0 && (p || op->size == 0))
				l->ptr[id] = p; /* realloc(p, 0) may free */
		}
	}
	return failed;
}

static void free_all(const struct allocator *a, const struct trace *t,
                     struct live *l)
{
	long id;

	for (id = 0; id < t->ids; id++) {
		a->free(l->ptr[id]);
		l->ptr[id] = NULL;
		l->size[id] = 0;
		l->gen[id] = 0;
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Runs one allocator over one trace: checked pass, then timed passes. */
static int run(const struct allocator *a, const struct trace *t, struct live *l,
               unsigned reps, unsigned check_every, bool replay_only,
               struct result *r)
{
	unsigned rep;
	bool is_heap = a == &project;

	if (is_heap && heap_start())
		return -1;
	if (replay_only) {
		/* no checks, but a count of instructions is only worth
		 * something if every allocation succeeded */
		unsigned long failed = replay_fast(a, t, l);

		free_all(a, t, l);
		if (is_heap)
			heap_destroy(&bench_heap);
		if (failed)
			fprintf(stderr,
			        "heapbench: %s: %s: %lu allocations "
			        "failed\n",
			        a->name, t->name, failed);
		return failed ? -1 : 0;
	}
	*r = replay_checked(a, t, l, check_every);
	free_all(a, t, l);
	if (is_heap)
		heap_destroy(&bench_heap);
	r->ns_per_op = 0;
	for (rep = 0; rep < reps; rep++) {
		double start, ns;

		if (is_heap && heap_start())
			return -1;
		start = now_ns();
		r->failures += replay_fast(a, t, l);
		ns = (now_ns() - start) / (t->count ? t->count : 1);
		free_all(a, t, l);
		if (is_heap)
			heap_destroy(&bench_heap);
		if (rep == 0 || ns < r->ns_per_op)
			r->ns_per_op = ns;
	}
	return 0;
}

/*
 * The C library's malloc keeps what earlier traces left in its arena, so
 * each trace gets it fresh: the passes run in a child process (a copy of
 * this one as it was at start-up, since the benchmark's own memory is
 * mapped), which hands its result back through a shared page.
 */
static int run_libc_fresh(const struct trace *t, struct live *l, unsigned reps,
                          unsigned check_every, bool replay_only,
                          struct result *r)
{
	struct result *shared =
	        mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
	             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status = 1;
	pid_t pid;

	if (shared == MAP_FAILED)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(run(&libc, t, l, reps, check_every, replay_only, shared)
		              ? 1
		              : 0);
	if (pid > 0 && waitpid(pid, &status, 0) == pid && status == 0)
		*r = *shared;
	munmap(shared, sizeof(*shared));
	return status == 0 ? 0 : -1;
}

/* ---- Main ---------------------------------------------------------------- */

struct totals {
	unsigned traces;
	double util[2];
	double ns[2];
	unsigned long ops;
	unsigned long failures;
};

/* Why no times are measured ("" when they are). */
static const char *untimed_reason = "";

static void print_line(const struct trace *t, const struct result r[2],
                       bool use[2])
{
	printf("%-28s %8zu", t->name, t->count);
	if (use[0])
		printf("  %6.1f%%", 100 * r[0].util);
	else
		printf("  %7s", "-");
	if (use[1])
		printf("  %6.1f%%", 100 * r[1].util);
	else
		printf("  %7s", "-");
	if (untimed_reason[0])
		printf("  %8s  %8s", "-", "-");
	else
		printf("  %8.1f  %8.1f", use[0] ? r[0].ns_per_op : 0,
		       use[1] ? r[1].ns_per_op : 0);
	if (use[0] && use[1] && r[1].ns_per_op > 0)
		printf("  %6.2f", r[0].ns_per_op / r[1].ns_per_op);
	else
		printf("  %6s", "-");
	printf("  %4lu\n", r[0].failures + r[1].failures);
}

int main(int argc, char **argv)
{
	unsigned reps = 3, check_every = 1000;
	bool use[2] = {true, true}, quiet = false, replay_only = false;
	struct totals sum = {0};
	int opt, i, status = 0;

	while ((opt = getopt(argc, argv, "a:p:r:c:g:b:t:xmqh")) != -1) {
		switch (opt) {
		case 'a':
			use[0] = strcmp(optarg, "libc") != 0;
			use[1] = strcmp(optarg, "heap") != 0;
			break;
		case 'p':
			heap_settings.policy = strcmp(optarg, "teaching") == 0
			                               ? HEAP_POLICY_TEACHING
			                               : HEAP_POLICY_SEGREGATED;
			break;
		case 'r':
			reps = (unsigned)atoi(optarg);
			break;
		case 'c':
			check_every = (unsigned)atoi(optarg);
			break;
		case 'g':
			heap_settings.small_chunk = (size_t)atol(optarg);
			break;
		case 'b':
			heap_settings.fit_budget = (unsigned)atoi(optarg);
			break;
		case 't':
			heap_settings.realloc_pad = (size_t)atol(optarg);
			break;
		case 'x':
			replay_only = true;
			break;
		case 'm':
			use_mapped_break = true;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			fputs(usage, opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind == argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (getenv("MEMOS_EMULATOR")) {
		reps = 0;
		untimed_reason = "emulated: the emulator's times say nothing "
		                 "of the allocator";
	} else if (reps == 0) {
		untimed_reason = "-r 0";
	}
	if (!quiet && !replay_only)
		printf("%-28s %8s  %7s  %7s  %8s  %8s  %6s  %4s\n", "trace",
		       "ops", "util", "libc", "ns/op", "libc", "ratio", "fail");
	for (i = optind; i < argc; i++) {
		struct trace t;
		struct live l;
		struct result r[2] = {{0, 0, 0}, {0, 0, 0}};
		int k;

		if (load_trace(argv[i], &t)) {
			status = 1;
			continue;
		}
		l.ptr = map_zeroed(((size_t)t.ids + 1) * sizeof(*l.ptr));
		l.size = map_zeroed(((size_t)t.ids + 1) * sizeof(*l.size));
		l.gen = map_zeroed(((size_t)t.ids + 1) * sizeof(*l.gen));
		if (!l.ptr || !l.size || !l.gen) {
			fprintf(stderr, "heapbench: out of memory\n");
			return 1;
		}
		if (use[0] && run(&project, &t, &l, reps, check_every,
		                  replay_only, &r[0]))
			status = 1;
		if (use[1] && run_libc_fresh(&t, &l, reps, check_every,
		                             replay_only, &r[1]))
			status = 1;
		if (!replay_only && !quiet)
			print_line(&t, r, use);
		sum.traces++;
		sum.ops += t.count;
		for (k = 0; k < 2; k++) {
			sum.util[k] += r[k].util;
			sum.ns[k] += r[k].ns_per_op * t.count;
			sum.failures += r[k].failures;
		}
		unmap(l.ptr, ((size_t)t.ids + 1) * sizeof(*l.ptr));
		unmap(l.size, ((size_t)t.ids + 1) * sizeof(*l.size));
		unmap(l.gen, ((size_t)t.ids + 1) * sizeof(*l.gen));
		unmap(t.ops, t.cap * sizeof(*t.ops));
	}
	if (!replay_only && sum.traces) {
		printf("summary: %u traces, %lu ops, avg util %.1f%% (libc "
		       "%.1f%%), ",
		       sum.traces, sum.ops, 100 * sum.util[0] / sum.traces,
		       100 * sum.util[1] / sum.traces);
		if (untimed_reason[0])
			printf("ns/op not measured (%s), ", untimed_reason);
		else
			printf("ns/op %.1f (libc %.1f, ratio %.2f), ",
			       sum.ns[0] / sum.ops, sum.ns[1] / sum.ops,
			       sum.ns[1] > 0 ? sum.ns[0] / sum.ns[1] : 0);
		printf("integrity failures %lu\n", sum.failures);
	}
	if (sum.failures)
		status = 1;
	return status;
}
