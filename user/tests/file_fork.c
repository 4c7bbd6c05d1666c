/*
 * fork() and spawn() share open files: the child's descriptors point at
 * the parent's open file descriptions, so the two read on from one
 * offset (POSIX: fork duplicates descriptors, which "refer to the same
 * open file description"). A close in one leaves the other's descriptor
 * open; a file one opens after the fork is its own.
 * numbers.txt: line i at offset 10 * i.
 */
#include <memos.h>
#include <unistd.h>

#include "check.h"
#include "lib/string.h"
#include "user/lib/parse.h"

/* Reads the line at fd's offset and checks it is line `want`. */
static void check_line(int line, int fd, int want)
{
	char buf[11], expected[11];

	format_snprintf(expected, sizeof(expected), "line %04d\n", want);
	int n = sys_read(fd, buf, 10);
	buf[n > 0 ? n : 0] = '\0';
	if (n != 10 || memcmp(buf, expected, 10) != 0)
		check_fail(__FILE__, line,
		           "fd %d read %d bytes \"%s\", "
		           "expected %s",
		           fd, n, buf, expected);
}

/* "file_fork spawned FD": a spawned child reads one line of FD. */
static int spawned(const char *fd_text)
{
	int fd;

	CHECK_EQ(parse_int(fd_text, &fd), 0);
	check_line(__LINE__, fd, 7);
	/* The console came along too. */
	CHECK_ERR(sys_write(STDOUT_FILENO, "", 0), 0);
	return 0;
}

static void fork_shares_offset(void)
{
	int status;
	int fd = sys_open("numbers.txt", O_RDONLY);

	CHECK_ERR(fd, 3);
	check_line(__LINE__, fd, 0);
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		check_line(__LINE__, fd, 1); /* on from the parent's read */
		CHECK_ERR(sys_lseek(fd, 100, SEEK_CUR), 120);
		/* A file opened now is the child's alone: fd 4. */
		CHECK_ERR(sys_open("hello.txt", O_RDONLY), 4);
		CHECK_ERR(sys_close(fd), 0); /* the parent's stays open */
		exit(0);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	/* The child's lseek moved the offset the parent reads from. */
	CHECK_ERR(sys_lseek(fd, 0, SEEK_CUR), 120);
	check_line(__LINE__, fd, 12);
	CHECK_ERR(sys_read(4, &status, 1), -EBADF); /* not the parent's */
	CHECK_ERR(sys_close(fd), 0);
}

/* The parent closes first: the description lives on in the child. */
static void child_outlives_close(void)
{
	int status;
	int fd = sys_open("numbers.txt", O_RDONLY);

	CHECK_ERR(sys_lseek(fd, 300, SEEK_SET), 300);
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		sleep_ms(30); /* the parent has closed by now */
		check_line(__LINE__, fd, 30);
		exit(0);
	}
	CHECK_ERR(sys_close(fd), 0);
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
}

/* spawn (fork and execv in one) passes the descriptors on too. */
static void spawn_shares_offset(void)
{
	char fd_text[12];
	int fd = sys_open("numbers.txt", O_RDONLY);

	CHECK_ERR(sys_lseek(fd, 70, SEEK_SET), 70);
	format_snprintf(fd_text, sizeof(fd_text), "%d", fd);
	CHECK_EXITED(RUN("file_fork", "spawned", fd_text), 0);
	CHECK_ERR(sys_lseek(fd, 0, SEEK_CUR), 80);
	CHECK_ERR(sys_close(fd), 0);
}

/* A child inherits a full table: no room for its own opens. */
static void child_inherits_full_table(void)
{
	int status;

	for (int fd = 3; fd < OPEN_MAX; fd++)
		CHECK_ERR(sys_open("hello.txt", O_RDONLY), fd);
	int pid = sys_fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		CHECK_ERR(sys_open("hello.txt", O_RDONLY), -EMFILE);
		exit(0);
	}
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_EXITED(status, 0);
	for (int fd = 3; fd < OPEN_MAX; fd++)
		CHECK_ERR(sys_close(fd), 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "spawned") == 0)
		return spawned(argv[2]);
	fork_shares_offset();
	child_outlives_close();
	spawn_shares_offset();
	child_inherits_full_table();
	return 0;
}
