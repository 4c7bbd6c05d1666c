/*
 * i386-probe - the program tools/run-i386 runs to learn whether this
 * Linux kernel runs i386 programs: built with gcc -m32 against the C
 * library like the tools it stands for, it only exits 0.
 */
int main(void)
{
	return 0;
}
