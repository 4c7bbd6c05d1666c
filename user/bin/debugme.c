/*
 * debugme: a program with a bug, to practise debugging on (docs/bochs.md).
 * It adds up the squares of 1 to 10 into a global, stops in the Bochs
 * debugger (BOCHS_BREAK: nothing happens elsewhere), then stores the sum
 * through a pointer nobody set: it is killed by a page fault at address 0.
 */
#include <memos.h>
#include <stdio.h>

int total;        /* the sum, read in the debugger */
int *result_slot; /* the bug: never pointed anywhere */

/* noinline: each function stays one, for the debugger to break at by name. */
__attribute__((noinline)) static int sum_of_squares(int n)
{
	for (int i = 1; i <= n; i++)
		total += i * i;
	return total;
}

__attribute__((noinline)) static void save_result(int value)
{
	*result_slot = value;
}

int main(void)
{
	int sum = sum_of_squares(10);

	BOCHS_BREAK();
	printf("debugme: the sum of the squares of 1 to 10 is %d\n", sum);
	save_result(sum);
	printf("debugme: saved\n");
	return 0;
}
