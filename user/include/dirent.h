/* <dirent.h>: reading a directory: the initrd's one, "/" (docs/files.md).
 * struct dirent is lib/abi.h's: d_ino, d_type and d_name. */
#ifndef _MEMOS_DIRENT_H
#define _MEMOS_DIRENT_H

#include <stddef.h>

#include "lib/abi.h" /* struct dirent, DT_REG */

#define DIRENT_BUFFER 8 /* entries one getdents call fetches */

/* An open directory: its descriptor and the entries fetched from it. */
typedef struct {
	int fd;
	int next, count; /* entries[next..count) are still to be returned */
	struct dirent entries[DIRENT_BUFFER];
} DIR;

/* Opens directory path ("/"): NULL and errno as open()'s, ENOTDIR for a
 * file, ENOMEM. */
DIR *opendir(const char *path);

/* The next entry, or NULL at the end (errno unchanged) or on an error
 * (errno set). The entry stays valid until the next call. */
struct dirent *readdir(DIR *dir);

/* Closes it: 0, or -1 and errno EBADF. */
int closedir(DIR *dir);

/* memos and Linux: reads whole entries of directory fd into buf (len
 * bytes, at least one struct dirent): the bytes written, 0 at the end;
 * -1 and errno EBADF, ENOTDIR, EINVAL (buf too small), EFAULT. */
int getdents(int fd, struct dirent *buf, size_t len);

#endif
