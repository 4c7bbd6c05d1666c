/*
 * Nothing leaks: exit closes every descriptor, a killed process's too,
 * and the last close frees the open file description (kernel heap bytes
 * back to what they were). Thousands of open/close cycles and fork/exit
 * cycles with files open leave nothing behind.
 */
#include <memos.h>
#include <signal.h>
#include <unistd.h>

#include "check.h"
#include "lib/string.h"

#define CYCLES 2000

static uint32_t kheap_used(void)
{
	struct meminfo m;

	CHECK_EQ(meminfo(&m), 0);
	return m.kheap_used_bytes;
}

/* "file_leak hold": opens every descriptor it can and exits with them
 * open. */
static int hold(void)
{
	for (int fd = 3; fd < OPEN_MAX; fd++)
		CHECK_ERR(sys_open(fd % 2 ? "hello.txt" : "/", O_RDONLY), fd);
	return 0;
}

/* "file_leak sleep": holds what it inherited until it is killed. */
static _Noreturn void sleep_forever(void)
{
	for (;;)
		sleep_ms(1000);
}

static void exit_closes(void)
{
	CHECK_EXITED(RUN("file_leak", "hold"), 0);
}

/* The only references to the descriptions are the child's when it is
 * killed: killing it must free them. */
static void kill_closes(void)
{
	int status;

	for (int fd = 3; fd < OPEN_MAX; fd++)
		CHECK_ERR(sys_open("numbers.txt", O_RDONLY), fd);
	int pid =
	        sys_spawn("file_leak", (char *[]){"file_leak", "sleep", NULL});
	CHECK(pid > 0);
	for (int fd = 3; fd < OPEN_MAX; fd++)
		CHECK_ERR(sys_close(fd), 0);
	sleep_ms(20);
	CHECK_ERR(sys_kill(pid, SIGKILL), 0);
	CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	CHECK_KILLED(status, SIGKILL);
}

static void cycles(void)
{
	for (int i = 0; i < CYCLES; i++) {
		int fd = sys_open(i % 3 ? "numbers.txt" : "/", O_RDONLY);
		CHECK_ERR(fd, 3);
		CHECK_ERR(sys_close(fd), 0);
	}
	/* Fork with a file open: each child's exit drops its reference,
	 * the parent's close the last. */
	CHECK_ERR(sys_open("numbers.txt", O_RDONLY), 3);
	for (int i = 0; i < 50; i++) {
		int status, pid = sys_fork();
		CHECK(pid >= 0);
		if (pid == 0)
			exit(0);
		CHECK_ERR(sys_waitpid(pid, &status, 0), pid);
	}
	CHECK_ERR(sys_close(3), 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "hold") == 0)
		return hold();
	if (argc == 2 && strcmp(argv[1], "sleep") == 0)
		sleep_forever();

	/* Once first: what the kernel heap keeps after a first use is not
	 * a leak. */
	exit_closes();
	sleep_ms(50);
	uint32_t before = kheap_used();
	exit_closes();
	sleep_ms(50);
	CHECK_EQ(kheap_used(), before);

	kill_closes();
	sleep_ms(50);
	CHECK_EQ(kheap_used(), before);

	cycles();
	sleep_ms(50);
	CHECK_EQ(kheap_used(), before);
	return 0;
}
