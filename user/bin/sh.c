/*
 * sh: the memos shell. Reads a line from the console, splits it into
 * words at spaces and tabs, and runs the program the first word names
 * from the initrd with the words as its argv, the Unix way (fork, then
 * execv in the child); then waits for it and says how it ended unless it
 * exited with 0. Built in: help, ls, mem, exit.
 *
 * Each program runs in a process group of its own, which the shell makes
 * the console's foreground group (tcsetpgrp) while it waits: Ctrl-C ends
 * that group (SIGINT), not the shell. The shell takes the console back
 * with tcsetpgrp(0, 0), no foreground group, since without signal
 * handlers it could not survive a Ctrl-C of its own.
 */
#include <errno.h>
#include <memos.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SH_LINE_MAX 260           /* the console's 256, and a NUL */
#define SH_ARGS_MAX ARG_MAX_COUNT /* lib/abi.h: what spawn accepts */
#define SH_SCREEN_WIDTH 80

static const char prompt[] = "memos$ ";

static void greet(void)
{
	printf("\nmemos shell: runs the programs in the initrd "
	       "(try heapdemo 8, sbrkdemo, memhog).\n"
	       "What next: type `help` for the commands and `ls` for the "
	       "programs;\n"
	       "`exit` powers the machine off (QEMU: Ctrl-A then X quits at "
	       "any time).\n");
}

static void help(void)
{
	printf("Commands:\n"
	       "  NAME [ARG...]    run program NAME from the initrd\n"
	       "  ls               list the programs\n"
	       "  mem              free memory (frames), processes, page "
	       "faults, swap\n"
	       "  help             this text\n"
	       "  exit [N]         end the shell (status N): QEMU powers "
	       "off\n"
	       "Programs to try first:\n"
	       "  heapdemo [N]     malloc and free N blocks in patterns: "
	       "blocks split and merge\n"
	       "  sbrkdemo         the program break as sbrk grows and "
	       "shrinks the heap\n"
	       "  memhog           malloc until memory runs out, free it "
	       "all, see the frames return\n"
	       "  heapmisuse KIND  a double free or a trampled block, "
	       "caught by malloc\n"
	       "  faulter KIND     a program the kernel kills (null-read, "
	       "divide-by-zero, ...)\n"
	       "  vmmap [PID]      a program's regions and how many pages "
	       "have frames\n"
	       "  slabinfo         the kernel's slab caches: objects, "
	       "slabs, pages, bytes lost\n"
	       "  forkdemo [MS]    fork and copy-on-write, seen with "
	       "pageinfo\n"
	       "  bigbss           a program bigger than memory: runs, "
	       "paged in on demand\n"
	       "  refstring -p fifo -f 3 1 2 3 4 1 2 5 1 2 3 4 5\n"
	       "                   page faults of a reference string "
	       "(policy, frames)\n"
	       "  thrash           processes whose pages outgrow memory "
	       "(boot with mem=4)\n"
	       "  spinner          a program that never ends: stop it with "
	       "Ctrl-C\n"
	       "Ctrl-C ends the program running (and every process it "
	       "started).\n"
	       "Quit at any time: in QEMU Ctrl-A, then X; in Bochs Ctrl-C, "
	       "then q.\n");
}

/* Prints the initrd's programs in columns. */
static void list(void)
{
	int need = list_programs(NULL, 0);
	char *names = need >= 0 ? malloc((size_t)need + 1) : NULL;

	if (!names || list_programs(names, (size_t)need + 1) < 0) {
		perror("sh: ls");
		free(names);
		return;
	}
	size_t width = 0;
	for (char *n = names; *n;) {
		size_t len = strcspn(n, "\n");
		if (len > width)
			width = len;
		n += len + (n[len] == '\n');
	}
	size_t columns = SH_SCREEN_WIDTH / (width + 2);
	size_t column = 0, last_len = 0;
	for (char *n = strtok(names, "\n"); n; n = strtok(NULL, "\n")) {
		if (column == columns) {
			putchar('\n');
			column = 0;
		} else if (column > 0) {
			for (size_t pad = last_len; pad < width + 2; pad++)
				putchar(' ');
		}
		printf("%s", n);
		last_len = strlen(n);
		column++;
	}
	if (column)
		putchar('\n');
	free(names);
}

static void mem(void)
{
	struct meminfo m;

	if (meminfo(&m) < 0) {
		perror("sh: mem");
		return;
	}
	printf("frames: %u of %u free (%u KiB); kernel heap: %u bytes used; "
	       "processes: %u\n",
	       (unsigned)m.free_frames, (unsigned)m.total_frames,
	       (unsigned)m.free_frames * 4, (unsigned)m.kheap_used_bytes,
	       (unsigned)m.process_count);
	printf("page faults served: %u (pages zero-filled: %u, read from "
	       "programs: %u); killed for lack of memory: %u\n",
	       (unsigned)m.page_faults, (unsigned)m.pages_zero_filled,
	       (unsigned)m.pages_from_file, (unsigned)m.out_of_memory_kills);
	printf("copy-on-write faults: %u; pages copied: %u\n",
	       (unsigned)m.cow_faults, (unsigned)m.pages_copied);
	if (m.swap_slots_total == 0) {
		printf("swap: none (no swap disk)\n");
		return;
	}
	printf("swap: %u of %u slots used; pages written %u, read %u; "
	       "evictions %u (%u with no write); swap cache hits %u\n",
	       (unsigned)m.swap_slots_used, (unsigned)m.swap_slots_total,
	       (unsigned)m.swap_pages_written, (unsigned)m.swap_pages_read,
	       (unsigned)m.evictions, (unsigned)m.evictions_clean,
	       (unsigned)m.swap_cache_hits);
}

static const char *signal_text(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return "SIGSEGV: bad memory access";
	case SIGILL:
		return "SIGILL: illegal instruction";
	case SIGFPE:
		return "SIGFPE: arithmetic error";
	case SIGABRT:
		return "SIGABRT: aborted";
	case SIGKILL:
		return "SIGKILL: killed by kill(), or by the kernel: out of "
		       "memory, or a time limit";
	case SIGINT:
		return "SIGINT: interrupted by Ctrl-C";
	case SIGTERM:
		return "SIGTERM: terminated by kill()";
	}
	return "unknown signal";
}

/* What a child that could not execv exits with: the shell then says
 * nothing more (the child said why), as Unix shells do with 127. */
#define EXEC_FAILED 127

/*
 * Runs argv[0] the Unix way: fork a copy of the shell, which replaces
 * itself with the program (execv), and wait for it. Says how it ended
 * unless all went well.
 */
static void run(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "sh: cannot run %s: %s\n", argv[0],
		        strerror(errno));
		return;
	}
	if (pid == 0) {
		setpgid(0, 0); /* a group of its own (the parent does it too) */
		execv(argv[0], argv); /* returns only if it failed */
		if (errno == ENOENT)
			fprintf(stderr,
			        "sh: %s: no such program (`ls` lists them)\n",
			        argv[0]);
		else
			fprintf(stderr, "sh: cannot run %s: %s\n", argv[0],
			        strerror(errno));
		exit(EXEC_FAILED);
	}
	/* Both sides move the child, so that the group exists whichever
	 * runs first; then Ctrl-C goes to it. */
	setpgid(pid, pid);
	tcsetpgrp(STDIN_FILENO, pid);
	pid_t got = waitpid(pid, &status, 0);
	tcsetpgrp(STDIN_FILENO, 0); /* Ctrl-C at the prompt: only the line */
	if (got != pid) {
		perror("sh: waitpid");
		return;
	}
	if (WIFSIGNALED(status))
		fprintf(stderr, "sh: %s was killed by signal %d (%s)\n",
		        argv[0], WTERMSIG(status),
		        signal_text(WTERMSIG(status)));
	else if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != EXEC_FAILED)
		fprintf(stderr, "sh: %s exited with status %d\n", argv[0],
		        WEXITSTATUS(status));
}

/* Splits line into words at spaces and tabs (a CR or LF ends it). The
 * number of words, or -1 if there are more than SH_ARGS_MAX. */
static int split(char *line, char **argv)
{
	int argc = 0;

	line[strcspn(line, "\r\n")] = '\0';
	for (char *w = strtok(line, " \t"); w; w = strtok(NULL, " \t")) {
		if (argc == SH_ARGS_MAX)
			return -1;
		argv[argc++] = w;
	}
	argv[argc] = NULL;
	return argc;
}

int main(void)
{
	char line[SH_LINE_MAX];
	char *argv[SH_ARGS_MAX + 1];

	greet();
	for (;;) {
		printf("%s", prompt);
		if (!fgets(line, sizeof(line), stdin))
			return 0; /* the console has nothing more */
		int argc = split(line, argv);
		if (argc < 0) {
			fprintf(stderr, "sh: too many words (at most %d)\n",
			        SH_ARGS_MAX);
		} else if (argc == 0) {
			continue;
		} else if (strcmp(argv[0], "exit") == 0) {
			return argc > 1 ? atoi(argv[1]) : 0;
		} else if (strcmp(argv[0], "help") == 0) {
			help();
		} else if (strcmp(argv[0], "ls") == 0) {
			list();
		} else if (strcmp(argv[0], "mem") == 0) {
			mem();
		} else {
			run(argv);
		}
	}
}
