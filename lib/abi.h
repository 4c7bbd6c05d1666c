/*
 * The kernel/user boundary: the one header both sides share. For now the
 * error numbers; system call numbers and shared structures join them.
 * Kernel functions return 0 or a negative error number (-ENOMEM).
 */
#ifndef LIB_ABI_H
#define LIB_ABI_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define ENOEXEC 8
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ERANGE 34
#define ENOSYS 38

#endif
