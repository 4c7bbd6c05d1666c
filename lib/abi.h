/*
 * The kernel/user boundary: the one header both sides share (system call
 * numbers, error numbers, wait statuses, shared structures). User code
 * includes this and nothing else of the kernel's.
 *
 * A system call: `int 0x80` with eax = the number, arguments in ebx, ecx,
 * edx, esi, edi; the result comes back in eax. A negative result is an
 * error: -ENOMEM, -EFAULT, ... (docs/syscalls.md has the table). Errors
 * are always between -4095 and -1, so sbrk's addresses are never mistaken
 * for one.
 */
#ifndef LIB_ABI_H
#define LIB_ABI_H

#include <stdint.h>

#define SYSCALL_VECTOR 0x80

/* System call numbers. */
#define SYS_EXIT 0          /* exit(status): does not return */
#define SYS_WRITE 1         /* write(fd, buf, len) -> bytes written */
#define SYS_READ 2          /* read(fd, buf, len) -> bytes read */
#define SYS_GETPID 3        /* getpid() -> pid */
#define SYS_SPAWN 4         /* spawn(name, argv) -> pid of the child */
#define SYS_WAITPID 5       /* waitpid(pid, &status, options) -> pid */
#define SYS_YIELD 6         /* yield() -> 0 */
#define SYS_SLEEP_MS 7      /* sleep_ms(ms) -> 0 */
#define SYS_UPTIME_MS 8     /* uptime_ms() -> milliseconds since boot */
#define SYS_LIST_PROGRAMS 9 /* list_programs(buf, len) -> bytes needed */
#define SYS_SBRK 10         /* sbrk(increment) -> old break */
#define SYS_MEMINFO 11      /* meminfo(&info) -> 0 */
#define SYS_ABORT 12        /* abort(): ends the caller as killed by SIGABRT */
#define SYS_GETPPID 13      /* getppid() -> pid of the parent, 0 if none */
#define SYS_PAGEINFO 14     /* pageinfo(addr, &info) -> 0 */
#define SYS_REGIONS 15      /* regions(pid, buf, max) -> how many */
#define SYS_FORK 16         /* fork() -> child's pid, 0 in the child */
#define SYS_EXECV 17        /* execv(path, argv) -> no return, or -errno */
#define SYS_SLABINFO 18     /* slabinfo(buf, max) -> how many caches */
#define SYS_KILL 19         /* kill(pid, sig) -> 0 */
#define SYS_SETPGID 20      /* setpgid(pid, pgid) -> 0 */
#define SYS_GETPGRP 21      /* getpgrp() -> the caller's process group */
#define SYS_TCSETPGRP 22    /* tcsetpgrp(fd, pgid) -> 0: Ctrl-C's target */
#define SYS_TCGETPGRP 23    /* tcgetpgrp(fd) -> the foreground group */
#define SYS_SETRLIMIT 24    /* setrlimit(resource, &limit) -> 0 */
#define SYS_GETRLIMIT 25    /* getrlimit(resource, &limit) -> 0 */
#define SYS_GETRUSAGE 26    /* getrusage(RUSAGE_SELF, &usage) -> 0 */
#define SYS_EVICT_POLICY 27 /* evict_policy(policy or -1) -> the old one */
#define SYSCALL_COUNT 28

/* Error numbers: system calls return them negated. */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EIO 5
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
/* Standard C's own two, which no system call returns. */
#define EDOM 33
#define EILSEQ 84

/* File descriptors every process has: the console. */
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* waitpid options. */
#define WNOHANG 1

/*
 * The status waitpid reports, laid out as on Unix:
 *   exited normally:  (exit status & 0xff) << 8
 *   killed by fault:  the signal number (below), in bits 0-6
 */
#define WIFEXITED(s) (((s)&0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s)&0x7f) != 0)
#define WTERMSIG(s) ((s)&0x7f)

/* Why a process was killed (the Unix signal numbers for the same causes). */
#define SIGINT 2   /* Ctrl-C at the console (kill() can send it too) */
#define SIGILL 4   /* invalid or privileged instruction */
#define SIGABRT 6  /* the program gave up (abort, heap misuse) */
#define SIGFPE 8   /* division by zero */
#define SIGKILL 9  /* kill(), the kernel (out of memory, a test's time) */
#define SIGSEGV 11 /* bad memory access, stack overflow */
#define SIGTERM 15 /* kill()'s polite request: here it ends the process */

/*
 * How many user processes may exist at once, zombies included: past it,
 * fork and spawn fail with EAGAIN. A fork bomb stops here, long before
 * memory runs out (docs/syscalls.md, "The process limit").
 */
#define PROCESS_MAX 64

/* Limits on spawn's arguments. */
#define ARG_MAX_COUNT 32
#define ARG_MAX_BYTES 4096

/* What SYS_MEMINFO reports: for tests that check nothing leaks. */
struct meminfo {
	uint32_t total_frames; /* 4 KiB frames of usable RAM */
	uint32_t free_frames;
	uint32_t kheap_used_bytes; /* kernel heap: bytes in used blocks */
	uint32_t kheap_free_bytes;
	uint32_t process_count; /* processes alive (zombies included) */
	/* The page-fault path since boot (docs/virtual-memory.md): */
	uint32_t page_faults;         /* faults served with a new frame */
	uint32_t pages_zero_filled;   /* frames given out zero-filled */
	uint32_t pages_from_file;     /* frames filled from a program file */
	uint32_t out_of_memory_kills; /* processes ended: no frame for a page */
	uint32_t cow_faults;   /* writes to pages fork shared (copy-on-write) */
	uint32_t pages_copied; /* by those writes, and by an eager fork */
	/* Swap (docs/swap.md); all 0 without a swap disk: */
	uint32_t swap_slots_total;   /* pages the swap disk holds */
	uint32_t swap_slots_used;    /* slots holding a page now */
	uint32_t swap_pages_written; /* pages written to swap since boot */
	uint32_t swap_pages_read;    /* pages read back from swap */
	uint32_t evictions;          /* frames taken from user pages */
	uint32_t evictions_clean;    /* ...of them with no write (a clean
	                                page, or its slot still good) */
	uint32_t swap_cache_hits;    /* faults served from the swap cache */
	uint32_t user_frames;        /* frames holding user pages now */
};

/*
 * What SYS_PAGEINFO reports about the page holding one address of the
 * caller. It only looks: it never gives the page a frame.
 */
struct pageinfo {
	uint32_t flags;        /* PAGEINFO_* below */
	uint32_t region_start; /* the region holding it (PAGEINFO_REGION) */
	uint32_t region_end;   /* (exclusive) */
	uint32_t region_kind;  /* REGION_KIND_* */
	uint32_t frame;        /* its frame's physical address (PRESENT) */
	uint32_t frame_maps;   /* how many page-table entries map that frame:
	                          more than 1 when fork shares it */
};
#define PAGEINFO_REGION 0x01   /* a region covers the address, and: */
#define PAGEINFO_READ 0x02     /*   the program may read there */
#define PAGEINFO_WRITE 0x04    /*   the program may write there */
#define PAGEINFO_EXEC 0x08     /*   it holds program code */
#define PAGEINFO_PRESENT 0x10  /* the page has a frame now */
#define PAGEINFO_WRITABLE 0x20 /* ... which the program may write now */
#define PAGEINFO_COW 0x40      /* fork shares it: a write copies it first */

/* One region of a process, as SYS_REGIONS reports it (vmmap prints
 * them, like Linux's /proc/PID/maps). */
struct region_info {
	uint32_t start;    /* page aligned */
	uint32_t end;      /* exclusive; start == end: empty (a new heap) */
	uint32_t rights;   /* PAGEINFO_READ | PAGEINFO_WRITE | PAGEINFO_EXEC */
	uint32_t kind;     /* REGION_KIND_* */
	uint32_t resident; /* pages of it that have a frame now */
};

/* One of the kernel's slab caches, as SYS_SLABINFO reports it (slabinfo
 * prints them; docs/slab.md). */
struct slabinfo {
	char name[16];             /* the cache's, cut to 15 characters */
	uint32_t object_size;      /* bytes, as the kernel asked */
	uint32_t stride;           /* bytes each object takes in its slab */
	uint32_t objects_per_slab; /* in a slab of pages_per_slab pages */
	uint32_t pages_per_slab;
	uint32_t objects_in_use;
	uint32_t objects_total; /* in all the slabs the cache holds */
	uint32_t slabs;         /* held now, of which: */
	uint32_t slabs_empty;   /*   kept empty for the next allocations */
	uint32_t pages;         /* frames the slabs take */
	uint32_t lost_bytes;    /* internal fragmentation: bytes of the
	                           slabs no object can use (headers, padding,
	                           slab tails): pages * 4096 - objects_total *
	                           object_size */
	uint32_t debug;         /* 1: red zones and poison (slab=debug) */
};

/*
 * Resource limits (setrlimit, getrlimit; <sys/resource.h>). memos has
 * one: RLIMIT_RSS, the most pages of its heap a process keeps resident
 * (in bytes, a whole number of pages); past it, a fault evicts one of
 * its own heap pages, chosen by its policy (evict_policy). Linux's
 * number.
 */
#define RLIMIT_RSS 5
#define RLIM_INFINITY 0xFFFFFFFFu /* no limit */
/* The largest RLIMIT_RSS other than RLIM_INFINITY: 1024 pages (4 MiB). */
#define RLIMIT_RSS_MAX_PAGES 1024
struct rlimit {
	uint32_t rlim_cur; /* the limit in force */
	uint32_t rlim_max; /* how high rlim_cur may be raised */
};

/* getrusage: what a process has used. Only the caller (RUSAGE_SELF). */
#define RUSAGE_SELF 0
struct rusage {
	long ru_minflt; /* page faults served without the disk */
	long ru_majflt; /* page faults that read the disk (swap) */
};

/* Replacement policies (evict_policy; the boot option evict=). */
#define EVICT_POLICY_FIFO 0
#define EVICT_POLICY_CLOCK 1
#define EVICT_POLICY_LRU 2 /* aging counters, sampled on the timer tick */
#define EVICT_POLICY_RANDOM 3

/* What a region holds (struct pageinfo's region_kind). */
#define REGION_KIND_TEXT 0  /* program code and read-only data */
#define REGION_KIND_DATA 1  /* the program's initialized data */
#define REGION_KIND_BSS 2   /* the program's zero-initialized data */
#define REGION_KIND_HEAP 3  /* from the image's end to the break (sbrk) */
#define REGION_KIND_STACK 4 /* the user stack */

#endif
