/*
 * The initial RAM disk: a ustar archive GRUB loads as a multiboot module.
 * It holds the user programs (and test fixtures), found by file name.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/ustar.h"

#define INITRD_NAME_MAX 100

/* Maps the first multiboot module, checks its headers and indexes its
 * files by name. An absent archive leaves the initrd empty; a bad header
 * ends it there (either is said on the console). */
void initrd_init(void);

/* The file's bytes (read-only) and size; false if there is no such file.
 * A binary search of the index: O(log files). */
bool initrd_find(const char *name, const void **data, size_t *size);

/*
 * The initrd's files as the file system sees them (kernel/file.c): one
 * directory, the files in name order, numbered from 1 (the inode number,
 * st_ino). A struct ustar_file stays where it is, unchanged, as long as
 * the kernel runs: an open file keeps a pointer to it (its name, its
 * bytes, its size, its mode).
 */
const struct ustar_file *initrd_lookup(const char *name); /* NULL: none */
size_t initrd_file_count(void);
const struct ustar_file *initrd_file_at(size_t index);   /* 0 to count-1 */
uint32_t initrd_file_number(const struct ustar_file *f); /* 1 to count */

typedef void (*initrd_file_fn)(const char *name, const void *data, size_t size,
                               void *ctx);
/* Calls fn for every regular file, in name order. */
void initrd_for_each(initrd_file_fn fn, void *ctx);

#endif
