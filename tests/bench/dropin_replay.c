/*
 * dropin_replay.c - replays one malloc-lab trace through the process's own
 * malloc, free and realloc, whichever library LD_PRELOAD puts there
 * (make bench-dropin: glibc, libheapmalloc.so, mimalloc, jemalloc,
 * tcmalloc). Every byte a block holds is written, as a program would, so
 * that resident memory means something. The trace and the table of blocks
 * live in mmap'd memory: the allocator under test holds only the trace's
 * blocks.
 *
 * usage: dropin_replay FILE.rep
 * Prints one line: ops N payload BYTES rss BYTES, where payload is the
 * trace's peak of live bytes and rss the growth of the process's peak
 * resident memory (VmHWM) during the replay.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct op {
	char kind; /* 'a', 'f' or 'r' */
	long id;
	size_t size;
};

struct live {
	unsigned char *p;
	size_t size;
};

static void *map(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("dropin_replay: mmap");
		exit(2);
	}
	return p;
}

/* VmHWM (peak resident set) in bytes, read without allocating. */
static size_t peak_rss(void)
{
	char buf[4096], *at;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	at = strstr(buf, "VmHWM:");
	return at ? strtoul(at + 6, NULL, 10) * 1024 : 0;
}

/* Parses the whole file: header lines hold numbers, operations start with
 * a, f or r. Returns the number of operations. */
static size_t parse(const char *text, size_t len, struct op *ops, long *ids)
{
	size_t n = 0, i = 0;

	*ids = 0;
	while (i < len) {
		const char *line = text + i;
		const char *end = memchr(line, '\n', len - i);
		char *next;
		struct op *op;

		i = end ? (size_t)(end - text) + 1 : len;
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line != 'a' && *line != 'f' && *line != 'r')
			continue;
		op = &ops[n++];
		op->kind = *line;
		op->id = strtol(line + 1, &next, 10);
		op->size = op->kind == 'f' ? 0 : strtoul(next, NULL, 10);
		if (op->id >= *ids)
			*ids = op->id + 1;
	}
	return n;
}

static char out_buffer[4096];

int main(int argc, char **argv)
{
	struct stat st;
	struct op *ops;
	struct live *blocks;
	char *text;
	size_t n, i, live = 0, peak = 0, rss_before;
	long ids;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: dropin_replay FILE.rep\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 2;
	}
	text = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (text == MAP_FAILED) {
		perror(argv[1]);
		return 2;
	}
	ops = map(((size_t)st.st_size / 4 + 1) * sizeof(*ops));
	n = parse(text, (size_t)st.st_size, ops, &ids);
	blocks = map((size_t)(ids + 1) * sizeof(*blocks));
	memset(blocks, 0, (size_t)(ids + 1) * sizeof(*blocks));
	/* stdout's buffer is ours, so that printf allocates nothing. */
	setvbuf(stdout, out_buffer, _IOFBF, sizeof(out_buffer));
	rss_before = peak_rss();

	for (i = 0; i < n; i++) {
		struct op *op = &ops[i];
		struct live *b = &blocks[op->id < 0 ? ids : op->id];
		unsigned char *p;

		switch (op->kind) {
		case 'a':
			p = malloc(op->size);
			if (!p && op->size) {
				fprintf(stderr,
				        "dropin_replay: malloc failed\n");
				return 1;
			}
			memset(p, (int)op->id, op->size);
			b->p = p;
			b->size = op->size;
			live += op->size;
			break;
		case 'f':
			free(b->p);
			live -= b->size;
			b->p = NULL;
			b->size = 0;
			break;
		default:
			p = realloc(b->p, op->size);
			if (!p && op->size) {
				fprintf(stderr,
				        "dropin_replay: realloc failed\n");
				return 1;
			}
			if (op->size > b->size)
				memset(p + b->size, (int)op->id,
				       op->size - b->size);
			live += op->size - b->size;
			b->p = p;
			b->size = op->size;
			break;
		}
		if (live > peak)
			peak = live;
	}
	printf("ops %zu payload %zu rss %zu\n", n, peak,
	       peak_rss() - rss_before);
	return 0;
}
