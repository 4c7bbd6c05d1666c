/*
 * The initial RAM disk: a ustar archive GRUB loads as a multiboot module.
 * It holds the user programs (and test fixtures), found by file name.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stdbool.h>
#include <stddef.h>

#define INITRD_NAME_MAX 100

/* Maps the first multiboot module, checks its headers and indexes its
 * files by name. An absent archive leaves the initrd empty; a bad header
 * ends it there (either is said on the console). */
void initrd_init(void);

/* The file's bytes (read-only) and size; false if there is no such file.
 * A binary search of the index: O(log files). */
bool initrd_find(const char *name, const void **data, size_t *size);

typedef void (*initrd_file_fn)(const char *name, const void *data, size_t size,
                               void *ctx);
/* Calls fn for every regular file, in name order. */
void initrd_for_each(initrd_file_fn fn, void *ctx);

#endif
