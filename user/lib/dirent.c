/* opendir, readdir, closedir over getdents, as a C library builds them:
 * entries are fetched a few at a time into the DIR. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "user/lib/syscall.h"

int getdents(int fd, struct dirent *buf, size_t len)
{
	int ret = sys_getdents(fd, buf, len);

	if (syscall_failed(ret)) {
		errno = -ret;
		return -1;
	}
	return ret;
}

DIR *opendir(const char *path)
{
	DIR *dir = malloc(sizeof(*dir));

	if (!dir) {
		errno = ENOMEM;
		return NULL;
	}
	dir->fd = open(path, O_RDONLY | O_DIRECTORY);
	if (dir->fd < 0) {
		free(dir);
		return NULL;
	}
	dir->next = dir->count = 0;
	return dir;
}

struct dirent *readdir(DIR *dir)
{
	if (dir->next == dir->count) {
		int bytes =
		        getdents(dir->fd, dir->entries, sizeof(dir->entries));
		if (bytes <= 0)
			return NULL; /* the end (0), or errno says why */
		dir->next = 0;
		dir->count = bytes / (int)sizeof(struct dirent);
	}
	/* d_reclen would step through Linux's records of many sizes; here
	 * every record is one struct dirent. */
	return &dir->entries[dir->next++];
}

int closedir(DIR *dir)
{
	int err = close(dir->fd);

	free(dir);
	return err;
}
