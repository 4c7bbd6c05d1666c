/*
 * heapmisuse KIND: makes one mistake with malloc's memory. malloc finds
 * it, prints one line ("malloc: double free: ... given to free (...)")
 * and ends the program with abort(): killed by SIGABRT. If it is not
 * caught, the program says so and exits with 99.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Through a volatile pointer, so the compiler cannot see the mistake. */
static void *volatile hide;

static void double_free(void)
{
	char *p = malloc(32);

	free(p);
	hide = p;
	free(hide);
}

static void free_stack(void)
{
	int on_stack[4];

	hide = on_stack;
	free(hide);
}

static void free_middle(void)
{
	char *p = malloc(64);

	malloc(64); /* a neighbour, so the middle is inside the heap */
	hide = p + 24;
	free(hide);
}

/* Writes 8 bytes past the end of a block: over the next block's header. */
static void overrun(void)
{
	char *p = malloc(24);

	malloc(24);
	hide = p;
	memset(hide, 'A', malloc_usable_size(p) + 8);
	free(p);
}

/* Writes just below a block: over its own header. */
static void underrun(void)
{
	char *p = malloc(24);

	hide = p - 4;
	memset(hide, 0, 4);
	free(p);
}

static void realloc_freed(void)
{
	char *p = malloc(40);

	free(p);
	hide = p;
	realloc(hide, 80);
}

static const struct {
	const char *kind;
	void (*mistake)(void);
} mistakes[] = {
        {"double-free", double_free}, {"free-stack", free_stack},
        {"free-middle", free_middle}, {"overrun", overrun},
        {"underrun", underrun},       {"realloc-freed", realloc_freed},
};

#define NMISTAKES (sizeof(mistakes) / sizeof(mistakes[0]))

int main(int argc, char **argv)
{
	for (size_t i = 0; argc == 2 && i < NMISTAKES; i++) {
		if (strcmp(argv[1], mistakes[i].kind) == 0) {
			mistakes[i].mistake();
			fprintf(stderr, "heapmisuse: %s was not caught\n",
			        argv[1]);
			return 99;
		}
	}
	fprintf(stderr, "usage: heapmisuse KIND; KIND is one of:");
	for (size_t i = 0; i < NMISTAKES; i++)
		fprintf(stderr, " %s", mistakes[i].kind);
	fprintf(stderr, "\n");
	return 2;
}
