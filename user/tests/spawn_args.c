/*
 * spawn() passes argv to the child exactly, argv[0] included, up to the
 * limits in lib/abi.h (ARG_MAX_COUNT strings, ARG_MAX_BYTES bytes counting
 * each string's NUL), and refuses one string or byte more with -E2BIG.
 *
 * The test spawns itself as the child: "spawn_args" with argv[1] = "child"
 * and argv[2] = a case number. The child builds the same case and checks
 * that what it got is the same.
 */
#include "check.h"
#include "lib/string.h"
#include "user/lib/parse.h"

enum {
	CASE_PLAIN,
	CASE_ODD_STRINGS, /* argv[0] not the program's name, "", spaces */
	CASE_MAX_COUNT,   /* ARG_MAX_COUNT strings */
	CASE_MAX_BYTES,   /* ARG_MAX_BYTES bytes */
	CASE_COUNT,
};

static char numbers[ARG_MAX_COUNT + 1][8];
static char big[ARG_MAX_BYTES];

/* Fills argv (room for ARG_MAX_COUNT + 2) with case n, plus `extra` more
 * strings or bytes than it should have; returns argc. */
static int build_case(int n, int extra, char **argv)
{
	static char case_number[2];
	int argc = 0;

	case_number[0] = (char)('0' + n);
	argv[argc++] =
	        n == CASE_ODD_STRINGS ? "not the program's name" : "spawn_args";
	argv[argc++] = "child";
	argv[argc++] = case_number;
	if (n == CASE_ODD_STRINGS) {
		argv[argc++] = "";
		argv[argc++] = "two words";
		argv[argc++] = "";
	} else if (n == CASE_MAX_COUNT) {
		while (argc < ARG_MAX_COUNT + extra) {
			format_snprintf(numbers[argc], sizeof(numbers[argc]),
			                "%d", argc);
			argv[argc] = numbers[argc];
			argc++;
		}
	} else if (n == CASE_MAX_BYTES) {
		/* Bytes so far, with the NULs; big's NUL is one more. */
		size_t used =
		        strlen(argv[0]) + strlen(argv[1]) + strlen(argv[2]) + 3;
		size_t len = ARG_MAX_BYTES - used - 1 + (size_t)extra;
		for (size_t i = 0; i < len; i++)
			big[i] = (char)('a' + i % 26);
		big[len] = '\0';
		argv[argc++] = big;
	}
	argv[argc] = NULL;
	return argc;
}

/* The child: exits 0 if its arguments are case n's. */
static int child(int argc, char **argv)
{
	char *expected[ARG_MAX_COUNT + 2];
	int n;

	if (argc < 3 || parse_int(argv[2], &n) != 0 || n < 0 || n >= CASE_COUNT)
		check_fail(__FILE__, __LINE__, "child: bad case number");
	int expected_argc = build_case(n, 0, expected);
	CHECK_EQ(argc, expected_argc);
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], expected[i]) != 0)
			check_fail(__FILE__, __LINE__,
			           "case %d: argv[%d] is \"%s\", expected "
			           "\"%s\"",
			           n, i, argv[i], expected[i]);
	}
	CHECK(argv[argc] == NULL);
	/* A program may change its argument strings (if they were on a
	 * read-only page, this would kill the child). */
	argv[1][0] = 'C';
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "child") == 0)
		return child(argc, argv);

	/* Started by name (by the test runner): argv is just the name. */
	CHECK_EQ(argc, 1);
	CHECK(strcmp(argv[0], "spawn_args") == 0);

	char *args[ARG_MAX_COUNT + 2];
	for (int n = 0; n < CASE_COUNT; n++) {
		build_case(n, 0, args);
		char got[32];
		int status = RUN_ARGV("spawn_args", args);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			check_fail(__FILE__, __LINE__, "case %d: child %s", n,
			           status_text(status, got, sizeof(got)));
	}

	/* One string or one byte over the limit. */
	build_case(CASE_MAX_COUNT, 1, args);
	CHECK_ERR(sys_spawn("spawn_args", args), -E2BIG);
	build_case(CASE_MAX_BYTES, 1, args);
	CHECK_ERR(sys_spawn("spawn_args", args), -E2BIG);

	/* No argv at all: the child gets argv = { name }; "args" exits with
	 * its argc. */
	CHECK_EXITED(RUN_ARGV("args", NULL), 1);
	return 0;
}
