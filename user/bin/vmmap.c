/*
 * vmmap [PID]: a process's regions, like Linux's /proc/PID/maps: where
 * each lies, its rights, what it holds, and how many of its pages have a
 * frame now; a file mapping also its file and the offset of its first
 * page. Without PID, vmmap's own (docs/virtual-memory.md, docs/mmap.md).
 */
#include <errno.h>
#include <memos.h>
#include <stdio.h>

#include "user/lib/parse.h"

/* On the stack: vmmap's first page holds it. A process may have more
 * (up to MMAP_MAX mappings): vmmap says how many it left out. */
#define MAX_REGIONS 32

static const char *kind_name(uint32_t kind)
{
	static const char *const names[] = {
	        [REGION_KIND_TEXT] = "text",     [REGION_KIND_DATA] = "data",
	        [REGION_KIND_BSS] = "bss",       [REGION_KIND_HEAP] = "heap",
	        [REGION_KIND_STACK] = "stack",   [REGION_KIND_ANON] = "anon",
	        [REGION_KIND_SHARED] = "shared", [REGION_KIND_FILE] = "file",
	};

	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

int main(int argc, char **argv)
{
	struct region_info region[MAX_REGIONS];
	int pid = 0;

	if (argc > 2 ||
	    (argc == 2 && (parse_int(argv[1], &pid) != 0 || pid <= 0))) {
		fprintf(stderr, "usage: vmmap [PID]\n");
		return 2;
	}
	int n = regions(pid, region, MAX_REGIONS);
	if (n < 0) {
		if (errno == ESRCH)
			fprintf(stderr, "vmmap: no program with pid %d\n", pid);
		else
			perror("vmmap");
		return 1;
	}
	printf("start    end      rights kind   pages resident\n");
	for (int i = 0; i < n && i < MAX_REGIONS; i++) {
		const struct region_info *r = &region[i];
		printf("%08x-%08x %c%c%c    %-6s%6u %8u", (unsigned)r->start,
		       (unsigned)r->end, r->rights & PAGEINFO_READ ? 'r' : '-',
		       r->rights & PAGEINFO_WRITE ? 'w' : '-',
		       r->rights & PAGEINFO_EXEC ? 'x' : '-',
		       kind_name(r->kind),
		       (unsigned)((r->end - r->start) / 4096),
		       (unsigned)r->resident);
		if (r->kind == REGION_KIND_FILE)
			printf("  %s @ %#x", r->file, (unsigned)r->offset);
		printf("\n");
	}
	if (n > MAX_REGIONS)
		printf("(and %d more regions)\n", n - MAX_REGIONS);
	return 0;
}
