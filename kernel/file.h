/*
 * Open files: the file descriptions open() makes, and each process's
 * table of descriptors pointing at them (docs/files.md). The files are the
 * initrd's, read-only, in one directory; fd 0, 1 and 2 are the console.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/ustar.h"
#include "lib/abi.h"

enum file_kind {
	FILE_CONSOLE,   /* fd 0 (read), 1 and 2 (write) */
	FILE_REGULAR,   /* a file of the initrd */
	FILE_DIRECTORY, /* the initrd's one directory, "/" */
};

/*
 * An open file description (POSIX's term): made by one open(), shared by
 * every descriptor that fork (or spawn) copied from the first, in any
 * process. The offset lives here, not in the descriptor: a parent and a
 * child that both read fd 3 read on from each other. refs counts the
 * descriptors; the last close frees it. The console's two descriptions
 * are static, never freed and not counted.
 */
struct file {
	enum file_kind kind;
	int access;    /* O_RDONLY or O_WRONLY (the console's output) */
	uint32_t refs; /* descriptors pointing here, in every process */
	/* The next byte read() gives (a directory: the next entry). Every
	 * change to it happens with interrupts off. */
	uint32_t offset;
	/* FILE_REGULAR: the file's name, bytes, size and mode, in the
	 * initrd's index; they never move nor change, so a mapping of the
	 * file (mmap, later) can point at them too. */
	const struct ustar_file *node;
};

/* A process's descriptors: fd N is fd[N], NULL when not open. */
struct file_table {
	struct file *fd[OPEN_MAX];
};

/* A program the kernel starts: fd 0 reads the console, 1 and 2 write it,
 * the rest closed. */
void file_table_init_console(struct file_table *t);

/* fork's and spawn's copy: the same descriptions, one more reference
 * each. Cannot fail. */
void file_table_copy(struct file_table *child, const struct file_table *from);

/* Closes every descriptor (exit, and a process killed). */
void file_table_close_all(struct file_table *t);

/* The description fd refers to in the current process, or NULL (EBADF). */
struct file *file_of_fd(uint32_t fd);

/*
 * open() in the current process: path is a kernel copy of the user's
 * string. The lowest free descriptor, or -ENOENT, -EROFS, -EEXIST,
 * -EISDIR, -ENOTDIR, -EINVAL, -ENAMETOOLONG, -EMFILE, -ENOMEM.
 */
int file_open(const char *path, int flags);

/* close(): 0 or -EBADF. */
int file_close(uint32_t fd);

/* read() of a file or directory (not the console): bytes copied to the
 * user's buf, 0 at the end; -EISDIR, -EFAULT (the offset unchanged). */
int32_t file_read(struct file *f, uint32_t user_buf, uint32_t len);

/* lseek(): the new offset, or -ESPIPE, -EINVAL, -EOVERFLOW. */
int32_t file_lseek(struct file *f, int32_t offset, uint32_t whence);

/* What fstat() reports about f. */
void file_stat(const struct file *f, struct stat *st);

/* getdents(): whole entries into the user's buf; the bytes written, 0 at
 * the end; -ENOTDIR, -EINVAL (buf holds no entry), -EFAULT. */
int32_t file_getdents(struct file *f, uint32_t user_buf, uint32_t len);

#endif
