/* <fcntl.h>: open() and its flags (O_RDONLY, O_CREAT, ...: lib/abi.h,
 * Linux's values). The files are the initrd's, read-only: docs/files.md. */
#ifndef _MEMOS_FCNTL_H
#define _MEMOS_FCNTL_H

#include <sys/types.h>

#include "lib/abi.h" /* O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, ... */

/*
 * Opens file path ("NAME" or "/NAME"; "/" is the directory) and returns
 * the lowest free file descriptor, its offset at 0. Only O_RDONLY opens:
 * -1 and errno EROFS for O_WRONLY, O_RDWR, O_TRUNC, or O_CREAT of a file
 * that does not exist (O_CREAT of one that does just opens it; with
 * O_EXCL: EEXIST); ENOENT (no such file), EISDIR (the directory, to
 * write), ENOTDIR (O_DIRECTORY of a file), EINVAL (access mode 3),
 * ENAMETOOLONG (a name over NAME_MAX or a path over PATH_MAX bytes),
 * EMFILE (OPEN_MAX descriptors open), EFAULT, ENOMEM. A mode argument
 * (for O_CREAT) is accepted and not used.
 */
int open(const char *path, int flags, ...);

#endif
