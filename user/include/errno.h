/* <errno.h>: errno and the error numbers. The numbers are lib/abi.h's,
 * the same the kernel returns (negated) from a system call. */
#ifndef _MEMOS_ERRNO_H
#define _MEMOS_ERRNO_H

#include "lib/abi.h" /* the numbers, EDOM and EILSEQ included */

/* Set by a library function that fails; never cleared by one that works.
 * One thread per process, so one variable. */
extern int errno;

#endif
