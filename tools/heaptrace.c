/*
 * heaptrace - replays a malloc-lab trace with the real mm/heap.c on the host
 * and prints what tools/heapviz draws: the heap's blocks every N operations
 * (in the kernel's dump format) or a line of statistics every N operations.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mm/heap.h"

static const char usage[] =
        "usage: heaptrace [OPTIONS] TRACE.rep\n"
        "  --policy P  placement policy: segregated (default) or teaching\n"
        "  --every N   print after every N-th operation (default 1) and after\n"
        "              the last one\n"
        "  --stats     print a line of statistics instead of the blocks\n"
        "Block addresses are offsets into the replay's arena, so a picture\n"
        "does not change from run to run.\n";

/* ---- The arena: the host's stand-in for sbrk ----------------------------- */

/* Reserved, not committed: pages are touched only as the heap grows. */
#define ARENA_BYTES ((size_t)512 << 20)

struct arena {
	unsigned char *start;
	size_t used; /* the "break", as an offset from start */
};

static void *arena_more(void *ctx, intptr_t delta)
{
	struct arena *a = ctx;
	unsigned char *old_end = a->start + a->used;

	if (delta > 0 && (size_t)delta > ARENA_BYTES - a->used)
		return NULL;
	if (delta < 0 && (size_t)-delta > a->used)
		return NULL;
	a->used += delta;
	return old_end;
}

static int arena_open(struct arena *a)
{
	a->start = mmap(NULL, ARENA_BYTES, PROT_READ | PROT_WRITE,
	                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	a->used = 0;
	return a->start == MAP_FAILED ? -1 : 0;
}

/* heap.c calls this on a double free or a wild pointer: the trace is bad. */
void heap_report_misuse(struct heap *heap, enum heap_misuse kind,
                        const char *op, const void *ptr, const char *detail)
{
	(void)heap;
	fprintf(stderr, "heaptrace: heap: %s in %s(%p): %s\n",
	        heap_misuse_name(kind), op, ptr, detail);
	exit(1);
}

/* ---- The trace ----------------------------------------------------------- */

struct op {
	char kind; /* 'a', 'f' or 'r' */
	long id;   /* -1: the null pointer ("f -1" is free(NULL)) */
	size_t size;
};

struct trace {
	struct op *ops;
	size_t count;
	size_t cap;
	long ids; /* ids run 0 .. ids-1 */
};

static int add_op(struct trace *t, const struct op *op)
{
	if (t->count == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		struct op *ops = realloc(t->ops, cap * sizeof(*ops));

		if (!ops)
			return -1;
		t->ops = ops;
		t->cap = cap;
	}
	t->ops[t->count++] = *op;
	if (op->id >= t->ids)
		t->ids = op->id + 1;
	return 0;
}

/* Returns 1 for an operation, 0 for a header or blank line, -1 if bad. */
static int parse_op(const char *line, struct op *op)
{
	unsigned long long size = 0;
	int fields;

	line += strspn(line, " \t");
	if (*line != 'a' && *line != 'f' && *line != 'r')
		return 0; /* the header's numbers, a blank or CR-only line */
	op->kind = *line;
	fields = sscanf(line + 1, "%ld %llu", &op->id, &size);
	if (fields < 1 || (op->kind != 'f' && fields != 2))
		return -1;
	if (op->id < 0 && op->kind != 'f')
		return -1; /* the block could never be named again */
	if (op->id < 0)
		op->id = -1;
	op->size = (size_t)size;
	return 1;
}

static int load_trace(const char *path, struct trace *t)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned long lineno = 0;
	struct op op;

	if (!f) {
		fprintf(stderr, "heaptrace: cannot open %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		int got = parse_op(line, &op);

		lineno++;
		if (got < 0 || (got > 0 && add_op(t, &op))) {
			fprintf(stderr, "heaptrace: %s:%lu: bad line: %s", path,
			        lineno, line);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* ---- Replaying ----------------------------------------------------------- */

struct replay {
	struct heap heap;
	struct arena arena;
	void **ptr;           /* the live pointer of each id, or NULL */
	size_t *size;         /* what the trace asked for, per id */
	size_t payload_bytes; /* sum of size[] over live ids */
};

/* Everything the replay holds is given back, so ASan's leak check stays
 * quiet and finds the leaks that matter. */
static void replay_close(struct replay *r)
{
	heap_destroy(&r->heap);
	munmap(r->arena.start, ARENA_BYTES);
	free(r->ptr);
	free(r->size);
}

static int replay_open(struct replay *r, const struct trace *t,
                       enum heap_policy policy)
{
	struct heap_config config = {0};

	r->payload_bytes = 0;
	r->ptr = calloc((size_t)t->ids + 1, sizeof(*r->ptr));
	r->size = calloc((size_t)t->ids + 1, sizeof(*r->size));
	if (!r->ptr || !r->size)
		goto out_tables;
	if (arena_open(&r->arena))
		goto out_tables;
	config.more = arena_more;
	config.more_ctx = &r->arena;
	config.policy = policy;
	if (heap_init(&r->heap, &config))
		goto out_arena;
	return 0;
out_arena:
	munmap(r->arena.start, ARENA_BYTES);
out_tables:
	free(r->ptr);
	free(r->size);
	return -1;
}

/*
 * Does one operation as heapbench does: "a" of a live id reallocates it,
 * "f" of a dead id frees NULL. Returns -1 if the heap ran out of memory.
 */
static int replay_op(struct replay *r, const struct op *op)
{
	void *old;
	void *p;

	if (op->id < 0) /* "f -1": free(NULL) does nothing */
		return 0;
	old = r->ptr[op->id];
	if (op->kind == 'f') {
		heap_free(&r->heap, old);
		r->payload_bytes -= r->size[op->id];
		r->ptr[op->id] = NULL;
		r->size[op->id] = 0;
		return 0;
	}
	p = op->kind == 'a' && !old ? heap_alloc(&r->heap, op->size)
	                            : heap_realloc(&r->heap, old, op->size);
	if (!p)
		return -1;
	r->payload_bytes = r->payload_bytes - r->size[op->id] + op->size;
	r->ptr[op->id] = p;
	r->size[op->id] = op->size;
	return 0;
}

/* ---- Output -------------------------------------------------------------- */

static int print_block(void *arg, const struct heap_block_info *b)
{
	const struct arena *a = arg;
	size_t offset = (size_t)((unsigned char *)b->block - a->start);

	printf("  %#010zx %8zu %s\n", offset, b->size,
	       b->used ? "used" : "free");
	return 0;
}

/* The header line names the operation, so heapviz can label the row. */
static void print_snapshot(struct replay *r, size_t i, const struct op *op)
{
	printf("heap blocks after op %zu (%c %ld", i + 1, op->kind, op->id);
	if (op->kind != 'f')
		printf(" %zu", op->size);
	printf("):\n");
	heap_walk(&r->heap, print_block, &r->arena);
}

static void print_stats_header(void)
{
	printf("op heap_bytes payload_bytes used_blocks free_blocks "
	       "free_bytes largest_free\n");
}

static void print_stats(struct replay *r, size_t i)
{
	struct heap_stats s;

	heap_get_stats(&r->heap, &s);
	printf("%zu %zu %zu %zu %zu %zu %zu\n", i + 1, s.heap_bytes,
	       r->payload_bytes, s.used_blocks, s.free_blocks, s.free_bytes,
	       s.largest_free);
}

/* heap_check after each printed step: a picture of a broken heap lies. */
static int check_heap(struct replay *r, size_t i)
{
	char msg[256];

	if (heap_check(&r->heap, msg, sizeof(msg)) == 0)
		return 0;
	fprintf(stderr, "heaptrace: after op %zu: heap_check: %s\n", i + 1,
	        msg);
	return -1;
}

/* ---- Main ---------------------------------------------------------------- */

struct options {
	enum heap_policy policy;
	unsigned long every;
	bool stats;
	const char *path;
};

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	        {"policy", required_argument, NULL, 'p'},
	        {"every", required_argument, NULL, 'e'},
	        {"stats", no_argument, NULL, 's'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	int opt;

	o->policy = HEAP_POLICY_SEGREGATED;
	o->every = 1;
	o->stats = false;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (strcmp(optarg, "teaching") == 0)
				o->policy = HEAP_POLICY_TEACHING;
			else if (strcmp(optarg, "segregated") != 0)
				return -1;
			break;
		case 'e':
			o->every = strtoul(optarg, NULL, 10);
			if (o->every == 0)
				return -1;
			break;
		case 's':
			o->stats = true;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	o->path = argv[optind];
	return 0;
}

/* Replays every operation, printing after every o->every-th and the last. */
static int replay_all(struct replay *r, const struct trace *t,
                      const struct options *o)
{
	size_t i;

	if (o->stats)
		print_stats_header();
	for (i = 0; i < t->count; i++) {
		bool last = i + 1 == t->count;

		if (replay_op(r, &t->ops[i])) {
			fprintf(stderr, "heaptrace: op %zu: out of memory\n",
			        i + 1);
			return -1;
		}
		if ((i + 1) % o->every != 0 && !last)
			continue;
		if (check_heap(r, i))
			return -1;
		if (o->stats)
			print_stats(r, i);
		else
			print_snapshot(r, i, &t->ops[i]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct trace t = {0};
	struct replay r = {0};
	int status = 1;

	if (parse_options(argc, argv, &o)) {
		fputs(usage, stderr);
		return 2;
	}
	if (load_trace(o.path, &t))
		goto out_trace;
	if (replay_open(&r, &t, o.policy)) {
		fprintf(stderr, "heaptrace: cannot set up the heap\n");
		goto out_trace;
	}
	if (replay_all(&r, &t, &o) == 0)
		status = 0;
	replay_close(&r);
out_trace:
	free(t.ops);
	return status;
}
