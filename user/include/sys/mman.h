/* <sys/mman.h>: mmap(), munmap(), mprotect() (docs/mmap.md). PROT_*,
 * MAP_* and MMAP_MAX are lib/abi.h's, with Linux's values. */
#ifndef _MEMOS_SYS_MMAN_H
#define _MEMOS_SYS_MMAN_H

#include <sys/types.h>

#include "lib/abi.h" /* PROT_READ, MAP_SHARED, MAP_ANONYMOUS, ... */

/* What mmap returns when it fails (errno says why). */
#define MAP_FAILED ((void *)-1)

/* Maps len bytes (rounded up to pages): zeros (MAP_ANONYMOUS) or the
 * bytes of file fd from offset (a multiple of 4096), private copies
 * (MAP_PRIVATE) or shared with the children forked afterwards
 * (MAP_SHARED | MAP_ANONYMOUS). addr: a hint, or exactly there with
 * MAP_FIXED (replacing any mapping there). The address, or MAP_FAILED and
 * errno EINVAL, EBADF, ENODEV, EACCES, ENOMEM. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);

/* Removes the mappings in [addr, addr + len) (addr page aligned; nothing
 * mapped there is not an error). 0, or -1 and errno EINVAL, ENOMEM. */
int munmap(void *addr, size_t len);

/* Gives the mapped pages of [addr, addr + len) the rights prot, resident
 * pages at once. 0, or -1 and errno EINVAL, ENOMEM (a page not mapped),
 * EACCES (a shared file mapping made writable). */
int mprotect(void *addr, size_t len, int prot);

#endif
