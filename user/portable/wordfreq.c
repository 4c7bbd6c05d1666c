/*
 * wordfreq: an ordinary C program, written only against the standard
 * headers. It is compiled unchanged for the host (with the system's C
 * library) and for memos (with user/lib), and tests/run-portable.sh
 * checks that both print the same. It counts the words of a text in a
 * hash table, sorts them, sieves primes and formats a few numbers.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char text[] =
        "It was the best of times, it was the worst of times, it was the "
        "age of wisdom, it was the age of foolishness, it was the epoch of "
        "belief, it was the epoch of incredulity, it was the season of "
        "Light, it was the season of Darkness, it was the spring of hope, "
        "it was the winter of despair, we had everything before us, we had "
        "nothing before us, we were all going direct to Heaven, we were all "
        "going direct the other way.";

struct word {
	char *text;
	int count;
	struct word *next; /* the next word in the same bucket */
};

#define BUCKETS 31

static struct word *table[BUCKETS];
static size_t distinct;

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % BUCKETS;
}

static void add_word(const char *s, size_t len)
{
	char *lower = malloc(len + 1);

	assert(lower != NULL);
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)s[i]);
	lower[len] = '\0';
	struct word **slot = &table[hash(lower)];
	for (struct word *w = *slot; w; w = w->next) {
		if (strcmp(w->text, lower) == 0) {
			w->count++;
			free(lower);
			return;
		}
	}
	struct word *w = malloc(sizeof(*w));
	assert(w != NULL);
	w->text = lower;
	w->count = 1;
	w->next = *slot;
	*slot = w;
	distinct++;
}

/* More frequent first, then alphabetical. */
static int by_count(const void *a, const void *b)
{
	const struct word *x = *(const struct word *const *)a;
	const struct word *y = *(const struct word *const *)b;

	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->text, y->text);
}

static void count_words(void)
{
	const char *p = text;
	int total = 0;

	while (*p) {
		while (*p && !isalpha((unsigned char)*p))
			p++;
		const char *start = p;
		while (isalpha((unsigned char)*p))
			p++;
		if (p > start) {
			add_word(start, (size_t)(p - start));
			total++;
		}
	}

	struct word **all = NULL;
	size_t n = 0;
	for (int b = 0; b < BUCKETS; b++) {
		for (struct word *w = table[b]; w; w = w->next) {
			all = realloc(all, (n + 1) * sizeof(*all));
			assert(all != NULL);
			all[n++] = w;
		}
	}
	assert(n == distinct);
	qsort(all, n, sizeof(*all), by_count);
	printf("%d words, %u different; the most frequent:\n", total,
	       (unsigned)distinct);
	for (size_t i = 0; i < 8 && i < n; i++)
		printf("  %-10s %3d %s\n", all[i]->text, all[i]->count,
		       all[i]->count > 5 ? "often" : "");
	for (size_t i = 0; i < n; i++) {
		free(all[i]->text);
		free(all[i]);
	}
	free(all);
}

static void primes(void)
{
	enum { LIMIT = 200 };
	bool *composite = calloc(LIMIT + 1, sizeof(bool));
	int count = 0;

	assert(composite != NULL);
	printf("primes below %d:", LIMIT);
	for (int i = 2; i <= LIMIT; i++) {
		if (composite[i])
			continue;
		count++;
		if (count % 12 == 1)
			printf("\n ");
		printf(" %3d", i);
		for (int j = i * i; j <= LIMIT; j += i)
			composite[j] = true;
	}
	printf("\n%d of them\n", count);
	free(composite);
}

static void formatting(void)
{
	char buf[64];
	char *end;
	long value = strtol("  -12345 rest", &end, 10);

	printf("strtol: %ld, then \"%s\"\n", value, end);
	/* The extremes of memos' 32-bit long: they print the same where long
	 * is wider (on the host it is compared with). */
	printf("hex: %x %X %08x, unsigned: %u, long: %ld %lu\n", 48879, 48879,
	       255u, UINT_MAX, (long)INT32_MIN, (unsigned long)UINT32_MAX);
	int n = snprintf(buf, sizeof(buf), "[%5s|%-5s|%05d]", "ab", "cd", -42);
	printf("snprintf: %s (%d characters)\n", buf, n);
	printf("atoi(\"2024\") + 1 = %d, %c%c%c, 100%%\n", atoi("2024") + 1,
	       'o', 'k', '!');
	errno = 0;
	strtol("99999999999999999999", NULL, 10);
	printf("overflow sets errno to ERANGE: %s\n",
	       errno == ERANGE ? "yes" : "no");

	int64_t big = INT64_C(123456789012345);
	printf("64-bit: %ld remainder %ld\n", (long)(big / 1000000000),
	       (long)(big % 1000000000));

	char word[16];
	strcpy(word, "memory");
	strcat(word, "-os");
	puts(word);
	for (const char *c = "done"; *c; c++)
		putchar(toupper((unsigned char)*c));
	putchar('\n');
}

int main(void)
{
	count_words();
	primes();
	formatting();
	return 0;
}
