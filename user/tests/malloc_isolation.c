/*
 * Two processes' heaps are independent: the same program makes the same
 * calls, so malloc returns the same addresses in every copy, yet each
 * copy sees only what it wrote there. The test runs two copies of itself
 * ("malloc_isolation child N") while all three keep rewriting their
 * blocks and checking them.
 */
#include <malloc.h>
#include <memos.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define BLOCKS 16
#define ROUNDS 15

static char *blocks[BLOCKS];

/* The same calls in every copy: the same addresses. */
static void allocate(void)
{
	for (int i = 0; i < BLOCKS; i++) {
		blocks[i] = malloc((size_t)(i + 1) * 200);
		CHECK(blocks[i] != NULL);
	}
}

static void write_and_check(unsigned char value)
{
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < BLOCKS; i++)
			memset(blocks[i], value + i, (size_t)(i + 1) * 200);
		sleep_ms(10); /* the others write theirs meanwhile */
		for (int i = 0; i < BLOCKS; i++) {
			for (size_t j = 0; j < (size_t)(i + 1) * 200; j++)
				CHECK_EQ((unsigned char)blocks[i][j],
				         (unsigned char)(value + i));
		}
	}
}

int main(int argc, char **argv)
{
	allocate();
	if (argc == 4 && strcmp(argv[1], "child") == 0) {
		/* The parent passes the address its first block got. */
		CHECK_ADDR((uintptr_t)blocks[0], strtoul(argv[3], NULL, 16));
		write_and_check((unsigned char)(atoi(argv[2]) * 40));
		return 0;
	}

	char address[16];
	snprintf(address, sizeof(address), "%lx", (unsigned long)blocks[0]);
	int child1 = sys_spawn(
	        "malloc_isolation",
	        (char *[]){"malloc_isolation", "child", "1", address, NULL});
	int child2 = sys_spawn(
	        "malloc_isolation",
	        (char *[]){"malloc_isolation", "child", "2", address, NULL});
	CHECK(child1 > 0);
	CHECK(child2 > 0);
	write_and_check(200);

	int status;
	CHECK_ERR(sys_waitpid(child1, &status, 0), child1);
	CHECK_EXITED(status, 0);
	CHECK_ERR(sys_waitpid(child2, &status, 0), child2);
	CHECK_EXITED(status, 0);
	char msg[160];
	CHECK_EQ(malloc_check(msg, sizeof(msg)), 0);
	return 0;
}
