/* System calls for the console and the program list: write, read,
 * list_programs. read and write take any descriptor: the console's go
 * to the console, a file's to kernel/file.c. */
#include <stdbool.h>
#include <stddef.h>

#include "kernel/console.h"
#include "kernel/elf_load.h"
#include "kernel/file.h"
#include "kernel/initrd.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "lib/abi.h"
#include "lib/string.h"
#include "mm/kheap.h"

#define CHUNK 256 /* bytes copied per step through a kernel buffer */

int32_t sys_write(uint32_t fd, uint32_t user_buf, uint32_t len)
{
	char chunk[CHUNK];
	struct file *f = file_of_fd(fd);

	/* Only the console's output is open for writing. */
	if (!f || f->access != O_WRONLY)
		return -EBADF;
	/* The size limit first, then the bytes that will be written: a
	 * length that is refused does not make the buffer's pages ready. */
	if (len > INT32_MAX)
		return -EINVAL; /* the result would look like an error */
	/* Check the whole buffer first so nothing is half written. */
	if (check_user_buffer(user_buf, len, false))
		return -EFAULT;
	for (uint32_t done = 0; done < len; done += CHUNK) {
		uint32_t n = len - done < CHUNK ? len - done : CHUNK;
		/* Cannot fail after the check above; if it does (a broken
		 * check), stop rather than write stale bytes for what may be
		 * gigabytes. */
		if (copy_from_user(chunk, user_buf + done, n))
			return -EFAULT;
		console_write(chunk, n);
	}
	return (int32_t)len;
}

int32_t sys_read(uint32_t fd, uint32_t user_buf, uint32_t len)
{
	char chunk[CHUNK];
	struct file *f = file_of_fd(fd);

	if (!f || f->access != O_RDONLY)
		return -EBADF; /* closed, or the console's output */
	if (f->kind != FILE_CONSOLE)
		return file_read(f, user_buf, len);
	if (len == 0)
		return 0;
	/* Clamp first: only the bytes a read can fill are checked and made
	 * ready (read(0, buf, 1 MiB) in a forked child must not copy 256
	 * pages to fill at most CHUNK bytes). */
	if (len > CHUNK)
		len = CHUNK; /* a line is at most this long anyway */
	/* Check before blocking: a bad buffer must not eat a line. */
	if (check_user_buffer(user_buf, len, true))
		return -EFAULT;
	size_t n = console_read(chunk, len);
	if (copy_to_user(user_buf, chunk, n))
		return -EFAULT;
	return (int32_t)n;
}

struct program_list {
	char *buf;
	size_t size, len;
};

/* Adds "name\n" for each file that is a program we can run. */
static void add_program(const char *name, const void *data, size_t size,
                        void *ctx)
{
	struct program_list *list = ctx;
	const char *why;

	if (elf_check(data, size, &why) != 0)
		return;
	for (const char *c = name; *c; c++) {
		if (list->len < list->size)
			list->buf[list->len] = *c;
		list->len++;
	}
	if (list->len < list->size)
		list->buf[list->len] = '\n';
	list->len++;
}

int32_t sys_list_programs(uint32_t user_buf, uint32_t len)
{
	struct program_list list = {NULL, 0, 0};

	if (check_user_buffer(user_buf, len, true))
		return -EFAULT;
	initrd_for_each(add_program, &list); /* measure */
	size_t needed = list.len;
	if (len == 0)
		return (int32_t)needed;
	list = (struct program_list){kmalloc(needed + 1), needed + 1, 0};
	if (!list.buf)
		return -ENOMEM;
	initrd_for_each(add_program, &list);
	list.buf[needed] = '\0';
	size_t n = len < needed + 1 ? len : needed + 1;
	list.buf[n - 1] = '\0';
	int err = copy_to_user(user_buf, list.buf, n);
	kfree(list.buf);
	return err ? err : (int32_t)needed;
}
