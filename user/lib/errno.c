/* errno, and the table of error numbers with their names and sentences
 * (errno_name for tests, strerror for everyone). */
#include <errno.h>
#include <string.h>

#include "user/lib/errno_name.h"

int errno;

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
        ERROR(EINVAL, "Invalid argument"),
        ERROR(EDOM, "Numerical argument out of domain"),
        ERROR(ERANGE, "Numerical result out of range"),
        ERROR(ENOSYS, "Function not implemented"),
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

char *strerror(int err)
{
	const struct error *e = lookup(err);

	if (err == 0)
		return "Success";
	return (char *)(e ? e->text : "Unknown error");
}
