/*
 * threadbench.c - malloc/free throughput with 1, 2, ... threads, for the
 * scaling part of make bench-dropin: each thread keeps a working set of
 * blocks of random small sizes and replaces one at random per step; one
 * step in 16 hands the block to the next thread, which frees it (blocks
 * freed by another thread than their own). Runs over whichever malloc
 * LD_PRELOAD puts in the process.
 *
 * usage: threadbench THREADS STEPS_PER_THREAD
 * Prints: threads N ops N seconds S mops M (million malloc+free per second)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORKING_SET 512
#define HANDOFF 64 /* a small ring per thread: blocks for the next one */

struct worker {
	pthread_t thread;
	unsigned id;
	long steps;
	void *ring[HANDOFF]; /* written by the previous thread */
	unsigned ring_at;
	pthread_mutex_t ring_lock;
	struct worker *next;
};

static unsigned next_random(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	void *set[WORKING_SET] = {0};
	unsigned r = w->id * 2654435761u + 17;
	long step;
	int i;

	for (step = 0; step < w->steps; step++) {
		unsigned k = next_random(&r);
		void **slot = &set[k % WORKING_SET];
		size_t size = 8 + (k >> 10) % 512;

		if ((k & 15) == 0 && w->next != w) {
			/* Hand the old block to the next thread, which frees
			 * whatever it replaces in its ring. */
			struct worker *n = w->next;
			void *old;

			pthread_mutex_lock(&n->ring_lock);
			old = n->ring[n->ring_at];
			n->ring[n->ring_at] = *slot;
			n->ring_at = (n->ring_at + 1) % HANDOFF;
			pthread_mutex_unlock(&n->ring_lock);
			free(old);
		} else {
			free(*slot);
		}
		*slot = malloc(size);
		memset(*slot, (int)k, 8);
	}
	for (i = 0; i < WORKING_SET; i++)
		free(set[i]);
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker *w;
	struct timespec t0, t1;
	unsigned n, i, j;
	long steps;
	double s;

	if (argc != 3 || (n = (unsigned)atoi(argv[1])) == 0 ||
	    (steps = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: threadbench THREADS STEPS\n");
		return 2;
	}
	w = calloc(n, sizeof(*w));
	for (i = 0; i < n; i++) {
		w[i].id = i + 1;
		w[i].steps = steps;
		w[i].next = &w[(i + 1) % n];
		pthread_mutex_init(&w[i].ring_lock, NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		pthread_create(&w[i].thread, NULL, run, &w[i]);
	for (i = 0; i < n; i++)
		pthread_join(w[i].thread, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < n; i++)
		for (j = 0; j < HANDOFF; j++)
			free(w[i].ring[j]);
	free(w);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("threads %u ops %ld seconds %.3f mops %.2f\n", n, steps * n, s,
	       (double)steps * n / s / 1e6);
	return 0;
}
