/*
 * spawn() with names and argv it must refuse: -ENOENT for a program the
 * initrd does not have, -EFAULT for memory the caller may not read. After
 * each refusal the system goes on spawning. (-ENOEXEC: bad_elf; -E2BIG:
 * spawn_args.)
 */
#include "check.h"
#include "lib/string.h"

/* Bytes in bss, so the image's last page is writable (see IMAGE_END_PAGE). */
static volatile char bss_filler[64];

int main(void)
{
	bss_filler[0] = 1;

	CHECK_ERR(sys_spawn("no-such-program", NULL), -ENOENT);
	CHECK_ERR(sys_spawn("", NULL), -ENOENT);
	CHECK_ERR(sys_spawn("tru", NULL), -ENOENT); /* a prefix of "true" */
	CHECK_ERR(sys_spawn("true ", NULL), -ENOENT);

	/* Names the program may not read. */
	CHECK_ERR(sys_spawn(NULL, NULL), -EFAULT);
	CHECK_ERR(sys_spawn((char *)KERNEL_TEXT_ADDR, NULL), -EFAULT);
	CHECK_ERR(sys_spawn((char *)UNMAPPED_ADDR, NULL), -EFAULT);
	/* "true" with no NUL before the unmapped page after the image. */
	char *unterminated = (char *)(IMAGE_END_PAGE - 4);
	memcpy(unterminated, "true", 4);
	CHECK_ERR(sys_spawn(unterminated, NULL), -EFAULT);

	/* argv arrays the program may not read. */
	CHECK_ERR(sys_spawn("true", (char **)KERNEL_TEXT_ADDR), -EFAULT);
	CHECK_ERR(sys_spawn("true", (char **)UNMAPPED_ADDR), -EFAULT);
	CHECK_ERR(sys_spawn("true",
	                    (char *[]){"true", (char *)KERNEL_TEXT_ADDR, NULL}),
	          -EFAULT);
	CHECK_ERR(sys_spawn("true",
	                    (char *[]){"true", (char *)UNMAPPED_ADDR, NULL}),
	          -EFAULT);
	/* An argument with no NUL before the unmapped page. */
	CHECK_ERR(sys_spawn("true", (char *[]){"true", unterminated, NULL}),
	          -EFAULT);
	/* An argv with no NULL before the unmapped page. */
	char **no_null = (char **)(IMAGE_END_PAGE - 2 * sizeof(char *));
	no_null[0] = "true";
	no_null[1] = "x";
	CHECK_ERR(sys_spawn("true", no_null), -EFAULT);

	/* None of that stopped anything. */
	CHECK_EXITED(RUN("true"), 0);
	return 0;
}
