/*
 * workloads.c - the bench's programs (workloads.h), each with a different
 * locality: a loop a little bigger than memory, uniform random access, a
 * working set that moves, matrix multiply naive and blocked, a sort.
 * Every load and store goes through get() and put(), which tell the
 * observer: that is how the host records the page trace.
 */
#include "tools/swap-sim/workloads.h"

#include "mm/evict.h" /* evict_random_next: the same numbers everywhere */

static uint32_t get(struct workload_mem *m, uint32_t i)
{
	if (m->note)
		m->note(m->ctx, i, false);
	return m->words[i];
}

static void put(struct workload_mem *m, uint32_t i, uint32_t v)
{
	if (m->note)
		m->note(m->ctx, i, true);
	m->words[i] = v;
}

#define PW WORKLOAD_PAGE_WORDS

/* seq: 5 passes over 20 pages, one word in 64 of each (a loop over an
 * array, as a video player's or a scanner's): LRU's worst case below 20
 * frames. */
static uint32_t run_seq(struct workload_mem *m)
{
	uint32_t sum = 0;

	for (uint32_t pass = 0; pass < 5; pass++)
		for (uint32_t i = 0; i < 20 * PW; i += 64) {
			sum += get(m, i);
			put(m, i, sum + pass);
		}
	return sum;
}

/* random: 3000 reads or writes of words anywhere in 24 pages. */
static uint32_t run_random(struct workload_mem *m)
{
	uint32_t seed = 2024, sum = 0;

	for (uint32_t n = 0; n < 3000; n++) {
		uint32_t r = evict_random_next(&seed);
		uint32_t i = r % (24 * PW);
		if (r >> 31)
			put(m, i, n);
		else
			sum += get(m, i);
	}
	return sum;
}

/* shift: a working set of 6 pages that moves 2 pages every 400
 * references, across 32 pages: where a policy adapts, or not. */
static uint32_t run_shift(struct workload_mem *m)
{
	uint32_t seed = 7, sum = 0;

	for (uint32_t n = 0; n < 6000; n++) {
		uint32_t first = (n / 400) * 2 % 26;
		uint32_t r = evict_random_next(&seed);
		uint32_t i = (first + r % 6) * PW + (r >> 8) % PW;
		sum += get(m, i);
		put(m, i, sum + n);
	}
	return sum;
}

/* Matrices of N x N words, one after the other: A, B, C = A x B. */
#define N 64u
#define A(i, j) ((i)*N + (j))
#define B(i, j) (N * N + (i)*N + (j))
#define C(i, j) (2 * N * N + (i)*N + (j))

static void fill_matrices(struct workload_mem *m)
{
	for (uint32_t i = 0; i < N * N; i++) {
		put(m, A(0, 0) + i, i % 7);
		put(m, B(0, 0) + i, i % 5);
	}
}

static uint32_t checksum_c(struct workload_mem *m)
{
	uint32_t sum = 0;

	for (uint32_t i = 0; i < N * N; i++)
		sum = sum * 31 + get(m, C(0, 0) + i);
	return sum;
}

/* matmul: i, j, k: B is read down its columns, a page per 16 rows. */
static uint32_t run_matmul(struct workload_mem *m)
{
	fill_matrices(m);
	for (uint32_t i = 0; i < N; i++)
		for (uint32_t j = 0; j < N; j++) {
			uint32_t sum = 0;
			for (uint32_t k = 0; k < N; k++)
				sum += get(m, A(i, k)) * get(m, B(k, j));
			put(m, C(i, j), sum);
		}
	return checksum_c(m);
}

/* blocked: the same product in 16 x 16 tiles, which fit in few pages. */
#define T 16u
static uint32_t run_blocked(struct workload_mem *m)
{
	fill_matrices(m);
	for (uint32_t i = 0; i < N * N; i++)
		put(m, C(0, 0) + i, 0);
	for (uint32_t ii = 0; ii < N; ii += T)
		for (uint32_t kk = 0; kk < N; kk += T)
			for (uint32_t jj = 0; jj < N; jj += T)
				for (uint32_t i = ii; i < ii + T; i++)
					for (uint32_t k = kk; k < kk + T; k++) {
						uint32_t a = get(m, A(i, k));
						for (uint32_t j = jj;
						     j < jj + T; j++)
							put(m, C(i, j),
							    get(m, C(i, j)) +
							            a * get(m,
							                    B(k,
							                      j)));
					}
	return checksum_c(m);
}

/* sort: heapsort of 16 pages of words: the heap's parent-child jumps
 * touch pages far apart. */
static void sift_down(struct workload_mem *m, uint32_t root, uint32_t end)
{
	for (;;) {
		uint32_t child = 2 * root + 1;
		if (child >= end)
			return;
		if (child + 1 < end && get(m, child) < get(m, child + 1))
			child++;
		uint32_t r = get(m, root), c = get(m, child);
		if (r >= c)
			return;
		put(m, root, c);
		put(m, child, r);
		root = child;
	}
}

static uint32_t run_sort(struct workload_mem *m)
{
	const uint32_t n = 16 * PW;
	uint32_t seed = 99, sum = 0;

	for (uint32_t i = 0; i < n; i++)
		put(m, i, evict_random_next(&seed) % 100000);
	for (uint32_t i = n / 2; i-- > 0;)
		sift_down(m, i, n);
	for (uint32_t end = n - 1; end > 0; end--) {
		uint32_t top = get(m, 0);
		put(m, 0, get(m, end));
		put(m, end, top);
		sift_down(m, 0, end);
	}
	for (uint32_t i = 0; i < n; i += PW)
		sum = sum * 31 + get(m, i);
	return sum;
}

const struct workload workloads[] = {
        {"seq", "5 passes over 20 pages", 20, run_seq},
        {"random", "3000 random accesses in 24 pages", 24, run_random},
        {"shift", "a 6-page working set moving over 32 pages", 32, run_shift},
        {"matmul", "64x64 matrix product, i-j-k (12 pages)", 12, run_matmul},
        {"blocked", "the same in 16x16 tiles", 12, run_blocked},
        {"sort", "heapsort of 16 pages", 16, run_sort},
};
const unsigned workload_count = sizeof(workloads) / sizeof(workloads[0]);
