/* qsort (heapsort: O(n log n) always, no recursion, no extra memory) and
 * bsearch. */
#include <stdlib.h>

static void swap(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Moves element `root` down until the max-heap of n elements holds. */
static void sift_down(char *base, size_t root, size_t n, size_t size,
                      int (*compare)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n &&
		    compare(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (compare(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, size);
		root = child;
	}
}

void qsort(void *base, size_t count, size_t size,
           int (*compare)(const void *, const void *))
{
	char *b = base;

	if (count < 2 || size == 0)
		return;
	for (size_t i = count / 2; i-- > 0;)
		sift_down(b, i, count, size, compare);
	for (size_t end = count - 1; end > 0; end--) {
		swap(b, b + end * size, size);
		sift_down(b, 0, end, size, compare);
	}
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *))
{
	const char *b = base;
	size_t low = 0, high = count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int c = compare(key, b + mid * size);
		if (c == 0)
			return (void *)(b + mid * size);
		if (c < 0)
			high = mid;
		else
			low = mid + 1;
	}
	return NULL;
}
