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
#define SYS_OPEN 28         /* open(path, flags) -> fd */
#define SYS_CLOSE 29        /* close(fd) -> 0 */
#define SYS_LSEEK 30        /* lseek(fd, offset, whence) -> new offset */
#define SYS_FSTAT 31        /* fstat(fd, &stat) -> 0 */
#define SYS_GETDENTS 32     /* getdents(fd, buf, len) -> bytes of entries */
/* mmap(addr, len, prot, flags, fd, offset) -> address; the sixth argument
 * in ebp, as Linux's i386 ABI has it (docs/mmap.md). */
#define SYS_MMAP 33
#define SYS_MUNMAP 34   /* munmap(addr, len) -> 0 */
#define SYS_MPROTECT 35 /* mprotect(addr, len, prot) -> 0 */
#define SYSCALL_COUNT 36

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
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define EMFILE 24
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define EOVERFLOW 75
/* Standard C's own two, which no system call returns. */
#define EDOM 33
#define EILSEQ 84

/* File descriptors every process has: the console. */
#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/*
 * Files (docs/files.md). The initrd is a read-only file system of one
 * directory, "/": user/files/NAME and every program is the file "NAME",
 * also found as "/NAME". The flag and mode values are Linux's.
 */
#define OPEN_MAX 16  /* file descriptors per process: 0 to 15 */
#define NAME_MAX 100 /* bytes in a file's name (a ustar header's) */
#define PATH_MAX 256 /* bytes in a path, its NUL included */

/* open's flags: one access mode, ORed with any of the others. */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_ACCMODE 3
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000 /* fail with ENOTDIR unless a directory */

/* lseek's whence. */
#define SEEK_SET 0 /* offset from the start */
#define SEEK_CUR 1 /* from the current offset */
#define SEEK_END 2 /* from the end of the file */

/* What SYS_FSTAT fills: POSIX's struct stat, the fields memos has. */
struct stat {
	uint32_t st_dev;    /* the device: 1 the initrd, 0 the console */
	uint32_t st_ino;    /* the file's number on it (d_ino) */
	uint32_t st_mode;   /* S_IF* type | permission bits */
	uint32_t st_nlink;  /* 1 */
	uint32_t st_uid;    /* 0: every file is root's */
	uint32_t st_gid;    /* 0 */
	uint32_t st_rdev;   /* 0 */
	int32_t st_size;    /* bytes (a directory: its entries) */
	int32_t st_blksize; /* the best size for a read: 4096 */
	int32_t st_blocks;  /* 512-byte blocks the file takes */
};

/* st_mode: the file's type, then its permission bits. */
#define S_IFMT 0170000
#define S_IFDIR 0040000 /* a directory */
#define S_IFCHR 0020000 /* a character device: the console */
#define S_IFREG 0100000 /* a regular file */
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_IRUSR 0400
#define S_IWUSR 0200
#define S_IXUSR 0100
#define S_IRGRP 0040
#define S_IWGRP 0020
#define S_IXGRP 0010
#define S_IROTH 0004
#define S_IWOTH 0002
#define S_IXOTH 0001

/*
 * One directory entry, as SYS_GETDENTS writes them one after another
 * (Linux's getdents64 records, all of one size here: d_reclen is
 * sizeof(struct dirent)). <dirent.h>'s readdir() returns them.
 */
struct dirent {
	uint32_t d_ino;            /* the file's number: st_ino */
	uint32_t d_off;            /* the directory's offset after this entry */
	uint16_t d_reclen;         /* bytes from this entry to the next */
	uint8_t d_type;            /* DT_REG: the initrd holds only files */
	char d_name[NAME_MAX + 1]; /* NUL-terminated */
};
#define DT_UNKNOWN 0
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8

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
#define SIGBUS 7   /* a mapped file's page past its end (mmap) */
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

#define REGION_FILE_NAME_MAX 32

/* One region of a process, as SYS_REGIONS reports it (vmmap prints
 * them, like Linux's /proc/PID/maps). */
struct region_info {
	uint32_t start;    /* page aligned */
	uint32_t end;      /* exclusive; start == end: empty (a new heap) */
	uint32_t rights;   /* PAGEINFO_READ | PAGEINFO_WRITE | PAGEINFO_EXEC */
	uint32_t kind;     /* REGION_KIND_* */
	uint32_t resident; /* pages of it that have a frame now */
	/* REGION_KIND_FILE: the file's offset at start, and its name (cut
	 * to REGION_FILE_NAME_MAX - 1 characters). */
	uint32_t offset;
	char file[REGION_FILE_NAME_MAX];
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
#define REGION_KIND_TEXT 0   /* program code and read-only data */
#define REGION_KIND_DATA 1   /* the program's initialized data */
#define REGION_KIND_BSS 2    /* the program's zero-initialized data */
#define REGION_KIND_HEAP 3   /* from the image's end to the break (sbrk) */
#define REGION_KIND_STACK 4  /* the user stack */
#define REGION_KIND_ANON 5   /* mmap MAP_PRIVATE | MAP_ANONYMOUS */
#define REGION_KIND_SHARED 6 /* mmap MAP_SHARED | MAP_ANONYMOUS */
#define REGION_KIND_FILE 7   /* mmap of a file (private copies) */

/* mmap's prot (any of them, or PROT_NONE) and flags (one of MAP_SHARED
 * and MAP_PRIVATE, with any of the others): Linux's values. */
#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
/* Mappings (mmap regions) a process may have at once: one more, by mmap
 * or by a munmap or mprotect that splits one, fails with ENOMEM (Linux's
 * vm.max_map_count, much smaller). */
#define MMAP_MAX 64

#endif
