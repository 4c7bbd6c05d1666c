/*
 * The small C library: string and memory functions, character classes,
 * number parsing, formatting, sorting, rand, the system call wrappers'
 * errno, exit and atexit, abort and assert. The standard headers are the
 * library's own (user/include), never the host's.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__GLIBC__) || defined(_FEATURES_H) || defined(_STDIO_H)
#error "a host C library header was included"
#endif

#include "check.h"

#define CHECK_STR(actual, expected)                                            \
	do {                                                                   \
		const char *check_s_ = (actual);                               \
		if (!check_s_ || strcmp(check_s_, (expected)) != 0)            \
			check_fail(__FILE__, __LINE__,                         \
			           "%s is \"%s\", not \"%s\"", #actual,        \
			           check_s_ ? check_s_ : "(null)",             \
			           (expected));                                \
	} while (0)

static void strings(void)
{
	char buf[32];
	char *copy;

	CHECK_EQ(strlen("hello"), 5);
	CHECK_EQ(strnlen("hello", 3), 3);
	CHECK(strcmp("abc", "abd") < 0);
	CHECK(strncmp("abcx", "abcy", 3) == 0);
	CHECK_STR(strcpy(buf, "memos"), "memos");
	CHECK_STR(strcat(buf, " os"), "memos os");
	CHECK_STR(strncat(buf, "!!!", 1), "memos os!");
	memset(buf, 'x', sizeof(buf));
	strncpy(buf, "ab", 5);
	CHECK(memcmp(buf, "ab\0\0\0x", 6) == 0);
	CHECK_STR(strchr("banana", 'n'), "nana");
	CHECK_STR(strrchr("banana", 'n'), "na");
	CHECK(strchr("banana", 'z') == NULL);
	CHECK_STR(strstr("haystack with needle", "needle"), "needle");
	CHECK(strstr("abc", "abd") == NULL);
	CHECK_STR(strstr("abc", ""), "abc");
	CHECK_EQ(strspn("aabbc", "ab"), 4);
	CHECK_EQ(strcspn("hello world", " "), 5);
	CHECK_STR(strpbrk("key=value", "=:"), "=value");
	CHECK(memchr("abc", 'c', 2) == NULL);

	strcpy(buf, "  one,two,,three ");
	CHECK_STR(strtok(buf, " ,"), "one");
	CHECK_STR(strtok(NULL, " ,"), "two");
	CHECK_STR(strtok(NULL, " ,"), "three");
	CHECK(strtok(NULL, " ,") == NULL);

	copy = strdup("a copy");
	CHECK_STR(copy, "a copy");
	free(copy);
	copy = strndup("abcdef", 3);
	CHECK_STR(copy, "abc");
	free(copy);

	char overlap[] = "123456";
	memmove(overlap + 2, overlap, 4);
	CHECK_STR(overlap, "121234");
	CHECK_STR(strerror(ENOMEM), "Cannot allocate memory");
}

static void characters(void)
{
	CHECK(isdigit('7') && !isdigit('a'));
	CHECK(isalpha('q') && isalpha('Q') && !isalpha('1'));
	CHECK(isspace(' ') && isspace('\n') && !isspace('x'));
	CHECK(isxdigit('f') && isxdigit('F') && !isxdigit('g'));
	CHECK(ispunct('!') && !ispunct('a') && !ispunct(' '));
	CHECK(!isprint('\n') && isprint('~') && !isalpha(EOF));
	CHECK_EQ(toupper('a'), 'A');
	CHECK_EQ(tolower('Z'), 'z');
	CHECK_EQ(toupper('1'), '1');
}

static void numbers(void)
{
	char *end;

	CHECK_EQ(atoi("  -42xyz"), -42);
	CHECK_EQ(strtol("0x1f", &end, 0), 31);
	CHECK_EQ(*end, '\0');
	CHECK_EQ(strtol("017", NULL, 0), 15);
	CHECK_EQ(strtol("z", NULL, 36), 35);
	CHECK_EQ(strtol("+12", NULL, 10), 12);
	CHECK_EQ(strtoul("4294967295", NULL, 10), 4294967295u);
	errno = 0;
	CHECK_EQ(strtol("99999999999", &end, 10), LONG_MAX);
	CHECK_EQ(errno, ERANGE);
	CHECK_EQ(*end, '\0');
	errno = 0;
	CHECK_EQ(strtol("-2147483648", NULL, 10), LONG_MIN);
	CHECK_EQ(errno, 0);
	CHECK_EQ(strtol("-2147483649", NULL, 10), LONG_MIN);
	CHECK_EQ(errno, ERANGE);
	const char *none = "  nothing";
	CHECK_EQ(strtol(none, &end, 10), 0);
	CHECK(end == none);
	CHECK(strtoll("-9223372036854775807", NULL, 10) ==
	      -9223372036854775807LL);
	CHECK(strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX);
	long long big = 1234567890123LL;
	CHECK_EQ((long)(big / 1000000), 1234567); /* libgcc's __divdi3 */
	CHECK_EQ(abs(-5), 5);
	CHECK_EQ(div(17, 5).rem, 2);
}

static void formatting(void)
{
	char buf[64];

	CHECK_EQ(snprintf(buf, sizeof(buf), "%d|%5d|%-4s|%04x|%c|%lu", -7, 42,
	                  "ab", 0xbeef, 'z', 3000000000ul),
	         31);
	CHECK_STR(buf, "-7|   42|ab  |beef|z|3000000000");
	CHECK_EQ(snprintf(buf, 8, "%s", "truncated text"), 14);
	CHECK_STR(buf, "truncat");
	CHECK_EQ(sprintf(buf, "%p", (void *)0x1234), 10);
	CHECK_STR(buf, "0x00001234");
	CHECK_EQ(printf("libc: printf writes %s\n", "to stdout"), 30);
	CHECK_EQ(puts("libc: puts adds a newline"), 0);
	CHECK_EQ(fputs("libc: fputs to stderr\n", stderr), 0);
	CHECK_EQ(fprintf(stdout, "%s", ""), 0);
	CHECK_EQ(fflush(NULL), 0);
	errno = 0;
	CHECK_EQ(fputc('x', stdin), EOF); /* not an output stream */
	CHECK_EQ(errno, EBADF);
}

static int compare_ints(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void sorting(void)
{
	int values[100];

	srand(7);
	for (int i = 0; i < 100; i++)
		values[i] = rand() % 1000 - 500;
	qsort(values, 100, sizeof(values[0]), compare_ints);
	for (int i = 1; i < 100; i++)
		CHECK(values[i - 1] <= values[i]);
	int key = values[37];
	int *found =
	        bsearch(&key, values, 100, sizeof(values[0]), compare_ints);
	CHECK(found && *found == key);
	key = 10000;
	CHECK(bsearch(&key, values, 100, sizeof(int), compare_ints) == NULL);

	/* The same seed gives the same numbers, in [0, RAND_MAX]. */
	srand(99);
	int first = rand(), second = rand();
	srand(99);
	CHECK_EQ(rand(), first);
	CHECK_EQ(rand(), second);
	CHECK(first >= 0 && first <= RAND_MAX);
}

static void wrappers(void)
{
	char buf[8];

	errno = 0;
	CHECK_EQ(write(3, "x", 1), -1);
	CHECK_EQ(errno, EBADF);
	CHECK_EQ(read(STDIN_FILENO, (void *)KERNEL_TEXT_ADDR, sizeof(buf)), -1);
	CHECK_EQ(errno, EFAULT);
	CHECK_EQ(spawn("no-such-program", NULL), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(waitpid(12345, NULL, 0), -1);
	CHECK_EQ(errno, ECHILD);
	CHECK_EQ(write(STDOUT_FILENO, "libc: write\n", 12), 12);
	CHECK(getpid() > 0);
	errno = 0;
	CHECK(sbrk(-0x10000000) == (void *)-1); /* below the heap */
	CHECK_EQ(errno, EINVAL);
	clock_t before = clock();
	CHECK_EQ(usleep(20000), 0);
	CHECK(clock() - before >= 20);
	CHECK(time(NULL) >= 0);
}

static void on_exit_handler(void)
{
	_exit(7); /* proves it ran: the parent sees status 7 */
}

/* The ways a child can end, run by the parent below. */
static int child(const char *how)
{
	if (strcmp(how, "atexit") == 0) {
		atexit(on_exit_handler);
		exit(0);
	}
	if (strcmp(how, "abort") == 0)
		abort();
	if (strcmp(how, "assert") == 0) {
		int two = 2;
		assert(two + two == 5);
	}
	return 3;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "child") == 0)
		return child(argv[2]);

	strings();
	characters();
	numbers();
	formatting();
	sorting();
	wrappers();
	CHECK_EXITED(RUN("libc", "child", "atexit"), 7);
	CHECK_KILLED(RUN("libc", "child", "abort"), SIGABRT);
	printf("libc: a child fails an assert on purpose; its message below "
	       "is expected\n");
	CHECK_KILLED(RUN("libc", "child", "assert"), SIGABRT);
	CHECK_EXITED(RUN("libc", "child", "return"), 3);
	return 0;
}
