/*
 * <stdlib.h>: memory (malloc is mm/heap.c over sbrk, see <malloc.h>),
 * ending the program, numbers from text, sorting, pseudo-random numbers.
 */
#ifndef _MEMOS_STDLIB_H
#define _MEMOS_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7fffffff

typedef struct {
	int quot, rem;
} div_t;
typedef struct {
	long quot, rem;
} ldiv_t;

/* Every block is aligned to 8 bytes. Misuse (a double free, a pointer
 * malloc never returned, an overwritten block header) prints one line on
 * stderr and ends the program with abort(). */
void *malloc(size_t size);
void free(void *ptr);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void *aligned_alloc(size_t align, size_t size);
int posix_memalign(void **ptr, size_t align, size_t size);

/* exit runs the atexit functions (last registered first), flushes stdio
 * and ends the program; _Exit and abort do neither. abort ends it as
 * killed by SIGABRT. */
_Noreturn void exit(int status);
_Noreturn void _Exit(int status);
_Noreturn void abort(void);
int atexit(void (*func)(void));
char *getenv(const char *name); /* no environment: always NULL */

int abs(int n);
long labs(long n);
long long llabs(long long n);
div_t div(int num, int den);
ldiv_t ldiv(long num, long den);

int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);

void qsort(void *base, size_t count, size_t size,
           int (*compare)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *));

/* The same sequence for the same seed (1 if srand was never called). */
int rand(void);
void srand(unsigned int seed);

#endif
