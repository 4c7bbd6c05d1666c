/* The table of error numbers (lib/abi.h) with their names and sentences. */
#include "lib/errno_name.h"

#include <stddef.h>

#include "lib/abi.h"

struct error {
	const char *name;
	const char *text;
};

#define ERROR(e, text) [e] = {#e, text}

static const struct error errors[] = {
        ERROR(EPERM, "Operation not permitted"),
        ERROR(ENOENT, "No such file or directory"),
        ERROR(ESRCH, "No such process"),
        ERROR(EIO, "Input/output error"),
        ERROR(E2BIG, "Argument list too long"),
        ERROR(ENOEXEC, "Exec format error"),
        ERROR(EBADF, "Bad file descriptor"),
        ERROR(ECHILD, "No child processes"),
        ERROR(EAGAIN, "Resource temporarily unavailable"),
        ERROR(ENOMEM, "Cannot allocate memory"),
        ERROR(EFAULT, "Bad address"),
        ERROR(EBUSY, "Device or resource busy"),
        ERROR(EEXIST, "File exists"),
        ERROR(ENODEV, "No such device"),
        ERROR(ENOTDIR, "Not a directory"),
        ERROR(EISDIR, "Is a directory"),
        ERROR(EINVAL, "Invalid argument"),
        ERROR(EMFILE, "Too many open files"),
        ERROR(ENOSPC, "No space left on device"),
        ERROR(ESPIPE, "Illegal seek"),
        ERROR(EROFS, "Read-only file system"),
        ERROR(EDOM, "Numerical argument out of domain"),
        ERROR(ERANGE, "Numerical result out of range"),
        ERROR(ENAMETOOLONG, "File name too long"),
        ERROR(ENOSYS, "Function not implemented"),
        ERROR(EOVERFLOW, "Value too large for defined data type"),
        ERROR(EILSEQ, "Invalid or incomplete multibyte or wide character"),
};

static const struct error *lookup(int err)
{
	unsigned int e = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;

	if (e < sizeof(errors) / sizeof(errors[0]) && errors[e].name)
		return &errors[e];
	return NULL;
}

const char *errno_name(int err)
{
	const struct error *e = lookup(err);

	return e ? e->name : "";
}

const char *errno_text(int err)
{
	const struct error *e = lookup(err);

	return e ? e->text : NULL;
}
