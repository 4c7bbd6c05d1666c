/*
 * Open files over the initrd: a read-only file system with one directory.
 *
 *   process A            process B (A's child)
 *   fd[0] fd[1] fd[3]    fd[0] fd[1] fd[3]      descriptors (per process)
 *     |     |     \        |     |    /
 *     v     v      v       v     v   v
 *   console console  struct file {REGULAR, refs 2, offset 40}
 *   input   output        |                     descriptions (shared)
 *                         v
 *                   struct ustar_file "poem.txt": name, data, size
 *                                               the initrd's index
 *
 * The kernel runs system calls with interrupts off; a description's refs
 * and offset are changed only there (and in exit and kill, with
 * interrupts off too), so no other lock is needed. A read keeps its
 * description in a local across the copy to the user: if that copy ever
 * sleeps (a page read back from swap), the description stays, because
 * the reader's own descriptor holds a reference until the call returns,
 * and a killed reader never runs again.
 */
#include "kernel/file.h"

#include "kernel/initrd.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/uaccess.h"
#include "lib/string.h"
#include "mm/kheap.h"

/* The console's descriptions: every process's fd 0, 1 and 2 start here.
 * They live as long as the kernel, so they are not counted (refs stays
 * 0): a kernel task, which runs with interrupts on, gives them to the
 * programs it starts without a lock. */
static struct file console_input = {FILE_CONSOLE, O_RDONLY, 0, 0, NULL};
static struct file console_output = {FILE_CONSOLE, O_WRONLY, 0, 0, NULL};

/* Every open file description but the console's comes from kmalloc, and
 * goes with its last reference. */
static struct file *file_get(struct file *f)
{
	if (f->kind != FILE_CONSOLE)
		f->refs++;
	return f;
}

static void file_put(struct file *f)
{
	if (f->kind == FILE_CONSOLE)
		return;
	ASSERT(f->refs > 0);
	if (--f->refs == 0)
		kfree(f);
}

void file_table_init_console(struct file_table *t)
{
	memset(t, 0, sizeof(*t));
	t->fd[STDIN_FILENO] = file_get(&console_input);
	t->fd[STDOUT_FILENO] = file_get(&console_output);
	t->fd[STDERR_FILENO] = file_get(&console_output);
}

void file_table_copy(struct file_table *child, const struct file_table *from)
{
	for (int fd = 0; fd < OPEN_MAX; fd++)
		child->fd[fd] = from->fd[fd] ? file_get(from->fd[fd]) : NULL;
}

void file_table_close_all(struct file_table *t)
{
	for (int fd = 0; fd < OPEN_MAX; fd++) {
		if (t->fd[fd]) {
			file_put(t->fd[fd]);
			t->fd[fd] = NULL;
		}
	}
}

struct file *file_of_fd(uint32_t fd)
{
	if (fd >= OPEN_MAX)
		return NULL;
	return sched_current()->files.fd[fd];
}

/*
 * What path names: the file (*node), or the directory (*node NULL).
 * "NAME", "/NAME" and "./NAME" are the same file (the directory is both
 * the root and the current one, so any "/" and "./" in front name it);
 * "/", "." and "./" are the directory. 0, -ENOENT or -ENAMETOOLONG.
 */
static int lookup(const char *path, const struct ustar_file **node)
{
	const char *name = path;

	while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	*node = NULL;
	if ((name != path && *name == '\0') || strcmp(name, ".") == 0)
		return 0; /* the directory */
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	/* "" is no file (POSIX); a name with a '/' in it would be in a
	 * subdirectory, and there is none. */
	*node = initrd_lookup(name);
	return *node ? 0 : -ENOENT;
}

/* The lowest descriptor free in the current process, or -EMFILE. */
static int lowest_free_fd(void)
{
	struct file_table *t = &sched_current()->files;

	for (int fd = 0; fd < OPEN_MAX; fd++)
		if (!t->fd[fd])
			return fd;
	return -EMFILE;
}

/*
 * The errors come in Linux's order: the descriptor first (EMFILE), then
 * the name (ENOENT, ENAMETOOLONG), then what the flags ask of what was
 * found. A read-only file system refuses whatever would write: a write
 * access mode, O_TRUNC, and O_CREAT of a missing file (EROFS); O_CREAT
 * of a file that exists just opens it, unless O_EXCL (EEXIST).
 */
int file_open(const char *path, int flags)
{
	const struct ustar_file *node;
	int access = flags & O_ACCMODE;
	int fd = lowest_free_fd();

	if (fd < 0)
		return fd;
	if (access == O_ACCMODE)
		return -EINVAL; /* no such access mode */
	int err = lookup(path, &node);
	if (err == -ENOENT && (flags & O_CREAT))
		return -EROFS; /* it could only be created by writing */
	if (err)
		return err;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (!node && access != O_RDONLY)
		return -EISDIR;
	if (node && (flags & O_DIRECTORY))
		return -ENOTDIR;
	if (access != O_RDONLY || (flags & O_TRUNC))
		return -EROFS;

	struct file *f = kmalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	*f = (struct file){
	        .kind = node ? FILE_REGULAR : FILE_DIRECTORY,
	        .access = O_RDONLY,
	        .refs = 1,
	        .offset = 0,
	        .node = node,
	};
	sched_current()->files.fd[fd] = f;
	return fd;
}

int file_close(uint32_t fd)
{
	struct file *f = file_of_fd(fd);

	if (!f)
		return -EBADF;
	sched_current()->files.fd[fd] = NULL;
	file_put(f);
	return 0;
}

/* A file's size: its bytes, or the directory's entries (its offsets). */
static uint32_t file_size(const struct file *f)
{
	if (f->kind == FILE_REGULAR)
		return (uint32_t)f->node->size;
	return (uint32_t)initrd_file_count();
}

int32_t file_read(struct file *f, uint32_t user_buf, uint32_t len)
{
	if (f->kind == FILE_DIRECTORY)
		return -EISDIR; /* getdents reads directories */
	uint32_t size = file_size(f);
	if (f->offset >= size)
		return 0; /* at or past the end */
	uint32_t n = size - f->offset;
	if (n > len)
		n = len;
	if (n > INT32_MAX)
		n = INT32_MAX; /* the result must not look like an error */
	/* Checked whole before a byte is copied: a bad buffer reads
	 * nothing, and the offset stays. */
	const uint8_t *data = f->node->data;
	int err = copy_to_user(user_buf, data + f->offset, n);
	if (err)
		return err;
	f->offset += n;
	return (int32_t)n;
}

int32_t file_lseek(struct file *f, int32_t offset, uint32_t whence)
{
	int64_t base;

	if (f->kind == FILE_CONSOLE)
		return -ESPIPE; /* a stream has no place to go back to */
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->offset;
		break;
	case SEEK_END:
		base = file_size(f);
		break;
	default:
		return -EINVAL;
	}
	int64_t to = base + offset;
	if (to < 0)
		return -EINVAL; /* before the start: nothing changes */
	if (to > INT32_MAX)
		return -EOVERFLOW; /* the result could not say it */
	/* Past the end is allowed: a read there gives 0 (end of file). */
	f->offset = (uint32_t)to;
	return (int32_t)to;
}

void file_stat(const struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_nlink = 1;
	st->st_blksize = 4096;
	switch (f->kind) {
	case FILE_CONSOLE:
		/* crw--w----, as a Linux terminal */
		st->st_mode = S_IFCHR | S_IRUSR | S_IWUSR | S_IWGRP;
		break;
	case FILE_REGULAR:
		st->st_dev = 1;
		st->st_ino = initrd_file_number(f->node);
		/* The archive's bits: tar stored the program's rwxr-xr-x, a
		 * data file's rw-r--r--. A write is refused all the same
		 * (EROFS): the file system is read-only, as a CD's. */
		st->st_mode = S_IFREG | (f->node->mode & 0777);
		st->st_size = (int32_t)f->node->size;
		st->st_blocks = (int32_t)((f->node->size + 511) / 512);
		break;
	case FILE_DIRECTORY:
		st->st_dev = 1;
		st->st_mode = S_IFDIR | 0555; /* r-xr-xr-x: read-only */
		st->st_size = (int32_t)file_size(f);
		break;
	}
}

int32_t file_getdents(struct file *f, uint32_t user_buf, uint32_t len)
{
	struct dirent entry;
	uint32_t count = initrd_file_count();
	uint32_t n = len / sizeof(entry), done = 0;

	if (f->kind != FILE_DIRECTORY)
		return -ENOTDIR;
	if (n == 0)
		return -EINVAL; /* not even one entry fits */
	if (f->offset >= count)
		return 0; /* the end of the directory */
	if (n > count - f->offset)
		n = count - f->offset;
	if (check_user_buffer(user_buf, n * sizeof(entry), true))
		return -EFAULT;
	for (; done < n; done++) {
		const struct ustar_file *node =
		        initrd_file_at(f->offset + done);

		memset(&entry, 0, sizeof(entry));
		entry.d_ino = initrd_file_number(node);
		entry.d_off = f->offset + done + 1;
		entry.d_reclen = sizeof(entry);
		entry.d_type = DT_REG;
		memcpy(entry.d_name, node->name, strlen(node->name) + 1);
		/* Checked above; a page lost since (swap) stops here, with
		 * the entries before it delivered. */
		if (copy_to_user(user_buf + done * sizeof(entry), &entry,
		                 sizeof(entry)))
			break;
	}
	f->offset += done;
	return done ? (int32_t)(done * sizeof(entry)) : -EFAULT;
}
