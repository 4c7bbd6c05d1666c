/* <sys/resource.h>: resource limits and usage (POSIX). memos has one
 * limit, RLIMIT_RSS: the pages of its heap a process keeps resident
 * (docs/swap-policies.md). Each returns 0, or -1 and sets errno. */
#ifndef _MEMOS_SYS_RESOURCE_H
#define _MEMOS_SYS_RESOURCE_H

#include <stdint.h>

#include "lib/abi.h" /* RLIMIT_RSS, struct rlimit, struct rusage */

typedef uint32_t rlim_t;

/* Sets resource's limit: EINVAL for another resource than RLIMIT_RSS, a
 * limit under one page, above RLIMIT_RSS_MAX_PAGES pages (and not
 * RLIM_INFINITY) or rlim_cur above rlim_max; EPERM to raise rlim_max;
 * EFAULT for a bad rlim. fork and execv keep it; spawn starts without. */
int setrlimit(int resource, const struct rlimit *rlim);
int getrlimit(int resource, struct rlimit *rlim);

/* The caller's page faults so far (who: RUSAGE_SELF; else EINVAL). */
int getrusage(int who, struct rusage *usage);

#endif
