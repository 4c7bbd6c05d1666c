/*
 * sh: the memos shell. Reads a line from the console, splits it into
 * words at spaces and tabs, and runs the program the first word names
 * from the initrd with the words as its argv, the Unix way (fork, then
 * execv in the child); then waits for it and says how it ended unless it
 * exited with 0. Built in: help, ls, mem, exit. (cat is a program.)
 *
 * Each program runs in a process group of its own, which the shell makes
 * the console's foreground group (tcsetpgrp) while it waits: Ctrl-C ends
 * that group (SIGINT), not the shell. The shell takes the console back
 * with tcsetpgrp(0, 0), no foreground group, since without signal
 * handlers it could not survive a Ctrl-C of its own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <memos.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	       "files (programs*);\n"
	       "`exit` powers the machine off (QEMU: Ctrl-A then X quits at "
	       "any time).\n");
}

static void help(void)
{
	printf("Commands:\n"
	       "  NAME [ARG...]    run program NAME from the initrd\n"
	       "  ls               list the files with their sizes "
	       "(NAME*: a program)\n"
	       "  mem              free memory (frames), processes, page "
	       "faults, swap\n"
	       "  help             this text\n"
	       "  exit [N]         end the shell (status N): QEMU powers "
	       "off\n"
	       "Programs to try first:\n"
	       "  cat FILE...      print files (try cat hello.txt)\n"
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

/* One file of the initrd, as ls shows it. */
struct listed {
	char name[NAME_MAX + 2]; /* and '*' for a program */
	long size;
};

/* The size of file name, and whether it is a program (executable, as
 * tar stored it): fstat through an open descriptor. -1 if it cannot. */
static long file_size(const char *name, bool *program)
{
	struct stat st;
	int fd = open(name, O_RDONLY);

	if (fd < 0)
		return -1;
	int err = fstat(fd, &st);
	close(fd);
	*program = (st.st_mode & S_IXUSR) != 0;
	return err ? -1 : (long)st.st_size;
}

/* Reads the directory "/" into a malloc'd array: how many, or -1. */
static int read_files(struct listed **files)
{
	DIR *dir = opendir("/");
	int n = 0, room = 0;
	struct dirent *d;

	*files = NULL;
	if (!dir)
		return -1;
	errno = 0;
	while ((d = readdir(dir))) {
		bool program = false;
		if (n == room) {
			room = room ? 2 * room : 64;
			struct listed *more =
			        realloc(*files, (size_t)room * sizeof(**files));
			if (!more)
				break;
			*files = more;
		}
		struct listed *f = &(*files)[n++];
		f->size = file_size(d->d_name, &program);
		snprintf(f->name, sizeof(f->name), "%s%s", d->d_name,
		         program ? "*" : "");
	}
	int err = errno;
	closedir(dir);
	errno = err;
	return err ? -1 : n;
}

/* Prints every file of the initrd with its size, in columns, like
 * `ls -sF`: programs (executable files) end in '*'. */
static void list(void)
{
	struct listed *files;
	int n = read_files(&files);
	size_t width = 0, size_width = 1;

	if (n < 0) {
		perror("sh: ls");
		free(files);
		return;
	}
	for (int i = 0; i < n; i++) {
		char digits[16];
		size_t len = strlen(files[i].name);
		size_t size_len = (size_t)snprintf(digits, sizeof(digits),
		                                   "%ld", files[i].size);
		if (len > width)
			width = len;
		if (size_len > size_width)
			size_width = size_len;
	}
	size_t cell = width + 1 + size_width;
	size_t columns = (SH_SCREEN_WIDTH + 2) / (cell + 2);
	if (columns == 0)
		columns = 1;
	for (int i = 0; i < n; i++) {
		bool last = (size_t)i % columns == columns - 1 || i == n - 1;
		printf("%-*s %*ld%s", (int)width, files[i].name,
		       (int)size_width, files[i].size, last ? "\n" : "  ");
	}
	free(files);
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
