/* <sys/types.h>: the POSIX types the memos headers use. */
#ifndef _MEMOS_SYS_TYPES_H
#define _MEMOS_SYS_TYPES_H

#include <stddef.h>

typedef int ssize_t;             /* a byte count or -1 */
typedef int pid_t;               /* a process id */
typedef unsigned int useconds_t; /* microseconds (usleep) */
typedef int off_t;               /* an offset in a file (lseek) */
typedef unsigned int mode_t;     /* a file's type and permissions */

#endif
