/* <sys/stat.h>: fstat(). struct stat, the S_IF* types and the S_I*
 * permission bits are lib/abi.h's (docs/files.md). */
#ifndef _MEMOS_SYS_STAT_H
#define _MEMOS_SYS_STAT_H

#include <sys/types.h>

#include "lib/abi.h" /* struct stat, S_IFREG, S_ISREG, S_IRUSR, ... */

/* Fills *st with what fd is: a file of the initrd (S_IFREG, its size and
 * permission bits), the directory (S_IFDIR) or the console (S_IFCHR). 0,
 * or -1 and errno EBADF, EFAULT. */
int fstat(int fd, struct stat *st);

#endif
