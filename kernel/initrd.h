/*
 * The initial RAM disk: a ustar archive GRUB loads as a multiboot module.
 * It holds the user programs (and test fixtures), found by file name.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <stdbool.h>
#include <stddef.h>

#define INITRD_NAME_MAX 100

/* Maps the first multiboot module and checks it is a ustar archive. An
 * absent or broken archive leaves the initrd empty (and says so). */
void initrd_init(void);

/* The file's bytes (read-only) and size; false if there is no such file. */
bool initrd_find(const char *name, const void **data, size_t *size);

typedef void (*initrd_file_fn)(const char *name, const void *data, size_t size,
                               void *ctx);
/* Calls fn for every regular file, in archive order. */
void initrd_for_each(initrd_file_fn fn, void *ctx);

#endif
