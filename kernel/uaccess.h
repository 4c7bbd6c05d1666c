/*
 * Reading and writing user memory from a system call. Every pointer and
 * length from a user program is checked before use: inside user space, no
 * wrap-around past 4 GiB, and every page mapped with the permission the
 * copy needs (user-accessible, and writable for copies to the user). A bad
 * one gives -EFAULT; the kernel never faults on it.
 */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

/* 0 if the current process may read (and, with writable, write) all of
 * [addr, addr + len); -EFAULT if not. */
int check_user_buffer(uintptr_t addr, size_t len, bool writable);

int copy_from_user(void *dst, uintptr_t user_src, size_t len);
int copy_to_user(uintptr_t user_dst, const void *src, size_t len);

/* Copies a NUL-terminated string of at most max-1 characters. Returns its
 * length, -EFAULT, or -E2BIG if no NUL comes within max bytes. */
int copy_string_from_user(char *dst, uintptr_t user_src, size_t max);

#endif
