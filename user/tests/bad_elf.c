/*
 * spawn() refuses every malformed executable in user/files/ (written by
 * user/make-fixtures.py) with -ENOEXEC, and the system goes on. The file
 * they were all made from, good_exit42, runs and exits with 42.
 */
#include "check.h"

static char *const bad_files[] = {
        "bad_magic",
        "bad_class64",
        "bad_machine",
        "bad_type_dyn",
        "bad_phdrs_past_end",
        "bad_phdrs_wrap",
        "bad_no_segments",
        "bad_kernel_segment",
        "bad_segment_into_kernel",
        "bad_segment_wrap",
        "bad_overlap",
        "bad_entry",
        "bad_segment_past_eof",
        "bad_filesz_over_memsz",
        "bad_truncated",
        "bad_empty",
        "bad_text",
        "test-list", /* the initrd's list of tests: text too */
};

int main(void)
{
	CHECK_EXITED(RUN("good_exit42"), 42);

	for (unsigned i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]);
	     i++) {
		char name[16];
		int ret = sys_spawn(bad_files[i], NULL);
		if (ret != -ENOEXEC)
			check_fail(__FILE__, __LINE__,
			           "sys_spawn(\"%s\") returned %d%s, expected "
			           "-ENOEXEC",
			           bad_files[i], ret,
			           errno_suffix(ret, name, sizeof(name)));
	}
	CHECK_ERR(sys_spawn("bad_no_such_file", NULL), -ENOENT);

	CHECK_EXITED(RUN("good_exit42"), 42);
	CHECK_EXITED(RUN("true"), 0);
	return 0;
}
