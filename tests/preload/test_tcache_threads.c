/*
 * test_tcache_threads.c - libheapmalloc's allocator (tcache.c over heap.c)
 * under many threads, built with ThreadSanitizer: cross-thread frees,
 * realloc, calloc, aligned blocks, thread exit, fork, a double free; then
 * heap_check and a count of what is still allocated. TAP on stdout; a data
 * race makes ThreadSanitizer print it and the program exit with 66.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mm/heap.h"
#include "tests/preload/tcache.h"

#define THREADS 8
#define ROUNDS 6000
#define SLOTS 64        /* blocks a thread holds at once */
#define EXCHANGE 256    /* blocks in transit between threads */
#define CROSS_ROUNDS 50 /* producer/consumer round trips */

/* A block's contents: its size and a byte pattern from a seed, so that
 * whoever frees it (maybe another thread) checks that nobody else wrote
 * into it while it was live. */
struct block {
	unsigned char *p;
	size_t size;
	unsigned seed;
};

static int failures;
static int cross_frees;
static int misuse_reports;
static enum heap_misuse last_misuse;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

/* heap_report_misuse is the environment's (mm/heap.h): here it records,
 * and the operation is dropped, as heap.h allows. It runs with the heap's
 * lock held; tcache.c releases it after. */
void heap_report_misuse(struct heap *h, enum heap_misuse kind, const char *op,
                        const void *ptr, const char *detail)
{
	(void)h;
	(void)op;
	(void)ptr;
	(void)detail;
	__atomic_add_fetch(&misuse_reports, 1, __ATOMIC_RELAXED);
	last_misuse = kind;
}

static void fail(const char *what, const struct block *b)
{
	pthread_mutex_lock(&count_lock);
	if (failures++ < 5)
		fprintf(stderr, "# %s: block %p size %zu seed %u\n", what,
		        (void *)b->p, b->size, b->seed);
	pthread_mutex_unlock(&count_lock);
}

static unsigned next_random(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static void fill(struct block *b)
{
	size_t i;

	for (i = 0; i < b->size; i++)
		b->p[i] = (unsigned char)(b->seed + i * 7);
}

static bool intact(const struct block *b, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < b->size; i++)
		if (b->p[i] != (unsigned char)(b->seed + i * 7))
			return false;
	return true;
}

static void release(struct block *b)
{
	if (!b->p)
		return;
	if (!intact(b, b->size))
		fail("contents changed while the block was live", b);
	tcache_free(b->p);
	b->p = NULL;
}

/* Mostly small sizes (the cached ones), some large. */
static size_t random_size(unsigned *r)
{
	unsigned k = next_random(r);

	if (k % 16 == 0)
		return 1024 + k % 40000;
	return k % 600;
}

/* One new block in b, by one of malloc, calloc or memalign. */
static void make(struct block *b, unsigned *r)
{
	unsigned how = next_random(r) % 8;
	size_t i;

	b->size = random_size(r);
	b->seed = next_random(r);
	if (how == 0) {
		b->p = tcache_calloc(1, b->size);
		for (i = 0; b->p && i < b->size; i++)
			if (b->p[i]) {
				fail("calloc gave a non-zero byte", b);
				break;
			}
	} else if (how == 1) {
		size_t align = (size_t)32 << (next_random(r) % 8);

		b->p = tcache_memalign(align, b->size);
		if (b->p && (uintptr_t)b->p % align)
			fail("memalign's block is not aligned", b);
	} else {
		b->p = tcache_malloc(b->size);
	}
	if (!b->p) {
		fail("allocation failed", b);
		return;
	}
	if (tcache_usable_size(b->p) < b->size)
		fail("usable size below the request", b);
	fill(b);
}

/* realloc keeps the old contents up to the smaller size. */
static void resize(struct block *b, unsigned *r)
{
	size_t old = b->size, keep;
	unsigned char *p;

	b->size = random_size(r);
	p = tcache_realloc(b->p, b->size ? b->size : 1);
	if (!p) {
		b->size = old;
		fail("realloc failed", b);
		return;
	}
	b->p = p;
	keep = old < b->size ? old : b->size;
	if (!intact(b, keep))
		fail("realloc lost the contents", b);
	fill(b);
}

/* Blocks one thread allocates and another frees. */
static struct block exchange[EXCHANGE];
static pthread_mutex_t exchange_lock = PTHREAD_MUTEX_INITIALIZER;

static void *stress(void *arg)
{
	struct block mine[SLOTS] = {{0}};
	unsigned r = (unsigned)(uintptr_t)arg * 2654435761u + 1;
	int round, i;

	for (round = 0; round < ROUNDS; round++) {
		struct block *b = &mine[next_random(&r) % SLOTS];
		unsigned what = next_random(&r) % 10;

		if (what < 6) {
			release(b);
			make(b, &r);
		} else if (what < 8 && b->p) {
			resize(b, &r);
		} else if (b->p) {
			/* Swap with the exchange: the block goes to whichever
			 * thread takes the slot next, and frees it. */
			struct block tmp;
			unsigned slot = next_random(&r) % EXCHANGE;

			pthread_mutex_lock(&exchange_lock);
			tmp = exchange[slot];
			exchange[slot] = *b;
			pthread_mutex_unlock(&exchange_lock);
			*b = tmp;
			if (b->p) {
				__atomic_add_fetch(&cross_frees, 1,
				                   __ATOMIC_RELAXED);
				release(b);
			}
		}
	}
	for (i = 0; i < SLOTS; i++)
		release(&mine[i]);
	return NULL;
}

/* A producer fills a queue, a consumer frees: every block the consumer
 * frees was cached by another thread's malloc. */
static void *queue[1024];
static void *producer(void *arg)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < 1024; i++) {
		queue[i] = tcache_malloc(24 + i % 200);
		memset(queue[i], 0x5a, 24);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < 1024; i++)
		tcache_free(queue[i]);
	return NULL;
}

static int tests;

static void report(bool ok, const char *name, const char *why)
{
	tests++;
	if (ok)
		printf("ok %d - %s\n", tests, name);
	else
		printf("not ok %d - %s # %s\n", tests, name, why);
}

/* Frees the blocks left in the exchange, then checks the heap: every
 * block was freed, so nothing is allocated any more (the other threads'
 * caches went back when they ended). */
static void check_heap_empty(const char *name)
{
	struct heap_stats stats;
	char msg[200] = "", why[300];
	int i, err;

	for (i = 0; i < EXCHANGE; i++)
		release(&exchange[i]);
	err = tcache_check(msg, sizeof(msg), &stats);
	snprintf(why, sizeof(why),
	         "heap_check says \"%s\"; %zu blocks still allocated (the "
	         "caches of ended threads not given back?)",
	         msg, err ? 0 : stats.used_blocks);
	report(!err && stats.used_blocks == 0, name, why);
}

/* Mostly inside the heap's lock: big blocks skip the caches, and a realloc
 * that moves one copies it under the lock (a long time: most forks
 * happen then). */
static void *busy(void *arg)
{
	volatile bool *stop = arg;
	unsigned r = 7;

	while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
		void *big = tcache_malloc(200000);
		void *p = tcache_malloc(50000 + random_size(&r));

		big = tcache_realloc(big, 400000); /* moves: p is in the way */
		tcache_free(p);
		tcache_free(big);
	}
	return NULL;
}

/* fork while another thread allocates: the child must not find the heap's
 * lock held by a thread it does not have, nor a heap halfway through a
 * change (heap_check in the child). The child gives up after 5 s. */
static bool fork_is_safe(void)
{
	pthread_t t;
	bool stop = false, ok = true;
	int k;

	pthread_create(&t, NULL, busy, &stop);
	for (k = 0; k < 50 && ok; k++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			int i;

			alarm(5);
			for (i = 0; i < 1000; i++)
				tcache_free(tcache_malloc(5000 + i));
			_exit(tcache_check(NULL, 0, NULL) ? 1 : 0);
		}
		ok = pid > 0 && waitpid(pid, &status, 0) == pid &&
		     WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	return ok;
}

int main(void)
{
	pthread_t threads[THREADS];
	char why[200];
	int i, cross;
	void *p;

	printf("1..6\n");
	for (i = 0; i < THREADS; i++)
		pthread_create(&threads[i], NULL, stress,
		               (void *)(uintptr_t)(i + 1));
	for (i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	snprintf(why, sizeof(why), "%d failures (see above), %d misuse reports",
	         failures, misuse_reports);
	report(!failures && !misuse_reports,
	       "8 threads: malloc, calloc, memalign, realloc keep every "
	       "block's "
	       "contents",
	       why);
	cross = __atomic_load_n(&cross_frees, __ATOMIC_RELAXED);
	snprintf(why, sizeof(why), "only %d", cross);
	report(cross > 1000, "blocks freed by another thread than their own",
	       why);
	check_heap_empty("heap_check passes and every block is back after the "
	                 "threads end");

	for (i = 0; i < CROSS_ROUNDS; i++) {
		pthread_t a, b;

		pthread_create(&a, NULL, producer, NULL);
		pthread_join(a, NULL);
		pthread_create(&b, NULL, consumer, NULL);
		pthread_join(b, NULL);
	}
	check_heap_empty("a consumer frees what a producer cached: all back");

	report(fork_is_safe(), "fork while another thread allocates",
	       "a child did not exit 0 within 5 s (lock inherited held?) or "
	       "its heap_check failed (heap inherited halfway through a "
	       "change?)");

	p = tcache_malloc(40);
	tcache_free(p);
	tcache_free(p);
	report(misuse_reports == 1 && last_misuse == HEAP_MISUSE_DOUBLE_FREE,
	       "a double free of a cached block is reported",
	       "no double-free report");
	return failures ? 1 : 0;
}
