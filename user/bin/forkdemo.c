/*
 * forkdemo: copy-on-write, seen with pageinfo. A parent fills an array of
 * four pages and forks. The child prints what each page is: the same
 * frames as the parent's, mapped twice, read-only and copy-on-write. It
 * writes the first half; those pages now have frames of their own. The
 * parent looks at its side while the child lives, and after it ended.
 * (With vm=eager, fork copies every page at once: nothing is shared.)
 *
 * forkdemo MS: the child waits MS milliseconds after each step (after the
 * fork, after its writes), long enough to watch its frames in the memory
 * viewer (make view, docs/view.md).
 */
#include <memos.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/parse.h"

#define PAGES 4
#define PAGE 4096

static char array[PAGES * PAGE] __attribute__((aligned(4096)));

static void show(const char *who)
{
	printf("%s:\n", who);
	for (int i = 0; i < PAGES; i++) {
		struct pageinfo info;
		if (pageinfo(array + i * PAGE, &info) != 0) {
			perror("forkdemo: pageinfo");
			return;
		}
		printf("  page %d: frame 0x%08x, mapped %u time%s, %s%s, "
		       "holds '%c'\n",
		       i, (unsigned)info.frame, (unsigned)info.frame_maps,
		       info.frame_maps == 1 ? "" : "s",
		       info.flags & PAGEINFO_WRITABLE ? "writable"
		                                      : "read-only",
		       info.flags & PAGEINFO_COW ? ", copy-on-write" : "",
		       array[i * PAGE]);
	}
}

int main(int argc, char **argv)
{
	int pause = 0; /* ms the child waits after each step */

	if (argc > 2 ||
	    (argc == 2 && (parse_int(argv[1], &pause) != 0 || pause < 0))) {
		fprintf(stderr, "usage: forkdemo [MILLISECONDS]\n");
		return 2;
	}
	memset(array, 'p', sizeof(array));
	show("parent, before fork");
	pid_t pid = fork();
	if (pid < 0) {
		perror("forkdemo: fork");
		return 1;
	}
	if (pid == 0) {
		show("child, after fork");
		if (pause)
			sleep_ms((uint32_t)pause);
		memset(array, 'c', PAGES / 2 * PAGE);
		show("child, after writing pages 0 and 1");
		/* alive while the parent looks */
		sleep_ms(400 + (uint32_t)pause);
		return 0;
	}
	sleep_ms(200 + (uint32_t)pause); /* the child prints first */
	show("parent, while the child lives");
	waitpid(pid, NULL, 0);
	show("parent, after the child ended");
	struct meminfo m;
	if (meminfo(&m) == 0)
		printf("copy-on-write faults so far: %u, pages copied: %u\n",
		       (unsigned)m.cow_faults, (unsigned)m.pages_copied);
	return 0;
}
