/*
 * getdents() on "/": every file of the initrd once, in name order, with
 * numbers (d_ino) that fstat reports too; whole entries only; 0 at the
 * end, and the same list again after lseek back to 0. Errors: a file is
 * no directory (ENOTDIR), a buffer too small for one entry (EINVAL), a
 * bad buffer (EFAULT), a bad fd (EBADF). And every name in
 * list_programs' list is among the entries.
 */
#include "check.h"
#include "lib/string.h"

int main(void);

#define MAX_FILES 256

static struct dirent entries[MAX_FILES];

/* Reads the whole directory three entries at a time: how many. */
static int read_all(int fd)
{
	struct dirent buf[3];
	int n = 0, bytes;

	while ((bytes = sys_getdents(fd, buf, sizeof(buf))) > 0) {
		CHECK_EQ(bytes % sizeof(struct dirent), 0);
		for (int i = 0; i < bytes / (int)sizeof(struct dirent); i++) {
			CHECK(n < MAX_FILES);
			CHECK_EQ(buf[i].d_reclen, sizeof(struct dirent));
			entries[n++] = buf[i];
		}
	}
	CHECK_ERR(bytes, 0);
	return n;
}

static bool listed(const char *name, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(entries[i].d_name, name) == 0)
			return true;
	return false;
}

int main(void)
{
	static char programs[4096];
	struct stat st;
	int fd = sys_open("/", O_RDONLY);
	int n = read_all(fd);

	CHECK(n > 10);
	CHECK_ERR(sys_fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, n);
	CHECK(listed("hello.txt", n));
	CHECK(listed("numbers.txt", n));
	CHECK(listed("file_getdents", n));
	CHECK(listed("test-list", n));
	CHECK(!listed("no-such-file", n));
	for (int i = 0; i < n; i++) {
		CHECK_EQ(entries[i].d_type, DT_REG);
		CHECK_EQ(entries[i].d_off, i + 1);
		if (i > 0 &&
		    strcmp(entries[i - 1].d_name, entries[i].d_name) >= 0)
			check_fail(__FILE__, __LINE__, "\"%s\" before \"%s\"",
			           entries[i - 1].d_name, entries[i].d_name);
	}
	/* Each entry opens, as the same file. */
	for (int i = 0; i < n; i++) {
		int f = sys_open(entries[i].d_name, O_RDONLY);
		CHECK(f >= 0);
		CHECK_ERR(sys_fstat(f, &st), 0);
		CHECK_EQ(st.st_ino, entries[i].d_ino);
		CHECK_ERR(sys_close(f), 0);
	}
	/* Every program list_programs names is there. */
	CHECK(sys_list_programs(programs, sizeof(programs)) <
	      (int)sizeof(programs));
	for (char *p = programs; *p;) {
		char *end = strchr(p, '\n');
		*end = '\0';
		if (!listed(p, n))
			check_fail(__FILE__, __LINE__, "program %s not listed",
			           p);
		p = end + 1;
	}

	/* At the end: 0 again. Back to the start: the same list. */
	CHECK_ERR(sys_getdents(fd, entries, sizeof(entries)), 0);
	CHECK_ERR(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read_all(fd), n);
	/* From entry 2 on, in one call. */
	CHECK_ERR(sys_lseek(fd, 2, SEEK_SET), 2);
	CHECK_ERR(sys_getdents(fd, entries, sizeof(entries)),
	          (n - 2) * (int)sizeof(struct dirent));

	/* Errors. */
	CHECK_ERR(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_ERR(sys_getdents(fd, entries, sizeof(struct dirent) - 1),
	          -EINVAL);
	CHECK_ERR(sys_getdents(fd, entries, 0), -EINVAL);
	CHECK_ERR(sys_getdents(fd, NULL, sizeof(entries)), -EFAULT);
	CHECK_ERR(sys_getdents(fd, (void *)KERNEL_TEXT_ADDR, 4096), -EFAULT);
	CHECK_ERR(sys_getdents(fd, (void *)(uintptr_t)main, 4096), -EFAULT);
	CHECK_ERR(sys_getdents(
	                  fd,
	                  (void *)(IMAGE_END_PAGE - sizeof(struct dirent) / 2),
	                  sizeof(struct dirent)),
	          -EFAULT);
	/* None of that moved the offset. */
	CHECK_ERR(sys_lseek(fd, 0, SEEK_CUR), 0);
	int file = sys_open("hello.txt", O_RDONLY);
	CHECK_ERR(sys_getdents(file, entries, sizeof(entries)), -ENOTDIR);
	CHECK_ERR(sys_getdents(STDIN_FILENO, entries, sizeof(entries)),
	          -ENOTDIR);
	CHECK_ERR(sys_getdents(file + 1, entries, sizeof(entries)), -EBADF);
	CHECK_ERR(sys_getdents(-1, entries, sizeof(entries)), -EBADF);
	CHECK_ERR(sys_close(file), 0);
	CHECK_ERR(sys_close(fd), 0);
	CHECK_ERR(sys_getdents(fd, entries, sizeof(entries)), -EBADF);
	return 0;
}
