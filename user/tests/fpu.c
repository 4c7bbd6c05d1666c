/*
 * Floating point in two processes at once: each child keeps a running sum
 * in the x87 FPU's registers while the timer switches between them many
 * times. If the kernel did not save and restore the FPU state on a switch,
 * one child's registers would land in the other's sum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TERMS 2000000L /* every partial sum is exact in a double */

/*
 * Adds step to itself TERMS times. The sum stays in the FPU's top register
 * for the whole loop (written in assembly so the compiler cannot keep it in
 * memory instead): any switch that does not save it is caught.
 */
static double add_repeatedly(long step)
{
	double sum;
	long count = TERMS;

	__asm__ volatile("fldz\n\t"             /* st0 = 0 */
	                 "1: fildl %[step]\n\t" /* st0 = step, st1 = sum */
	                 "faddp\n\t"            /* st0 = sum + step */
	                 "dec %[count]\n\t"
	                 "jnz 1b\n\t"
	                 "fstpl %[sum]"
	                 : [sum] "=m"(sum), [count] "+r"(count)
	                 : [step] "m"(step));
	return sum;
}

static int child(long step)
{
	double expected = (double)step * (double)TERMS;
	double got = add_repeatedly(step);

	if (got != expected) {
		fprintf(stderr, "fpu: step %ld: sum is %lld, expected %lld\n",
		        step, (long long)got, (long long)expected);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return child(atol(argv[1]));

	char *first[] = {"fpu", "1", NULL};
	char *second[] = {"fpu", "3", NULL};
	int pids[2] = {spawn("fpu", first), spawn("fpu", second)};
	int failed = 0;

	for (int i = 0; i < 2; i++) {
		int status;

		if (pids[i] < 0 || waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "fpu: child %d failed\n", i);
			failed = 1;
		}
	}
	return failed;
}
